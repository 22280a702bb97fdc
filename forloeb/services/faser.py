"""The programme's phases: the move from the qualifying phase to the main phase on the course
staff's recorded assessment, and extending the current phase's planned end."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import notificer
from mikrolaan.tekst import kort_dato

from .. import regler
from ..models import FASE_MAANEDER, Fase, Faseforlaengelse, Forloeb, Overgangsvurdering
from .faelles import _fase, _fasepaamindelser_haandteret, _kun_fra, _laas, _sagsbehandlere

# The transition assessment's checklist: the qualifying phase's six elements and the business plan.
TJEKPUNKTER = (
    "personlig_vejledning",
    "erhvervscoaching",
    "finansiel_raadgivning",
    "regnskab",
    "skat",
    "moms",
    "forretningsplan_klar",
)
# How long a phase may last from its start, extensions included (four times its planned length).
MAKS_FASELAENGDE = relativedelta(years=2)


def overgangsadvarsler(
    forloeb: Forloeb, vurdering: dict, idag: datetime.date | None = None
) -> list[str]:
    """Why the move to the main phase is a judgement that needs a confirmation with a reason: it
    comes before the qualifying phase's planned end, or the checklist is incomplete. Empty when
    neither. Not a law, so the staff member may go on, but never by accident (issue 9 point 4)."""
    idag = idag or timezone.localdate()
    advarsler = []
    opkvalificering = next(
        (f for f in forloeb.faser.all() if f.type == Fase.Type.OPKVALIFICERING), None
    )
    if opkvalificering is not None and idag < opkvalificering.planlagt_slut:
        advarsler.append(
            _("Det opkvalificerende forløb er planlagt til at slutte %(dato)s, om %(dage)s dage.")
            % {
                "dato": kort_dato(opkvalificering.planlagt_slut),
                "dage": (opkvalificering.planlagt_slut - idag).days,
            }
        )
    mangler = [
        str(Overgangsvurdering._meta.get_field(navn).verbose_name)
        for navn in TJEKPUNKTER
        if not vurdering.get(navn)
    ]
    if mangler:
        advarsler.append(
            _("Tjeklisten er ikke fuldstændig. Ikke opfyldt: %(mangler)s.")
            % {"mangler": "; ".join(mangler)}
        )
    return advarsler


@transaction.atomic
def skift_til_hovedforloeb(
    *,
    bruger: Bruger,
    forloeb: Forloeb,
    bekraeftet: bool = False,
    begrundelse: str = "",
    **vurdering,
) -> Forloeb:
    """Move the programme to the main phase on the course staff's recorded assessment.

    `vurdering` is the assessment: the checklist booleans named in `TJEKPUNKTER` (a missing one is
    False, like an unticked box) and `anbefaling`, the recommendation, which is required.

    A move before the qualifying phase's planned end or with the checklist incomplete
    (`overgangsadvarsler`) needs `bekraeftet=True` and a `begrundelse`, kept on the assessment.

    The main phase is re-planned to run six calendar months from the day it actually starts, so a
    move a few days early or late moves its planned end with it (DOMAIN.md rule 5). The caseworkers
    on the case are notified.
    """
    forloeb = _laas(forloeb.pk)
    kraev(regler.kan_styre_forloeb(bruger, forloeb))
    ukendte = set(vurdering) - {*TJEKPUNKTER, "anbefaling"}
    if ukendte:
        raise TypeError(f"Ukendte felter i overgangsvurderingen: {', '.join(sorted(ukendte))}")
    # Refuses every move but opkvalificering → hovedforløb, before anything is written.
    _kun_fra(forloeb, Forloeb.Status.OPKVALIFICERING, Forloeb.Status.HOVEDFORLOEB)
    forloeb.skift_status(Forloeb.Status.HOVEDFORLOEB)
    anbefaling = str(vurdering.get("anbefaling") or "").strip()
    if not anbefaling:
        raise ValidationError({"anbefaling": _("Skriv en anbefaling.")})
    idag = timezone.localdate()
    if idag < forloeb.startdato:
        raise ValidationError(
            _("Forløbet begynder først %(dato)s.") % {"dato": kort_dato(forloeb.startdato)}
        )
    advarsler = overgangsadvarsler(forloeb, vurdering, idag)
    begrundelse = (begrundelse or "").strip() if advarsler else ""
    if advarsler and not bekraeftet:
        raise ValidationError(
            {
                "bekraeftet": " ".join(
                    [
                        *advarsler,
                        _(
                            "Bekræft, at borgeren skal gå videre til hovedforløbet alligevel, "
                            "og skriv hvorfor."
                        ),
                    ]
                )
            }
        )
    if advarsler and not begrundelse:
        raise ValidationError(
            {"begrundelse": _("Skriv, hvorfor borgeren skal gå videre til hovedforløbet nu.")}
        )

    Overgangsvurdering.objects.create(
        forloeb=forloeb,
        anbefaling=anbefaling,
        bekraeftelse=begrundelse,
        vurderet_af=bruger,
        **{navn: bool(vurdering.get(navn, False)) for navn in TJEKPUNKTER},
    )
    forloeb.save(update_fields=["status"])
    # Saved one by one rather than with .update(), so the change history records each date.
    opkvalificering = _fase(forloeb, Fase.Type.OPKVALIFICERING)
    opkvalificering.faktisk_slut = idag
    opkvalificering.save(update_fields=["faktisk_slut"])
    hovedforloeb = _fase(forloeb, Fase.Type.HOVEDFORLOEB)
    hovedforloeb.faktisk_start = idag
    hovedforloeb.planlagt_start = idag
    hovedforloeb.planlagt_slut = idag + relativedelta(months=FASE_MAANEDER)
    hovedforloeb.save(update_fields=["faktisk_start", "planlagt_start", "planlagt_slut"])
    _fasepaamindelser_haandteret(forloeb)

    navn = forloeb.borger.navn
    notificer(
        haendelse=Haendelse.FASESKIFT,
        modtagere=_sagsbehandlere(forloeb.henvisning),
        emne=_("Hovedforløb: %(navn)s") % {"navn": navn},
        tekst=_(
            "%(navn)s er gået fra det opkvalificerende forløb til hovedforløbet %(dato)s "
            "(vurderet af %(bruger)s). Hovedforløbet er planlagt til at slutte %(slut)s."
        )
        % {
            "navn": navn,
            "dato": kort_dato(idag),
            "bruger": bruger,
            "slut": kort_dato(hovedforloeb.planlagt_slut),
        },
        link=reverse("forloeb:detalje", args=[forloeb.pk]),
    )
    return forloeb


@transaction.atomic
def forlaeng_fase(
    *, bruger: Bruger, fase: Fase, ny_slut: datetime.date | None, begrundelse: str
) -> Faseforlaengelse:
    """Extend the current phase's planned end, always with a reason (DOMAIN.md rule 5).

    Extending the qualifying phase pushes the main phase: it is planned to start on the new end and
    to run six calendar months from there. Not "moved by the same number of days": the main phase
    is six calendar months long, and days and months disagree around month ends (31 Aug + 6 months
    is 28 Feb), so it is re-planned from its new start exactly as admission plans it.
    """
    forloeb = _laas(fase.forloeb_id)
    kraev(regler.kan_styre_forloeb(bruger, forloeb))
    fase = Fase.objects.get(pk=fase.pk)  # read again under the lock
    if not forloeb.er_aktiv:
        raise ValidationError(
            _("Forløbet er %(status)s, så faserne kan ikke forlænges.")
            % {"status": forloeb.get_status_display().lower()}
        )
    if fase.type != forloeb.status:
        raise ValidationError(
            _("Kun den aktuelle fase kan forlænges. Forløbet er i fasen %(fase)s.")
            % {"fase": Fase.Type(forloeb.status).label.lower()}
        )
    begrundelse = (begrundelse or "").strip()
    fejl = {}
    if ny_slut is None:
        fejl["ny_slut"] = _("Angiv den nye planlagte slutdato.")
    elif ny_slut <= fase.planlagt_slut:
        fejl["ny_slut"] = _(
            "Den nye slutdato skal ligge efter den nuværende planlagte slutdato, %(dato)s."
        ) % {"dato": kort_dato(fase.planlagt_slut)}
    elif ny_slut > (senest := (fase.faktisk_start or fase.planlagt_start) + MAKS_FASELAENGDE):
        # A six-month phase stretched past two years is a typo (2062, 9999), not an extension.
        fejl["ny_slut"] = _(
            "En fase kan højst vare %(aar)d år med forlængelser: den nye slutdato kan senest "
            "være %(dato)s."
        ) % {"aar": MAKS_FASELAENGDE.years, "dato": kort_dato(senest)}
    if not begrundelse:
        fejl["begrundelse"] = _("Skriv en begrundelse for forlængelsen.")
    if fejl:
        raise ValidationError(fejl)

    forlaengelse = Faseforlaengelse.objects.create(
        fase=fase,
        tidligere_slut=fase.planlagt_slut,
        ny_slut=ny_slut,
        begrundelse=begrundelse,
        oprettet_af=bruger,
    )
    fase.planlagt_slut = ny_slut
    fase.save(update_fields=["planlagt_slut"])
    if fase.type == Fase.Type.OPKVALIFICERING:
        hovedforloeb = _fase(forloeb, Fase.Type.HOVEDFORLOEB)
        hovedforloeb.planlagt_start = ny_slut
        hovedforloeb.planlagt_slut = ny_slut + relativedelta(months=FASE_MAANEDER)
        hovedforloeb.save(update_fields=["planlagt_start", "planlagt_slut"])
    _fasepaamindelser_haandteret(forloeb)
    return forlaengelse
