"""Two nodes: two gunicorn servers, two Celery workers and two beats on one PostgreSQL and Redis.

Nothing may live only in one process or on one disk (issue 13, point 5): a login on node A is a
login on node B, a document uploaded through A downloads through B, each notification is emailed
once with both workers taking tasks, and of two beats only one sends (the other takes over when
the first dies). Each node has its own working directory and DATA_DIR, so anything kept on "the"
disk would show. The processes use the development profile with DEBUG off (the production
profile's Secure cookies need HTTPS) and the file email backend, each node into its own folder.

Web servers and workers start once for the module; the beats in their own test. They consume a
queue of their own (CELERY_KOE), so nothing else on the same Redis takes their messages.
"""

import contextlib
import html
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection, transaction
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from borgere.lager import MARKOER
from borgere.models import Dokument
from mikrolaan.beat import laasenoegle
from mikrolaan.lager.models import Fil
from mikrolaan.notifikationer import services, tasks
from mikrolaan.notifikationer.models import Haendelse, Koersel, Notifikation
from tests.byg import filer
from tests.byg.celery import celery_broker
from tests.byg.fabrikker import BrugerFactory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

REPO = Path(__file__).resolve().parent.parent
FRIST = 30  # seconds for any one thing to happen
BEAT_LAAS_SEKUNDER = 3
ADGANGSKODE = "to-noder-adgangskode-1"


def _fri_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _test_database_url() -> str:
    db = connection.settings_dict
    login = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        login += ":" + quote(db["PASSWORD"], safe="")
    return f"postgresql://{login}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Proces:
    navn: str
    popen: subprocess.Popen
    log: Path

    def logtekst(self) -> str:
        return self.log.read_text(errors="replace")

    def send_signal(self, sig=signal.SIGTERM) -> None:
        if self.popen.poll() is None:
            # The whole process group: gunicorn's and Celery's children too.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def stop(self, sig=signal.SIGTERM) -> None:
        stop_alle([self], sig)


def stop_alle(processer, sig=signal.SIGTERM) -> None:
    """Signal every process group at once, then wait for each; SIGKILL what is left after 5 s."""
    for proces in processer:
        proces.send_signal(sig)
    frist = time.monotonic() + 5
    for proces in processer:
        try:
            proces.popen.wait(timeout=max(0.1, frist - time.monotonic()))
        except subprocess.TimeoutExpired:
            proces.send_signal(signal.SIGKILL)
            proces.popen.wait(timeout=5)


@dataclass
class Node:
    navn: str
    mappe: Path
    miljoe: dict
    port: int = 0
    processer: list = field(default_factory=list)

    @property
    def mails(self) -> Path:
        return self.mappe / "mails"

    def start(self, navn: str, kommando: list[str]) -> Proces:
        log = self.mappe / f"{navn}.log"
        with log.open("wb") as ud:
            popen = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
                kommando,
                cwd=self.mappe,  # the node's own working directory, not the checkout
                env=self.miljoe,
                stdout=ud,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        proces = Proces(f"{self.navn}/{navn}", popen, log)
        self.processer.append(proces)
        return proces


def vent_paa(hvad: str, betingelse, processer, frist: float = FRIST) -> float:
    """Poll until `betingelse()` holds; fail with the processes' logs if it does not in time."""
    start = time.monotonic()
    while time.monotonic() - start < frist:
        if betingelse():
            return time.monotonic() - start
        for proces in processer:
            if proces.popen.poll() is not None:
                pytest.fail(f"{proces.navn} stoppede før {hvad}:\n{proces.logtekst()[-4000:]}")
        time.sleep(0.1)
    logs = "\n".join(f"--- {p.navn}\n{p.logtekst()[-3000:]}" for p in processer)
    pytest.fail(f"{hvad} skete ikke inden for {frist} s.\n{logs}")


def _mangler(tjeneste: str, hvorfor: str):
    # As tests/conftest.py's `kraever_postgres`, which is per test; this fixture is per module.
    if os.environ.get("REQUIRE_SERVICES", "") == "1":
        pytest.fail(f"{tjeneste} mangler: {hvorfor} (REQUIRE_SERVICES=1)")
    pytest.skip(f"{tjeneste} mangler: {hvorfor}")


def _ny_node(navn: str, basis: Path, faelles: dict) -> Node:
    mappe = basis / navn
    (mappe / "mails").mkdir(parents=True)
    miljoe = {
        **os.environ,
        **faelles,
        "DATA_DIR": str(mappe / "data"),
        "EMAIL_FILE_PATH": str(mappe / "mails"),
        "PYTHONPATH": str(REPO),
    }
    # A configured SMTP server would send real email; the file backend writes to the node's folder.
    miljoe.pop("EMAIL_URL", None)
    return Node(navn=navn, mappe=mappe, miljoe=miljoe)


@pytest.fixture(scope="module")
def klynge(redis_url, django_db_setup, django_db_blocker, tmp_path_factory):
    """Node A and B: each a gunicorn and a Celery worker, sharing the test database and Redis."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            _mangler("PostgreSQL", "sæt DATABASE_URL=postgresql://… for at køre denne test")
        database_url = _test_database_url()
    koe = f"mikrolaan-noder-{uuid.uuid4().hex[:12]}"
    faelles = {
        "DJANGO_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "mikrolaan.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        # No connection outlives a request or task, so the test database can be dropped after.
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": redis_url,
        "CELERY_KOE": koe,
        "DOKUMENTLAGER": "database",
        "BEAT_LAAS_SEKUNDER": str(BEAT_LAAS_SEKUNDER),
        "LOG_LEVEL": "INFO",
    }
    basis = tmp_path_factory.mktemp("noder")
    noder = [_ny_node(navn, basis, faelles) for navn in ("a", "b")]
    try:
        for node in noder:
            node.port = _fri_port()
            node.start(
                "web",
                [
                    str(REPO / ".venv" / "bin" / "gunicorn"),
                    "mikrolaan.wsgi",
                    "--config",
                    str(REPO / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{node.port}",
                    "--workers",
                    "1",
                ],
            )
            node.start(
                "worker",
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "mikrolaan",
                    "worker",
                    "--pool=solo",
                    "--loglevel=INFO",
                    f"--queues={koe}",
                    f"--hostname={node.navn}-{koe}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
            )
        alle = [p for node in noder for p in node.processer]
        for node in noder:
            vent_paa(f"{node.navn}: /healthz", lambda n=node: _status(n, "/healthz") == 200, alle)
            worker = node.processer[1]
            vent_paa(f"{worker.navn} klar", lambda w=worker: " ready." in w.logtekst(), alle)
        yield KlyngeData(noder=noder, koe=koe, redis_url=redis_url)
    finally:
        stop_alle([p for node in noder for p in node.processer])
        klient = redis.Redis.from_url(redis_url)
        try:
            klient.delete(koe, f"_kombu.binding.{koe}", f"_kombu.binding_permanent.{koe}")
        finally:
            klient.close()


@dataclass
class KlyngeData:
    noder: list[Node]
    koe: str
    redis_url: str

    @property
    def a(self) -> Node:
        return self.noder[0]

    @property
    def b(self) -> Node:
        return self.noder[1]

    @property
    def processer(self) -> list[Proces]:
        return [p for node in self.noder for p in node.processer]


# --- A small HTTP client: cookies and forms by hand, so the test shows what travels -----------


@dataclass
class Svar:
    status: int
    headers: http.client.HTTPMessage
    krop: bytes

    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for linje in self.headers.get_all("Set-Cookie") or []:
            jar.load(linje)
        return {navn: morsel.value for navn, morsel in jar.items()}


def _forespoergsel(node: Node, metode: str, sti: str, *, cookies=None, krop=b"", headers=None):
    forbindelse = http.client.HTTPConnection("127.0.0.1", node.port, timeout=FRIST)
    try:
        alle = {"Host": "127.0.0.1", **(headers or {})}
        if cookies:
            alle["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        forbindelse.request(metode, sti, body=krop, headers=alle)
        svar = forbindelse.getresponse()
        return Svar(svar.status, svar.headers, svar.read())
    finally:
        forbindelse.close()


def _status(node: Node, sti: str) -> int | None:
    try:
        return _forespoergsel(node, "GET", sti).status
    except OSError:
        return None


class _Formularer(HTMLParser):
    """Every form's action and its inputs' names and values."""

    def __init__(self):
        super().__init__()
        self.formularer: dict[str, dict[str, str]] = {}
        self._aktuel = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._aktuel = self.formularer.setdefault(attrs.get("action") or "", {})
        elif tag == "input" and self._aktuel is not None and attrs.get("name"):
            self._aktuel[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._aktuel = None


def formular(svar: Svar, action: str) -> dict[str, str]:
    parser = _Formularer()
    parser.feed(svar.krop.decode())
    assert action in parser.formularer, f"ingen formular til {action}: {list(parser.formularer)}"
    return parser.formularer[action]


def multipart(felter: dict[str, str], filer_: dict[str, tuple[str, bytes, str]]):
    graense = uuid.uuid4().hex
    dele = []
    for navn, vaerdi in felter.items():
        hoved = f'--{graense}\r\nContent-Disposition: form-data; name="{navn}"\r\n\r\n'
        dele.append(f"{hoved}{vaerdi}\r\n".encode())
    for navn, (filnavn, indhold, type_) in filer_.items():
        dele.append(
            (
                f'--{graense}\r\nContent-Disposition: form-data; name="{navn}"; '
                f'filename="{filnavn}"\r\nContent-Type: {type_}\r\n\r\n'
            ).encode()
            + indhold
            + b"\r\n"
        )
    dele.append(f"--{graense}--\r\n".encode())
    return b"".join(dele), f"multipart/form-data; boundary={graense}"


def log_ind(node: Node, brugernavn: str, adgangskode: str) -> dict[str, str]:
    """A real login POST with the form's CSRF token; the cookies the browser would now hold."""
    side = _forespoergsel(node, "GET", reverse("konti:log_ind"))
    assert side.status == 200
    cookies = side.cookies()
    felter = formular(side, "")
    felter.update(username=brugernavn, password=adgangskode)
    svar = _forespoergsel(
        node,
        "POST",
        reverse("konti:log_ind"),
        cookies=cookies,
        krop=urlencode(felter).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert svar.status == 302, svar.krop.decode()[:2000]
    return {**cookies, **svar.cookies()}


def _med_rigtig_adgangskode(bruger):
    """The nodes run with Django's default hashers; the tests' MD5 one is not among them."""
    hasher = PBKDF2PasswordHasher()
    bruger.password = hasher.encode(ADGANGSKODE, hasher.salt(), iterations=1000)
    bruger.save(update_fields=["password"])
    return bruger


# --- The tests --------------------------------------------------------------------------------


def test_a_user_logged_in_on_node_a_is_logged_in_on_node_b(klynge, pilot):
    bruger = _med_rigtig_adgangskode(pilot.sagsbehandler)
    forside = reverse("forside")
    assert _forespoergsel(klynge.b, "GET", forside).status == 302  # B: nobody logged in yet

    cookies = log_ind(klynge.a, bruger.username, ADGANGSKODE)

    svar = _forespoergsel(klynge.b, "GET", forside, cookies={"sessionid": cookies["sessionid"]})
    assert svar.status == 200
    assert html.escape(str(bruger)) in svar.krop.decode()


def test_a_document_uploaded_through_node_a_downloads_through_node_b(
    klynge, pilot, pilotens_borger
):
    bruger = _med_rigtig_adgangskode(pilot.sagsbehandler)
    borger = pilotens_borger(fornavn="Anna", efternavn="Testesen")
    indhold = filer.PDF + b"% Budget for Anna Testesen, konto 1234 5678901\n" + os.urandom(64)
    cookies = log_ind(klynge.a, bruger.username, ADGANGSKODE)
    action = reverse("borgere:dokument_upload", args=[borger.pk])
    felter = formular(
        _forespoergsel(
            klynge.a, "GET", reverse("borgere:detalje", args=[borger.pk]), cookies=cookies
        ),
        action,
    )
    felter["type"] = "budget"
    krop, indholdstype = multipart(felter, {"fil": ("budget.pdf", indhold, "application/pdf")})

    svar = _forespoergsel(
        klynge.a, "POST", action, cookies=cookies, krop=krop, headers={"Content-Type": indholdstype}
    )

    assert svar.status == 302, svar.krop.decode()[:2000]
    dokument = Dokument.objects.get(borger=borger)
    # In the database every node reaches, encrypted, and in neither node's DATA_DIR.
    fil = Fil.objects.get(navn=dokument.fil.name)
    assert bytes(fil.indhold).startswith(MARKOER) and b"Testesen" not in bytes(fil.indhold)
    assert not list((klynge.a.mappe / "data").rglob(Path(dokument.fil.name).name))
    hent = reverse("borgere:dokument_hent", args=[borger.pk, dokument.pk])
    download = _forespoergsel(klynge.b, "GET", hent, cookies={"sessionid": cookies["sessionid"]})
    assert download.status == 200
    assert download.krop == indhold


def _emails(node: Node) -> list[str]:
    """The messages the file backend wrote: one file per connection, 79 dashes between messages."""
    beskeder = []
    for fil in sorted(node.mails.iterdir()):
        beskeder += [b for b in fil.read_text().split("-" * 79) if b.strip()]
    return beskeder


def test_each_notification_is_emailed_exactly_once_with_two_workers(klynge, pilot):
    antal = 24
    modtagere = BrugerFactory.create_batch(antal, organisation=pilot.naestved)
    sweeps = 4
    with celery_broker(klynge.redis_url, koe=klynge.koe):
        for i, modtager in enumerate(modtagere):
            # Each in its own transaction: the email task is published when it commits.
            with transaction.atomic():
                services.notificer(
                    haendelse=Haendelse.INDSKREVET,
                    modtagere=[modtager],
                    emne=f"To noder {i:02d}",
                    tekst="En borger er indskrevet.",
                )
            # Sweeps between them, so a sweep on one worker races the email tasks on the other.
            if i % (antal // sweeps) == 0:
                tasks.lever_udestaaende.delay()

    vent_paa(
        "alle e-mails sendt og alle fejninger kørt",
        lambda: (
            not Notifikation.objects.filter(email_sendt__isnull=True).exists()
            and Koersel.objects.filter(
                opgave=services.FEJNING_OPGAVE, afsluttet__isnull=False
            ).count()
            == sweeps
        ),
        klynge.processer,
    )

    pr_node = {node.navn: _emails(node) for node in klynge.noder}
    emner = sorted(
        re.search(r"^To noder \d\d$", b, re.MULTILINE).group(0)
        for beskeder in pr_node.values()
        for b in beskeder
    )
    assert emner == [f"To noder {i:02d}" for i in range(antal)]  # each once, none twice
    assert set(Notifikation.objects.values_list("email_forsoeg", flat=True)) == {1}
    # Both workers took part (24 tasks and 4 sweeps over two workers taking one at a time).
    assert all(pr_node.values()), {navn: len(b) for navn, b in pr_node.items()}


def _sendinger(proces: Proces, navn: str) -> list[float]:
    """When a beat sent the task `navn`, from its log lines (asctime with milliseconds)."""
    tider = []
    for linje in proces.logtekst().splitlines():
        if f"Sending due task {navn} " in linje:
            stempel = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3})", linje)
            sekunder = time.mktime(time.strptime(stempel.group(1), "%Y-%m-%d %H:%M:%S"))
            tider.append(sekunder + int(stempel.group(2)) / 1000)
    return tider


def test_two_beats_send_each_due_task_once_and_the_standby_takes_over(klynge, pilot):
    PeriodicTask.objects.update(enabled=False)
    navn = f"fejning-{uuid.uuid4().hex[:6]}"
    PeriodicTask.objects.create(
        name=navn,
        task=services.FEJNING_OPGAVE,
        interval=IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS),
        kwargs=json.dumps({}),
    )
    beats = [
        node.start(
            "beat", [sys.executable, "-m", "celery", "-A", "mikrolaan", "beat", "--loglevel=INFO"]
        )
        for node in klynge.noder
    ]
    processer = klynge.processer
    try:
        # Both beats run; only the one holding the lock sends.
        vent_paa(
            "tre sendinger", lambda: sum(len(_sendinger(b, navn)) for b in beats) >= 3, processer
        )
        vent_paa(
            "standby meldt",
            lambda: any("står på standby" in b.logtekst() for b in beats),
            processer,
        )
        (holder,) = [b for b in beats if _sendinger(b, navn)]
        (standby,) = [b for b in beats if b is not holder]
        assert not _sendinger(standby, navn)

        # The holder dies without a word (no lock released): the standby takes over when the
        # lock runs out.
        holder.stop(signal.SIGKILL)
        foer = len(_sendinger(standby, navn))
        overtaget = vent_paa(
            "overtagelse",
            lambda: len(_sendinger(standby, navn)) > foer,
            [standby, *[p for p in processer if "beat" not in p.navn]],
        )
        # Within the lock's time to live and the standby's next look (a third of it), plus slack
        # for a loaded machine.
        assert overtaget < BEAT_LAAS_SEKUNDER + 5
        vent_paa(
            "to sendinger efter overtagelsen",
            lambda: len(_sendinger(standby, navn)) >= foer + 2,
            [standby],
        )
        standby.stop()
    finally:
        stop_alle(beats)
        for node, beat in zip(klynge.noder, beats, strict=True):
            node.processer.remove(beat)

    sendt = sorted(_sendinger(beats[0], navn) + _sendinger(beats[1], navn))
    # Once per interval, not twice: no two sendings of the task within half its interval.
    mellemrum = [b - a for a, b in zip(sendt, sendt[1:], strict=False)]
    assert min(mellemrum) > 0.5, mellemrum
    # Each sending ran once, on one of the workers.
    vent_paa(
        "alle fejninger kørt",
        lambda: (
            Koersel.objects.filter(opgave=services.FEJNING_OPGAVE, afsluttet__isnull=False).count()
            >= len(sendt)
        ),
        klynge.processer,
    )
    assert Koersel.objects.filter(opgave=services.FEJNING_OPGAVE).count() == len(sendt)
    # The standby released the lock on its clean stop.
    klient = redis.Redis.from_url(klynge.redis_url)
    try:
        assert not klient.exists(laasenoegle())
    finally:
        klient.close()
