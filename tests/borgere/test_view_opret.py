"""Registering a citizen (borgere:opret): caseworkers only, CPR validated and never duplicated."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from borgere.models import Borger, Forsoergelsesgrundlag

URL = reverse("borgere:opret")


@pytest.fixture
def data(db):
    return {
        "cpr": "010190-1234",
        "fornavn": "Anna",
        "efternavn": "Jensen",
        "adresse": "Vejen 1",
        "postnummer": "2635",
        "by": "Ishøj",
        "telefon": "12345678",
        "email": "anna@example.dk",
        "forsoergelsesgrundlag": Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp").pk,
        "forretningsidee": "Cykelværksted",
    }


def test_the_form_asks_for_the_cpr_number_without_browser_autocomplete(pilot, klient):
    svar = klient(pilot.sagsbehandler).get(URL)
    html = svar.content.decode()
    assert 'for="id_cpr"' in html and 'id="id_cpr"' in html
    assert svar.context["form"].fields["cpr"].widget.attrs["autocomplete"] == "off"


def test_a_caseworker_registers_a_citizen_at_their_jobcenter(pilot, klient, data):
    svar = klient(pilot.sagsbehandler).post(URL, data)

    borger = Borger.objects.get()
    assert svar.status_code == 302
    assert svar["Location"] == reverse("borgere:detalje", args=[borger.pk])
    assert "0101901234" not in svar["Location"]
    assert borger.jobcenter == pilot.jobcenter
    assert borger.oprettet_af == pilot.sagsbehandler
    assert borger.cpr == "0101901234"
    # The change history names who registered the citizen, and holds no CPR number.
    post = LogEntry.objects.get_for_object(borger).get()
    assert post.actor == pilot.sagsbehandler
    assert "0101901234" not in str(post.changes) and "010190-1234" not in str(post.changes)


@pytest.mark.parametrize(
    ("cpr", "besked"),
    [
        ("0101901", "Et CPR-nummer har 10 cifre, fx 010190-1234."),
        ("320190-1234", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),
        ("", "Dette felt er påkrævet."),
    ],
)
def test_an_invalid_cpr_number_gives_a_danish_error_and_saves_nothing(
    pilot, klient, data, cpr, besked
):
    svar = klient(pilot.sagsbehandler).post(URL, data | {"cpr": cpr})
    assert svar.status_code == 200
    assert svar.context["form"].errors["cpr"] == [besked]
    assert besked in svar.content.decode()
    assert not Borger.objects.exists()


def test_missing_names_and_a_bad_postcode_give_danish_errors(pilot, klient, data):
    svar = klient(pilot.sagsbehandler).post(
        URL, data | {"fornavn": "", "postnummer": "26", "email": "x"}
    )
    fejl = svar.context["form"].errors
    assert fejl["fornavn"] == ["Dette felt er påkrævet."]
    assert fejl["postnummer"] == ["Et postnummer har 4 cifre."]
    assert fejl["email"] == ["Indtast en gyldig e-mail-adresse."]
    assert not Borger.objects.exists()


def test_a_duplicate_cpr_links_to_the_existing_citizen_when_the_user_may_see_them(
    pilot, klient, data, pilotens_borger
):
    eksisterende = pilotens_borger(cpr="010190-1234")

    svar = klient(pilot.sagsbehandler).post(URL, data | {"cpr": "0101901234"})

    html = svar.content.decode()
    assert svar.context["form"].errors["cpr"] == [
        "Der findes allerede en borger med dette CPR-nummer."
    ]
    assert reverse("borgere:detalje", args=[eksisterende.pk]) in html
    assert Borger.objects.count() == 1


def test_a_duplicate_cpr_elsewhere_gives_the_error_but_no_link(
    pilot, klient, data, pilotens_borger
):
    eksisterende = pilotens_borger(cpr="010190-1234")

    svar = klient(pilot.fremmed).post(URL, data)

    html = svar.content.decode()
    assert "Der findes allerede en borger med dette CPR-nummer." in html
    assert reverse("borgere:detalje", args=[eksisterende.pk]) not in html
    assert eksisterende.navn not in html
    assert Borger.objects.count() == 1


def test_an_expired_means_of_support_is_not_offered(pilot, klient):
    Forsoergelsesgrundlag.objects.create(
        navn="Starthjælp",
        gyldig_fra=datetime.date(2016, 7, 1),
        gyldig_til=datetime.date(2018, 12, 31),
    )
    html = klient(pilot.sagsbehandler).get(URL).content.decode()
    assert "Kontanthjælp" in html and "Starthjælp" not in html


@pytest.mark.parametrize("rolle", ["forloebsmedarbejder", "erhvervschef", "administrator"])
def test_only_caseworkers_may_register_citizens(pilot, klient, data, rolle):
    assert klient(getattr(pilot, rolle)).get(URL).status_code == 403
    assert klient(getattr(pilot, rolle)).post(URL, data).status_code == 403
    assert not Borger.objects.exists()


def test_a_registered_citizen_is_found_by_name_and_cpr_afterwards(pilot, klient, data):
    klient(pilot.sagsbehandler).post(URL, data)
    borger = Borger.objects.get()
    assert list(Borger.objects.med_navn("anna jen")) == [borger]
    assert list(Borger.objects.med_cpr("0101901234")) == [borger]
