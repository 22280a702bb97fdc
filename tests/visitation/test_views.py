import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from forloeb.models import Forloeb
from forloeb.services.indskrivning import visitation_underskriv
from mikrolaan.revision.models import AdgangsLog
from tests.byg.sager import VURDERINGER, henvis, lav_borger, lav_pladsaftale, optag, visiter
from visitation.models import Henvisning, VentelistePlads, Visitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot)


def vurdering(**felter) -> dict:
    """The visitation form's answers, met today: the meeting cannot be before the referral."""
    return VURDERINGER | {"moededato": timezone.localdate().isoformat()} | felter


def test_caseworker_refers_a_citizen_through_the_form(client, pilot, aftale):
    borger = lav_borger(pilot)
    client.force_login(pilot.sagsbehandler)
    url = reverse("visitation:henvisning_opret", args=[borger.pk])

    side = client.get(url)
    assert side.status_code == 200
    assert side.context["form"].initial["forretningsidee"] == "Cykelværksted"

    svar = client.post(
        url,
        {
            "pladsaftale": aftale.pk,
            "forsoergelsesgrundlag": borger.forsoergelsesgrundlag_id,
            "forretningsidee": "Cykelværksted",
            "motivation": "Stor",
            "vurdering": "God",
        },
    )
    henvisning = Henvisning.objects.get()
    assert svar.status_code == 302
    assert svar["Location"] == reverse("visitation:detalje", args=[henvisning.pk])


def test_an_empty_referral_form_gives_danish_errors_and_saves_nothing(client, pilot, aftale):
    borger = lav_borger(pilot)
    client.force_login(pilot.sagsbehandler)

    svar = client.post(reverse("visitation:henvisning_opret", args=[borger.pk]), {})

    assert svar.status_code == 200
    assert "Dette felt er påkrævet." in svar.content.decode()
    assert not Henvisning.objects.exists()


def test_course_staff_cannot_refer(client, pilot, aftale):
    henvisning = henvis(pilot, aftale)  # now Næstved's staff may see the citizen
    client.force_login(pilot.forloebsmedarbejder)
    url = reverse("visitation:henvisning_opret", args=[henvisning.borger_id])
    assert client.get(url).status_code == 403


def test_the_visitation_form_requires_a_reason_for_rejection(client, pilot, aftale):
    henvisning = henvis(pilot, aftale)
    client.force_login(pilot.forloebsmedarbejder)
    data = vurdering(beslutning="afvist", afvisningsgrund="")

    svar = client.post(reverse("visitation:visitation_opret", args=[henvisning.pk]), data)

    assert svar.status_code == 200
    assert "Skriv en begrundelse for afvisningen." in svar.content.decode()
    assert not Visitation.objects.exists()


def test_a_citizen_who_cannot_complete_the_programme_cannot_be_admitted(client, pilot, aftale):
    henvisning = henvis(pilot, aftale)
    client.force_login(pilot.forloebsmedarbejder)
    data = vurdering(kan_gennemfoere="nej", beslutning="optaget")

    svar = client.post(reverse("visitation:visitation_opret", args=[henvisning.pk]), data)

    assert "ikke vil kunne gennemføre" in svar.content.decode()
    assert not Visitation.objects.exists()


def test_both_parties_sign_through_the_pages_and_the_citizen_is_admitted(client, pilot, aftale):
    henvisning = henvis(pilot, aftale)
    client.force_login(pilot.forloebsmedarbejder)
    svar = client.post(
        reverse("visitation:visitation_opret", args=[henvisning.pk]),
        vurdering(beslutning="optaget"),
    )
    assert svar.status_code == 302
    visitation = Visitation.objects.get()

    # Næstved has signed by recording; the page no longer offers Næstved a signature.
    side = client.get(reverse("visitation:detalje", args=[henvisning.pk]))
    assert side.context["kan_underskrive"] is False

    client.force_login(pilot.sagsbehandler)
    side = client.get(reverse("visitation:detalje", args=[henvisning.pk]))
    assert side.context["kan_underskrive"] is True
    svar = client.post(reverse("forloeb:underskriv", args=[visitation.pk]), follow=True)

    assert "borgeren er indskrevet" in svar.content.decode()
    assert Forloeb.objects.get().borger == henvisning.borger


def test_signing_twice_through_the_page_shows_a_danish_error(client, pilot, aftale):
    visitation = visiter(pilot, henvis(pilot, aftale))
    client.force_login(pilot.forloebsmedarbejder)

    svar = client.post(reverse("forloeb:underskriv", args=[visitation.pk]), follow=True)

    assert "Du har allerede underskrevet" in svar.content.decode()
    assert visitation.underskrifter.count() == 1


def test_the_referral_page_is_access_logged(client, pilot, aftale):
    henvisning = henvis(pilot, aftale)
    client.force_login(pilot.forloebsmedarbejder)
    client.get(reverse("visitation:detalje", args=[henvisning.pk]))

    log = AdgangsLog.objects.get(handling=AdgangsLog.Handling.VIS)
    assert (log.bruger, log.objekt_id) == (pilot.forloebsmedarbejder, str(henvisning.pk))


def test_an_outsider_gets_404_for_the_referral_and_the_agreement(client, pilot, aftale):
    henvisning = henvis(pilot, aftale)
    client.force_login(pilot.fremmed)
    assert client.get(reverse("visitation:detalje", args=[henvisning.pk])).status_code == 404
    assert client.get(reverse("visitation:pladsaftale", args=[aftale.pk])).status_code == 404


def test_the_agreement_page_shows_occupancy_and_the_waiting_list(client, pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    optag(pilot, aftale, lav_borger(pilot, "Anna"))
    bo = lav_borger(pilot, "Bo")
    optag(pilot, aftale, bo)
    client.force_login(pilot.erhvervschef)

    side = client.get(reverse("visitation:pladsaftale", args=[aftale.pk]))
    html = side.content.decode()

    assert "1 af 1 pladser i brug" in html
    assert [p.henvisning.borger.fornavn for p in side.context["venteliste"]] == ["Bo"]
    # The Erhvervschef sees names but may not admit, and never sees a CPR number.
    assert "Bo Jensen" in html
    assert side.context["kan_indskrive"] is False
    assert bo.cpr[:6] not in html  # not even masked


def _lav_sager(pilot, aftale, antal):
    for i in range(antal):
        henvis(pilot, aftale, lav_borger(pilot, f"Borger{i}"))


@pytest.mark.parametrize("antal", [2, 12])
def test_referral_list_query_count_does_not_grow(
    client, pilot, aftale, antal, django_assert_num_queries
):
    _lav_sager(pilot, aftale, antal)
    client.force_login(pilot.forloebsmedarbejder)
    # 1 session, 2 user with organisation, 3 roles, 4 count, 5 page of referrals, 6 the page's
    # citizens, 7 their agreements, 8 their jobcentres (each one IN query for the page's rows),
    # 9 unread notifications for the bell.
    with django_assert_num_queries(9):
        svar = client.get(reverse("visitation:henvisninger"))
    assert len(svar.context["side"].object_list) == antal


@pytest.mark.parametrize("antal", [1, 6])
def test_agreement_page_query_count_does_not_grow(client, pilot, antal, django_assert_num_queries):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    for i in range(antal):
        optag(pilot, aftale, lav_borger(pilot, f"Borger{i}"))
    client.force_login(pilot.forloebsmedarbejder)
    # 1 session, 2 user with organisation, 3 roles, 4 agreement with occupancy (two subqueries),
    # 5 waiting list with positions, referrals and the names the user may see, 6 the referrals
    # holding the places with those names, 7 bell.
    with django_assert_num_queries(7):
        client.get(reverse("visitation:pladsaftale", args=[aftale.pk]))


@pytest.mark.parametrize("antal", [1, 5])
def test_referral_detail_query_count_does_not_grow_with_other_cases(
    client, pilot, aftale, antal, django_assert_num_queries
):
    _lav_sager(pilot, aftale, antal)
    henvisning = Henvisning.objects.first()
    visiter(pilot, henvisning)
    client.force_login(pilot.sagsbehandler)
    ContentType.objects.get_for_model(Henvisning)  # cached per process; warm it for a fixed count
    # 1 session, 2 user with organisation, 3 roles, 4 referral with everything joined,
    # 5 signatures with users and organisations, 6 access log insert, 7 the referral's
    # corrections, 8 whether the jobcenter has a colleague to hand the case to (none here), 9 bell.
    with django_assert_num_queries(9):
        client.get(reverse("visitation:detalje", args=[henvisning.pk]))


def test_an_outsider_cannot_sign_or_admit_by_posting(client, pilot):
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    optag(pilot, aftale)
    henvisning = henvis(pilot, aftale, lav_borger(pilot, "Bo"))
    visitation = visiter(pilot, henvisning)
    visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    plads = VentelistePlads.objects.get(henvisning=henvisning)
    for bruger in (pilot.fremmed, pilot.erhvervschef, pilot.administrator):
        client.force_login(bruger)
        assert client.post(reverse("forloeb:indskriv", args=[plads.pk])).status_code == 404
    ny = visiter(pilot, henvis(pilot, aftale, lav_borger(pilot, "Carl")))
    for bruger in (pilot.fremmed, pilot.erhvervschef, pilot.administrator):
        client.force_login(bruger)
        assert client.post(reverse("forloeb:underskriv", args=[ny.pk])).status_code == 404
    assert ny.underskrifter.count() == 1
    assert Forloeb.objects.count() == 1


def test_the_places_in_use_are_shown_a_page_at_a_time(client, pilot, monkeypatch):
    # One place a page instead of 25, so two admitted citizens make two pages.
    monkeypatch.setattr("visitation.views.PR_SIDE", 1)
    aftale = lav_pladsaftale(pilot, antal_pladser=2)
    optag(pilot, aftale, lav_borger(pilot, "Anna"))
    optag(pilot, aftale, lav_borger(pilot, "Bo"))
    client.force_login(pilot.erhvervschef)
    url = reverse("visitation:pladsaftale", args=[aftale.pk])

    foerste, anden = client.get(url), client.get(url, {"side": 2})

    assert [h["navn"] for h in foerste.context["optagne"]] == ["Anna Jensen"]
    assert [h["navn"] for h in anden.context["optagne"]] == ["Bo Jensen"]
    assert "2 af 2 pladser i brug" in anden.content.decode()
    assert "Side 2 af 2" in anden.content.decode()
