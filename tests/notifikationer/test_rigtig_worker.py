"""A real Celery worker on Redis delivers the Erhvervschef's email exactly once.

The worker is a separate process, so it needs committed rows in a database it can reach: the test
runs on PostgreSQL with real transactions (SQLite's test database lives in this process only).
It consumes a queue of its own, so a developer's worker on the same Redis never takes its
messages and stale messages from an earlier run are never delivered against this test database.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from mikrolaan.notifikationer import services, tasks
from mikrolaan.notifikationer.models import Haendelse, Koersel, Notifikation
from tests.byg.celery import celery_broker

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

FRIST = 30  # seconds; includes the worker's start-up for the first wait


def _test_database_url() -> str:
    """The URL of the test database this process uses (test_mikrolaan, or test_mikrolaan_gw0)."""
    db = connection.settings_dict
    login = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        login += ":" + quote(db["PASSWORD"], safe="")
    vaert = db["HOST"] or "localhost"
    return f"postgresql://{login}@{vaert}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def _start_worker(*, redis_url: str, koe: str, mails: Path, log: Path) -> subprocess.Popen:
    miljoe = os.environ.copy()
    # A configured SMTP server would send real email; the file backend writes to `mails`.
    miljoe.pop("EMAIL_URL", None)
    miljoe.update(
        DJANGO_ENV="development",
        DJANGO_SETTINGS_MODULE="mikrolaan.settings",
        DATABASE_URL=_test_database_url(),
        # No pooled connection outlives a task, so the test database can be dropped afterwards.
        DATABASE_CONN_MAX_AGE="0",
        REDIS_URL=redis_url,
        EMAIL_FILE_PATH=str(mails),
    )
    kommando = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "mikrolaan",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--loglevel=INFO",
        f"--queues={koe}",
        f"--hostname={koe}@%h",
        # Faster start-up; this worker needs no cluster chatter.
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with log.open("wb") as ud:
        return subprocess.Popen(  # noqa: S603 — our own interpreter and fixed arguments
            kommando,
            cwd=settings.BASE_DIR,
            env=miljoe,
            stdout=ud,
            stderr=subprocess.STDOUT,
        )


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()  # SIGTERM: Celery's warm shutdown, finishing the task at hand
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=5)


def _vent_paa(hvad: str, betingelse, worker: subprocess.Popen, log: Path) -> None:
    slut = time.monotonic() + FRIST
    while time.monotonic() < slut:
        if betingelse():
            return
        if worker.poll() is not None:
            pytest.fail(
                f"Workeren stoppede (kode {worker.returncode}) før {hvad}:\n{log.read_text()}"
            )
        time.sleep(0.2)
    pytest.fail(f"{hvad} skete ikke inden for {FRIST} s. Workerens log:\n{log.read_text()[-5000:]}")


def _ryd_op_i_redis(redis_url: str, koe: str) -> None:
    klient = redis.Redis.from_url(redis_url)
    try:
        # The queue and kombu's binding sets for it; the shared pidbox keys are left alone.
        klient.delete(koe, f"_kombu.binding.{koe}", f"_kombu.binding_permanent.{koe}")
    finally:
        klient.close()


def test_a_real_worker_on_redis_sends_the_erhvervschefs_email_exactly_once(
    redis_url, kraever_postgres, pilot, tmp_path
):
    koe = f"mikrolaan-test-{uuid.uuid4().hex[:12]}"
    mails = tmp_path / "mails"
    mails.mkdir()
    log = tmp_path / "worker.log"

    def emails() -> list[Path]:
        return sorted(mails.iterdir())

    worker = _start_worker(redis_url=redis_url, koe=koe, mails=mails, log=log)
    try:
        with celery_broker(redis_url, koe=koe):
            # The event's transaction; the task is published to Redis when it commits.
            with transaction.atomic():
                (notifikation,) = services.notificer(
                    haendelse=Haendelse.INDSKREVET,
                    modtagere=[pilot.erhvervschef],
                    emne="Anna Hansen er indskrevet",
                    tekst="Anna Hansen er indskrevet i mikrolånsforløbet hos Næstved Kommune.",
                )

            _vent_paa(
                "den første e-mail",
                lambda: (
                    len(emails()) == 1
                    and Notifikation.objects.filter(
                        pk=notifikation.pk, email_sendt__isnull=False
                    ).exists()
                ),
                worker,
                log,
            )

            # The same task again, then the sweep behind it on the same queue. The solo worker
            # takes them in order, so once the sweep's run is logged the duplicate has been
            # handled too — and neither may have sent a second email.
            tasks.send_email.delay(notifikation.pk)
            tasks.lever_udestaaende.delay()
            _vent_paa(
                "fejningens kørsel",
                lambda: Koersel.objects.filter(
                    opgave=services.FEJNING_OPGAVE, afsluttet__isnull=False
                ).exists(),
                worker,
                log,
            )

        (email,) = emails()
        indhold = email.read_text()
        assert f"To: {pilot.erhvervschef.email}" in indhold
        assert "Borger indskrevet" in indhold
        notifikation.refresh_from_db()
        assert notifikation.email_forsoeg == 1
        assert Koersel.objects.get(opgave=services.FEJNING_OPGAVE).antal == 0
    finally:
        _stop_worker(worker)
        _ryd_op_i_redis(redis_url, koe)
