"""The Erhvervschef's weekly digest: every Monday at 08:00 (Danish time, beat schedule made by
migration oversigt/0001_ugebrev), one email through the outbox with last week's intake and
discharge, today's occupancy and what is overdue on the agreements she follows.

Exactly once per week and recipient: the notification's idempotency key is the ISO week
(`ugebrev:<år>-U<uge>`), so a second beat firing, a retried task or two workers create nothing
twice. A user who has turned the digest's email off in her notification choices gets no digest at
all (it exists for the email; the overview page has the same figures). Name-level only: names,
dates and reasons, never CPR or notes.
"""

import datetime

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forloeb.models import Forloeb
from laan import selectors as laan_selectors
from laan.models import Laan
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import EmailValg, Haendelse
from mikrolaan.notifikationer.services import koersel, notificer
from mikrolaan.tekst import kort_dato

from .ind_og_udskrivning import (
    belaegning,
    indskrivninger,
    som_indskrivninger,
    som_udskrivninger,
    udskrivninger,
)

OPGAVE = "oversigt.ugebrev"


def forrige_uge(idag: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday to Sunday of the week before the one `idag` is in."""
    mandag = idag - datetime.timedelta(days=idag.weekday() + 7)
    return mandag, mandag + datetime.timedelta(days=6)


def noegle(idag: datetime.date) -> str:
    aar, uge, _dag = idag.isocalendar()
    return f"ugebrev:{aar}-U{uge:02d}"


def send_ugebreve(*, idag: datetime.date | None = None) -> int:
    """Create this week's digests (once each); returns how many were created."""
    with koersel(OPGAVE) as k, translation.override(settings.LANGUAGE_CODE):
        idag = idag or timezone.localdate()
        fravalgt = set(
            EmailValg.objects.filter(haendelse=Haendelse.UGEBREV, email=False).values_list(
                "bruger_id", flat=True
            )
        )
        for chef in Bruger.objects.med_rolle(Rolle.ERHVERVSCHEF).exclude(pk__in=fravalgt):
            k.antal += len(
                notificer(
                    haendelse=Haendelse.UGEBREV,
                    modtagere=[chef],
                    emne=_("Ugebrev: ind- og udskrivning uge %(uge)s")
                    % {"uge": forrige_uge(idag)[0].isocalendar()[1]},
                    tekst=ugebrev_tekst(chef, idag),
                    link=reverse("oversigt:ind_og_udskrivning"),
                    noegle=noegle(idag),
                )
            )
        return k.antal


def ugebrev_tekst(chef: Bruger, idag: datetime.date) -> str:
    fra, til = forrige_uge(idag)
    # One week's names, all of them (the page shows a long period one page at a time).
    ind = som_indskrivninger(indskrivninger(bruger=chef, fra=fra, til=til))
    ud = som_udskrivninger(udskrivninger(bruger=chef, fra=fra, til=til))
    linjer = [
        _("Ind- og udskrivning i ugen %(fra)s–%(til)s på de pladsaftaler, du følger.")
        % {"fra": kort_dato(fra), "til": kort_dato(til)},
        "",
        _("Indskrevet: %(antal)s") % {"antal": len(ind)},
    ]
    linjer += [f"  {kort_dato(b.dato)}  {b.navn} ({b.pladsaftale})" for b in ind]
    linjer.append(_("Udskrevet: %(antal)s") % {"antal": len(ud)})
    linjer += [f"  {kort_dato(b.dato)}  {b.navn} ({b.pladsaftale}): {b.aarsag}" for b in ud]
    linjer += ["", _("Belægning i dag:")]
    linjer += [
        _("  %(aftale)s: %(optagne)s af %(pladser)s pladser i brug, %(ventende)s på venteliste")
        % {
            "aftale": a["navn"],
            "optagne": a["optagne"],
            "pladser": a["antal_pladser"],
            "ventende": a["ventende"],
        }
        for a in belaegning(bruger=chef)
    ]
    overskredne = (
        Forloeb.objects.overvaagede_af(chef)
        .aktive()
        .filter(faser__type=F("status"), faser__planlagt_slut__lt=idag)
        .count()
    )
    i_restance = laan_selectors.portefoelje(Laan.objects.overvaagede_af(chef)).antal_i_restance
    linjer += [
        "",
        _("Overskredet: %(faser)s forløb efter fasens planlagte slut, %(laan)s lån i restance.")
        % {"faser": overskredne, "laan": i_restance},
    ]
    return "\n".join(linjer)
