"""No double submits (issue 12.8): each create form carries a one-time key issued when the page is
rendered, stored in the same transaction as the row it created, so a double click or a resent
request creates one row and is sent to what the first created."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from borgere.models import Borger, Dokument, Journalnotat
from forloeb.models import Aktivitet
from laan.models import Indbetaling, Laan
from mikrolaan.indsendelser.models import Indsendelse
from mikrolaan.konti.models import Rolle
from tests.byg.aktiviteter import I_OPKVALIFICERING, aktivitetsaftale, indskriv
from tests.byg.fabrikker import BrugerFactory
from tests.byg.filer import PDF, upload
from tests.byg.indsendelser import (
    ALLEREDE_SENDT,
    beskeder,
    engangsnoegle,
    samtidigt,
    send_to_gange,
)
from tests.byg.laan import forloeb_paa_faste_dage, udbetalt_laan
from tests.byg.sager import lav_borger, lav_pladsaftale
from tests.byg.tid import paa
from visitation.models import Henvisning


def aktivitet_data(pilot, forloeb) -> dict:
    return {
        "dato": I_OPKVALIFICERING.isoformat(),
        "starttid": "10:00",
        "varighed": "90",
        "form": "gruppe",
        "type": "regnskab",
        "sted": "Jobhuset, Næstved",
        "medarbejder": str(pilot.forloebsmedarbejder.pk),
        "beskrivelse": "",
        "deltagere": [str(forloeb.pk)],
    }


def assert_sendt_til_det_foerste(foerste, anden):
    assert foerste.status_code == 302
    assert anden.status_code == 302
    assert anden["Location"] == foerste["Location"]
    assert ALLEREDE_SENDT in beskeder(anden)


# --- Parallel: five requests at the same moment (PostgreSQL, a connection each) ---------------


@pytest.mark.django_db(transaction=True)
def test_five_parallel_posts_of_a_journal_note_save_one_note(pilot, klient, kraever_postgres):
    borger = lav_borger(pilot)
    side = reverse("borgere:detalje", args=[borger.pk])
    action = reverse("borgere:notat_opret", args=[borger.pk])
    noegle = engangsnoegle(klient(pilot.sagsbehandler), side, action)

    svar = samtidigt(pilot.sagsbehandler, action, {"tekst": "Møde holdt", "indsendelse": noegle})

    assert Journalnotat.objects.filter(borger=borger).count() == 1
    assert [s.status_code for s in svar] == [302] * 5
    assert {s["Location"] for s in svar} == {side + "#journal"}
    assert Indsendelse.objects.get().objekt == Journalnotat.objects.get()


@pytest.mark.django_db(transaction=True)
def test_five_parallel_session_creations_create_one_session(pilot, klient, kraever_postgres):
    forloeb = indskriv(pilot, aktivitetsaftale(pilot), "Anna")
    action = reverse("forloeb:aktivitet_opret")
    noegle = engangsnoegle(klient(pilot.forloebsmedarbejder), action, action)

    svar = samtidigt(
        pilot.forloebsmedarbejder, action, aktivitet_data(pilot, forloeb) | {"indsendelse": noegle}
    )

    aktivitet = Aktivitet.objects.get()
    assert aktivitet.deltagelser.count() == 1
    assert [s.status_code for s in svar] == [302] * 5
    assert {s["Location"] for s in svar} == {reverse("forloeb:aktivitet", args=[aktivitet.pk])}


# --- Sequential: the same form sent again ---------------------------------------------------


def test_a_resent_journal_note_is_saved_once(pilot, klient):
    borger = lav_borger(pilot)
    sagsbehandler = klient(pilot.sagsbehandler)
    action = reverse("borgere:notat_opret", args=[borger.pk])
    noegle = engangsnoegle(sagsbehandler, reverse("borgere:detalje", args=[borger.pk]), action)

    foerste, anden = send_to_gange(
        sagsbehandler, action, {"tekst": "Møde holdt", "indsendelse": noegle}
    )

    assert_sendt_til_det_foerste(foerste, anden)
    assert Journalnotat.objects.count() == 1


def test_a_resent_correction_of_a_note_is_saved_once(pilot, klient):
    borger = lav_borger(pilot)
    sagsbehandler = klient(pilot.sagsbehandler)
    sagsbehandler.post(reverse("borgere:notat_opret", args=[borger.pk]), {"tekst": "Møde"})
    notat = Journalnotat.objects.get()
    action = reverse("borgere:notat_ret", args=[borger.pk, notat.pk])
    noegle = engangsnoegle(sagsbehandler, action, action)

    foerste, anden = send_to_gange(
        sagsbehandler, action, {"tekst": "Møde holdt", "indsendelse": noegle}
    )

    assert_sendt_til_det_foerste(foerste, anden)
    assert Journalnotat.objects.filter(retter=notat).count() == 1


def test_each_render_of_a_form_issues_a_new_key(pilot, klient):
    borger = lav_borger(pilot)
    sagsbehandler = klient(pilot.sagsbehandler)
    side = reverse("borgere:detalje", args=[borger.pk])
    action = reverse("borgere:notat_opret", args=[borger.pk])

    assert engangsnoegle(sagsbehandler, side, action) != engangsnoegle(sagsbehandler, side, action)


def test_a_refused_form_keeps_its_key_free_for_the_corrected_sending(pilot, klient):
    borger = lav_borger(pilot)
    sagsbehandler = klient(pilot.sagsbehandler)
    action = reverse("borgere:notat_opret", args=[borger.pk])
    noegle = engangsnoegle(sagsbehandler, reverse("borgere:detalje", args=[borger.pk]), action)

    afvist = sagsbehandler.post(action, {"tekst": "", "indsendelse": noegle})
    rettet = sagsbehandler.post(action, {"tekst": "Møde holdt", "indsendelse": noegle})

    assert afvist.status_code == 200
    assert rettet.status_code == 302
    assert ALLEREDE_SENDT not in beskeder(rettet)
    assert Journalnotat.objects.count() == 1


def test_another_users_key_creates_nothing_and_does_not_lead_to_their_row(pilot, klient):
    borger = lav_borger(pilot)
    aftale = lav_pladsaftale(pilot)
    action = reverse("visitation:henvisning_opret", args=[borger.pk])
    noegle = engangsnoegle(klient(pilot.sagsbehandler), action, action)
    data = {
        "pladsaftale": aftale.pk,
        "forsoergelsesgrundlag": borger.forsoergelsesgrundlag_id,
        "forretningsidee": "Cykelværksted",
        "motivation": "Stor",
        "vurdering": "God",
        "indsendelse": noegle,
    }
    klient(pilot.sagsbehandler).post(action, data)
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)

    svar = klient(kollega).post(action, data)

    assert svar.status_code == 302
    assert svar["Location"] == reverse("borgere:detalje", args=[borger.pk])
    assert ALLEREDE_SENDT in beskeder(svar)
    assert Henvisning.objects.count() == 1


def test_a_resent_citizen_registration_registers_one_citizen(pilot, klient):
    sagsbehandler = klient(pilot.sagsbehandler)
    action = reverse("borgere:opret")
    noegle = engangsnoegle(sagsbehandler, action, action)
    data = {
        "cpr": "010190-1234",
        "fornavn": "Anna",
        "efternavn": "Jensen",
        "adresse": "Vejen 1",
        "postnummer": "2635",
        "by": "Ishøj",
        "telefon": "12345678",
        "forsoergelsesgrundlag": str(lav_borger(pilot, "Bo").forsoergelsesgrundlag_id),
        "forretningsidee": "Cykelværksted",
        "indsendelse": noegle,
    }

    foerste, anden = send_to_gange(sagsbehandler, action, data)

    assert_sendt_til_det_foerste(foerste, anden)
    assert Borger.objects.filter(fornavn="Anna").count() == 1
    # Not "the CPR number is already registered": the second sending is the same registration.
    assert foerste["Location"] == reverse(
        "borgere:detalje", args=[Borger.objects.get(fornavn="Anna").pk]
    )


def test_a_resent_document_upload_stores_one_document(pilot, klient):
    borger = lav_borger(pilot)
    sagsbehandler = klient(pilot.sagsbehandler)
    action = reverse("borgere:dokument_upload", args=[borger.pk])
    noegle = engangsnoegle(sagsbehandler, reverse("borgere:detalje", args=[borger.pk]), action)
    felter = {"type": Dokument._meta.get_field("type").choices[0][0]}

    foerste = sagsbehandler.post(
        action, felter | {"indsendelse": noegle, "fil": upload("plan.pdf", PDF)}
    )
    anden = sagsbehandler.post(
        action, felter | {"indsendelse": noegle, "fil": upload("plan.pdf", PDF)}
    )

    assert_sendt_til_det_foerste(foerste, anden)
    assert Dokument.objects.count() == 1


def test_a_resent_session_creates_one_session(pilot, klient):
    forloeb = indskriv(pilot, aktivitetsaftale(pilot), "Anna")
    medarbejder = klient(pilot.forloebsmedarbejder)
    action = reverse("forloeb:aktivitet_opret")
    noegle = engangsnoegle(medarbejder, action, action)

    foerste, anden = send_to_gange(
        medarbejder, action, aktivitet_data(pilot, forloeb) | {"indsendelse": noegle}
    )

    assert_sendt_til_det_foerste(foerste, anden)
    assert Aktivitet.objects.count() == 1


def test_a_resent_referral_refers_once(pilot, klient):
    borger = lav_borger(pilot)
    aftale = lav_pladsaftale(pilot)
    sagsbehandler = klient(pilot.sagsbehandler)
    action = reverse("visitation:henvisning_opret", args=[borger.pk])
    noegle = engangsnoegle(sagsbehandler, action, action)
    data = {
        "pladsaftale": aftale.pk,
        "forsoergelsesgrundlag": borger.forsoergelsesgrundlag_id,
        "forretningsidee": "Cykelværksted",
        "motivation": "Stor",
        "vurdering": "God",
        "indsendelse": noegle,
    }

    foerste, anden = send_to_gange(sagsbehandler, action, data)

    assert_sendt_til_det_foerste(foerste, anden)
    assert Henvisning.objects.count() == 1


IDAG = datetime.date(2026, 10, 1)


def test_a_resent_loan_application_registers_one_application(pilot, klient):
    forloeb = forloeb_paa_faste_dage(pilot)
    with paa(IDAG):
        medarbejder = klient(pilot.forloebsmedarbejder)
        action = reverse("laan:ansoeg", args=[forloeb.pk])
        noegle = engangsnoegle(
            medarbejder, reverse("laan:forloeb", args=[forloeb.pk]), action, "ansoeg-indsendelse"
        )
        data = {
            "ansoeg-beloeb": "12.500,00",
            "ansoeg-formaal": "Kaffevogn",
            "ansoeg-budget": "Kaffemaskine 9.000 kr., vogn 3.500 kr.",
            "ansoeg-loebetid": "24",
            "ansoeg-afdragsfri": "2",
            "ansoeg-indsendelse": noegle,
        }

        foerste, anden = send_to_gange(medarbejder, action, data)

    assert_sendt_til_det_foerste(foerste, anden)
    assert Laan.objects.count() == 1


def test_a_resent_payment_is_registered_once(pilot, klient):
    forloeb = forloeb_paa_faste_dage(pilot)
    laan = udbetalt_laan(
        pilot, forloeb, Decimal("10000.00"), dato=datetime.date(2026, 7, 20), loebetid=4
    )
    with paa(IDAG):
        medarbejder = klient(pilot.forloebsmedarbejder)
        action = reverse("laan:indbetaling", args=[laan.pk])
        noegle = engangsnoegle(
            medarbejder,
            reverse("laan:detalje", args=[laan.pk]),
            action,
            "indbetaling-indsendelse",
        )
        data = {
            "indbetaling-dato": "2026-09-01",
            "indbetaling-beloeb": "1.250,50",
            "indbetaling-indsendelse": noegle,
        }

        foerste, anden = send_to_gange(medarbejder, action, data)

    assert_sendt_til_det_foerste(foerste, anden)
    assert Indbetaling.objects.count() == 1
