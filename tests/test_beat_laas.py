"""mikrolaan/beat.py: of two beats only the one holding the Redis lock sends; the other takes over
when it stops, without sending again what the first sent. (tests/test_to_noder.py runs two real
beat processes; these look at one tick at a time.)"""

from datetime import timedelta

import pytest
import redis
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from mikrolaan.beat import EnBeatScheduler, laasenoegle
from mikrolaan.celery import app

# The scheduler closes and reopens database connections (close_old_connections), as in beat.
pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laas(settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.BEAT_LAAS_SEKUNDER = 3
    klient = redis.Redis.from_url(redis_url)
    klient.delete(laasenoegle())
    yield klient
    klient.delete(laasenoegle())
    klient.close()


@pytest.fixture
def sendt(monkeypatch) -> list:
    """(scheduler, task name) for each task a scheduler sends, instead of publishing it."""
    liste = []
    monkeypatch.setattr(
        EnBeatScheduler,
        "apply_entry",
        lambda self, entry, producer=None: liste.append((self, entry.name)),
    )
    return liste


@pytest.fixture
def forfalden(db):
    PeriodicTask.objects.update(enabled=False)
    return PeriodicTask.objects.create(
        name="hvert-minut",
        task="notifikationer.lever_udestaaende",
        interval=IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES),
        last_run_at=timezone.now() - timedelta(minutes=5),
    )


def _tik(scheduler, gange=3):
    for _ in range(gange):
        scheduler.tick()


def test_only_the_beat_holding_the_lock_sends_and_it_records_the_run_at_once(
    laas, sendt, forfalden
):
    a, b = EnBeatScheduler(app=app), EnBeatScheduler(app=app)

    _tik(a)
    ventetid = b.tick()
    _tik(b)

    assert sendt == [(a, "hvert-minut")]
    assert laas.get(laasenoegle()).decode() == a.mit_id
    assert ventetid == pytest.approx(1.0)  # the standby asks again every third of the lock's life
    # Written at once, not minutes later: a beat taking over reads it.
    forfalden.refresh_from_db()
    assert timezone.now() - forfalden.last_run_at < timedelta(seconds=5)
    a.close()
    b.close()


def test_the_standby_takes_over_when_the_holder_stops_and_does_not_send_its_run_again(
    laas, sendt, forfalden
):
    a, b = EnBeatScheduler(app=app), EnBeatScheduler(app=app)
    _tik(a)
    _tik(b)

    a.close()  # a clean stop hands the lock over at once
    _tik(b)

    assert laas.get(laasenoegle()).decode() == b.mit_id
    # b read the schedule before a sent; it reloads on taking over and sees the run a made.
    assert sendt == [(a, "hvert-minut")]
    b.close()
    assert not laas.exists(laasenoegle())


def test_a_holder_that_died_is_replaced_when_its_lock_runs_out(laas, sendt, forfalden):
    a, b = EnBeatScheduler(app=app), EnBeatScheduler(app=app)
    _tik(a)
    # a dies without closing; its lock runs out (removed here rather than waited for).
    assert 0 < laas.pttl(laasenoegle()) <= 3000
    laas.delete(laasenoegle())
    # And the task is due again by the time b takes over.
    PeriodicTask.objects.filter(pk=forfalden.pk).update(
        last_run_at=timezone.now() - timedelta(minutes=5)
    )

    _tik(b)

    assert laas.get(laasenoegle()).decode() == b.mit_id
    assert sendt == [(a, "hvert-minut"), (b, "hvert-minut")]
    b.close()


def test_a_beat_that_cannot_reach_redis_sends_nothing(settings, sendt, forfalden):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    beat = EnBeatScheduler(app=app)

    _tik(beat)

    assert sendt == []
    assert not beat.holder_laasen
