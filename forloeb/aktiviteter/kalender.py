"""The staff member's calendar feed: a signed token in the URL, and the sessions as iCalendar.

Calendar apps fetch the feed without a login and keep copies, so it names no citizens.
"""

import datetime
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core import signing
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mikrolaan.konti.models import Bruger, Rolle

from ..models import Aktivitet

# A fixed salt: a token signed for anything else (another feature's signed value) is not a feed.
KALENDER_SALT = "forloeb.aktiviteter.kalender"
# How far back the feed reaches; older sessions are history, not a calendar.
KALENDER_DAGE_TILBAGE = 180


def kalender_token(*, bruger: Bruger) -> str:
    """The user's feed token: signed, without a timestamp, so the link stays the same."""
    return signing.Signer(salt=KALENDER_SALT).sign_object({"bruger": bruger.pk})


def kalender_bruger(*, token: str) -> Bruger | None:
    """The active course staff member a token was signed for, or None for any bad token."""
    try:
        indhold = signing.Signer(salt=KALENDER_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    pk = indhold.get("bruger") if isinstance(indhold, dict) else None
    if not isinstance(pk, int):
        return None
    bruger = Bruger.objects.filter(pk=pk, is_active=True).first()
    if bruger is None or not bruger.har_rolle(Rolle.FORLOEBSMEDARBEJDER):
        return None
    return bruger


def kalender_ical(*, bruger: Bruger) -> bytes:
    """The user's sessions as iCalendar: type, time, duration, place and number of participants.

    No citizen names, no CPR numbers and not the free-text description (which may name someone).
    """
    fra = timezone.localdate() - datetime.timedelta(days=KALENDER_DAGE_TILBAGE)
    sessioner = (
        Aktivitet.objects.synlige_for(bruger)
        .filter(medarbejder=bruger, dato__gte=fra)
        .annotate(antal_deltagere=Count("deltagelser"))
        .order_by("dato", "starttid", "pk")
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    nu = timezone.now()
    kalender = icalendar.Calendar()
    with translation.override(settings.LANGUAGE_CODE):
        kalender.add("prodid", "-//Mikrolån//Aktiviteter//DA")
        kalender.add("version", "2.0")
        kalender.add("calscale", "GREGORIAN")
        kalender.add("x-wr-calname", _("Mikrolån – mine aktiviteter"))
        kalender.add("x-published-ttl", "PT1H")
        for aktivitet in sessioner:
            begivenhed = icalendar.Event()
            begivenhed.add("uid", f"aktivitet-{aktivitet.pk}@mikrolaan")
            begivenhed.add("dtstamp", nu)
            begivenhed.add(
                "dtstart", datetime.datetime.combine(aktivitet.dato, aktivitet.starttid, zone)
            )
            begivenhed.add("duration", datetime.timedelta(minutes=aktivitet.varighed))
            begivenhed.add("summary", aktivitet.get_type_display())
            begivenhed.add("location", aktivitet.sted)
            begivenhed.add(
                "description",
                ngettext("%(antal)d deltager", "%(antal)d deltagere", aktivitet.antal_deltagere)
                % {"antal": aktivitet.antal_deltagere},
            )
            kalender.add_component(begivenhed)
    kalender.add_missing_timezones()
    return kalender.to_ical()
