"""The loan's actions, each a POST to its own URL: done, it redirects to the loan page with a
Danish message (POST-redirect-GET); refused by the service, the page comes back with the error on
the action's form and nothing saved; refused by the rules, 403; outside the case, 404.

The standard loan: 10,000 kr. over 4 months without grace, paid out on Monday 20 July 2026
(instalments of 2,500 kr. from 20.08.2026); the actions happen on IDAG.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from laan.models import Afdrag, Indbetaling, Laan, Sagsgang
from laan.views.faelles import HANDLINGER
from tests.byg.laan import (
    ansoegt_laan,
    bevilget_laan,
    forloeb_paa_faste_dage,
    indbetal,
    udbetalt_laan,
)
from tests.byg.tid import paa

UDBETALT = datetime.date(2026, 7, 20)
PLAN = {"loebetid": 4, "afdragsfri": 0}
IDAG = datetime.date(2026, 10, 1)


@pytest.fixture
def forloeb(pilot):
    return forloeb_paa_faste_dage(pilot)


@pytest.fixture
def ansoegt(pilot, forloeb) -> Laan:
    return ansoegt_laan(pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, **PLAN)


@pytest.fixture
def bevilget(pilot, forloeb) -> Laan:
    return bevilget_laan(pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, **PLAN)


@pytest.fixture
def udbetalt(pilot, forloeb) -> Laan:
    return udbetalt_laan(pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, **PLAN)


def send(klient, bruger, navn: str, laan: Laan, data: dict | None = None, *args, idag=IDAG):
    with paa(idag):
        return klient(bruger).post(reverse(f"laan:{navn}", args=[laan.pk, *args]), data or {})


def besked(svar) -> list[str]:
    return [str(m) for m in get_messages(svar.wsgi_request)]


def gik_til_laanet(svar, laan) -> bool:
    return svar.status_code == 302 and svar["Location"] == reverse("laan:detalje", args=[laan.pk])


def status(laan) -> str:
    return Laan.objects.get(pk=laan.pk).status


# --- Approve, refuse, undo ---------------------------------------------------------------------


def test_a_caseworker_approves_an_application(pilot, klient, ansoegt):
    svar = send(klient, pilot.sagsbehandler, "bevilg", ansoegt)

    assert gik_til_laanet(svar, ansoegt)
    assert besked(svar) == ["Lånet er bevilget. Forløbsmedarbejderen har fået besked."]
    ansoegt.refresh_from_db()
    assert (ansoegt.status, ansoegt.bevilget_af) == (Laan.Status.BEVILGET, pilot.sagsbehandler)


def test_course_staff_cannot_approve_the_application_they_registered(pilot, klient, ansoegt):
    assert send(klient, pilot.forloebsmedarbejder, "bevilg", ansoegt).status_code == 403
    assert status(ansoegt) == Laan.Status.ANSOEGT


@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
def test_outside_the_case_the_loan_does_not_exist(pilot, klient, ansoegt, rolle):
    for navn in ("bevilg", "afslaa", "traek_tilbage"):
        assert send(klient, getattr(pilot, rolle), navn, ansoegt).status_code == 404
    assert status(ansoegt) == Laan.Status.ANSOEGT


def test_an_approval_past_the_programmes_ceiling_is_refused_on_the_form(pilot, klient, forloeb):
    # Two applications of 30,000 kr. each fit alone; together they pass 50,000 kr.
    foerste = ansoegt_laan(pilot, forloeb, Decimal("30000.00"), dato=UDBETALT)
    anden = ansoegt_laan(pilot, forloeb, Decimal("30000.00"), dato=UDBETALT)
    assert gik_til_laanet(send(klient, pilot.sagsbehandler, "bevilg", foerste), foerste)

    svar = send(klient, pilot.sagsbehandler, "bevilg", anden)

    assert svar.status_code == 200
    form = next(f for h, f in svar.context["handlinger"] if h.navn == "bevilg")
    assert "tilsammen højst være 50.000 kr." in " ".join(form.errors["__all__"])
    assert "Handlingen blev ikke gemt" in svar.content.decode()
    assert status(anden) == Laan.Status.ANSOEGT


def test_approving_twice_is_refused_by_the_transition_table(pilot, klient, bevilget):
    svar = send(klient, pilot.sagsbehandler, "bevilg", bevilget)

    assert svar.status_code == 200
    fejl = next(f for h, f in svar.context["handlinger"] if h.navn == "bevilg")
    assert fejl.non_field_errors() == ["Et lån kan ikke gå fra Bevilget til Bevilget."]
    assert Sagsgang.objects.filter(laan=bevilget, til_status=Laan.Status.BEVILGET).count() == 1


def test_a_refusal_needs_a_reason(pilot, klient, ansoegt):
    svar = send(klient, pilot.sagsbehandler, "afslaa", ansoegt, {"afslaa-begrundelse": " "})

    assert svar.status_code == 200
    fejl = next(f for h, f in svar.context["handlinger"] if h.navn == "afslaa")
    assert fejl.errors["begrundelse"] == ["Skriv en begrundelse."]
    assert status(ansoegt) == Laan.Status.ANSOEGT

    svar = send(
        klient,
        pilot.sagsbehandler,
        "afslaa",
        ansoegt,
        {"afslaa-begrundelse": "Budgettet hænger ikke sammen."},
    )
    assert gik_til_laanet(svar, ansoegt)
    assert besked(svar) == ["Ansøgningen er afslået."]
    assert ansoegt.sagsgange.last().begrundelse == "Budgettet hænger ikke sammen."


def test_course_staff_may_not_refuse(pilot, klient, ansoegt):
    svar = send(klient, pilot.forloebsmedarbejder, "afslaa", ansoegt, {"afslaa-begrundelse": "x"})
    assert svar.status_code == 403
    assert status(ansoegt) == Laan.Status.ANSOEGT


def test_an_approval_is_undone_with_a_reason(pilot, klient, bevilget):
    svar = send(klient, pilot.sagsbehandler, "fortryd", bevilget, {"fortryd-begrundelse": ""})
    assert svar.status_code == 200
    assert status(bevilget) == Laan.Status.BEVILGET

    svar = send(
        klient, pilot.sagsbehandler, "fortryd", bevilget, {"fortryd-begrundelse": "Forkert beløb"}
    )
    assert gik_til_laanet(svar, bevilget)
    assert besked(svar) == ["Bevillingen er fortrudt. Ansøgningen afventer en ny afgørelse."]
    assert status(bevilget) == Laan.Status.ANSOEGT
    assert send(klient, pilot.forloebsmedarbejder, "fortryd", bevilget).status_code == 403


# --- Withdraw, disburse ------------------------------------------------------------------------


def test_course_staff_withdraw_an_application(pilot, klient, ansoegt):
    assert send(klient, pilot.sagsbehandler, "traek_tilbage", ansoegt).status_code == 403

    svar = send(klient, pilot.forloebsmedarbejder, "traek_tilbage", ansoegt)

    assert gik_til_laanet(svar, ansoegt)
    assert besked(svar) == ["Ansøgningen er trukket tilbage."]
    assert status(ansoegt) == Laan.Status.TILBAGETRUKKET


def test_course_staff_disburse_and_the_plan_is_made(pilot, klient, bevilget):
    svar = send(
        klient, pilot.forloebsmedarbejder, "udbetal", bevilget, {"udbetal-dato": "2026-09-01"}
    )

    assert gik_til_laanet(svar, bevilget)
    assert besked(svar) == [
        "Udbetalingen den 01.09.2026 er registreret, og afdragsplanen er lavet."
    ]
    bevilget.refresh_from_db()
    assert (bevilget.status, bevilget.udbetalt_dato) == (
        Laan.Status.UDBETALT,
        datetime.date(2026, 9, 1),
    )
    assert Afdrag.objects.filter(laan=bevilget).count() == 4


@pytest.mark.parametrize(
    ("dato", "fejl"),
    [
        ("2026-10-02", "Udbetalingsdatoen kan ikke ligge i fremtiden."),
        ("2026-07-19", "Lånet kan ikke være udbetalt, før det blev bevilget (20.07.2026)."),
        ("", "Angiv udbetalingsdatoen."),
    ],
)
def test_an_impossible_disbursement_date_is_refused_and_nothing_saved(
    pilot, klient, bevilget, dato, fejl
):
    svar = send(klient, pilot.forloebsmedarbejder, "udbetal", bevilget, {"udbetal-dato": dato})

    assert svar.status_code == 200
    form = next(f for h, f in svar.context["handlinger"] if h.navn == "udbetal")
    assert form.errors["dato"] == [fejl]
    assert status(bevilget) == Laan.Status.BEVILGET
    assert not Afdrag.objects.filter(laan=bevilget).exists()


def test_a_caseworker_does_not_disburse(pilot, klient, bevilget):
    svar = send(klient, pilot.sagsbehandler, "udbetal", bevilget, {"udbetal-dato": "2026-09-01"})
    assert svar.status_code == 403
    assert status(bevilget) == Laan.Status.BEVILGET


# --- Payments ----------------------------------------------------------------------------------


def test_course_staff_register_a_payment_in_danish_kroner(pilot, klient, udbetalt):
    data = {
        "indbetaling-dato": "2026-09-01",
        "indbetaling-beloeb": "1.250,50",
        "indbetaling-reference": "Bankoverførsel",
    }
    svar = send(klient, pilot.forloebsmedarbejder, "indbetaling", udbetalt, data)

    assert gik_til_laanet(svar, udbetalt)
    assert besked(svar) == ["Indbetalingen på 1.250,50 kr. er registreret."]
    indbetaling = Indbetaling.objects.get()
    assert (indbetaling.beloeb, indbetaling.reference) == (Decimal("1250.50"), "Bankoverførsel")
    assert udbetalt.afdrag.get(nummer=1).betalt == Decimal("1250.50")


def test_the_payment_that_repays_the_loan_says_so(pilot, klient, udbetalt):
    data = {"indbetaling-dato": "2026-09-01", "indbetaling-beloeb": "10.000"}
    svar = send(klient, pilot.forloebsmedarbejder, "indbetaling", udbetalt, data)

    assert besked(svar) == [
        "Indbetalingen på 10.000 kr. er registreret. Lånet er nu betalt helt tilbage."
    ]
    assert status(udbetalt) == Laan.Status.INDFRIET


@pytest.mark.parametrize(
    ("beloeb", "fejl"),
    [
        ("12.50", "Skriv beløbet i kroner, fx 12.500 eller 12.500,50."),
        ("0", "Beløbet skal være større end 0 kr."),
        ("10.000,01", "er større end restgælden på 10.000 kr."),
    ],
)
def test_a_wrong_payment_amount_is_refused_and_nothing_saved(pilot, klient, udbetalt, beloeb, fejl):
    data = {"indbetaling-dato": "2026-09-01", "indbetaling-beloeb": beloeb}
    svar = send(klient, pilot.forloebsmedarbejder, "indbetaling", udbetalt, data)

    assert svar.status_code == 200
    form = next(f for h, f in svar.context["handlinger"] if h.navn == "indbetaling")
    assert fejl in " ".join(form.errors["beloeb"])
    assert not Indbetaling.objects.exists()


def test_a_caseworker_does_not_register_payments(pilot, klient, udbetalt):
    data = {"indbetaling-dato": "2026-09-01", "indbetaling-beloeb": "100"}
    assert send(klient, pilot.sagsbehandler, "indbetaling", udbetalt, data).status_code == 403
    assert send(klient, pilot.fremmed, "indbetaling", udbetalt, data).status_code == 404
    assert not Indbetaling.objects.exists()


def test_a_payment_is_reversed_with_a_reason_and_kept(pilot, klient, udbetalt):
    indbetaling = indbetal(pilot, udbetalt, "1000.00", datetime.date(2026, 9, 1))
    navn, felt = "tilbagefoer", f"tilbagefoer-{indbetaling.pk}-begrundelse"

    svar = send(klient, pilot.forloebsmedarbejder, navn, udbetalt, {felt: ""}, indbetaling.pk)
    assert svar.status_code == 200
    indbetaling.refresh_from_db()
    assert indbetaling.er_gyldig
    assert b"Skriv en begrundelse." in svar.content

    assert (
        send(klient, pilot.sagsbehandler, navn, udbetalt, {felt: "x"}, indbetaling.pk).status_code
        == 403
    )

    svar = send(
        klient, pilot.forloebsmedarbejder, navn, udbetalt, {felt: "Forkert lån"}, indbetaling.pk
    )
    assert gik_til_laanet(svar, udbetalt)
    assert besked(svar) == [
        "Indbetalingen på 1.000 kr. er tilbageført, og fordelingen på afdragene er regnet om."
    ]
    indbetaling.refresh_from_db()
    assert not indbetaling.er_gyldig and indbetaling.tilbagefoert_begrundelse == "Forkert lån"
    assert udbetalt.afdrag.get(nummer=1).betalt == 0


def test_a_payment_of_another_loan_cannot_be_reversed_through_this_one(pilot, klient, forloeb):
    et = udbetalt_laan(pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, **PLAN)
    andet = udbetalt_laan(pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, **PLAN)
    indbetaling = indbetal(pilot, andet, "1000.00", datetime.date(2026, 9, 1))

    svar = send(
        klient,
        pilot.forloebsmedarbejder,
        "tilbagefoer",
        et,
        {f"tilbagefoer-{indbetaling.pk}-begrundelse": "x"},
        indbetaling.pk,
    )

    assert svar.status_code == 404
    indbetaling.refresh_from_db()
    assert indbetaling.er_gyldig


# --- Write-off (four eyes) ---------------------------------------------------------------------


def test_a_write_off_is_proposed_by_one_and_approved_by_another(pilot, klient, udbetalt):
    data = {"indstil_afskrivning-begrundelse": "Virksomheden er lukket."}
    svar = send(klient, pilot.forloebsmedarbejder, "indstil_afskrivning", udbetalt, data)
    assert gik_til_laanet(svar, udbetalt)
    assert besked(svar) == [
        "Afskrivningen er indstillet. En anden sagsbehandler skal godkende den."
    ]

    assert send(klient, pilot.forloebsmedarbejder, "afskriv", udbetalt).status_code == 403
    svar = send(klient, pilot.sagsbehandler, "afskriv", udbetalt)

    assert gik_til_laanet(svar, udbetalt)
    assert besked(svar) == ["Restgælden er afskrevet."]
    assert status(udbetalt) == Laan.Status.AFSKREVET


def test_the_caseworker_who_proposed_the_write_off_cannot_approve_it(pilot, klient, udbetalt):
    data = {"indstil_afskrivning-begrundelse": "Borgeren er udvandret."}
    assert gik_til_laanet(
        send(klient, pilot.sagsbehandler, "indstil_afskrivning", udbetalt, data), udbetalt
    )

    assert send(klient, pilot.sagsbehandler, "afskriv", udbetalt).status_code == 403
    assert status(udbetalt) == Laan.Status.UDBETALT


def test_a_write_off_proposal_needs_a_reason(pilot, klient, udbetalt):
    svar = send(
        klient,
        pilot.forloebsmedarbejder,
        "indstil_afskrivning",
        udbetalt,
        {"indstil_afskrivning-begrundelse": ""},
    )
    assert svar.status_code == 200
    udbetalt.refresh_from_db()
    assert udbetalt.afskrivning_indstillet is None


def test_a_get_is_refused_on_every_action(pilot, klient, udbetalt):
    for navn in ("bevilg", "udbetal", "indbetaling", "afskriv"):
        svar = klient(pilot.sagsbehandler).get(reverse(f"laan:{navn}", args=[udbetalt.pk]))
        assert svar.status_code == 405


@pytest.mark.parametrize("navn", list(HANDLINGER))
@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
def test_every_action_answers_404_outside_the_case(pilot, klient, forloeb, navn, rolle):
    laan = {
        "bevilg": ansoegt_laan,
        "afslaa": ansoegt_laan,
        "traek_tilbage": ansoegt_laan,
        "fortryd": bevilget_laan,
        "udbetal": bevilget_laan,
    }.get(navn, udbetalt_laan)(pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, **PLAN)
    foer = (laan.status, laan.sagsgange.count(), Indbetaling.objects.count())

    svar = send(klient, getattr(pilot, rolle), navn, laan, {f"{navn}-begrundelse": "x"})

    assert svar.status_code == 404
    assert (status(laan), laan.sagsgange.count(), Indbetaling.objects.count()) == foer


def test_reversing_a_payment_answers_404_outside_the_case(pilot, klient, udbetalt):
    indbetaling = indbetal(pilot, udbetalt, "1000.00", datetime.date(2026, 9, 1))
    data = {f"tilbagefoer-{indbetaling.pk}-begrundelse": "x"}

    svar = send(klient, pilot.fremmed, "tilbagefoer", udbetalt, data, indbetaling.pk)

    assert svar.status_code == 404
    indbetaling.refresh_from_db()
    assert indbetaling.er_gyldig
