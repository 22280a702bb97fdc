"""The app server as a client meets it: gunicorn as Procfile, Dockerfile and docker-compose.yml
start it (sync workers, which close the connection after each answer, so a refused body that was
never read is never parsed as a next request). Issue 12, points 3 and 6."""

import re

import pytest

from tests.byg.gunicorn import gunicorn, raa_forespoergsel


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    with gunicorn(tmp_path_factory.mktemp("gunicorn")) as port:
        yield port


def _hoved(svar: bytes) -> str:
    return svar.split(b"\r\n\r\n", 1)[0].decode("latin-1")


def test_a_300_mb_upload_is_refused_before_its_body_is_sent(port):
    # Only the headers go out: had gunicorn or Django waited for the 300 MB, this would time out.
    svar = raa_forespoergsel(
        port,
        b"POST /konti/log-ind/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: multipart/form-data; boundary=xyz\r\n"
        b"Content-Length: 314572800\r\n\r\n",
    )

    hoved = _hoved(svar)
    assert hoved.startswith("HTTP/1.1 413 ")
    assert "Forsendelsen er for stor" in svar.decode()
    assert re.search(r"(?im)^connection: close", hoved)


def test_the_server_header_names_no_version(port):
    svar = raa_forespoergsel(
        port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )

    hoved = _hoved(svar)
    assert hoved.startswith("HTTP/1.1 302 ")
    server = re.findall(r"(?im)^server:\s*(.*?)\s*$", hoved)
    assert server == ["gunicorn"]
    assert "Content-Security-Policy: " in hoved
    assert "Permissions-Policy: " in hoved
