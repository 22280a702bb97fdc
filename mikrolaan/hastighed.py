"""Per-user hourly limits on CPR reveals, searches and exports (issue 12.5).

Each is a way to read many citizens' data quickly: a caseworker's session taken over by a script,
or an insider enumerating CPR numbers through the search box. Logging alone would record the
harvest; the limit stops it after a working day's worth and writes why in the access log.

Counting is django-ratelimit's fixed window of one hour per user and kind, in the default cache
(Redis when REDIS_URL is set, where add and incr are atomic across gunicorn workers; otherwise
the file cache every process on the machine shares). The key names the database too, so two
installations (or test databases) sharing one Redis never count each other's users.
"""

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from .revision.models import AdgangsLog
from .revision.services import log_adgang

VIS_CPR = "vis_cpr"
SOEG = "soeg"
EKSPORT = "eksport"

_HANDLING = {
    VIS_CPR: AdgangsLog.Handling.VIS_CPR,
    SOEG: AdgangsLog.Handling.SOEG,
    EKSPORT: AdgangsLog.Handling.EKSPORT,
}


def _besked(art: str, graense: int) -> str:
    if art == VIS_CPR:
        tekst = _("Du har vist %(antal)d CPR-numre inden for den seneste time, som er grænsen.")
    elif art == SOEG:
        tekst = _("Du har søgt %(antal)d gange inden for den seneste time, som er grænsen.")
    else:
        tekst = _("Du har hentet %(antal)d udtræk inden for den seneste time, som er grænsen.")
    return (
        tekst % {"antal": graense}
        + " "
        + _("Vent lidt, og prøv så igen. Har du brug for mere, så kontakt din administrator.")
    )


def _noegle(group, request) -> str:
    return f"{connection.settings_dict['NAME']}:{request.user.pk}"


def begraens(request, art: str, *, objekt: Model | None = None):
    """Count one `art` for the user; over the hour's limit, the 429 answer (and a log row).

    Returns None while under the limit: the caller goes on. Call it where the read happens
    (after the access check, before the data is read), so a refused or invalid request that
    reads nothing is not counted.
    """
    graense = settings.HASTIGHEDSGRAENSER[art]
    if not is_ratelimited(
        request,
        group=f"mikrolaan.{art}",
        key=_noegle,
        rate=(graense, 3600),
        increment=True,
    ):
        return None
    log_adgang(
        bruger=request.user,
        handling=_HANDLING[art],
        objekt=objekt,
        # A refused attempt: nothing was shown. "graense" tells it from a read in the log.
        kriterier={"graense": art, "maks_pr_time": graense, "afvist": True},
        request=request,
    )
    return render(request, "429.html", {"besked": _besked(art, graense)}, status=429)
