"""The page a login attempt gets while django-axes has it locked out (AXES_LOCKOUT_CALLABLE).

It says in Danish, in the application's layout, when the user can try again, and nothing about the
user: the lockout is per username and address, whether or not such a user exists, so the page is
the same for a real colleague and for a guessed name. The time is the lockout's own arithmetic:
every failed attempt restarts the cool-off (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), and
this request *is* the latest failed attempt, so the lockout ends one cool-off after it.
"""

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers


def spaerret(request, original_response=None, credentials=None):
    forsoeg = getattr(request, "axes_attempt_time", None) or timezone.now()
    ventetid = get_cool_off(request)
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
