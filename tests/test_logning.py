"""A newline in a username cannot forge a log line (issue 12 point 7): django-axes logs the
username of a failed login as the user typed it, once it is not masked. The log's formatter
(mikrolaan/logning.py, wired in settings.LOGGING) writes every record as one line, whatever a
logger puts in it (Django itself escapes only the path of a 4xx/5xx response)."""

import io
import logging
import sys

import pytest
from django.urls import reverse

from mikrolaan.logning import EnLinjeFormatter, en_linje

FALSK = "2026-12-01 06:00:00,000 WARNING axes AXES: Login failed for admin"


@pytest.fixture
def loggen():
    """What the configured console handler writes, as the test's own text stream."""
    handlere = [
        h for h in logging.getLogger().handlers if isinstance(h.formatter, EnLinjeFormatter)
    ]
    assert len(handlere) == 1, "settings.LOGGING's console handler uses EnLinjeFormatter"
    stroem = io.StringIO()
    gammel = handlere[0].setStream(stroem)
    yield stroem
    handlere[0].setStream(gammel)


def test_a_newline_in_a_failed_logins_username_stays_on_the_records_line(
    db, client, settings, loggen
):
    # django-axes masks the username by default; an operator who unmasks it to investigate an
    # attack must not let the attacker write the log.
    settings.AXES_SENSITIVE_PARAMETERS = []
    client.post(
        reverse("konti:log_ind"),
        {"username": f"ole\r\n{FALSK}", "password": "forkert"},
    )

    linjer = loggen.getvalue().splitlines()
    assert any('username: "ole\\r\\n' + FALSK + '"' in linje for linje in linjer)
    assert not any(linje.startswith(FALSK) for linje in linjer)


def test_a_traceback_is_one_line_too():
    try:
        raise ValueError("første\nanden")
    except ValueError:
        post = logging.LogRecord("x", logging.ERROR, __file__, 1, "fejl", None, None)
        post.exc_info = sys.exc_info()
    tekst = EnLinjeFormatter("%(message)s").format(post)

    assert "\n" not in tekst
    assert tekst.startswith("fejl\\nTraceback (most recent call last):\\n")
    assert "ValueError: første\\nanden" in tekst


@pytest.mark.parametrize(
    ("tekst", "skrevet"),
    [
        ("a\rb", "a\\rb"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),  # a terminal escape cannot clear the screen
        ("a\x00b", "a\\x00b"),
        ("a\u2028b\x85c", "a\\u2028b\\x85c"),
        ("tab\tog æøå", "tab\tog æøå"),
    ],
)
def test_control_characters_are_written_as_escapes(tekst, skrevet):
    assert en_linje(tekst) == skrevet
