"""The staff member's calendar feed: a signed token in the URL, and the sessions as iCalendar.

Calendar apps fetch the feed without a login and keep copies, so it names no citizens.
"""

import datetime
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core import signing
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mikrolaan.konti.models import Bruger, Rolle

from ..models import Aktivitet, Aktivitetsrettelse, Deltagelse

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


def _antal(model, **opslag) -> Coalesce:
    """A per-session count as its own subquery (one per count, never a join that multiplies)."""
    return Coalesce(
        Subquery(
            model.objects.filter(aktivitet=OuterRef("pk"), **opslag)
            .order_by()
            .values("aktivitet")
            .annotate(antal=Count("pk"))
            .values("antal"),
            output_field=IntegerField(),
        ),
        0,
    )


def kalender_ical(*, bruger: Bruger) -> bytes:
    """The user's sessions as iCalendar: type, time, duration, place and the session's size.

    No citizen names, no CPR numbers and not the free-text description (which may name someone).
    A cancelled session stays in the feed with STATUS:CANCELLED (RFC 5545 §3.8.1.11), which is
    how a subscribed calendar learns to remove it; each correction or the cancellation raises its
    SEQUENCE (§3.8.7.4), so calendars take the newer version over the copy they keep.
    """
    fra = timezone.localdate() - datetime.timedelta(days=KALENDER_DAGE_TILBAGE)
    sessioner = (
        Aktivitet.objects.synlige_for(bruger)
        .filter(medarbejder=bruger, dato__gte=fra)
        .annotate(
            antal_deltagere=_antal(Deltagelse),
            antal_rettelser=_antal(Aktivitetsrettelse),
        )
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
            begivenhed.add("location", aktivitet.sted)
            stoerrelse = ngettext(
                "%(antal)d deltager", "%(antal)d deltagere", aktivitet.antal_deltagere
            ) % {"antal": aktivitet.antal_deltagere}
            if aktivitet.gaester:
                stoerrelse += " + " + ngettext(
                    "%(antal)d gæst", "%(antal)d gæster", aktivitet.gaester
                ) % {"antal": aktivitet.gaester}
            begivenhed.sequence = aktivitet.antal_rettelser + aktivitet.er_aflyst
            if aktivitet.er_aflyst:
                begivenhed.status = icalendar.enums.STATUS.CANCELLED
                # Calendars that show cancelled events rather than hide them say so in the title.
                begivenhed.add(
                    "summary",
                    _("Aflyst: %(type)s") % {"type": aktivitet.get_type_display()},
                )
                stoerrelse = _("Aflyst.")
            else:
                begivenhed.status = icalendar.enums.STATUS.CONFIRMED
                begivenhed.add("summary", aktivitet.get_type_display())
            begivenhed.add("description", stoerrelse)
            kalender.add_component(begivenhed)
    kalender.add_missing_timezones()
    return kalender.to_ical()
