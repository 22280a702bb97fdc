"""One log record, one line: text a user typed cannot forge a log line.

Logs carry what users send: django-axes names the username of a failed or locked-out login, and
Django logs the (URL-decoded) path of every 4xx and 5xx response. A username or path holding a
line break (`ole\n2026-12-01 06:00:00 WARNING axes AXES: Login failed for admin`) would otherwise
write a second, made-up record that a reader or a log collector takes for a real one.
`EnLinjeFormatter` escapes every control character and Unicode line separator of the finished
record, tracebacks included (a traceback is then one line with `\\n` in it, which a collector keeps
together as one record), so every physical line of the log is a record the application wrote.
"""

import logging
import re

# C0 controls (CR, LF, ESC for terminal tricks, NUL, ...), DEL and the C1 controls (NEL among
# them), and the Unicode line and paragraph separators some viewers break lines on. Tab stays.
_KONTROLTEGN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_NAVNE = {"\n": "\\n", "\r": "\\r"}


def _escape(tegn: re.Match) -> str:
    t = tegn.group()
    return _NAVNE.get(t) or (f"\\x{ord(t):02x}" if ord(t) < 0x100 else f"\\u{ord(t):04x}")


def en_linje(tekst: str) -> str:
    """`tekst` with line breaks and other control characters written as escapes."""
    return _KONTROLTEGN.sub(_escape, tekst)


class EnLinjeFormatter(logging.Formatter):
    """`logging.Formatter` whose every record is exactly one line."""

    def format(self, record: logging.LogRecord) -> str:
        return en_linje(super().format(record))


# --- Secrets in paths ---------------------------------------------------------------------------
# The calendar feed's URL holds its token (calendar apps fetch it without a login): whoever reads
# the log could subscribe to a colleague's calendar. Django logs the path of 4xx/5xx answers
# (django.request) and of every request under runserver (django.server), gunicorn writes every
# request line to its access log. All three go through `skjul_hemmeligheder`.

_HEMMELIGE_STIER = re.compile(r"(/kalender/)[^/\s?#\"'.]+")
# The same path percent-encoded ("/%6Balender/…") reaches the same view, so the token itself is
# masked too wherever it stands before ".ics": it is `secrets.token_urlsafe(32)`, 43 characters.
_TOKENS = re.compile(r"(/)[A-Za-z0-9_-]{40,}(\.ics)")


def skjul_hemmeligheder(tekst: str) -> str:
    """`tekst` with the token of every calendar-feed path replaced by `***`."""
    return _TOKENS.sub(r"\1***\2", _HEMMELIGE_STIER.sub(r"\1***", tekst))


class SkjulHemmeligheder(logging.Filter):
    """A handler filter that masks secret path parts in the finished message (args included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        besked = record.getMessage()
        skjult = skjul_hemmeligheder(besked)
        if skjult != besked:
            record.msg, record.args = skjult, None
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is only installed where it serves the app
    _GunicornLogger = None

if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger with secret path parts masked in every access-log field."""

        def atoms(self, resp, req, environ, request_time):
            return {
                noegle: skjul_hemmeligheder(vaerdi) if isinstance(vaerdi, str) else vaerdi
                for noegle, vaerdi in super().atoms(resp, req, environ, request_time).items()
            }
