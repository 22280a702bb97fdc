"""The staff member's calendar feed: a random, revocable token in the URL, and the sessions as
iCalendar.

Calendar apps fetch the feed without a login and keep copies, so it names no citizens.
"""

import datetime
import hashlib
import secrets
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mikrolaan.konti.models import Bruger, Rolle

from ..kalenderlinks import Kalenderlink
from ..models import Aktivitet, Aktivitetsrettelse, Deltagelse

# How far back the feed reaches; older sessions are history, not a calendar.
KALENDER_DAGE_TILBAGE = 180


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def nyt_kalenderlink(*, bruger: Bruger) -> str:
    """A new feed token for `bruger`, replacing (and so revoking) any earlier one.

    The token is returned to be shown once; only its hash is kept.
    """
    token = secrets.token_urlsafe(32)
    Kalenderlink.objects.update_or_create(bruger=bruger, defaults={"token_hash": _hash(token)})
    return token


def tilbagekald_kalenderlink(*, brugere) -> None:
    """Remove the links of these users (ids or users): their feed URLs answer 404 from now on."""
    Kalenderlink.objects.filter(bruger__in=brugere).delete()


def kalender_bruger(*, token: str) -> Bruger | None:
    """The active course staff member whose link holds `token`, or None for any other token."""
    link = Kalenderlink.objects.select_related("bruger").filter(token_hash=_hash(token)).first()
    if link is None:
        return None
    bruger = link.bruger
    if not bruger.is_active or not bruger.har_rolle(Rolle.FORLOEBSMEDARBEJDER):
        return None
    return bruger


# --- Revocation ------------------------------------------------------------------------------
# Deactivating a user, changing their roles, organisation or password all happen in the ground
# floor (konti, the Django admin, `changepassword`), which cannot call up into forloeb; Django's
# model signals are the one place every one of those paths passes. Connected in forloeb/apps.py.

_VAGTE_FELTER = {"password", "is_active", "organisation", "organisation_id"}


def _bruger_gemmes(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    if update_fields is not None and not _VAGTE_FELTER & set(update_fields):
        return  # e.g. last_login at each login
    foer = (
        sender.objects.filter(pk=instance.pk)
        .values("password", "is_active", "organisation_id")
        .first()
    )
    if foer is None:
        return
    if (
        not instance.is_active
        or foer["password"] != instance.password
        or foer["organisation_id"] != instance.organisation_id
    ):
        tilbagekald_kalenderlink(brugere=[instance.pk])


def _roller_aendres(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        tilbagekald_kalenderlink(brugere=[instance.pk])
    elif action == "pre_clear":
        tilbagekald_kalenderlink(brugere=instance.user_set.all())
    else:
        tilbagekald_kalenderlink(brugere=pk_set or [])


def forbind_tilbagekaldelse() -> None:
    from django.db.models.signals import m2m_changed, pre_save

    pre_save.connect(_bruger_gemmes, sender=Bruger, dispatch_uid="forloeb.kalender.bruger")
    m2m_changed.connect(
        _roller_aendres, sender=Bruger.groups.through, dispatch_uid="forloeb.kalender.roller"
    )


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
