"""Sending a create form twice, or five times at once, with the one-time key its page issued.

noegle = engangsnoegle(klient, side, action)          # the hidden field the page rendered
foerste, anden = send_to_gange(klient, action, data | {"indsendelse": noegle})
svar = samtidigt(bruger, action, data, antal=5)       # five threads, each its own connection
"""

import threading

from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from .fuzz import formular_paa

ALLEREDE_SENDT = "Formularen er allerede sendt."


def engangsnoegle(klient, side: str, action: str, felt: str = "indsendelse") -> str:
    """The one-time key the form to `action` on `side` was rendered with."""
    (noegle,) = formular_paa(klient, side, action).felter[felt]
    assert noegle, f"the form to {action} has no one-time key"
    return noegle


def send_to_gange(klient, action: str, data: dict, **ekstra):
    """The same POST twice, as a double click or a resent request would send it."""
    return klient.post(action, data, **ekstra), klient.post(action, data, **ekstra)


def beskeder(svar) -> list[str]:
    return [str(m) for m in get_messages(svar.wsgi_request)]


def samtidigt(bruger, action: str, data: dict, *, antal: int = 5) -> list:
    """`antal` identical POSTs released at the same moment, each from its own thread, client and
    database connection (the test must be `transaction=True`). Returns the responses; a thread's
    exception is raised here."""
    start = threading.Barrier(antal)
    svar, fejl = [], []

    def send():
        try:
            klient = Client()
            klient.force_login(bruger)
            start.wait()
            svar.append(klient.post(action, data))
        except Exception as exc:  # reported below; a thread must not die silently
            fejl.append(exc)
        finally:
            connection.close()

    traade = [threading.Thread(target=send) for _ in range(antal)]
    for traad in traade:
        traad.start()
    for traad in traade:
        traad.join()
    if fejl:
        raise fejl[0]
    return svar
