"""notificer_mange: a whole run's notifications in a constant number of queries, each key once,
each email once (issue 13)."""

import pytest
from django.db import IntegrityError, transaction

from mikrolaan.notifikationer import masse, services, tasks
from mikrolaan.notifikationer.masse import Besked, notificer_mange
from mikrolaan.notifikationer.models import Haendelse, Notifikation
from mikrolaan.notifikationer.services import gem_email_valg
from tests.byg.fabrikker import BrugerFactory, NotifikationFactory


@pytest.fixture
def samlet_koe(monkeypatch) -> list[list[int]]:
    """The id batches whose email task was published, instead of publishing them."""
    lagt_i_koe: list[list[int]] = []
    monkeypatch.setattr(tasks.send_emails, "delay", lagt_i_koe.append)
    return lagt_i_koe


def besked(nummer: int, modtagere, haendelse=Haendelse.PAAMINDELSE) -> Besked:
    return Besked(
        haendelse=haendelse,
        modtagere=modtagere,
        emne=f"Påmindelse {nummer}",
        tekst=f"Opfølgning nr. {nummer} er forfalden.",
        link=f"/borgere/{nummer}/",
        noegle=f"test:{nummer}",
    )


def test_each_recipient_of_each_message_gets_one_row(pilot):
    to = [pilot.sagsbehandler, pilot.forloebsmedarbejder]

    oprettede = notificer_mange(beskeder=[besked(1, to), besked(2, [pilot.sagsbehandler])])

    assert sorted((n.modtager_id, n.noegle) for n in oprettede) == sorted(
        [
            (pilot.sagsbehandler.pk, "test:1"),
            (pilot.forloebsmedarbejder.pk, "test:1"),
            (pilot.sagsbehandler.pk, "test:2"),
        ]
    )
    raekke = Notifikation.objects.get(modtager=pilot.forloebsmedarbejder)
    assert (raekke.emne, raekke.link, raekke.haendelse) == (
        "Påmindelse 1",
        "/borgere/1/",
        Haendelse.PAAMINDELSE,
    )


def test_a_key_a_recipient_already_has_is_not_created_again(pilot):
    NotifikationFactory(modtager=pilot.sagsbehandler, noegle="test:1")

    oprettede = notificer_mange(
        beskeder=[besked(1, [pilot.sagsbehandler, pilot.forloebsmedarbejder])]
    )

    assert [n.modtager_id for n in oprettede] == [pilot.forloebsmedarbejder.pk]
    assert Notifikation.objects.filter(noegle="test:1").count() == 2


def test_repeated_recipients_and_keys_count_once_and_inactive_users_are_skipped(pilot):
    inaktiv = BrugerFactory(is_active=False)
    sb = pilot.sagsbehandler

    oprettede = notificer_mange(beskeder=[besked(1, [sb, sb, inaktiv]), besked(1, [sb])])

    assert [(n.modtager_id, n.noegle) for n in oprettede] == [(sb.pk, "test:1")]


def test_emails_follow_each_recipients_choice_for_the_event(pilot):
    gem_email_valg(bruger=pilot.sagsbehandler, med_email=set(Haendelse) - {Haendelse.LAAN_RESTANCE})
    uden_adresse = BrugerFactory(email="")

    notificer_mange(
        beskeder=[
            besked(1, [pilot.sagsbehandler, uden_adresse]),
            besked(2, [pilot.sagsbehandler], haendelse=Haendelse.LAAN_RESTANCE),
        ]
    )

    email = dict(
        Notifikation.objects.values_list("noegle", "email_oensket").filter(
            modtager=pilot.sagsbehandler
        )
    )
    assert email == {"test:1": True, "test:2": False}
    assert Notifikation.objects.get(modtager=uden_adresse).email_oensket is False


def test_the_emails_are_enqueued_after_commit_in_batches(
    pilot, samlet_koe, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(masse, "EMAILS_PR_OPGAVE", 2)
    modtagere = [BrugerFactory() for _ in range(5)]

    with django_capture_on_commit_callbacks(execute=False) as efter_commit:
        oprettede = notificer_mange(beskeder=[besked(1, modtagere)])
    assert samlet_koe == []  # nothing before commit

    for callback in efter_commit:
        callback()
    assert [len(ids) for ids in samlet_koe] == [2, 2, 1]
    assert sorted(sum(samlet_koe, [])) == sorted(n.pk for n in oprettede)


@pytest.mark.usefixtures("broker_nede")
def test_a_broker_outage_at_commit_leaves_the_rows_for_the_sweep(
    pilot, django_capture_on_commit_callbacks, caplog, mailoutbox
):
    # The real publish path against a broker that refuses connections.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        oprettede = notificer_mange(beskeder=[besked(1, [pilot.sagsbehandler])])

    # OperationalError from redis; "Acquire on closed pool" (RuntimeError) when an earlier test
    # switched brokers in this process: either way logged by type, and the row left unsent.
    assert "kunne ikke lægges i kø (" in caplog.text
    assert Notifikation.objects.get(pk=oprettede[0].pk).email_sendt is None
    assert mailoutbox == []
    # Later, with the broker back: the sweep finds the row and sends it, once.
    assert services.lever_udestaaende().antal == 1
    assert services.lever_udestaaende().antal == 0
    assert len(mailoutbox) == 1


def test_a_concurrent_run_that_inserted_a_key_first_is_retried_not_duplicated(pilot, monkeypatch):
    # The other run's row appears between our look-up and our insert: the first look-up misses
    # it, the insert is refused by the unique constraint, and the second try skips it.
    ekte = masse._findes
    kald = []

    def findes_efter_den_anden_koersel(noegler):
        kald.append(noegler)
        if len(kald) == 1:
            NotifikationFactory(modtager=pilot.sagsbehandler, noegle="test:1")
            return set()
        return ekte(noegler)

    monkeypatch.setattr(masse, "_findes", findes_efter_den_anden_koersel)

    oprettede = notificer_mange(
        beskeder=[besked(1, [pilot.sagsbehandler, pilot.forloebsmedarbejder])]
    )

    assert len(kald) == 2
    assert [n.modtager_id for n in oprettede] == [pilot.forloebsmedarbejder.pk]
    assert Notifikation.objects.filter(noegle="test:1").count() == 2


def test_a_second_refusal_is_raised_not_swallowed(pilot, monkeypatch):
    monkeypatch.setattr(masse, "_findes", lambda noegler: set())
    NotifikationFactory(modtager=pilot.sagsbehandler, noegle="test:1")

    with pytest.raises(IntegrityError):
        notificer_mange(beskeder=[besked(1, [pilot.sagsbehandler])])


@pytest.mark.parametrize("antal", [3, 30])
def test_the_queries_do_not_grow_with_the_number_of_messages(
    pilot, antal, django_assert_num_queries
):
    modtagere = [pilot.sagsbehandler, pilot.forloebsmedarbejder]
    beskeder = [besked(i, modtagere) for i in range(antal)]

    # 1 SELECT the keys that exist, 2 SELECT the recipients' email choices, 3 SAVEPOINT,
    # 4 INSERT every new row, 5 RELEASE SAVEPOINT.
    with django_assert_num_queries(5):
        assert len(notificer_mange(beskeder=beskeder)) == 2 * antal

    # Again: every key exists, so only 1 SELECT the keys that exist; nothing is created.
    with django_assert_num_queries(1):
        assert notificer_mange(beskeder=beskeder) == []
    assert Notifikation.objects.count() == 2 * antal


def test_no_recipients_costs_no_query(pilot, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notificer_mange(beskeder=[besked(1, [BrugerFactory.build(is_active=False)])]) == []


def test_texts_are_checked_as_notificer_checks_them(pilot):
    with pytest.raises(ValueError):
        notificer_mange(
            beskeder=[
                Besked(
                    Haendelse.PAAMINDELSE,
                    [pilot.sagsbehandler],
                    "e",
                    "t",
                    link="https://example.com/",
                )
            ]
        )
    (raekke,) = notificer_mange(
        beskeder=[Besked(Haendelse.PAAMINDELSE, [pilot.sagsbehandler], "CPR 010203-1234", "t")]
    )
    assert raekke.emne == "CPR [CPR]"


def test_the_batch_task_sends_each_email_once_and_goes_on_past_a_failure(
    pilot, mailoutbox, monkeypatch
):
    raekker = [NotifikationFactory(modtager=BrugerFactory(), email_oensket=True) for _ in range(3)]
    ekte = services._send

    def send_men_ikke_den_anden(notifikation):
        if notifikation.pk == raekker[1].pk:
            raise OSError("forbindelse afbrudt")
        ekte(notifikation)

    monkeypatch.setattr(services, "_send", send_men_ikke_den_anden)
    ids = [n.pk for n in raekker]

    assert tasks.send_emails(ids) == 2
    assert tasks.send_emails(ids) == 0  # delivered twice by the broker: nothing sent again
    assert len(mailoutbox) == 2
    fejlet = Notifikation.objects.get(pk=raekker[1].pk)
    assert (fejlet.email_sendt, fejlet.email_laast_til, fejlet.sidste_fejl) == (
        None,
        None,
        "OSError",
    )
