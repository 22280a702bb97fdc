"""The code step of the login, enrolment of an authenticator app, the administrator's reset, and the
session endpoints of the idle warning. The rules are in tofaktor.py and sessioner.py."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as datoformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from mikrolaan.sider import paginer

from . import tofaktor
from .adgang import kraev_rolle
from .forms import KodeForm, NulstilForm, OpsaetningForm
from .models import Bruger, Rolle
from .sessioner import ikke_aktivitet, sekunder_tilbage


def _naeste(request) -> str:
    """Where to go after this step: the `next` asked for, if it is a page of ours."""
    naeste = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        naeste, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return naeste
    return reverse(settings.LOGIN_REDIRECT_URL)


def _med_naeste(url: str, naeste: str) -> str:
    return f"{url}?{urlencode({'next': naeste})}"


def _log_ind_med_enhed(request, enhed) -> None:
    otp_login(request, enhed)
    # A new session key at each step up in privilege, as Django's login() does for the password.
    request.session.cycle_key()


@never_cache
def tofaktor_kode(request):
    naeste = _naeste(request)
    if request.user.is_verified():
        return redirect(naeste)
    if not tofaktor.har_tofaktor(request.user):
        if settings.KRAEV_TOFAKTOR:
            return redirect(_med_naeste(reverse("konti:tofaktor_opret"), naeste))
        # Development: the user's devices were reset, so there is nothing left to ask for.
        request.session.pop(tofaktor.KRAEVET_I_SESSIONEN, None)
        return redirect(naeste)
    form = KodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resultat = tofaktor.verificer(bruger=request.user, kode=form.cleaned_data["kode"])
        if resultat.enhed is not None:
            _log_ind_med_enhed(request, resultat.enhed)
            return redirect(naeste)
        if resultat.spaerret_til is not None:
            form.add_error(
                "kode",
                _("For mange forkerte koder. Vent til kl. %(tid)s, og prøv igen.")
                % {"tid": datoformat(timezone.localtime(resultat.spaerret_til), "H:i:s")},
            )
        else:
            form.add_error(
                "kode",
                _(
                    "Koden er forkert eller allerede brugt. Skriv den kode, appen viser nu, "
                    "eller en reservekode, du ikke har brugt før."
                ),
            )
    return render(request, "konti/tofaktor.html", {"form": form, "naeste": naeste})


@never_cache
def tofaktor_opret(request):
    naeste = _naeste(request)
    if tofaktor.har_tofaktor(request.user):
        # A new phone needs another administrator's reset first: otherwise a stolen password
        # alone could move the second factor to the thief's phone.
        return render(request, "konti/tofaktor_opsat.html", {"naeste": naeste})
    noegle = tofaktor.ny_noegle(request)
    form = OpsaetningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opsaetning = tofaktor.bekraeft_opsaetning(
            bruger=request.user, noegle=noegle, kode=form.cleaned_data["kode"]
        )
        if opsaetning is None:
            form.add_error(
                "kode",
                _(
                    "Koden passer ikke. Tjek at telefonens ur går rigtigt, og skriv den kode, "
                    "appen viser nu."
                ),
            )
        else:
            del request.session[tofaktor.NY_NOEGLE]
            _log_ind_med_enhed(request, opsaetning.enhed)
            request.session[tofaktor.NYE_RESERVEKODER] = opsaetning.reservekoder
            return redirect(_med_naeste(reverse("konti:tofaktor_reservekoder"), naeste))
    url = tofaktor.opsaetnings_url(request.user, noegle)
    return render(
        request,
        "konti/tofaktor_opret.html",
        {
            "form": form,
            "naeste": naeste,
            "qr": tofaktor.qr_svg(url, _("QR-kode til godkendelses-appen")),
            "hemmelighed": tofaktor.hemmelighed_til_indtastning(noegle),
        },
    )


@never_cache
def tofaktor_reservekoder(request):
    # Shown once: taken out of the session as the page is made.
    koder = request.session.pop(tofaktor.NYE_RESERVEKODER, None)
    return render(
        request, "konti/tofaktor_reservekoder.html", {"koder": koder, "naeste": _naeste(request)}
    )


@never_cache
def tofaktor_brugere(request):
    kraev_rolle(request.user, Rolle.ADMINISTRATOR)
    brugere = (
        Bruger.objects.filter(is_active=True)
        .select_related("organisation")
        .annotate(
            har_tofaktor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("organisation__navn", "first_name", "last_name", "username")
    )
    return render(
        request,
        "konti/tofaktor_brugere.html",
        {"side": paginer(brugere, request.GET.get("side"))},
    )


@never_cache
def tofaktor_nulstil(request, pk: int):
    kraev_rolle(request.user, Rolle.ADMINISTRATOR)
    bruger = get_object_or_404(Bruger, pk=pk, is_active=True)
    form = NulstilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tofaktor.nulstil(
            bruger=bruger,
            af=request.user,
            begrundelse=form.cleaned_data["begrundelse"],
            request=request,
        )
        messages.success(
            request,
            _(
                "Tofaktor-login for %(navn)s er nulstillet. Ved næste log ind opsætter brugeren "
                "en ny godkendelses-app."
            )
            % {"navn": bruger},
        )
        return redirect("konti:tofaktor_brugere")
    return render(
        request,
        "konti/tofaktor_nulstil.html",
        {
            "form": form,
            "maal": bruger,
            "maa_nulstille": tofaktor.kan_nulstille(request.user, bruger),
            "har_tofaktor": tofaktor.har_tofaktor(bruger),
        },
    )


# --- Sessions -----------------------------------------------------------------------------


@login_not_required
@never_cache
def inaktiv(request):
    """The page an idle session ends on: why the user was logged out, and the way back in."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "konti/inaktiv.html",
        {
            "minutter": settings.SESSION_INAKTIV_SEKUNDER // 60,
            "log_ind_url": _med_naeste(reverse("konti:log_ind"), _naeste(request)),
        },
    )


@login_not_required
@ikke_aktivitet
@never_cache
def session_status(request):
    """How long the session has left, for the idle warning. Asking does not count as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"logget_ind": False})
    return JsonResponse({"logget_ind": True, "tilbage": sekunder_tilbage(request.session)})


@never_cache
def session_forlaeng(request):
    """ "Forbliv logget ind": a request like any other, which the middleware records as activity."""
    return JsonResponse({"logget_ind": True, "tilbage": sekunder_tilbage(request.session)})
