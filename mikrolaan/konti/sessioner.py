"""Sessions end after SESSION_INAKTIV_SEKUNDER without activity and SESSION_COOKIE_AGE after login.

Django's own expiry is neither: the database row's expiry moves on each time the session is saved,
so a session that is written to (as this one is, to record activity) would live for ever. Both
limits are therefore counted here from two times kept in the session: when the user logged in and
when they last did something.

Activity is written at most once a minute: a save on every request would be a database write per
page and htmx fragment. The browser is told how long is left (the `inaktivitet` context processor)
and asks again before it warns (`session_status`), so the warning follows the server's clock, not
the page's age. Endpoints the browser calls by itself (the status check; any future polling) are
marked `@ikke_aktivitet`, so a tab left open does not keep a session alive.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from mikrolaan.sider import er_htmx

SIDST_AKTIV = "_sidst_aktiv"
LOGGET_IND = "_logget_ind"
# A page view within this many seconds of the recorded activity is not written again.
SKRIV_HOEJST_HVERT = 60


def ikke_aktivitet(view):
    """Mark a view the browser calls on its own: it does not count as the user being active.

    Like Django's @login_not_required, an attribute on the view the middleware reads."""
    view.taeller_som_aktivitet = False
    return view


def stempl_log_ind(sender, request, user, **kwargs):
    """On every login (ours, the admin's, a test's force_login): the clocks start now, and a user
    who has set up two-factor login owes a code even where the setting does not require it."""
    from .tofaktor import KRAEVET_I_SESSIONEN, har_tofaktor

    nu = int(time.time())
    request.session[LOGGET_IND] = nu
    request.session[SIDST_AKTIV] = nu
    if not settings.KRAEV_TOFAKTOR and har_tofaktor(user):
        request.session[KRAEVET_I_SESSIONEN] = True


def sekunder_tilbage(session) -> int:
    """Seconds until the session ends for idleness or its absolute age, whichever comes first."""
    nu = time.time()
    aktiv = session.get(SIDST_AKTIV, nu)
    logget_ind = session.get(LOGGET_IND, nu)
    return max(
        0,
        int(
            min(
                aktiv + settings.SESSION_INAKTIV_SEKUNDER,
                logget_ind + settings.SESSION_COOKIE_AGE,
            )
            - nu
        ),
    )


class InaktivitetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        session = request.session
        nu = int(time.time())
        if SIDST_AKTIV not in session or LOGGET_IND not in session:
            # A session from before these limits: its clocks start now.
            session[SIDST_AKTIV] = session.get(SIDST_AKTIV, nu)
            session[LOGGET_IND] = session.get(LOGGET_IND, nu)
        if nu - session[LOGGET_IND] >= settings.SESSION_COOKIE_AGE:
            besked = _("Du er blevet logget ud, fordi du har været logget ind i %(timer)d timer.")
            return self._log_ud(
                request,
                view_func,
                reverse("konti:log_ind"),
                besked=besked % {"timer": settings.SESSION_COOKIE_AGE // 3600},
            )
        if nu - session[SIDST_AKTIV] >= settings.SESSION_INAKTIV_SEKUNDER:
            return self._log_ud(request, view_func, reverse("konti:inaktiv"))
        if getattr(view_func, "taeller_som_aktivitet", True) and (
            nu - session[SIDST_AKTIV] >= SKRIV_HOEJST_HVERT
            or request.resolver_match.view_name == "konti:session_forlaeng"
        ):
            session[SIDST_AKTIV] = nu
        return None

    def _log_ud(self, request, view_func, url, besked=None):
        naeste = request.get_full_path() if request.method == "GET" and not er_htmx(request) else ""
        logout(request)
        if besked:
            messages.info(request, besked)
        if not getattr(view_func, "taeller_som_aktivitet", True):
            # The browser's own status check: let it answer "logged out" rather than redirect.
            return None
        if naeste:
            url = f"{url}?{urlencode({'next': naeste})}"
        if er_htmx(request):
            svar = HttpResponse(status=204)
            svar["HX-Redirect"] = url
            return svar
        return redirect(url)


def inaktivitet(request):
    """For the layout's idle warning: seconds left, and when to warn (a logged-in user only)."""
    bruger = getattr(request, "user", None)
    if bruger is None or not bruger.is_authenticated or not hasattr(request, "session"):
        return {}
    return {
        "inaktivitet": {
            "tilbage": sekunder_tilbage(request.session),
            "advarsel": settings.SESSION_ADVARSEL_SEKUNDER,
            "minutter": settings.SESSION_INAKTIV_SEKUNDER // 60,
        }
    }
