"""CPR numbers: Danish validation, encryption at rest, the blind index and key rotation."""

import json

import pytest
from auditlog.models import LogEntry
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ValidationError
from django.db import connection

from borgere import cpr
from borgere.models import Borger, Forsoergelsesgrundlag
from borgere.services import borger_opdater, borger_opret

CPR = "0101901234"
CPR_MED_STREG = "010190-1234"


def _ny_borger(pilot, cpr_nummer=CPR_MED_STREG) -> Borger:
    return borger_opret(
        bruger=pilot.sagsbehandler,
        cpr=cpr_nummer,
        fornavn="Anna",
        efternavn="Jensen",
        forsoergelsesgrundlag=Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp"),
    )


@pytest.mark.parametrize("vaerdi", ["010190123", "01019012345", "0101"])
def test_a_cpr_number_of_the_wrong_length_is_refused_in_danish(vaerdi):
    with pytest.raises(ValidationError) as fejl:
        cpr.normaliser(vaerdi)
    assert fejl.value.messages == ["Et CPR-nummer har 10 cifre, fx 010190-1234."]


@pytest.mark.parametrize("vaerdi", ["3201901234", "0113901234", "300290-1234"])
def test_a_cpr_number_with_an_impossible_birth_date_is_refused_in_danish(vaerdi):
    with pytest.raises(ValidationError) as fejl:
        cpr.normaliser(vaerdi)
    assert fejl.value.messages == ["CPR-nummeret indeholder ikke en gyldig fødselsdato."]


def test_letters_in_a_cpr_number_are_refused_in_danish():
    with pytest.raises(ValidationError) as fejl:
        cpr.normaliser("010190-12a4")
    assert "CPR-nummer" in fejl.value.messages[0]


def test_modulus_11_is_not_enforced():
    # 010190-1234 fails the old modulus-11 check; such numbers have been issued since 2007.
    assert cpr.normaliser(CPR_MED_STREG) == CPR
    assert cpr.normaliser("010190-1235") == "0101901235"


def test_the_masked_cpr_shows_the_birth_date_but_not_the_serial_number():
    assert cpr.maskeret(CPR) == "010190-xxxx"


def test_the_database_holds_only_ciphertext_never_the_cpr_number(pilot):
    borger = _ny_borger(pilot)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM borgere_borger WHERE id = %s", [borger.pk])
        raekke = cursor.fetchone()
    raa = " ".join(str(v) for v in raekke)
    assert CPR not in raa
    assert CPR_MED_STREG not in raa
    # What is stored is a Fernet token that decrypts to the number with the key, and an HMAC.
    assert borger.cpr_krypteret in raa
    assert cpr.dekrypter(borger.cpr_krypteret) == CPR
    assert borger.cpr_indeks == cpr.blindindeks(CPR) and len(borger.cpr_indeks) == 64


def test_the_same_cpr_number_encrypts_differently_each_time():
    # Fernet tokens carry a random IV, so equal numbers cannot be spotted by equal ciphertext.
    assert cpr.krypter(CPR) != cpr.krypter(CPR)


def test_exact_search_finds_the_citizen_by_cpr_with_and_without_dash(pilot):
    borger = _ny_borger(pilot)
    assert list(Borger.objects.med_cpr(CPR)) == [borger]
    assert list(Borger.objects.med_cpr(CPR_MED_STREG)) == [borger]
    assert not Borger.objects.med_cpr("010190-1235").exists()


def test_the_change_history_of_a_citizen_never_contains_the_cpr_number(pilot):
    borger = _ny_borger(pilot)
    borger_opdater(borger=borger, bruger=pilot.sagsbehandler, adresse="Vejen 1")
    poster = LogEntry.objects.get_for_object(borger)
    assert poster.count() == 2
    for post in poster:
        tekst = json.dumps(
            [post.changes, post.object_repr, post.additional_data, post.changes_text],
            default=str,
        )
        assert CPR not in tekst
        assert CPR_MED_STREG not in tekst
        assert borger.cpr_krypteret not in tekst
        assert borger.cpr_indeks not in tekst


def test_a_cpr_encrypted_with_an_old_key_decrypts_when_that_key_is_second(pilot, settings):
    gammel, ny = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CPR_ENCRYPTION_KEYS = [gammel]
    cpr._fernet.cache_clear()
    borger = _ny_borger(pilot)

    # Rotation: a new key first, the old one kept second so existing rows still decrypt.
    settings.CPR_ENCRYPTION_KEYS = [ny, gammel]
    cpr._fernet.cache_clear()
    borger = Borger.objects.get(pk=borger.pk)
    assert borger.cpr == CPR
    assert Fernet(gammel.encode()).decrypt(borger.cpr_krypteret.encode()) == CPR.encode()

    # Re-encryption moves the row to the new key, after which the old key can be dropped.
    genkrypteret = cpr.genkrypter(borger.cpr_krypteret)
    settings.CPR_ENCRYPTION_KEYS = [ny]
    cpr._fernet.cache_clear()
    assert cpr.dekrypter(genkrypteret) == CPR
    cpr._fernet.cache_clear()


def test_a_cpr_encrypted_with_a_removed_key_cannot_be_read(pilot, settings):
    settings.CPR_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    cpr._fernet.cache_clear()
    token = cpr.krypter(CPR)
    settings.CPR_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    cpr._fernet.cache_clear()
    with pytest.raises(InvalidToken):
        cpr.dekrypter(token)
    cpr._fernet.cache_clear()
