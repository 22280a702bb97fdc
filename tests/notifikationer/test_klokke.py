"""The bell in the navbar: unread count, accessible name, one query per page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.byg.fabrikker import NotifikationFactory


def test_the_bell_names_the_unread_count_for_screen_readers(client, pilot):
    NotifikationFactory.create_batch(3, modtager=pilot.erhvervschef)
    NotifikationFactory(modtager=pilot.erhvervschef, laest="2026-11-27T10:00:00+01:00")
    NotifikationFactory(modtager=pilot.sagsbehandler)
    client.force_login(pilot.erhvervschef)

    indhold = client.get(reverse("forside")).content.decode()

    assert 'aria-label="Notifikationer, 3 ulæste"' in indhold
    assert f'href="{reverse("notifikationer:liste")}"' in indhold


def test_the_bell_says_one_unread_in_the_singular(client, pilot):
    NotifikationFactory(modtager=pilot.erhvervschef)
    client.force_login(pilot.erhvervschef)
    assert 'aria-label="Notifikationer, 1 ulæst"' in client.get(reverse("forside")).content.decode()


def test_the_bell_without_unread_notifications_shows_no_badge(client, pilot):
    client.force_login(pilot.erhvervschef)
    indhold = client.get(reverse("forside")).content.decode()
    assert 'aria-label="Notifikationer, 0 ulæste"' in indhold
    assert "badge rounded-pill" not in indhold


def test_the_bell_counts_unread_notifications_with_one_query_per_page(client, pilot):
    NotifikationFactory.create_batch(5, modtager=pilot.erhvervschef)
    client.force_login(pilot.erhvervschef)

    # The list page reads the count twice (bell and "mark all read"); it is queried once.
    with CaptureQueriesContext(connection) as forespoergsler:
        client.get(reverse("notifikationer:liste"))

    optaellinger = [
        q["sql"]
        for q in forespoergsler.captured_queries
        if "COUNT(*)" in q["sql"] and '"laest" IS NULL' in q["sql"]
    ]
    assert len(optaellinger) == 1


def test_anonymous_pages_have_no_bell(client, db):
    indhold = client.get(reverse("konti:log_ind")).content.decode()
    assert "Notifikationer," not in indhold
