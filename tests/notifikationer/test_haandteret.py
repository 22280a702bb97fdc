"""Handled notifications: `marker_haandteret`, the bell that counts only what is still open, the
list that shows handled rows as such, and the partial indexes scale needs."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from mikrolaan.notifikationer.context_processors import Klokke
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from mikrolaan.notifikationer.services import marker_haandteret, marker_laest
from tests.byg.fabrikker import BrugerFactory, NotifikationFactory

LINK = "/visitation/henvisninger/7/"


@pytest.fixture
def modtagere(db):
    return BrugerFactory(username="ida"), BrugerFactory(username="ole")


def _ny(modtager, link=LINK, haendelse=Haendelse.UNDERSKRIFT_AFVENTER, **felter):
    return NotifikationFactory(modtager=modtager, link=link, haendelse=haendelse, **felter)


def test_the_open_notifications_pointing_at_the_page_are_marked_handled(modtagere):
    ida, ole = modtagere
    a, b = _ny(ida), _ny(ole)
    anden_side = _ny(ida, link="/visitation/henvisninger/8/")

    assert marker_haandteret(link=LINK) == 2

    for n in (a, b, anden_side):
        n.refresh_from_db()
    assert a.haandteret is not None and b.haandteret is not None
    assert anden_side.haandteret is None


def test_a_handled_notification_keeps_its_first_time_and_a_second_call_changes_nothing(
    modtagere,
):
    ida, _ole = modtagere
    n = _ny(ida)
    marker_haandteret(link=LINK)
    n.refresh_from_db()
    foerste = n.haandteret

    assert marker_haandteret(link=LINK) == 0
    n.refresh_from_db()
    assert n.haandteret == foerste


def test_kinds_key_and_recipients_narrow_what_is_marked(modtagere):
    ida, ole = modtagere
    underskrift = _ny(ida)
    nyhed = _ny(ida, haendelse=Haendelse.INDSKREVET)
    paamindelse = _ny(ida, haendelse=Haendelse.PAAMINDELSE, noegle="paamindelse:fase:3:2026-12-01")
    opfoelgning_1 = _ny(ida, haendelse=Haendelse.PAAMINDELSE, noegle="paamindelse:opfoelgning:1")
    opfoelgning_12 = _ny(ida, haendelse=Haendelse.PAAMINDELSE, noegle="paamindelse:opfoelgning:12")
    oles = _ny(ole)

    assert marker_haandteret(
        link=LINK, haendelser=[Haendelse.UNDERSKRIFT_AFVENTER], modtagere=[ida]
    )
    assert marker_haandteret(link=LINK, noegle_start="paamindelse:fase") == 1
    # An exact key: follow-up 1 is not follow-up 12.
    assert marker_haandteret(link=LINK, noegle="paamindelse:opfoelgning:1") == 1

    for n in (underskrift, nyhed, paamindelse, opfoelgning_1, opfoelgning_12, oles):
        n.refresh_from_db()
    assert underskrift.haandteret and paamindelse.haandteret and opfoelgning_1.haandteret
    assert nyhed.haandteret is None
    assert opfoelgning_12.haandteret is None
    assert oles.haandteret is None


def test_a_link_outside_mikrolaan_or_no_link_is_refused(modtagere):
    with pytest.raises(ValueError):
        marker_haandteret(link="https://example.com/")
    with pytest.raises(ValueError):
        marker_haandteret(link="")


def test_a_rolled_back_piece_of_work_leaves_its_notification_open(modtagere):
    ida, _ole = modtagere
    n = _ny(ida)

    with pytest.raises(RuntimeError), transaction.atomic():
        marker_haandteret(link=LINK)
        raise RuntimeError("the service's work failed after marking")

    n.refresh_from_db()
    assert n.haandteret is None


def test_the_bell_counts_notifications_that_are_unread_and_not_handled(modtagere):
    ida, _ole = modtagere
    _ny(ida)
    _ny(ida, link="/forloeb/3/")
    marker_laest(notifikation=_ny(ida, link="/forloeb/4/"))
    assert Klokke(ida).ulaeste == 2

    marker_haandteret(link=LINK)

    assert Klokke(ida).ulaeste == 1


def test_the_bell_is_one_query(modtagere, django_assert_num_queries):
    ida, _ole = modtagere
    _ny(ida)
    klokke = Klokke(ida)
    # One COUNT over the user's open rows; read twice, asked once.
    with django_assert_num_queries(1):
        assert klokke.ulaeste == 1
        assert klokke.ulaeste == 1


def test_the_list_shows_a_handled_notification_as_handled_and_not_as_unread(modtagere, klient):
    ida, _ole = modtagere
    _ny(ida, emne="Visitation afventer underskrift: Anna Jensen")
    marker_haandteret(link=LINK)

    html = klient(ida).get(reverse("notifikationer:liste")).content.decode()

    assert "Håndteret" in html
    assert "Ulæst" not in html
    assert "Visitation afventer underskrift: Anna Jensen" in html


def test_the_open_row_index_is_partial_on_unread_and_unhandled_rows_of_a_recipient():
    indekser = {i.name: i for i in Notifikation._meta.indexes}
    aaben = indekser["notifikation_aaben_idx"]
    assert aaben.fields == ["modtager"]
    assert dict(aaben.condition.children) == {"laest__isnull": True, "haandteret__isnull": True}
    link = indekser["notifikation_link_idx"]
    assert link.fields == ["link"]
    assert dict(link.condition.children) == {"haandteret__isnull": True}


def test_the_open_row_index_exists_in_the_database(db):
    with connection.cursor() as cursor:
        navne = {
            navn
            for navn, info in connection.introspection.get_constraints(
                cursor, Notifikation._meta.db_table
            ).items()
            if info["index"]
        }
    assert {"notifikation_aaben_idx", "notifikation_link_idx"} <= navne
