"""`manage.py demodata --skala` (issue 13): the scale data set, checked at its small size.

The load bypasses the services, so these tests hold it to what the services would have written:
CPR numbers the search finds, every stage of a case, payments that add up, places never
over-filled, the same rows from the same seed, and users who can log in. The database's own
constraints and triggers are checked by the load itself (it would fail)."""

import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.test import Client, override_settings
from django.urls import reverse
from stdnum.dk import cpr as stdnum_cpr

from borgere import cpr
from borgere.models import Borger
from borgere.selectors import borgere_soeg
from demo.data import BRUGERE, DEMO_ADGANGSKODE
from demo.skala import SKALAER, opret_skaladata
from forloeb.models import Aktivitet, Deltagelse, Fase, Forloeb, Opfoelgning, Udskrivning
from laan.models import Afdrag, Indbetaling, Laan
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import Notifikation
from mikrolaan.revision.models import AdgangsLog
from visitation.models import Henvisning, Pladsaftale, VentelistePlads

LILLE = SKALAER["lille"]


@pytest.fixture(scope="class")
def lille(django_db_setup, django_db_blocker):
    """The small set, loaded once for the class's tests (each test runs in a savepoint of this
    transaction, so what a test writes is undone) and rolled back after them."""
    # The tests' fast hasher (conftest sets it per test, after this class-wide fixture).
    hurtig = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), hurtig, transaction.atomic():
        yield opret_skaladata(LILLE, seed=1)
        transaction.set_rollback(True)


class TestDetLilleSaet:
    """Checks on one load of the small set."""

    def test_the_small_set_has_its_sizes(self, lille, db):
        assert lille["borgere.Borger"] == Borger.objects.count() == LILLE.borgere
        assert Forloeb.objects.count() == LILLE.forloeb
        assert lille["laan.Laan"] == LILLE.laan
        assert 0.9 * LILLE.deltagelser <= Deltagelse.objects.count() <= 1.05 * LILLE.deltagelser
        assert 0.9 * LILLE.adgangslog <= AdgangsLog.objects.count() <= 1.1 * LILLE.adgangslog
        assert Notifikation.objects.count() > 10 * LILLE.forloeb
        # Each referral beyond the citizen's first is a case that ended before the next began.
        assert Henvisning.objects.count() == pytest.approx(1.1 * LILLE.borgere, rel=0.05)
        assert lille["notifikationer.Notifikation"] == Notifikation.objects.count()

    def test_every_stage_of_a_case_is_there(self, lille, db):
        assert set(Forloeb.objects.values_list("status", flat=True)) == set(Forloeb.Status.values)
        assert set(Henvisning.objects.values_list("status", flat=True)) == set(
            Henvisning.Status.values
        )
        assert set(Laan.objects.values_list("status", flat=True)) == set(Laan.Status.values)
        assert set(Udskrivning.objects.values_list("aarsag", flat=True)) >= {
            "egen_virksomhed",
            "uden_virksomhed",
        }
        assert Opfoelgning.objects.filter(registreret__isnull=False).exists()
        assert Opfoelgning.objects.filter(registreret__isnull=True, forfalder__lt=_idag()).exists()
        assert Fase.objects.filter(forlaengelser__isnull=False).exists()

    def test_cpr_numbers_decrypt_are_valid_and_the_search_finds_them(self, lille, db):
        sagsbehandler = Bruger.objects.get(username="sagsbehandler")
        borgere = Borger.objects.filter(jobcenter=sagsbehandler.organisation).order_by("pk")[:5]
        assert len(borgere) == 5
        for borger in borgere:
            cifre = borger.cpr
            assert stdnum_cpr.validate(cifre) == cifre

            fundne = borgere_soeg(bruger=sagsbehandler, tekst=cpr.formateret(cifre))

            assert list(fundne) == [borger]
        # The search wrote its access-log row after the loaded ones: the sequences were moved on.
        assert AdgangsLog.objects.filter(bruger=sagsbehandler, handling="soeg").count() >= 5

    def test_payments_add_up_to_the_instalments(self, lille, db):
        laan = Laan.objects.filter(udbetalt_dato__isnull=False).annotate(
            plan=Sum("afdrag__beloeb", distinct=False)
        )
        assert laan.exists()
        betalt = dict(
            Afdrag.objects.values("laan").annotate(s=Sum("betalt")).values_list("laan", "s")
        )
        indbetalt = dict(
            Indbetaling.objects.filter(tilbagefoert__isnull=True)
            .values("laan")
            .annotate(s=Sum("beloeb"))
            .values_list("laan", "s")
        )
        for lan in laan:
            assert lan.plan == lan.beloeb
            assert betalt.get(lan.pk, Decimal(0)) == indbetalt.get(lan.pk, Decimal(0))
            if lan.status == Laan.Status.INDFRIET:
                assert indbetalt[lan.pk] == lan.beloeb
        assert Afdrag.objects.filter(restance_meldt__isnull=False).exists()

    def test_places_are_never_over_filled_and_waiting_lists_form_at_full_agreements(
        self, lille, db
    ):
        aftaler = Pladsaftale.objects.annotate(
            aktive=Count("forloeb", filter=Q(forloeb__status__in=Forloeb.AKTIVE), distinct=True),
            ventende=Count(
                "venteliste", filter=Q(venteliste__afsluttet__isnull=True), distinct=True
            ),
        )
        for aftale in aftaler:
            assert aftale.aktive <= aftale.antal_pladser
            if aftale.ventende:
                assert aftale.aktive == aftale.antal_pladser
        assert VentelistePlads.objects.filter(afsluttet__isnull=True).exists()
        for forloeb in Forloeb.objects.select_related("pladsaftale"):
            assert (
                forloeb.pladsaftale.gyldig_fra
                <= forloeb.startdato
                <= forloeb.pladsaftale.gyldig_til
            )

    def test_each_case_keeps_the_order_of_its_steps_and_nothing_happened_after_today(
        self, lille, db
    ):
        idag = _idag()
        for henvisning in Henvisning.objects.select_related("visitation", "forloeb"):
            visitation = getattr(henvisning, "visitation", None)
            if visitation is not None:
                assert henvisning.oprettet.date() <= visitation.moededato <= idag
                if visitation.afgjort is not None:
                    assert visitation.moededato <= visitation.afgjort.date()
            forloeb = getattr(henvisning, "forloeb", None)
            if forloeb is not None:
                assert visitation.afgjort.date() <= forloeb.startdato <= idag
        assert not Udskrivning.objects.filter(
            Q(dato__lt=F("forloeb__startdato")) | Q(dato__gt=idag)
        ).exists()
        # Attendance only while the programme ran; sessions at most two weeks ahead.
        assert not Deltagelse.objects.filter(aktivitet__dato__lt=F("forloeb__startdato")).exists()
        assert not Deltagelse.objects.filter(
            aktivitet__dato__gt=F("forloeb__udskrivning__dato")
        ).exists()
        assert not Aktivitet.objects.filter(dato__gt=idag + datetime.timedelta(days=14)).exists()
        # Loans in the main phase; payments after the disbursement and not in the future.
        assert not Laan.objects.filter(
            oprettet__date__lt=F("forloeb__faser__faktisk_start"),
            forloeb__faser__type="hovedforloeb",
        ).exists()
        assert not Indbetaling.objects.filter(
            Q(dato__lt=F("laan__udbetalt_dato")) | Q(dato__gt=idag)
        ).exists()

    def test_the_demo_and_load_test_users_can_log_in(self, lille, db):
        brugere = [demo.brugernavn for demo in BRUGERE] + [
            "last-sagsbehandler-1",
            "last-sagsbehandler-20",
            "last-forloeb-20",
            "last-erhvervschef-10",
        ]
        for brugernavn in brugere:
            klient = Client()
            svar = klient.post(
                reverse("konti:log_ind"), {"username": brugernavn, "password": DEMO_ADGANGSKODE}
            )
            assert svar.status_code == 302, brugernavn
            assert klient.session["_auth_user_id"] == str(
                Bruger.objects.get(username=brugernavn).pk
            )
        assert Bruger.objects.get(username="last-forloeb-7").har_rolle(Rolle.FORLOEBSMEDARBEJDER)
        assert (
            Bruger.objects.get(username="last-erhvervschef-3").organisation.navn == "Ishøj Kommune"
        )
        # The demo caseworker sees a large share of the citizens, as at national scale.
        sagsbehandler = Bruger.objects.get(username="sagsbehandler")
        assert Borger.objects.synlige_for(sagsbehandler).count() >= 0.1 * LILLE.borgere

    def test_the_command_refuses_a_database_with_citizens(self, lille, db):
        with pytest.raises(CommandError, match="allerede borgere"):
            call_command("demodata", skala="lille", stdout=io.StringIO())


def test_group_sessions_have_about_ten_participants(db):
    """At a size where each provider has many programmes a week (the small set has few)."""
    opret_skaladata(LILLE.med_borgere(1500), seed=1)

    gruppe = Aktivitet.objects.filter(form="gruppe").annotate(n=Count("deltagelser"))
    antal = [a.n for a in gruppe]

    assert min(antal) >= 3
    assert 7 <= sum(antal) / len(antal) <= 12


def _skema() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
        )
        noegler = set(cursor.fetchall())
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema()"
        )
        return noegler | set(cursor.fetchall())


def test_the_load_leaves_every_key_and_index_as_the_migrations_made_them(kraever_postgres):
    """The COPY steps set foreign keys and plain indexes aside and add the same ones back."""
    foer = _skema()

    opret_skaladata(LILLE.med_borgere(30), seed=1)

    assert _skema() == foer
    assert len(foer) > 100


def _digest() -> str:
    h = hashlib.sha256()
    raekker = [
        Borger.objects.order_by("pk").values_list("pk", "fornavn", "efternavn", "cpr_indeks"),
        Forloeb.objects.order_by("pk").values_list("pk", "status", "startdato", "pladsaftale"),
        Deltagelse.objects.order_by("pk").values_list("aktivitet", "forloeb", "status"),
        Laan.objects.order_by("pk").values_list("pk", "status", "beloeb", "udbetalt_dato"),
        Notifikation.objects.order_by("pk").values_list("haendelse", "link", "oprettet"),
        AdgangsLog.objects.order_by("pk").values_list("tidspunkt", "handling", "objekt_id"),
    ]
    for qs in raekker:
        for raekke in qs.iterator():
            h.update(repr(raekke).encode())
    return h.hexdigest()


def _koer(seed: int) -> str:
    with transaction.atomic():
        opret_skaladata(LILLE, seed=seed)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


def test_the_same_seed_gives_the_same_data(db):
    foerste, igen, anden = _koer(1), _koer(1), _koer(2)

    assert foerste == igen
    assert foerste != anden


def test_the_command_prints_the_counts(db):
    ud = io.StringIO()

    call_command("demodata", skala="lille", borgere=50, seed=3, stdout=ud)

    assert "borgere.Borger" in ud.getvalue()
    assert Borger.objects.count() == 50
    assert "last-forloeb-1..20" in ud.getvalue()


def _idag():
    from django.utils import timezone

    return timezone.localdate()
