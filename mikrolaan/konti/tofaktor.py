"""Two-factor login: a TOTP app as the second factor, one-time backup codes for a lost phone.

django-otp keeps the devices and does the cryptography: a TOTP device remembers the last time step
it accepted (`last_t`), so a code works once, and both kinds of device slow down repeated wrong
codes (exponential throttling). What is ours: when a code is required (always in production,
`KRAEV_TOFAKTOR`; in development once a user has set it up), the enrolment that keeps the new secret
in the session until a code proves the phone has it, and the reset by another administrator.

The check is a middleware, not a decorator, so nothing can forget it: a user who has given their
password but no code reaches only the code step, enrolment, logout and the session endpoints — the
Django admin included.
"""

import re
import time
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import er_htmx

from .adgang import kraev
from .models import Bruger, Rolle

# Set at login when this session must give a code although the setting does not require it (a user
# in development who has set up two-factor login). sessioner.py writes it; the middleware reads it.
KRAEVET_I_SESSIONEN = "_tofaktor_kraevet"
# The secret being enrolled, kept server-side until a code proves the app has it: no device row
# exists before that, so opening the enrolment page changes nothing.
NY_NOEGLE = "_tofaktor_ny_noegle"
# The backup codes of a finished enrolment, shown once by the next page and then forgotten.
NYE_RESERVEKODER = "_tofaktor_nye_reservekoder"

RESERVEKODER_ANTAL = 10
TOTP_CIFRE = 6

# The pages a user who still owes a code may open (besides views marked @login_not_required).
UDEN_KODE = frozenset(
    {
        "konti:tofaktor",
        "konti:tofaktor_opret",
        "konti:log_ud",
        "konti:log_ind",
        "konti:session_forlaeng",
        "set_language",
    }
)


def kode_kraeves(request) -> bool:
    """Must this (logged-in) session give a second factor before it may see anything?"""
    return settings.KRAEV_TOFAKTOR or bool(request.session.get(KRAEVET_I_SESSIONEN))


def har_tofaktor(bruger) -> bool:
    return TOTPDevice.objects.filter(user=bruger, confirmed=True).exists()


class KraevTofaktorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        bruger = request.user
        if (
            not bruger.is_authenticated
            or not getattr(view_func, "login_required", True)
            or request.resolver_match.view_name in UDEN_KODE
            or not kode_kraeves(request)
            or bruger.is_verified()
        ):
            return None
        # Back to this page after the code; only a GET can be repeated safely.
        naeste = request.get_full_path() if request.method == "GET" and not er_htmx(request) else ""
        svar = redirect_to_login(naeste or reverse("forside"), reverse("konti:tofaktor"))
        if er_htmx(request):
            # htmx would swap the code page into a fragment of the page; send the whole tab there.
            hx = HttpResponse(status=204)
            hx["HX-Redirect"] = svar["Location"]
            return hx
        return svar


# --- Enrolment ----------------------------------------------------------------------------


def ny_noegle(request) -> str:
    """The secret being enrolled in this session (made on first use, as TOTPDevice would)."""
    if not request.session.get(NY_NOEGLE):
        request.session[NY_NOEGLE] = random_hex(20)
    return request.session[NY_NOEGLE]


def opsaetnings_url(bruger, noegle: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return TOTPDevice(user=bruger, key=noegle, digits=TOTP_CIFRE).config_url


def hemmelighed_til_indtastning(noegle: str) -> str:
    """The secret as base32 in groups of four, for an app that cannot scan."""
    tekst = b32encode(bytes.fromhex(noegle)).decode("ascii").rstrip("=")
    return " ".join(tekst[i : i + 4] for i in range(0, len(tekst), 4))


def qr_svg(data: str, beskrivelse: str) -> SafeString:
    """The QR code as inline SVG drawn on the server: no image service, no script, no data: URI."""
    kode = qrcode.QRCode(box_size=12, border=4, image_factory=qrcode.image.svg.SvgPathImage)
    kode.add_data(data)
    svg = kode.make_image().to_string(encoding="unicode")
    # Our own markup around a library's output of path data only: safe to mark as such.
    return mark_safe(  # noqa: S308
        svg.replace(
            "<svg ", f'<svg role="img" class="qr-kode" aria-label="{escape(beskrivelse)}" ', 1
        )
    )


def _totp_passer(noegle: str, kode: str) -> int | None:
    """The time step `kode` belongs to if it is the key's current code (one step either way)."""
    if not re.fullmatch(rf"\d{{{TOTP_CIFRE}}}", kode):
        return None
    totp = TOTP(bytes.fromhex(noegle), digits=TOTP_CIFRE)
    totp.time = time.time()
    return totp.t() if totp.verify(int(kode), tolerance=1) else None


@transaction.atomic
def bekraeft_opsaetning(*, bruger: Bruger, noegle: str, kode: str) -> "Opsaetning | None":
    """Make the enrolled secret the user's device if `kode` proves the app has it.

    Returns the new device with its backup codes (to be shown once), or None for a wrong code.
    Earlier devices of the user go: enrolment is open only to a user without a confirmed app
    (views enforce that), so these are leftovers of an abandoned or reset set-up.
    """
    trin = _totp_passer(noegle, normaliser(kode))
    if trin is None:
        return None
    TOTPDevice.objects.filter(user=bruger).delete()
    StaticDevice.objects.filter(user=bruger).delete()
    # last_t: the code just typed is used, so it cannot also open the next login.
    enhed = TOTPDevice.objects.create(
        user=bruger, name=_("Godkendelses-app"), key=noegle, digits=TOTP_CIFRE, last_t=trin
    )
    reserve = StaticDevice.objects.create(user=bruger, name=_("Reservekoder"))
    koder = [StaticToken.random_token() for _i in range(RESERVEKODER_ANTAL)]
    StaticToken.objects.bulk_create([StaticToken(device=reserve, token=k) for k in koder])
    return Opsaetning(enhed=enhed, reservekoder=koder)


@dataclass(frozen=True)
class Opsaetning:
    enhed: TOTPDevice
    reservekoder: list[str]


# --- Verification -------------------------------------------------------------------------


def normaliser(kode: str) -> str:
    """What the user typed, without the spaces and dashes people add, in the codes' lower case."""
    return re.sub(r"[\s-]", "", kode or "").lower()


@dataclass(frozen=True)
class Verificering:
    enhed: TOTPDevice | StaticDevice | None
    # Set when too many wrong codes mean no code is tried before this time (django-otp's throttle).
    spaerret_til: datetime | None = None


def verificer(*, bruger: Bruger, kode: str) -> Verificering:
    """Check a code from the app (six digits) or a backup code against the user's devices.

    Each kind of code is tried against its own kind of device only, so a wrong app code does not
    also count as a wrong backup code. The devices are locked for the check (for_verify), so two
    requests with the same code cannot both win.
    """
    kode = normaliser(kode)
    art = TOTPDevice if re.fullmatch(rf"\d{{{TOTP_CIFRE}}}", kode) else StaticDevice
    spaerret_til = None
    with transaction.atomic():
        for enhed in devices_for_user(bruger, confirmed=True, for_verify=True):
            if not isinstance(enhed, art):
                continue
            tilladt, detaljer = enhed.verify_is_allowed()
            if not tilladt:
                spaerret_til = (detaljer or {}).get("locked_until")
                continue
            if enhed.verify_token(kode):
                return Verificering(enhed=enhed)
    return Verificering(enhed=None, spaerret_til=spaerret_til)


# --- Reset by another administrator --------------------------------------------------------


def kan_nulstille(af: Bruger, bruger: Bruger) -> bool:
    """Another administrator, never the user themself: a reset lets whoever has the password
    enrol a new phone, so it must not be something a stolen password alone can do."""
    return af.is_authenticated and af.pk != bruger.pk and af.har_rolle(Rolle.ADMINISTRATOR)


@transaction.atomic
def nulstil(*, bruger: Bruger, af: Bruger, begrundelse: str, request=None) -> int:
    """Remove every two-factor device of `bruger`; their next login enrols a new app. Logged."""
    kraev(kan_nulstille(af, bruger))
    fjernet = 0
    for model in (TOTPDevice, StaticDevice):
        antal, _detaljer = model.objects.filter(user=bruger).delete()
        fjernet += antal
    log_adgang(
        bruger=af,
        handling=AdgangsLog.Handling.NULSTIL_TOFAKTOR,
        objekt=bruger,
        kriterier={"begrundelse": begrundelse},
        request=request,
    )
    return fjernet
