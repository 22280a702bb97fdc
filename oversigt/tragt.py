"""The programme's funnel for the Erhvervschef and the committee: of the citizens referred in a
period, how many were assessed, admitted, reached the main phase, were granted a loan, started a
business (a CVR at discharge) and were self-supporting at the 6- and 12-month follow-ups.

One query: each step is an EXISTS subquery on the referral (issue 13: no joins that multiply rows,
no DISTINCT counts), counted with a filtered COUNT. A referral is the unit, so a citizen referred
twice in the period counts twice — as the programme counts its places. The counts are persons:
they are published through `smaa_tal` (counts of 1 and 2 shown as `<3`, and no rate that would
give a hidden count away).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forloeb.models import Fase, Forloeb, Opfoelgning, Udskrivning
from laan.models import Laan
from mikrolaan.konti.models import Bruger
from visitation.models import Henvisning, Visitation

from .smaa_tal import Tal, andel, primaer

TRIN = (
    ("henvist", _("Henvist")),
    ("visiteret", _("Visiteret")),
    ("optaget", _("Optaget")),
    ("hovedforloeb", _("I hovedforløb")),
    ("laan_bevilget", _("Lån bevilget")),
    ("virksomhed", _("Virksomhed etableret (CVR)")),
    ("selvforsoergende_6", _("Selvforsørgende efter 6 måneder")),
    ("selvforsoergende_12", _("Selvforsørgende efter 12 måneder")),
)


@dataclass(frozen=True)
class Trin:
    noegle: str
    navn: str
    antal: Tal
    # The share of the step before that reached this one ("75 %"), or None (first step, or a
    # rate that would reveal a suppressed count).
    andel: str | None


def _selvforsoergende(maaneder: int) -> Exists:
    return Exists(
        Opfoelgning.objects.filter(
            forloeb__henvisning=OuterRef("pk"), maaneder=maaneder, selvforsoergende=True
        )
    )


def _midnat(dag: datetime.date) -> datetime.datetime:
    """The start of `dag` in the current (Danish) time zone."""
    return timezone.make_aware(datetime.datetime.combine(dag, datetime.time.min))


def tragt(*, bruger: Bruger, fra: datetime.date, til: datetime.date) -> list[Trin]:
    """The funnel of the referrals made in [fra, til] on the agreements the user follows."""
    trin = {
        "visiteret": Exists(
            Visitation.objects.filter(henvisning=OuterRef("pk"), afgjort__isnull=False)
        ),
        "optaget": Exists(Forloeb.objects.filter(henvisning=OuterRef("pk"))),
        "hovedforloeb": Exists(
            Fase.objects.filter(
                forloeb__henvisning=OuterRef("pk"),
                type=Fase.Type.HOVEDFORLOEB,
                faktisk_start__isnull=False,
            )
        ),
        "laan_bevilget": Exists(
            Laan.objects.filter(forloeb__henvisning=OuterRef("pk"), status__in=Laan.BEVILGEDE)
        ),
        "virksomhed": Exists(
            Udskrivning.objects.filter(forloeb__henvisning=OuterRef("pk")).exclude(cvr="")
        ),
        "selvforsoergende_6": _selvforsoergende(6),
        "selvforsoergende_12": _selvforsoergende(12),
    }
    antal = (
        Henvisning.objects.overvaagede_af(bruger)
        # A range of moments rather than `oprettet__date`: the date of a moment in Danish time
        # is an expression no index has, and the funnel read every referral (issue 13).
        .filter(oprettet__gte=_midnat(fra), oprettet__lt=_midnat(til + datetime.timedelta(days=1)))
        .aggregate(
            henvist=Count("pk"),
            **{navn: Count("pk", filter=betingelse) for navn, betingelse in trin.items()},
        )
    )
    resultat, forrige = [], None
    for noegle, navn in TRIN:
        tal = primaer(antal[noegle])
        resultat.append(
            Trin(noegle, str(navn), tal, andel(tal, forrige) if forrige is not None else None)
        )
        forrige = tal
    return resultat
