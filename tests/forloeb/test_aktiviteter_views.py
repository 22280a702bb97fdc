"""The session pages: list, create form, session with attendance, and the attendance POST."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forloeb.aktiviteter.kalender import nyt_kalenderlink
from forloeb.models import Aktivitet, Deltagelse, Forloeb
from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.revision.models import AdgangsLog
from tests.byg.aktiviteter import (
    I_OPKVALIFICERING,
    START_FOER,
    aktivitetsaftale,
    indskriv,
    opret_aktivitet,
)
from tests.byg.fabrikker import AktivitetFactory, BrugerFactory, OrganisationFactory
from tests.byg.sager import til_status
from tests.byg.tid import DAG

HTMX = {"HTTP_HX_REQUEST": "true"}
OPRET = reverse("forloeb:aktivitet_opret")
LISTE = reverse("forloeb:aktiviteter")


@pytest.fixture
def aftale(pilot):
    return aktivitetsaftale(pilot)


@pytest.fixture
def medarbejder(pilot) -> Client:
    klient = Client()
    klient.force_login(pilot.forloebsmedarbejder)
    return klient


def opret_data(pilot, deltagere, **felter) -> dict:
    return {
        "dato": I_OPKVALIFICERING.isoformat(),
        "starttid": "10:00",
        "varighed": "90",
        "form": "gruppe",
        "type": "regnskab",
        "sted": "Jobhuset, Næstved",
        "medarbejder": str(pilot.forloebsmedarbejder.pk),
        "beskrivelse": "",
        "deltagere": [str(f.pk) for f in deltagere],
    } | felter


def lav_session(pilot, aftale, antal: int) -> Aktivitet:
    return opret_aktivitet(pilot, [indskriv(pilot, aftale, f"Borger{i}") for i in range(antal)])


# --- Create ------------------------------------------------------------------------------------


def test_a_group_session_for_ten_is_created_in_one_post_with_ten_attendances(
    pilot, aftale, medarbejder
):
    deltagere = [indskriv(pilot, aftale, f"Borger{i}") for i in range(10)]

    svar = medarbejder.post(OPRET, opret_data(pilot, deltagere))

    aktivitet = Aktivitet.objects.get()
    assert svar.status_code == 302
    assert svar["Location"] == reverse("forloeb:aktivitet", args=[aktivitet.pk])
    assert aktivitet.form == "gruppe"
    assert aktivitet.organisation == pilot.naestved
    assert sorted(aktivitet.deltagelser.values_list("forloeb_id", flat=True)) == sorted(
        f.pk for f in deltagere
    )
    assert set(aktivitet.deltagelser.values_list("status", flat=True)) == {"deltog"}
    side = medarbejder.get(svar["Location"])
    assert "Aktiviteten er oprettet med 10 deltagere" in side.content.decode()


def test_the_form_offers_the_active_programmes_of_the_users_organisation(
    pilot, aftale, medarbejder
):
    aktiv = indskriv(pilot, aftale, "Anna")
    til_status(pilot, indskriv(pilot, aftale, "Bo"), Forloeb.Status.AFSLUTTET)

    svar = medarbejder.get(OPRET)

    html = svar.content.decode()
    assert [f.pk for f in svar.context["form"].mulige_deltagere] == [aktiv.pk]
    assert "Anna Jensen" in html
    assert "Bo Jensen" not in html
    assert "<legend" in html
    # The staff member defaults to the user, among the organisation's course staff.
    assert svar.context["form"]["medarbejder"].value() == pilot.forloebsmedarbejder.pk


def test_the_type_choices_follow_the_chosen_participants_phase(pilot, aftale, medarbejder):
    opkval = indskriv(pilot, aftale, "Anna")
    hoved = indskriv(pilot, aftale, "Bo", START_FOER)
    dato = I_OPKVALIFICERING.isoformat()

    kun_opkval = medarbejder.get(OPRET, {"dato": dato, "deltagere": [opkval.pk]}, **HTMX)
    kun_hoved = medarbejder.get(OPRET, {"dato": dato, "deltagere": [hoved.pk]}, **HTMX)
    ingen = medarbejder.get(OPRET, {"dato": dato}, **HTMX)

    assert "Undervisning i regnskab" in kun_opkval.content.decode()
    assert "Kollektiv kursusdag" not in kun_opkval.content.decode()
    assert "Kollektiv kursusdag" in kun_hoved.content.decode()
    assert "Undervisning i regnskab" not in kun_hoved.content.decode()
    for svar in (kun_opkval, kun_hoved, ingen):
        # Only the field: it replaces the content of the box, which stays (and keeps its request).
        assert 'id="id_type"' in svar.content.decode()
        assert 'id="type-felt"' not in svar.content.decode()
        assert "<form" not in svar.content.decode()
        assert "påkrævet" not in svar.content.decode()
    assert "Kollektiv kursusdag" in ingen.content.decode()
    assert "Undervisning i regnskab" in ingen.content.decode()


def test_a_type_the_phase_does_not_offer_is_shown_as_an_error_and_nothing_is_saved(
    pilot, aftale, medarbejder
):
    opkval = indskriv(pilot, aftale, "Anna")

    svar = medarbejder.post(OPRET, opret_data(pilot, [opkval], type="kursusdag"))

    assert svar.status_code == 200
    assert " ".join(svar.context["form"].errors["type"]) == (
        "»Kollektiv kursusdag« passer kun til deltagere i hovedforløbet; "
        "Anna Jensen er i det opkvalificerende forløb den 15.04.2026."
    )
    assert "passer kun til deltagere i hovedforløbet" in svar.content.decode()
    assert not Aktivitet.objects.exists()
    # The re-shown form offers the qualifying phase's types only, with the participant ticked.
    assert "Kollektiv kursusdag" not in str(svar.context["form"]["type"])
    assert svar.context["form"].valgte_deltagere() == {str(opkval.pk)}


def test_a_date_outside_the_programme_is_shown_on_the_date_field(pilot, aftale, medarbejder):
    forloeb = indskriv(pilot, aftale, "Anna")

    svar = medarbejder.post(OPRET, opret_data(pilot, [forloeb], dato="2026-03-01"))

    assert "Datoen ligger før forløbet for Anna Jensen" in " ".join(
        svar.context["form"].errors["dato"]
    )
    assert not Aktivitet.objects.exists()


def test_a_form_without_participants_says_so(pilot, aftale, medarbejder):
    indskriv(pilot, aftale, "Anna")

    svar = medarbejder.post(OPRET, opret_data(pilot, []))

    assert svar.context["form"].errors["deltagere"] == ["Vælg mindst én deltager."]
    assert 'aria-describedby="deltagere-fejl"' in svar.content.decode()
    assert not Aktivitet.objects.exists()


def test_a_programme_of_another_provider_cannot_be_posted_into_the_form(pilot, aftale, medarbejder):
    fremmed = BrugerFactory(
        organisation=OrganisationFactory(navn="Holbæk Kommune", type=Organisation.Type.KOMMUNE),
        rolle=Rolle.FORLOEBSMEDARBEJDER,
    )
    klient = Client()
    klient.force_login(fremmed)
    forloeb = indskriv(pilot, aftale, "Anna")

    svar = klient.post(OPRET, opret_data(pilot, [forloeb], medarbejder=str(fremmed.pk)))

    assert svar.status_code == 200
    assert "deltagere" in svar.context["form"].errors
    assert not Aktivitet.objects.exists()


# --- Session page and attendance ---------------------------------------------------------------


def test_the_session_page_shows_attendance_with_pressed_buttons_and_logs_the_read(
    pilot, aftale, medarbejder
):
    aktivitet = lav_session(pilot, aftale, 2)

    svar = medarbejder.get(reverse("forloeb:aktivitet", args=[aktivitet.pk]))

    html = svar.content.decode()
    assert svar.status_code == 200
    assert html.count('aria-pressed="true"') == 2
    assert html.count('aria-pressed="false"') == 4
    assert html.count('aria-live="polite"') >= 2
    assert "Borger0 Jensen" in html
    assert AdgangsLog.objects.filter(
        bruger=pilot.forloebsmedarbejder,
        handling=AdgangsLog.Handling.VIS,
        objekt_type=ContentType.objects.get_for_model(Aktivitet),
        objekt_id=str(aktivitet.pk),
    ).exists()


def test_one_htmx_tap_sets_attendance_and_answers_just_that_row(pilot, aftale, medarbejder):
    aktivitet = lav_session(pilot, aftale, 3)
    raekke = aktivitet.deltagelser.order_by("pk")[1]
    url = reverse("forloeb:deltagelse", args=[aktivitet.pk, raekke.forloeb_id])

    svar = medarbejder.post(url, {"status": "udeblev"}, **HTMX)

    raekke.refresh_from_db()
    html = svar.content.decode()
    assert raekke.status == "udeblev"
    assert "<html" not in html
    assert "<li" not in html
    assert f'id="deltagelse-{raekke.forloeb_id}-udeblev"' in html
    assert 'aria-pressed="true">' in html
    assert "Rettet" in html
    assert html.count('aria-pressed="true"') == 1
    assert set(aktivitet.deltagelser.exclude(pk=raekke.pk).values_list("status", flat=True)) == {
        "deltog"
    }


def test_without_javascript_the_tap_redirects_back_to_the_row(pilot, aftale, medarbejder):
    aktivitet = lav_session(pilot, aftale, 1)
    raekke = aktivitet.deltagelser.get()
    url = reverse("forloeb:deltagelse", args=[aktivitet.pk, raekke.forloeb_id])

    svar = medarbejder.post(url, {"status": "afbud"})

    assert svar.status_code == 302
    assert svar["Location"] == (
        reverse("forloeb:aktivitet", args=[aktivitet.pk]) + f"#deltagelse-{raekke.forloeb_id}"
    )
    raekke.refresh_from_db()
    assert raekke.status == "afbud"


def test_a_correction_shows_rettet_with_who_and_when(pilot, aftale):
    aktivitet = lav_session(pilot, aftale, 2)
    kollega = BrugerFactory(
        organisation=pilot.naestved,
        rolle=Rolle.FORLOEBSMEDARBEJDER,
        first_name="Frida",
        last_name="Falk",
    )
    klient = Client()
    klient.force_login(kollega)
    raekke = aktivitet.deltagelser.order_by("pk").first()
    url = reverse("forloeb:deltagelse", args=[aktivitet.pk, raekke.forloeb_id])

    klient.post(url, {"status": "udeblev"}, **HTMX)
    klient.post(url, {"status": "deltog", "note": "Kom 20 min. for sent"}, **HTMX)

    raekke.refresh_from_db()
    tidspunkt = timezone.localtime(raekke.registreret).strftime("%d.%m.%Y %H:%M")
    side = klient.get(reverse("forloeb:aktivitet", args=[aktivitet.pk])).content.decode()
    assert f"Rettet {tidspunkt} af Frida Falk" in side
    assert side.count("Rettet ") == 1
    assert "Kom 20 min. for sent" in side
    aendringer = LogEntry.objects.get_for_object(raekke).filter(action=LogEntry.Action.UPDATE)
    assert [e.changes_dict["status"] for e in aendringer.order_by("timestamp", "pk")] == [
        ["deltog", "udeblev"],
        ["udeblev", "deltog"],
    ]
    assert {e.actor for e in aendringer} == {kollega}


def test_a_tap_for_a_citizen_not_on_the_session_is_refused(pilot, aftale, medarbejder):
    aktivitet = lav_session(pilot, aftale, 1)
    andet = indskriv(pilot, aftale, "Dorte")
    url = reverse("forloeb:deltagelse", args=[aktivitet.pk, andet.pk])

    uden_js = medarbejder.post(url, {"status": "deltog"}, follow=True)
    med_htmx = medarbejder.post(url, {"status": "deltog"}, **HTMX)

    assert "Dorte Jensen deltager ikke i denne aktivitet" in uden_js.content.decode()
    assert med_htmx.status_code == 404
    assert not Deltagelse.objects.filter(forloeb=andet).exists()


def test_a_tap_for_a_programme_no_longer_active_shows_the_refusal_in_the_row(
    pilot, aftale, medarbejder
):
    aktivitet = lav_session(pilot, aftale, 1)
    raekke = aktivitet.deltagelser.get()
    # Discharged for a job ten days into the qualifying phase, after the session was planned.
    til_status(pilot, raekke.forloeb, Forloeb.Status.AFBRUDT)
    url = reverse("forloeb:deltagelse", args=[aktivitet.pk, raekke.forloeb_id])

    svar = medarbejder.post(url, {"status": "udeblev"}, **HTMX)

    assert svar.status_code == 200
    assert (
        "Forløbet for Borger0 Jensen er afbrudt, så fremmødet kan ikke ændres"
        in svar.content.decode()
    )
    raekke.refresh_from_db()
    assert raekke.status == "deltog"


def test_an_invalid_status_is_refused(pilot, aftale, medarbejder):
    aktivitet = lav_session(pilot, aftale, 1)
    raekke = aktivitet.deltagelser.get()
    url = reverse("forloeb:deltagelse", args=[aktivitet.pk, raekke.forloeb_id])

    svar = medarbejder.post(url, {"status": "syg"}, **HTMX)

    assert 'role="alert"' in svar.content.decode()
    raekke.refresh_from_db()
    assert raekke.status == "deltog"


# --- Scoping -----------------------------------------------------------------------------------


def test_course_staff_of_another_organisation_get_404_for_the_session(pilot, aftale):
    aktivitet = lav_session(pilot, aftale, 1)
    raekke = aktivitet.deltagelser.get()
    holbaek = OrganisationFactory(navn="Holbæk Kommune", type=Organisation.Type.KOMMUNE)
    for bruger in (
        BrugerFactory(organisation=holbaek, rolle=Rolle.FORLOEBSMEDARBEJDER),
        pilot.sagsbehandler,
        pilot.fremmed,
    ):
        klient = Client()
        klient.force_login(bruger)
        assert klient.get(reverse("forloeb:aktivitet", args=[aktivitet.pk])).status_code == 404
        url = reverse("forloeb:deltagelse", args=[aktivitet.pk, raekke.forloeb_id])
        assert klient.post(url, {"status": "udeblev"}, **HTMX).status_code == 404
    raekke.refresh_from_db()
    assert raekke.status == "deltog"


def test_the_list_shows_only_the_organisations_sessions(pilot, medarbejder):
    idag = timezone.localdate()
    egen = AktivitetFactory(medarbejder=pilot.forloebsmedarbejder, dato=idag, sted="Næstved")
    holbaek = OrganisationFactory(navn="Holbæk Kommune", type=Organisation.Type.KOMMUNE)
    AktivitetFactory(
        medarbejder=BrugerFactory(organisation=holbaek, rolle=Rolle.FORLOEBSMEDARBEJDER),
        dato=idag,
        sted="Holbæk",
    )

    svar = medarbejder.get(LISTE)

    assert list(svar.context["side"].object_list) == [egen]


# --- The list ----------------------------------------------------------------------------------


def test_the_list_splits_upcoming_and_past_and_filters_by_type_and_dates(pilot, medarbejder):
    idag = timezone.localdate()
    dage = datetime.timedelta(days=1)
    lav = AktivitetFactory
    i_morgen = lav(medarbejder=pilot.forloebsmedarbejder, dato=idag + dage)
    i_dag = lav(medarbejder=pilot.forloebsmedarbejder, dato=idag, type="moms")
    i_gaar = lav(medarbejder=pilot.forloebsmedarbejder, dato=idag - dage)
    sidste_uge = lav(medarbejder=pilot.forloebsmedarbejder, dato=idag - 7 * dage, type="moms")

    def vist(**parametre):
        return list(medarbejder.get(LISTE, parametre).context["side"].object_list)

    assert vist() == [i_dag, i_morgen]
    assert vist(visning="afholdte") == [i_gaar, sidste_uge]
    assert vist(type="moms") == [i_dag]
    assert vist(visning="afholdte", type="moms") == [sidste_uge]
    assert vist(visning="afholdte", fra=(idag - 2 * dage).isoformat()) == [i_gaar]
    assert vist(visning="afholdte", til=(idag - 2 * dage).isoformat()) == [sidste_uge]


def test_the_list_is_paginated_and_keeps_the_filters(pilot, medarbejder):
    idag = timezone.localdate()
    for i in range(30):
        AktivitetFactory(
            medarbejder=pilot.forloebsmedarbejder, dato=idag + datetime.timedelta(days=i)
        )

    svar = medarbejder.get(LISTE, {"type": "personlig_vejledning"})

    assert len(svar.context["side"].object_list) == 25
    assert "?type=personlig_vejledning&amp;side=2" in svar.content.decode()


def test_the_list_offers_a_new_calendar_link_and_never_shows_the_current_one(pilot, medarbejder):
    token = nyt_kalenderlink(bruger=pilot.forloebsmedarbejder)

    svar = medarbejder.get(LISTE)

    html = svar.content.decode()
    assert token not in html
    assert "Du har et kalenderlink" in html
    assert f'action="{reverse("forloeb:nyt_kalenderlink")}"' in html
    assert "Ny kalenderlink" in html


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("antal", [3, 10])
def test_the_list_takes_the_same_number_of_queries_however_many_sessions_and_participants(
    pilot, medarbejder, antal, django_assert_num_queries
):
    # Upcoming group sessions, one a day from today, for citizens admitted today.
    idag = timezone.localdate()
    aftale = aktivitetsaftale(pilot, gyldig_fra=idag - 365 * DAG, gyldig_til=idag + 365 * DAG)
    deltagere = [indskriv(pilot, aftale, f"Borger{i}", idag) for i in range(antal)]
    for i in range(antal):
        opret_aktivitet(pilot, deltagere, dato=idag + i * DAG)
    medarbejder.get(LISTE)  # warm caches
    # 1 session, 2 user, 3 the user's roles, 4 count of the organisation's sessions, 5 the page of
    # sessions with their staff member and attendance counted, 6 the user's calendar link (made
    # when?), 7 unread notifications (the bell).
    with django_assert_num_queries(7):
        svar = medarbejder.get(LISTE)
    assert len(svar.context["side"].object_list) == antal
    assert svar.context["side"].object_list[0].antal_deltagere == antal


@pytest.mark.parametrize("antal", [3, 10])
def test_the_session_page_takes_the_same_number_of_queries_however_many_participants(
    pilot, aftale, medarbejder, antal, django_assert_num_queries
):
    aktivitet = lav_session(pilot, aftale, antal)
    url = reverse("forloeb:aktivitet", args=[aktivitet.pk])
    medarbejder.get(url)  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the session (scoped) with its staff member and
    # who cancelled it or registered its attendance, 5 access log insert, 6 attendance rows with
    # citizen and who registered them, 7 which rows the change history has corrections for,
    # 8 the session's corrections with who made them, 9 unread notifications (the bell).
    with django_assert_num_queries(9):
        svar = medarbejder.get(url)
    assert len(svar.context["deltagelser"]) == antal


@pytest.mark.parametrize("antal", [3, 10])
def test_an_attendance_tap_takes_the_same_number_of_queries_however_many_participants(
    pilot, aftale, medarbejder, antal, django_assert_num_queries
):
    aktivitet = lav_session(pilot, aftale, antal)
    raekker = list(aktivitet.deltagelser.order_by("pk"))
    medarbejder.post(
        reverse("forloeb:deltagelse", args=[aktivitet.pk, raekker[0].forloeb_id]),
        {"status": "afbud"},
        **HTMX,
    )  # warm caches (content types)
    url = reverse("forloeb:deltagelse", args=[aktivitet.pk, raekker[1].forloeb_id])
    # 1 session, 2 user, 3 the user's roles, 4 the session (scoped), 5 the programme (scoped)
    # with its citizen, 6 savepoint (the service's transaction), 7 the session's row locked,
    # 8 the attendance row locked, with session, programme, citizen and registrant, 9 the change
    # history reads the row as it was, 10 the change history insert, 11 the update, 12 savepoint
    # released, 13 whether the row has corrections. (The first tap, above, registered the
    # session's attendance; later taps leave that stamp alone.)
    with django_assert_num_queries(13):
        svar = medarbejder.post(url, {"status": "udeblev"}, **HTMX)
    assert svar.status_code == 200


# --- Correcting, cancelling, "Alle deltog", guests ---------------------------------------------


def test_the_correction_form_is_filled_in_and_saves_with_a_reason(pilot, aftale, medarbejder):
    aktivitet = lav_session(pilot, aftale, 2)
    url = reverse("forloeb:aktivitet_ret", args=[aktivitet.pk])

    side = medarbejder.get(url)
    svar = medarbejder.post(
        url,
        opret_data(
            pilot,
            [d.forloeb for d in aktivitet.deltagelser.all()],
            varighed="120",
            begrundelse="Dagen blev forlænget",
        ),
        follow=True,
    )

    assert side.context["form"]["sted"].value() == "Jobhuset, Næstved"
    assert side.context["form"].valgte_deltagere() == {
        str(d.forloeb_id) for d in aktivitet.deltagelser.all()
    }
    html = svar.content.decode()
    assert svar.redirect_chain == [(reverse("forloeb:aktivitet", args=[aktivitet.pk]), 302)]
    assert "Aktiviteten er rettet." in html
    assert "Varighed (minutter): 90 minutter" in html
    assert "120 minutter" in html
    assert "Begrundelse: Dagen blev forlænget" in html


def test_a_correction_without_a_reason_is_shown_on_the_form(pilot, aftale, medarbejder):
    aktivitet = lav_session(pilot, aftale, 1)

    svar = medarbejder.post(
        reverse("forloeb:aktivitet_ret", args=[aktivitet.pk]),
        opret_data(pilot, [aktivitet.deltagelser.get().forloeb], sted="Andetsteds"),
    )

    assert svar.context["form"].errors["begrundelse"] == ["Skriv, hvorfor aktiviteten rettes."]
    aktivitet.refresh_from_db()
    assert aktivitet.sted == "Jobhuset, Næstved"


def test_cancelling_from_its_page_marks_the_session_and_hides_the_attendance_buttons(
    pilot, aftale, medarbejder
):
    aktivitet = lav_session(pilot, aftale, 2)
    url = reverse("forloeb:aktivitet_aflys", args=[aktivitet.pk])

    bekraeft = medarbejder.get(url)
    svar = medarbejder.post(url, {"begrundelse": "Underviseren er syg"}, follow=True)

    assert "Aflys aktiviteten" in bekraeft.content.decode()
    html = svar.content.decode()
    assert "Aktiviteten er aflyst." in html
    assert "Begrundelse: Underviseren er syg" in html
    assert "aria-pressed" not in html
    assert "Alle deltog" not in html
    assert reverse("forloeb:aktivitet_ret", args=[aktivitet.pk]) not in html
    # A cancelled session cannot be cancelled or corrected again.
    assert medarbejder.get(url).status_code == 403
    assert medarbejder.get(reverse("forloeb:aktivitet_ret", args=[aktivitet.pk])).status_code == 403


def test_cancelling_without_a_reason_is_refused_on_the_form(pilot, aftale, medarbejder):
    aktivitet = lav_session(pilot, aftale, 1)

    svar = medarbejder.post(reverse("forloeb:aktivitet_aflys", args=[aktivitet.pk]), {})

    assert svar.context["form"].errors["begrundelse"] == ["Skriv, hvorfor aktiviteten aflyses."]
    aktivitet.refresh_from_db()
    assert not aktivitet.er_aflyst


def test_a_session_held_is_not_offered_for_cancelling(pilot, aftale, medarbejder):
    aktivitet = lav_session(pilot, aftale, 2)
    medarbejder.post(reverse("forloeb:alle_deltog", args=[aktivitet.pk]))

    side = medarbejder.get(reverse("forloeb:aktivitet", args=[aktivitet.pk])).content.decode()
    bekraeft = medarbejder.get(reverse("forloeb:aktivitet_aflys", args=[aktivitet.pk]))

    assert reverse("forloeb:aktivitet_aflys", args=[aktivitet.pk]) not in side
    assert "aktiviteten er holdt og kan ikke aflyses" in bekraeft.content.decode()
    assert "<textarea" not in bekraeft.content.decode()


def test_alle_deltog_with_htmx_answers_the_attendance_list_and_a_message(
    pilot, aftale, medarbejder
):
    aktivitet = lav_session(pilot, aftale, 3)
    side = medarbejder.get(reverse("forloeb:aktivitet", args=[aktivitet.pk])).content.decode()
    assert 'id="alle-deltog"' in side

    svar = medarbejder.post(reverse("forloeb:alle_deltog", args=[aktivitet.pk]), **HTMX)

    html = svar.content.decode()
    assert "<html" not in html
    assert html.count('aria-pressed="true"') == 3
    assert 'id="fremmoede-besked" hx-swap-oob="innerHTML"' in html
    assert "Fremmødet er registreret: alle deltog." in html
    assert "Fremmødet er registreret " in html  # the state line, with who and when
    assert 'id="alle-deltog"' not in html
    aktivitet.refresh_from_db()
    assert aktivitet.fremmoede_registreret_af == pilot.forloebsmedarbejder


def test_alle_deltog_without_javascript_redirects_to_the_attendance(pilot, aftale, medarbejder):
    aktivitet = lav_session(pilot, aftale, 2)

    svar = medarbejder.post(reverse("forloeb:alle_deltog", args=[aktivitet.pk]))

    assert svar.status_code == 302
    assert svar["Location"] == reverse("forloeb:aktivitet", args=[aktivitet.pk]) + "#fremmoede"
    aktivitet.refresh_from_db()
    assert aktivitet.fremmoede_registreret is not None


def test_the_first_tap_also_swaps_the_state_line_so_alle_deltog_is_no_longer_offered(
    pilot, aftale, medarbejder
):
    aktivitet = lav_session(pilot, aftale, 2)
    raekker = list(aktivitet.deltagelser.order_by("pk"))

    def tryk(raekke):
        url = reverse("forloeb:deltagelse", args=[aktivitet.pk, raekke.forloeb_id])
        return medarbejder.post(url, {"status": "afbud"}, **HTMX).content.decode()

    foerste, anden = tryk(raekker[0]), tryk(raekker[1])

    assert 'id="fremmoede-status" class="mb-3" hx-swap-oob="true"' in foerste
    assert "Fremmødet er registreret" in foerste
    assert "fremmoede-status" not in anden


def test_the_guests_are_shown_with_the_participants_in_the_list_and_on_the_page(pilot, medarbejder):
    idag = timezone.localdate()
    aftale = aktivitetsaftale(pilot, gyldig_fra=idag - 365 * DAG, gyldig_til=idag + 365 * DAG)
    deltagere = [indskriv(pilot, aftale, f"Borger{i}", idag) for i in range(10)]
    aktivitet = opret_aktivitet(pilot, deltagere, dato=idag + DAG, gaester=3)

    liste = medarbejder.get(LISTE).content.decode()
    side = medarbejder.get(reverse("forloeb:aktivitet", args=[aktivitet.pk])).content.decode()

    assert "10 deltagere + 3 gæster" in liste
    assert "10 deltagere + 3 gæster" in side


def test_guests_are_entered_on_the_form(pilot, aftale, medarbejder):
    deltagere = [indskriv(pilot, aftale, f"Borger{i}") for i in range(2)]

    medarbejder.post(OPRET, opret_data(pilot, deltagere, gaester="3"))
    medarbejder.post(OPRET, opret_data(pilot, deltagere, gaester=""))

    assert sorted(Aktivitet.objects.values_list("gaester", flat=True)) == [0, 3]


def test_the_type_field_explains_which_types_fit_whom_for_mixed_phases(pilot, aftale, medarbejder):
    opkval = indskriv(pilot, aftale, "Anna")
    hoved = indskriv(pilot, aftale, "Bo", START_FOER)
    dato = I_OPKVALIFICERING.isoformat()

    felt = medarbejder.get(OPRET, {"dato": dato, "deltagere": [opkval.pk, hoved.pk]}, **HTMX)
    sendt = medarbejder.post(OPRET, opret_data(pilot, [opkval, hoved], type=""))

    forklaring = "Anna Jensen er i det opkvalificerende forløb, som tilbyder personlig vejledning"
    assert forklaring in felt.content.decode()
    assert "Bo Jensen er i hovedforløbet, som tilbyder individuel sparring" in (
        felt.content.decode()
    )
    (fejl,) = sendt.context["form"].errors["type"]
    assert fejl.startswith("Ingen type passer til alle de valgte deltagere den 15.04.2026")
    assert forklaring in fejl
    assert "påkrævet" not in sendt.content.decode()
    assert not Aktivitet.objects.exists()


def test_a_type_left_out_for_one_phase_says_choose_a_type(pilot, aftale, medarbejder):
    svar = medarbejder.post(OPRET, opret_data(pilot, [indskriv(pilot, aftale, "Anna")], type=""))

    assert svar.context["form"].errors["type"] == ["Vælg en type."]


@pytest.mark.parametrize("antal", [3, 10])
def test_a_corrected_and_cancelled_session_page_takes_the_same_number_of_queries(
    pilot, aftale, medarbejder, antal, django_assert_num_queries
):
    from forloeb.aktiviteter.services import rettelser

    aktivitet = lav_session(pilot, aftale, antal)
    for sted in ("Lokale 2", "Lokale 3"):
        rettelser.aktivitet_ret(
            bruger=pilot.forloebsmedarbejder,
            aktivitet=aktivitet,
            begrundelse="Nyt lokale",
            type=aktivitet.type,
            form=aktivitet.form,
            dato=aktivitet.dato,
            starttid=aktivitet.starttid,
            varighed=aktivitet.varighed,
            sted=sted,
            medarbejder=aktivitet.medarbejder,
            deltagere=[d.forloeb for d in aktivitet.deltagelser.all()],
        )
    rettelser.aktivitet_aflys(
        bruger=pilot.forloebsmedarbejder, aktivitet=aktivitet, begrundelse="Syg"
    )
    url = reverse("forloeb:aktivitet", args=[aktivitet.pk])
    medarbejder.get(url)  # warm caches (content types)
    # As for any session page: 1 session, 2 user, 3 roles, 4 the session (scoped) with its staff
    # member and who cancelled it, 5 access log insert, 6 attendance rows, 7 their corrections in
    # the change history, 8 the session's corrections with who made them, 9 the bell.
    with django_assert_num_queries(9):
        svar = medarbejder.get(url)
    assert len(svar.context["rettelser"]) == 2
