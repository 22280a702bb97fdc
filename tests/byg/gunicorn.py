"""gunicorn on a free loopback port, for tests of what a client sees of the app server itself
(headers, refusals before the body is read)."""

import contextlib
import os
import socket
import subprocess
import time

from tests.byg.proces import DEVELOPMENT_SECRETS, REPO


def _fri_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(tmp_path):
    """Yield the port of a running gunicorn (development profile, DEBUG off, SQLite in tmp_path)."""
    port = _fri_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "mikrolaan.settings",
        "DATA_DIR": str(tmp_path / "data"),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        **DEVELOPMENT_SECRETS,
    }
    gunicorn_sti = REPO / ".venv" / "bin" / "gunicorn"
    kommando = [str(gunicorn_sti) if gunicorn_sti.exists() else "gunicorn"]
    proces = subprocess.Popen(  # noqa: S603 - our own server, arguments from the tests
        [*kommando, "mikrolaan.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Ready when it accepts a connection; a start-up error ends the process instead.
        frist = time.monotonic() + 30
        while True:
            if proces.poll() is not None:
                raise AssertionError(f"gunicorn stopped: {proces.stderr.read().decode()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > frist:
                raise AssertionError("gunicorn did not accept connections within 30 s")
            time.sleep(0.1)
        yield port
    finally:
        proces.terminate()
        proces.wait(timeout=10)


def raa_forespoergsel(port: int, data: bytes, *, timeout: float = 10) -> bytes:
    """Send `data` as it is and read the whole answer (until the server closes)."""
    with socket.create_connection(("127.0.0.1", port), timeout) as forbindelse:
        forbindelse.sendall(data)
        dele = []
        while del_ := forbindelse.recv(65536):
            dele.append(del_)
    return b"".join(dele)
