"""Sanity checks a caseworker expects (issue 9 point 4): a confirmation step with a reason where the
rule is a judgement (the move to the main phase before its planned end or with the checklist
incomplete), and Danish errors naming the field where a date cannot be right (a business started
before admission, a date more than a year ahead, a meeting before the referral)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forloeb import regler
from forloeb.models import Forloeb, Overgangsvurdering, Udskrivning
from forloeb.services import udskrivning as udskrivning_services
from forloeb.services.faser import TJEKPUNKTER, skift_til_hovedforloeb
from mikrolaan.datoer import datofejl
from tests.byg.sager import (
    CVR,
    OVERGANGSVURDERING,
    PERIODE_2025_2027,
    SKIFTE,
    START,
    VURDERINGER,
    grundlag,
    henvis,
    lav_forloeb,
    lav_pladsaftale,
    til_hovedforloeb,
    udskriv,
)
from tests.byg.tid import DAG, paa
from visitation.forms import VisitationForm

pytestmark = pytest.mark.django_db

# A complete checklist with a recommendation, without a confirmation.
FULDSTAENDIG = dict.fromkeys(TJEKPUNKTER, True) | {"anbefaling": OVERGANGSVURDERING["anbefaling"]}
BEKRAEFT = "Bekræft, at borgeren skal gå videre til hovedforløbet alligevel, og skriv hvorfor."


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, **PERIODE_2025_2027)  # the tests are set around START


@pytest.fixture
def forloeb(pilot, aftale) -> Forloeb:
    return lav_forloeb(pilot, aftale, startdato=START)


def skift(pilot, forloeb, dato, **vurdering):
    with paa(dato):
        skift_til_hovedforloeb(bruger=pilot.forloebsmedarbejder, forloeb=forloeb, **vurdering)
    forloeb.refresh_from_db()


# --- The move to the main phase: a confirmation with a reason ---------------------------------


def test_a_move_before_the_planned_end_is_refused_without_a_confirmation(pilot, forloeb):
    with pytest.raises(ValidationError) as fejl:
        skift(pilot, forloeb, SKIFTE - 10 * DAG, **FULDSTAENDIG)

    assert fejl.value.message_dict == {
        "bekraeftet": [
            "Det opkvalificerende forløb er planlagt til at slutte 15.07.2026, om 10 dage. "
            + BEKRAEFT
        ]
    }
    assert forloeb.status == Forloeb.Status.OPKVALIFICERING
    assert not Overgangsvurdering.objects.exists()


def test_a_move_with_the_checklist_incomplete_is_refused_without_a_confirmation(pilot, forloeb):
    vurdering = FULDSTAENDIG | {"skat": False, "forretningsplan_klar": False}

    with pytest.raises(ValidationError) as fejl:
        skift(pilot, forloeb, SKIFTE, **vurdering)

    assert fejl.value.message_dict == {
        "bekraeftet": [
            "Tjeklisten er ikke fuldstændig. Ikke opfyldt: har deltaget i undervisning i skat; "
            "forretningsplanen er klar. " + BEKRAEFT
        ]
    }
    assert not Overgangsvurdering.objects.exists()


def test_a_confirmation_needs_a_reason(pilot, forloeb):
    with pytest.raises(ValidationError) as fejl:
        skift(pilot, forloeb, SKIFTE - DAG, **FULDSTAENDIG, bekraeftet=True, begrundelse=" ")

    assert fejl.value.message_dict == {
        "begrundelse": ["Skriv, hvorfor borgeren skal gå videre til hovedforløbet nu."]
    }
    assert forloeb.status == Forloeb.Status.OPKVALIFICERING


def test_a_confirmed_move_keeps_its_reason_on_the_assessment(pilot, forloeb):
    skift(
        pilot,
        forloeb,
        SKIFTE - 10 * DAG,
        **FULDSTAENDIG,
        bekraeftet=True,
        begrundelse="Lokalet til værkstedet er ledigt fra august.",
    )

    assert forloeb.status == Forloeb.Status.HOVEDFORLOEB
    assert forloeb.overgangsvurdering.bekraeftelse == "Lokalet til værkstedet er ledigt fra august."


def test_a_move_on_time_with_the_checklist_complete_needs_no_confirmation(pilot, forloeb):
    skift(pilot, forloeb, SKIFTE, **FULDSTAENDIG)

    assert forloeb.status == Forloeb.Status.HOVEDFORLOEB
    assert forloeb.overgangsvurdering.bekraeftelse == ""


def url(navn, forloeb) -> str:
    return reverse(f"forloeb:{navn}", args=[forloeb.pk])


def overgang_data(**felter) -> dict:
    data = {f"overgang-{k}": "on" for k, v in FULDSTAENDIG.items() if v is True}
    data["overgang-anbefaling"] = FULDSTAENDIG["anbefaling"]
    return data | {f"overgang-{k}": v for k, v in felter.items()}


def test_the_page_asks_for_the_confirmation_at_once_when_the_move_would_be_early(
    client, pilot, forloeb
):
    with paa(SKIFTE - 10 * DAG):
        client.force_login(pilot.forloebsmedarbejder)
        html = client.get(url("detalje", forloeb)).content.decode()

    assert "Overgangen kræver din bekræftelse, fordi:" in html
    assert "Det opkvalificerende forløb er planlagt til at slutte 15.07.2026, om 10 dage." in html
    # No session attended yet: the checklist ticked in advance from attendance is empty.
    assert "Tjeklisten er ikke fuldstændig." in html
    assert "Jeg bekræfter, at borgeren skal gå videre til hovedforløbet alligevel" in html


def test_on_time_the_page_asks_for_the_confirmation_only_for_the_incomplete_checklist(
    client, pilot, forloeb
):
    with paa(SKIFTE + DAG):
        client.force_login(pilot.forloebsmedarbejder)
        svar = client.get(url("detalje", forloeb))

    # Nothing attended yet, so nothing is ticked in advance; the planned end has passed.
    assert svar.context["overgang_form"].advarsler == [
        "Tjeklisten er ikke fuldstændig. Ikke opfyldt: har modtaget personlig vejledning; "
        "har modtaget erhvervscoaching; har modtaget finansiel rådgivning; har deltaget i "
        "undervisning i regnskab; har deltaget i undervisning i skat; har deltaget i "
        "undervisning i moms; forretningsplanen er klar."
    ]


def test_the_form_shows_the_confirmation_step_when_the_service_asks_for_it(client, pilot, forloeb):
    with paa(SKIFTE + DAG):
        client.force_login(pilot.forloebsmedarbejder)
        svar = client.post(url("hovedforloeb", forloeb), overgang_data(skat=""))
        html = svar.content.decode()

        assert svar.status_code == 200
        assert "Overgangen kræver din bekræftelse, fordi:" in html
        assert "Ikke opfyldt: har deltaget i undervisning i skat" in html
        assert not Overgangsvurdering.objects.exists()

        data = overgang_data(skat="", bekraeftet="on", begrundelse="Skat tages i sparringen.")
        svar = client.post(url("hovedforloeb", forloeb), data)

    assert svar.status_code == 302
    assert Overgangsvurdering.objects.get().bekraeftelse == "Skat tages i sparringen."


# --- Discharge with own business: CVR and the business's start ----------------------------


def udskriv_egen(pilot, forloeb, **felter):
    with paa(SKIFTE + 20 * DAG):
        return udskrivning_services.udskriv(
            bruger=pilot.forloebsmedarbejder,
            forloeb=forloeb,
            dato=SKIFTE + 20 * DAG,
            aarsag=Udskrivning.Aarsag.EGEN_VIRKSOMHED,
            forsoergelse_efter=grundlag("Selvforsørgende"),
            **({"cvr": CVR} | felter),
        )


@pytest.mark.parametrize(
    ("startet", "besked"),
    [
        (None, "Angiv, hvornår virksomheden startede."),
        (START - DAG, "Virksomhedens startdato kan ikke ligge før forløbets start, 15.01.2026."),
        (
            datetime.date(2027, 8, 5),
            "Virksomhedens startdato kan ikke ligge mere end et år ude i fremtiden "
            "(senest 04.08.2027). Tjek årstallet.",
        ),
    ],
)
def test_a_discharge_with_own_business_needs_a_start_date_from_admission_on(
    pilot, forloeb, startet, besked
):
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    with pytest.raises(ValidationError) as fejl:
        udskriv_egen(pilot, forloeb, virksomhed_startet=startet)

    assert fejl.value.message_dict == {"virksomhed_startet": [besked]}
    assert not Udskrivning.objects.exists()


def test_a_discharge_with_own_business_keeps_its_start_date(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    udskrivning = udskriv_egen(pilot, forloeb, virksomhed_startet=START)

    assert (udskrivning.cvr, udskrivning.virksomhed_startet) == (CVR, START)


def test_the_cvr_number_is_still_required_for_own_business(pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    with pytest.raises(ValidationError) as fejl:
        udskriv_egen(pilot, forloeb, cvr="", virksomhed_startet=SKIFTE)

    assert fejl.value.message_dict == {"cvr": ["Angiv virksomhedens CVR-nummer."]}


def test_another_reason_keeps_no_business_start_date(pilot, forloeb):
    udskrivning = udskriv(pilot, forloeb, START + DAG, virksomhed_startet=START)

    assert udskrivning.virksomhed_startet is None


# --- Plausible dates, naming the field -------------------------------------------------------

IDAG = datetime.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("dato", "besked"),
    [
        (IDAG, None),
        (datetime.date(2027, 11, 27), None),  # exactly a year ahead
        (
            datetime.date(2027, 11, 28),
            "Mødedatoen kan ikke ligge mere end et år ude i fremtiden (senest 27.11.2027). "
            "Tjek årstallet.",
        ),
        (datetime.date(2026, 11, 1), None),
        (datetime.date(2026, 10, 31), "Mødedatoen kan ikke ligge før henvisningen, 01.11.2026."),
        (None, None),
    ],
)
def test_a_date_more_than_a_year_ahead_or_before_its_step_is_named_in_the_error(dato, besked):
    assert (
        datofejl(
            dato,
            felt="Mødedatoen",
            tidligst=datetime.date(2026, 11, 1),
            tidligst_hvad="henvisningen",
            idag=IDAG,
        )
        == besked
    )


def test_a_programme_date_may_not_lie_before_the_programme_began(pilot, forloeb):
    with paa(START + DAG):
        assert regler.datofejl_i_forloeb(forloeb, START, felt="Datoen") is None
        assert regler.datofejl_i_forloeb(forloeb, START - DAG, felt="Datoen") == (
            "Datoen kan ikke ligge før forløbets start, 15.01.2026."
        )


def visitation_form(dato, henvisning=None) -> VisitationForm:
    data = VURDERINGER | {"moededato": dato.isoformat(), "beslutning": "optaget"}
    return VisitationForm(data, henvisning=henvisning)


def test_the_visitation_meeting_may_not_be_more_than_a_year_ahead(pilot):
    with paa(IDAG):
        form = visitation_form(datetime.date(2028, 1, 1))
        assert not form.is_valid()

    assert form.errors["moededato"] == [
        "Mødedatoen kan ikke ligge mere end et år ude i fremtiden (senest 27.11.2027). "
        "Tjek årstallet."
    ]


def test_the_visitation_meeting_may_not_lie_before_the_referral(pilot, aftale):
    with paa(IDAG):
        henvisning = henvis(pilot, aftale)
        foer = visitation_form(IDAG - DAG, henvisning)
        samme_dag = visitation_form(IDAG, henvisning)

        assert not foer.is_valid()
        assert samme_dag.is_valid(), samme_dag.errors

    assert foer.errors["moededato"] == ["Mødedatoen kan ikke ligge før henvisningen, 27.11.2026."]
