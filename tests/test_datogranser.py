"""Sane bounds on every date (issue 12 point 7): the year 9999 in a form or a link answered 500 on
the overview, the Erhvervschef's home page and a phase extension, and was accepted as a visitation
meeting. Every `DatoFelt` keeps dates between 2000 and ten years ahead with a Danish error, an
invalid period in a link falls back to the default period with a Danish message, and a phase lasts
at most two years with its extensions."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from forloeb.models import Aktivitet, Fase, Faseforlaengelse
from forloeb.services.faser import forlaeng_fase
from mikrolaan.formularer import DatoFelt
from tests.byg.sager import PERIODE_2025_2027, START, faser, lav_forloeb, lav_pladsaftale
from tests.byg.tid import DAG, paa
from visitation.models import Visitation

pytestmark = pytest.mark.django_db

IDAG = datetime.date(2026, 3, 1)
GRAENSEFEJL = "Datoen skal ligge mellem 01.01.2000 og 01.03.2036. Tjek årstallet."
PERIODEFEJL = "Perioden kunne ikke bruges (se feltet). Siden viser i stedet 01.01.2026–31.12.2026."


class Formular(forms.Form):
    dato = DatoFelt(label="Dato")


def _fejl(vaerdi: str) -> dict:
    formular = Formular({"dato": vaerdi})
    formular.is_valid()
    return formular.errors


# --- The field ----------------------------------------------------------------------------------


@pytest.mark.parametrize("vaerdi", ["01.01.2000", "01.03.2036", "2026-03-01"])
def test_dates_from_2000_to_ten_years_ahead_are_accepted(vaerdi):
    with paa(IDAG):
        assert _fejl(vaerdi) == {}


@pytest.mark.parametrize("vaerdi", ["31.12.1999", "02.03.2036", "31.12.9999", "0001-01-01"])
def test_dates_outside_the_bounds_get_a_danish_error_naming_them(vaerdi):
    with paa(IDAG):
        assert _fejl(vaerdi) == {"dato": [GRAENSEFEJL]}


# --- Period parameters: a Danish message and the default period, never a 500 ----------------

OVERSIGTER = ["forside", "oversigt:ind_og_udskrivning", "oversigt:evaluering"]


@pytest.mark.parametrize("navn", OVERSIGTER)
@pytest.mark.parametrize(
    "forespoergsel",
    ["fra=9999-12-31&til=9999-12-31", "fra=9999-12-31", "fra=01.01.0001&til=01.01.0001", "til=x"],
)
def test_an_invalid_period_shows_the_default_period_with_a_danish_message(
    pilot, klient, navn, forespoergsel
):
    with paa(IDAG):
        svar = klient(pilot.erhvervschef).get(f"{reverse(navn)}?{forespoergsel}")

    assert svar.status_code == 200
    assert [str(m) for m in svar.context["messages"]] == [PERIODEFEJL]
    assert svar.context["form"].errors  # the field says what is wrong
    periode = svar.context.get("rapport") or svar.context["oversigt"]
    assert (periode.fra, periode.til) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


@pytest.mark.parametrize("navn", ["oversigt:evaluering_pdf", "oversigt:evaluering_xlsx"])
def test_a_download_of_an_invalid_period_goes_back_to_the_page_that_says_why(pilot, klient, navn):
    forespoergsel = "fra=9999-12-31&til=9999-12-31"
    with paa(IDAG):
        svar = klient(pilot.erhvervschef).get(f"{reverse(navn)}?{forespoergsel}")

    assert svar.status_code == 302
    assert svar.url == f"{reverse('oversigt:evaluering')}?fra=9999-12-31&til=9999-12-31"


def test_a_valid_period_is_shown_without_a_message(pilot, klient):
    with paa(IDAG):
        svar = klient(pilot.erhvervschef).get(
            reverse("oversigt:ind_og_udskrivning") + "?fra=01.02.2026&til=28.02.2026"
        )

    assert list(svar.context["messages"]) == []
    assert (svar.context["oversigt"].fra, svar.context["oversigt"].til) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )


# --- Phase extensions -------------------------------------------------------------------------


@pytest.fixture
def forloeb(pilot):
    return lav_forloeb(pilot, lav_pladsaftale(pilot, **PERIODE_2025_2027), startdato=START)


def test_an_extension_to_the_year_9999_is_refused_in_danish_and_saves_nothing(
    pilot, klient, forloeb
):
    with paa(START + DAG):
        svar = klient(pilot.forloebsmedarbejder).post(
            reverse("forloeb:forlaeng", args=[forloeb.pk]),
            {"forlaeng-ny_slut": "31.12.9999", "forlaeng-begrundelse": "Mangler budget."},
        )

    assert svar.status_code == 200
    assert svar.context["forlaeng_form"].errors == {
        "ny_slut": ["Datoen skal ligge mellem 01.01.2000 og 16.01.2036. Tjek årstallet."]
    }
    assert not Faseforlaengelse.objects.exists()


def test_a_phase_may_last_at_most_two_years_with_its_extensions(pilot, forloeb):
    fase = faser(forloeb)[Fase.Type.OPKVALIFICERING]
    senest = datetime.date(2028, 1, 15)  # START + 2 years

    with paa(START + DAG), pytest.raises(ValidationError) as fejl:
        forlaeng_fase(
            bruger=pilot.forloebsmedarbejder, fase=fase, ny_slut=senest + DAG, begrundelse="Syg"
        )

    assert fejl.value.message_dict == {
        "ny_slut": [
            "En fase kan højst vare 2 år med forlængelser: den nye slutdato kan senest være "
            "15.01.2028."
        ]
    }
    assert not Faseforlaengelse.objects.exists()
    with paa(START + DAG):
        forlaeng_fase(
            bruger=pilot.forloebsmedarbejder, fase=fase, ny_slut=senest, begrundelse="Syg"
        )
    fase.refresh_from_db()
    assert fase.planlagt_slut == senest


def test_the_service_refuses_the_year_9999_without_overflowing(pilot, forloeb):
    fase = faser(forloeb)[Fase.Type.OPKVALIFICERING]

    with paa(START + DAG), pytest.raises(ValidationError) as fejl:
        forlaeng_fase(
            bruger=pilot.forloebsmedarbejder,
            fase=fase,
            ny_slut=datetime.date(9999, 12, 31),
            begrundelse="Syg",
        )

    assert list(fejl.value.message_dict) == ["ny_slut"]


# --- Other forms: the year 9999 is refused, nothing is saved ---------------------------------


def test_a_visitation_meeting_in_the_year_9999_is_refused(pilot, klient, sagsdata):
    with paa(IDAG):
        svar = klient(pilot.forloebsmedarbejder).post(
            reverse("visitation:visitation_opret", args=[sagsdata.henvisning.pk]),
            {"moededato": "31.12.9999"},
        )

    assert svar.status_code == 200
    assert GRAENSEFEJL in svar.context["form"].errors["moededato"]
    assert not Visitation.objects.exists()


def test_a_session_in_the_year_9999_is_refused(pilot, klient, forloeb):
    with paa(START + DAG):
        svar = klient(pilot.forloebsmedarbejder).post(
            reverse("forloeb:aktivitet_opret"),
            {"dato": "31.12.9999", "starttid": "10:00", "varighed": "60"},
        )

    assert svar.status_code == 200
    assert svar.context["form"].errors["dato"] == [
        "Datoen skal ligge mellem 01.01.2000 og 16.01.2036. Tjek årstallet."
    ]
    assert not Aktivitet.objects.exists()
