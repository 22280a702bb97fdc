"""The programme page (forloeb:detalje) and its action endpoints: access per role, what each role
sees, the forms' Danish errors, and a query count that does not grow with sessions."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from forloeb.models import (
    Aktivitet,
    Deltagelse,
    Faseforlaengelse,
    Forloeb,
    Opfoelgning,
    Overgangsvurdering,
    Udskrivning,
)
from mikrolaan.revision.models import AdgangsLog
from tests.byg.sager import (
    CVR,
    OVERGANGSVURDERING,
    PERIODE_2025_2027,
    SKIFTE,
    START,
    faser,
    forlaeng,
    grundlag,
    lav_forloeb,
    lav_pladsaftale,
    registrer_fremmoede,
    til_hovedforloeb,
    udskriv,
)
from tests.byg.tid import DAG, paa

pytestmark = pytest.mark.django_db

IDAG = START + 20 * DAG


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, **PERIODE_2025_2027)  # the tests are set around START


@pytest.fixture
def forloeb(pilot, aftale) -> Forloeb:
    return lav_forloeb(pilot, aftale, startdato=START)


def url(navn, forloeb) -> str:
    return reverse(f"forloeb:{navn}", args=[forloeb.pk])


def hent(client, bruger, adresse, idag=IDAG):
    # Logged in on the travelled-to day, so the session has not expired there.
    with paa(idag):
        client.force_login(bruger)
        return client.get(adresse)


def send(client, bruger, adresse, data, idag=IDAG):
    with paa(idag):
        client.force_login(bruger)
        return client.post(adresse, data)


def overgang_data(**felter) -> dict:
    data = {f"overgang-{k}": "on" for k, v in OVERGANGSVURDERING.items() if v is True}
    data["overgang-anbefaling"] = OVERGANGSVURDERING["anbefaling"]
    data["overgang-begrundelse"] = OVERGANGSVURDERING["begrundelse"]
    return data | {f"overgang-{k}": v for k, v in felter.items()}


def udskriv_data(**felter) -> dict:
    data = {
        "dato": IDAG.isoformat(),
        "aarsag": Udskrivning.Aarsag.JOB,
        "cvr": "",
        "forsoergelse_efter": grundlag("Selvforsørgende").pk,
        "note": "",
    } | felter
    return {f"udskriv-{k}": v for k, v in data.items()}


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rolle", "status"),
    [
        ("sagsbehandler", 200),
        ("forloebsmedarbejder", 200),
        ("erhvervschef", 404),
        ("administrator", 404),
        ("fremmed", 404),
    ],
)
def test_the_page_is_for_the_cases_organisations_only(client, pilot, forloeb, rolle, status):
    assert hent(client, getattr(pilot, rolle), url("detalje", forloeb)).status_code == status


def test_an_anonymous_visitor_is_sent_to_the_login(client, forloeb):
    svar = client.get(url("detalje", forloeb))
    assert svar.status_code == 302
    assert svar["Location"].startswith(reverse("konti:log_ind"))


@pytest.mark.parametrize("navn", ["hovedforloeb", "forlaeng", "udskriv"])
@pytest.mark.parametrize("rolle", ["erhvervschef", "administrator", "fremmed"])
def test_outsiders_posting_an_action_get_404_and_nothing_changes(
    client, pilot, forloeb, navn, rolle
):
    svar = send(client, getattr(pilot, rolle), url(navn, forloeb), udskriv_data())

    assert svar.status_code == 404
    forloeb.refresh_from_db()
    assert forloeb.status == Forloeb.Status.OPKVALIFICERING


@pytest.mark.parametrize("navn", ["hovedforloeb", "forlaeng", "udskriv"])
def test_a_caseworker_may_see_the_programme_but_not_run_it(client, pilot, forloeb, navn):
    data = overgang_data() | udskriv_data()
    assert send(client, pilot.sagsbehandler, url(navn, forloeb), data).status_code == 403
    assert not Udskrivning.objects.exists()
    assert not Overgangsvurdering.objects.exists()


def test_the_page_is_access_logged(client, pilot, forloeb):
    hent(client, pilot.sagsbehandler, url("detalje", forloeb))

    log = AdgangsLog.objects.get()
    assert (log.bruger, log.handling) == (pilot.sagsbehandler, AdgangsLog.Handling.VIS)
    assert log.objekt_type == ContentType.objects.get_for_model(Forloeb)
    assert log.objekt_id == str(forloeb.pk)


def test_the_citizen_page_links_to_the_programme(client, pilot, forloeb):
    # In the case section, which the citizen page loads from the overview (oversigt:sag).
    svar = hent(client, pilot.sagsbehandler, reverse("oversigt:sag", args=[forloeb.borger_id]))
    assert f'href="{url("detalje", forloeb)}"' in svar.content.decode()


# --- What each role sees ---------------------------------------------------------------------


def test_course_staff_see_phases_progress_and_their_three_actions(client, pilot, forloeb):
    forlaeng(pilot, faser(forloeb)["opkvalificering"], SKIFTE + 14 * DAG, "Sygdom i foråret.")

    svar = hent(client, pilot.forloebsmedarbejder, url("detalje", forloeb))

    html = svar.content.decode()
    assert "Mikrolånsforløb for Anna Jensen" in html
    assert "15.01.2026–29.07.2026" in html  # the qualifying phase, extended
    assert "Fra 15.07.2026 til 29.07.2026" in html
    assert "Sygdom i foråret." in html
    assert "0 af 6 elementer gennemført" in html
    for handling in ("hovedforloeb", "forlaeng", "udskriv"):
        assert f'action="{url(handling, forloeb)}"' in html


def test_the_caseworker_sees_the_programme_without_the_course_staffs_actions(
    client, pilot, forloeb
):
    html = hent(client, pilot.sagsbehandler, url("detalje", forloeb)).content.decode()

    assert "Mikrolånsforløb for Anna Jensen" in html
    for handling in ("hovedforloeb", "forlaeng", "udskriv"):
        assert url(handling, forloeb) not in html


def test_the_transition_form_is_only_offered_in_the_qualifying_phase(client, pilot, forloeb):
    til_hovedforloeb(pilot, forloeb, SKIFTE)

    html = hent(client, pilot.forloebsmedarbejder, url("detalje", forloeb), idag=SKIFTE)
    html = html.content.decode()

    assert url("hovedforloeb", forloeb) not in html
    assert url("udskriv", forloeb) in html
    assert OVERGANGSVURDERING["anbefaling"] in html  # the recorded assessment is shown


def test_the_checklist_is_ticked_in_advance_from_attendance(client, pilot, forloeb):
    for type_ in (Aktivitet.Type.REGNSKAB, Aktivitet.Type.MOMS):
        registrer_fremmoede(pilot, forloeb, Deltagelse.Status.DELTOG, type=type_)
    registrer_fremmoede(pilot, forloeb, Deltagelse.Status.UDEBLEV, type=Aktivitet.Type.SKAT)

    svar = hent(client, pilot.forloebsmedarbejder, url("detalje", forloeb))

    initial = svar.context["overgang_form"].initial
    assert (initial["regnskab"], initial["moms"], initial["skat"]) == (True, True, False)
    html = svar.content.decode()
    assert "2 af 6 elementer gennemført" in html
    assert "67 %" in html


def test_no_actions_on_an_ended_programme(client, pilot, forloeb):
    udskriv(pilot, forloeb, dato=START + 5 * DAG)

    html = hent(client, pilot.forloebsmedarbejder, url("detalje", forloeb)).content.decode()

    assert 'id="handlinger"' not in html
    assert "Udskrivning" in html


def test_the_caseworker_gets_a_form_for_each_follow_up_that_is_due(client, pilot, forloeb):
    udskriv(pilot, forloeb, dato=START + 5 * DAG)  # follow-ups due 20.04, 20.07 and 20.01.2027
    opfoelgninger = list(Opfoelgning.objects.order_by("maaneder"))

    svar = hent(
        client, pilot.sagsbehandler, url("detalje", forloeb), idag=START + 5 * DAG + 200 * DAG
    )

    html = svar.content.decode()
    assert reverse("forloeb:opfoelgning", args=[opfoelgninger[0].pk]) in html
    assert reverse("forloeb:opfoelgning", args=[opfoelgninger[1].pk]) in html
    assert reverse("forloeb:opfoelgning", args=[opfoelgninger[2].pk]) not in html
    assert html.count("Overskredet") == 2
    # Course staff see the follow-ups, not the forms.
    html = hent(
        client, pilot.forloebsmedarbejder, url("detalje", forloeb), idag=START + 205 * DAG
    ).content.decode()
    assert reverse("forloeb:opfoelgning", args=[opfoelgninger[0].pk]) not in html


# --- The actions through the forms -----------------------------------------------------------


def test_course_staff_move_the_citizen_through_the_form(client, pilot, forloeb):
    svar = send(client, pilot.forloebsmedarbejder, url("hovedforloeb", forloeb), overgang_data())

    assert svar.status_code == 302
    assert svar["Location"] == url("detalje", forloeb)
    forloeb.refresh_from_db()
    assert forloeb.status == Forloeb.Status.HOVEDFORLOEB
    vurdering = forloeb.overgangsvurdering
    assert (vurdering.regnskab, vurdering.skat) == (True, False)


def test_a_transition_without_recommendation_gives_a_danish_error(client, pilot, forloeb):
    data = overgang_data(anbefaling="")

    svar = send(client, pilot.forloebsmedarbejder, url("hovedforloeb", forloeb), data)

    assert svar.status_code == 200
    assert "Skriv en anbefaling." in svar.content.decode()
    assert not Overgangsvurdering.objects.exists()


def test_moving_a_programme_a_second_time_shows_the_refusal_in_danish(client, pilot, forloeb):
    # A second tab posting the move again: the refused transition is shown on the form, no error.
    til_hovedforloeb(pilot, forloeb, SKIFTE)
    adresse = url("hovedforloeb", forloeb)

    svar = send(client, pilot.forloebsmedarbejder, adresse, overgang_data(), idag=SKIFTE + DAG)

    assert svar.status_code == 200
    assert "Et forløb kan ikke gå fra Hovedforløb til Hovedforløb." in svar.content.decode()
    assert Overgangsvurdering.objects.count() == 1


def test_an_extension_without_reason_is_refused_by_the_form(client, pilot, forloeb):
    data = {"forlaeng-ny_slut": (SKIFTE + 30 * DAG).isoformat(), "forlaeng-begrundelse": " "}

    svar = send(client, pilot.forloebsmedarbejder, url("forlaeng", forloeb), data)

    assert svar.status_code == 200
    assert "Skriv en begrundelse for forlængelsen." in svar.content.decode()
    assert not Faseforlaengelse.objects.exists()


def test_course_staff_extend_the_current_phase_through_the_form(client, pilot, forloeb):
    data = {
        "forlaeng-ny_slut": (SKIFTE + 30 * DAG).isoformat(),
        "forlaeng-begrundelse": "Forretningsplanen mangler budget.",
    }

    svar = send(client, pilot.forloebsmedarbejder, url("forlaeng", forloeb), data)

    assert svar.status_code == 302
    assert faser(forloeb)["opkvalificering"].planlagt_slut == SKIFTE + 30 * DAG


@pytest.mark.parametrize(
    ("felter", "besked"),
    [
        ({"aarsag": ""}, "Vælg en årsag til udskrivningen."),
        ({"aarsag": Udskrivning.Aarsag.EGEN_VIRKSOMHED, "cvr": "12345678"}, "Ugyldigt CVR-nummer."),
        (
            {"aarsag": Udskrivning.Aarsag.EGEN_VIRKSOMHED, "cvr": CVR},
            "kan ikke udskrives som gennemført",
        ),
        ({"dato": (IDAG + DAG).isoformat()}, "Udskrivningsdatoen kan ikke ligge i fremtiden."),
        ({"forsoergelse_efter": ""}, "Vælg borgerens forsørgelsesgrundlag efter udskrivningen."),
    ],
)
def test_a_refused_discharge_re_renders_with_a_danish_error_and_saves_nothing(
    client, pilot, forloeb, felter, besked
):
    svar = send(client, pilot.forloebsmedarbejder, url("udskriv", forloeb), udskriv_data(**felter))

    assert svar.status_code == 200
    html = svar.content.decode()
    assert besked in html
    assert "Handlingen blev ikke gemt" in html
    assert not Udskrivning.objects.exists()
    forloeb.refresh_from_db()
    assert forloeb.status == Forloeb.Status.OPKVALIFICERING


def test_course_staff_discharge_through_the_form(client, pilot, forloeb):
    svar = send(client, pilot.forloebsmedarbejder, url("udskriv", forloeb), udskriv_data())

    assert svar.status_code == 302
    forloeb.refresh_from_db()
    assert forloeb.status == Forloeb.Status.AFBRUDT
    assert forloeb.udskrivning.aarsag == Udskrivning.Aarsag.JOB


def test_the_caseworker_records_a_follow_up_through_the_form(client, pilot, forloeb):
    udskriv(pilot, forloeb, dato=START + 5 * DAG)
    opfoelgning = Opfoelgning.objects.get(maaneder=3)
    adresse = reverse("forloeb:opfoelgning", args=[opfoelgning.pk])
    prefix = f"opfoelgning-{opfoelgning.pk}"
    data = {f"{prefix}-selvforsoergende": "nej", f"{prefix}-forsoergelsesgrundlag": ""}
    idag = opfoelgning.forfalder

    svar = send(client, pilot.sagsbehandler, adresse, data, idag=idag)
    assert svar.status_code == 200
    assert "Vælg borgerens forsørgelsesgrundlag." in svar.content.decode()

    data[f"{prefix}-forsoergelsesgrundlag"] = grundlag("Dagpenge").pk
    svar = send(client, pilot.sagsbehandler, adresse, data, idag=idag)
    assert svar.status_code == 302
    opfoelgning.refresh_from_db()
    assert (opfoelgning.selvforsoergende, opfoelgning.forsoergelsesgrundlag.navn) == (
        False,
        "Dagpenge",
    )


@pytest.mark.parametrize(
    ("rolle", "status"),
    [("forloebsmedarbejder", 403), ("erhvervschef", 404), ("administrator", 404), ("fremmed", 404)],
)
def test_only_the_caseworker_may_post_a_follow_up(client, pilot, forloeb, rolle, status):
    udskriv(pilot, forloeb, dato=START + 5 * DAG)
    opfoelgning = Opfoelgning.objects.get(maaneder=3)
    prefix = f"opfoelgning-{opfoelgning.pk}"
    data = {
        f"{prefix}-selvforsoergende": "ja",
        f"{prefix}-forsoergelsesgrundlag": grundlag("Dagpenge").pk,
    }

    svar = send(
        client,
        getattr(pilot, rolle),
        reverse("forloeb:opfoelgning", args=[opfoelgning.pk]),
        data,
        idag=opfoelgning.forfalder,
    )

    assert svar.status_code == status
    opfoelgning.refresh_from_db()
    assert opfoelgning.registreret is None


# --- Query count -----------------------------------------------------------------------------


# The programme page for course staff, in the qualifying phase, with all four forms:
#  1. the session
#  2. the user
#  3. the user's roles (Bruger.roller, once a request)
#  4. the programme with citizen, agreement, referral, assessment, discharge and responsible
#     course staff member (one JOIN)
#  5. its phases (prefetch)
#  6. the phases' extensions with their authors (prefetch)
#  7. its follow-ups with their means of support and authors (prefetch)
#  8. its corrections with their people and annulled discharges (prefetch)
#  9. INSERT the access log row
# 10. fremdrift(): the attendance grouped by session type
# 11. fremdrift(): the key figures (Forloeb.objects.med_noegletal) for the at-risk flag
# 12. the means of support for the discharge form (read once for every form on the page)
# 13. the provider's course staff for the reassignment form
# 14. the bell's unread count
FORLOEBSMEDARBEJDER_FORESPOERGSLER = 14


@pytest.mark.parametrize("antal", [0, 12])
def test_the_page_makes_the_same_queries_however_many_sessions(
    client, pilot, forloeb, django_assert_num_queries, antal
):
    for i in range(antal):
        registrer_fremmoede(
            pilot,
            forloeb,
            [Deltagelse.Status.DELTOG, Deltagelse.Status.UDEBLEV][i % 2],
            type=list(Aktivitet.Type)[i % 6],
            dato=START + i * DAG,
        )
    forlaeng(pilot, faser(forloeb)["opkvalificering"], SKIFTE + 5 * DAG)
    adresse = url("detalje", forloeb)
    hent(client, pilot.forloebsmedarbejder, adresse)  # warms the content-type cache

    with paa(IDAG), django_assert_num_queries(FORLOEBSMEDARBEJDER_FORESPOERGSLER):
        svar = client.get(adresse)

    assert svar.status_code == 200
    assert svar.context["fremdrift"].fremmoedeprocent == (50 if antal else None)


# The caseworker's page of a discharged programme with all three follow-ups due: the queries above
# but the course staff list (13); query 12 (the means of support) is read once and serves all
# three forms.
SAGSBEHANDLER_FORESPOERGSLER = 13


def test_the_follow_up_forms_share_one_read_of_the_means_of_support(
    client, pilot, forloeb, django_assert_num_queries
):
    for type_ in list(Aktivitet.Type)[:6]:
        registrer_fremmoede(pilot, forloeb, Deltagelse.Status.DELTOG, type=type_)
    udskriv(pilot, forloeb, dato=START + 5 * DAG)
    adresse = url("detalje", forloeb)
    idag = datetime.date(2027, 2, 1)  # all three follow-ups are due
    hent(client, pilot.sagsbehandler, adresse, idag=idag)

    with paa(idag), django_assert_num_queries(SAGSBEHANDLER_FORESPOERGSLER):
        svar = client.get(adresse)

    assert svar.content.decode().count("Registrer opfølgning efter") == 3
