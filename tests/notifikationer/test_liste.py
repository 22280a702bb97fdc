"""The list page "Notifikationer": own notifications only, paginated, open, mark read."""

import pytest
from django.urls import reverse

from mikrolaan.notifikationer.models import Notifikation
from mikrolaan.sider import PR_SIDE
from tests.byg.fabrikker import NotifikationFactory

LISTE = reverse("notifikationer:liste")


@pytest.fixture
def erhvervschef(client, pilot):
    client.force_login(pilot.erhvervschef)
    return pilot.erhvervschef


def test_the_list_shows_the_users_own_notifications_newest_first(client, erhvervschef, pilot):
    NotifikationFactory(modtager=erhvervschef, emne="Ældste")
    NotifikationFactory(modtager=erhvervschef, emne="Nyeste", link="/forloeb/1/")
    NotifikationFactory(modtager=pilot.sagsbehandler, emne="Sagsbehandlerens")

    svar = client.get(LISTE)

    assert svar.status_code == 200
    indhold = svar.content.decode()
    assert indhold.index("Nyeste") < indhold.index("Ældste")
    assert "Sagsbehandlerens" not in indhold
    assert "Borger indskrevet" in indhold


def test_a_notification_with_a_link_is_opened_through_the_open_view(client, erhvervschef):
    notifikation = NotifikationFactory(modtager=erhvervschef, link="/forloeb/1/")
    svar = client.get(LISTE)
    aabn = reverse("notifikationer:aabn", args=[notifikation.pk])
    assert f'href="{aabn}"' in svar.content.decode()


def test_the_list_is_paginated(client, erhvervschef):
    NotifikationFactory.create_batch(PR_SIDE + 1, modtager=erhvervschef)

    foerste = client.get(LISTE)
    anden = client.get(LISTE, {"side": 2})

    assert len(foerste.context["side"].object_list) == PR_SIDE
    assert len(anden.context["side"].object_list) == 1
    assert "Side 1 af 2" in foerste.content.decode()


@pytest.mark.parametrize("antal", [1, 3 * PR_SIDE])
def test_the_list_page_uses_the_same_number_of_queries_for_few_and_many_rows(
    client, erhvervschef, antal, django_assert_num_queries
):
    NotifikationFactory.create_batch(antal, modtager=erhvervschef, link="/forloeb/1/")
    # 1. the session
    # 2. the user with their organisation
    # 3. the paginator's count of the user's notifications
    # 4. the user's role groups (navigation)
    # 5. the bell's unread count (the page's "mark all read" reuses it)
    # 6. the page of notifications
    with django_assert_num_queries(6):
        svar = client.get(LISTE)
    assert svar.status_code == 200


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(client, erhvervschef):
    notifikation = NotifikationFactory(modtager=erhvervschef, link="/forloeb/1/")

    svar = client.get(reverse("notifikationer:aabn", args=[notifikation.pk]))

    assert svar.status_code == 302
    assert svar["Location"] == "/forloeb/1/"
    notifikation.refresh_from_db()
    assert notifikation.laest is not None


def test_opening_a_notification_without_a_link_goes_back_to_the_list(client, erhvervschef):
    notifikation = NotifikationFactory(modtager=erhvervschef, link="")
    svar = client.get(reverse("notifikationer:aabn", args=[notifikation.pk]))
    assert svar["Location"] == LISTE


def test_an_external_link_stored_in_an_old_row_is_not_followed(client, erhvervschef):
    notifikation = NotifikationFactory(modtager=erhvervschef, link="https://example.com/")
    svar = client.get(reverse("notifikationer:aabn", args=[notifikation.pk]))
    assert svar["Location"] == LISTE


def test_marking_a_notification_read_returns_to_the_same_page(client, erhvervschef):
    notifikation = NotifikationFactory(modtager=erhvervschef)

    svar = client.post(
        reverse("notifikationer:marker_laest", args=[notifikation.pk]), {"side": "2"}
    )

    assert svar.status_code == 302
    assert svar["Location"] == f"{LISTE}?side=2"
    notifikation.refresh_from_db()
    assert notifikation.laest is not None


def test_marking_read_twice_keeps_the_first_time(client, erhvervschef):
    notifikation = NotifikationFactory(modtager=erhvervschef)
    url = reverse("notifikationer:marker_laest", args=[notifikation.pk])
    client.post(url)
    notifikation.refresh_from_db()
    foerste = notifikation.laest
    client.post(url)
    notifikation.refresh_from_db()
    assert notifikation.laest == foerste


def test_marking_all_read_marks_only_the_users_own(client, erhvervschef, pilot):
    NotifikationFactory.create_batch(3, modtager=erhvervschef)
    andens = NotifikationFactory(modtager=pilot.sagsbehandler)

    svar = client.post(reverse("notifikationer:marker_alle_laest"), follow=True)

    assert not Notifikation.objects.til(erhvervschef).ulaeste().exists()
    andens.refresh_from_db()
    assert andens.laest is None
    assert "3 notifikationer er markeret som læst." in svar.content.decode()


@pytest.mark.parametrize(
    ("metode", "navn"), [("get", "notifikationer:aabn"), ("post", "notifikationer:marker_laest")]
)
def test_another_users_notification_answers_404_and_stays_unread(
    client, erhvervschef, pilot, metode, navn
):
    andens = NotifikationFactory(modtager=pilot.sagsbehandler, link="/forloeb/1/")

    svar = getattr(client, metode)(reverse(navn, args=[andens.pk]))

    assert svar.status_code == 404
    andens.refresh_from_db()
    assert andens.laest is None
