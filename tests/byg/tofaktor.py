"""Two-factor login for tests: a user's authenticator app set up through the enrolment service,
and the code that app would show now (django-otp's TOTP, at whatever time the test travelled to).
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from mikrolaan.konti import tofaktor


def app_kode(noegle: str) -> str:
    """The six digits an authenticator app with the hex `noegle` shows at this moment."""
    return f"{totp(bytes.fromhex(noegle), digits=tofaktor.TOTP_CIFRE):06d}"


def opsaet_tofaktor(bruger, *, kode_brugt: bool = True) -> tofaktor.Opsaetning:
    """Enrol an app for `bruger` as the enrolment page does; its device and the backup codes.

    The code typed at enrolment is used up, so the app's next code comes 30 seconds later;
    `kode_brugt=False` forgets it, for a browser journey that cannot move the clock on."""
    noegle = random_hex(20)
    opsaetning = tofaktor.bekraeft_opsaetning(bruger=bruger, noegle=noegle, kode=app_kode(noegle))
    assert opsaetning is not None
    if not kode_brugt:
        TOTPDevice.objects.filter(pk=opsaetning.enhed.pk).update(last_t=-1)
    return opsaetning


def kode_til(bruger) -> str:
    """The code the user's enrolled app shows now."""
    return app_kode(TOTPDevice.objects.get(user=bruger, confirmed=True).key)


def med_kode_givet(klient, bruger):
    """`klient` (logged in as `bruger`) as if the code step had been passed with the user's app."""
    session = klient.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(
        user=bruger, confirmed=True
    ).persistent_id
    session.save()
    return klient
