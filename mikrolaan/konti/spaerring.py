"""The page a login attempt gets while django-axes has it locked out (AXES_LOCKOUT_CALLABLE).

It says in Danish, in the application's layout, when the user can try again, and nothing about the
user: the lockout is per username and address, whether or not such a user exists, so the page is
the same for a real colleague and for a guessed name. The time is the lockout's own arithmetic:
attempts during the lockout are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off,
so nobody can keep a colleague locked out by retrying), and the lockout ends one cool-off after the
last attempt axes recorded for this username and address — the one that locked.
"""

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers


def spaerret(request, original_response=None, credentials=None):
    ventetid = get_cool_off(request)
    forsoeg = (
        AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=getattr(request, "axes_ip_address", None),
        ).aggregate(seneste=Max("attempt_time"))["seneste"]
        or getattr(request, "axes_attempt_time", None)
        or timezone.now()
    )
    svar = render(
        request,
        "konti/spaerret.html",
        {
            # None: a permanent lockout (no cool-off configured) that only an administrator lifts.
            "igen": forsoeg + ventetid if ventetid else None,
            "ventetid_minutter": int(ventetid.total_seconds() // 60) if ventetid else None,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    # The answer to a login POST; a back button must not show a stale lockout time from a cache.
    add_never_cache_headers(svar)
    return svar
