"""Writes of the programme: admission (indskrivning) under the place agreement's capacity, the
move to the main phase, phase extensions, discharge (udskrivning) and the follow-ups after it, and
the corrections of a mistake: undoing the move to the main phase, reopening a discharge, handing the
programme to another course staff member."""

import datetime
from collections.abc import Callable

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import ValidationError as StdnumValidationError

from borgere.models import Forsoergelsesgrundlag
from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import marker_haandteret, notificer
from mikrolaan.statusmaskine import UlovligOvergang
from mikrolaan.tekst import kort_dato
from visitation import regler as visitation_regler
from visitation import services as visitation_services
from visitation.models import Henvisning, Pladsaftale, VentelistePlads, Visitation

from . import regler
from .models import (
    FASE_MAANEDER,
    Fase,
    Faseforlaengelse,
    Forloeb,
    Forloebsrettelse,
    Opfoelgning,
    Overgangsvurdering,
    Udskrivning,
    planlagte_faser,
)


@transaction.atomic
def visitation_underskriv(*, bruger: Bruger, visitation: Visitation) -> Forloeb | None:
    """Sign a visitation; the last signature on an 'optaget' decision admits the citizen.

    This lives here rather than in visitation.services because admission creates a Forloeb.
    Returns the new programme, or None (still awaiting a signature, waiting list, rejected).
    """
    visitation = visitation_services.underskriv(bruger=bruger, visitation=visitation)
    if visitation.afgjort and visitation.beslutning == Visitation.Beslutning.OPTAGET:
        resultat = indskriv(bruger=bruger, henvisning=visitation.henvisning)
        return resultat if isinstance(resultat, Forloeb) else None
    return None


@transaction.atomic
def indskriv(
    *, bruger: Bruger, henvisning: Henvisning, startdato=None, fra_venteliste: bool = False
) -> Forloeb | VentelistePlads:
    """Admit the citizen to a place, or — when the agreement is full — to its waiting list.

    `fra_venteliste=True` is a staff member admitting the first in line to a freed place: then a
    full agreement is an error, not a new waiting-list entry.
    """
    # Lock the agreement's row first: every admission under this agreement queues here, so two
    # people admitting to the last place at the same moment cannot both see it free.
    pladsaftale = Pladsaftale.objects.select_for_update().get(pk=henvisning.pladsaftale_id)
    henvisning = (
        Henvisning.objects.select_for_update(of=("self",))
        .select_related("borger", "visitation", "pladsaftale")
        .get(pk=henvisning.pk)
    )
    kraev(visitation_regler.kan_indskrive(bruger, henvisning))
    visitation = getattr(henvisning, "visitation", None)
    if (
        visitation is None
        or visitation.afgjort is None
        or visitation.beslutning == Visitation.Beslutning.AFVIST
    ):
        raise ValidationError(
            _(
                "Borgeren kan først indskrives, når begge parter har underskrevet "
                "en visitation, der ikke er en afvisning."
            )
        )
    if henvisning.status == Henvisning.Status.OPTAGET:
        raise ValidationError(_("Borgeren er allerede indskrevet."))

    startdato = startdato or timezone.localdate()
    if not pladsaftale.gyldig_fra <= startdato <= pladsaftale.gyldig_til:
        raise ValidationError(
            _("Startdatoen %(dato)s ligger uden for pladsaftalens periode.")
            % {"dato": kort_dato(startdato)}
        )

    optagne = Forloeb.objects.filter(pladsaftale=pladsaftale, status__in=Forloeb.AKTIVE).count()
    ventende = list(
        VentelistePlads.objects.filter(pladsaftale=pladsaftale, afsluttet__isnull=True)
        .order_by("opskrevet", "id")
        .values_list("henvisning_id", flat=True)
    )
    foerst_i_koeen = not ventende or ventende[0] == henvisning.pk
    if optagne >= pladsaftale.antal_pladser or not foerst_i_koeen:
        if fra_venteliste:
            if optagne >= pladsaftale.antal_pladser:
                raise ValidationError(
                    _("Pladsaftalen er fuld: %(brugt)s af %(pladser)s pladser er i brug.")
                    % {"brugt": optagne, "pladser": pladsaftale.antal_pladser}
                )
            raise ValidationError(_("Den første på ventelisten skal indskrives først."))
        return visitation_services.saet_paa_venteliste(henvisning=henvisning)

    forloeb = Forloeb.objects.create(
        borger=henvisning.borger,
        henvisning=henvisning,
        pladsaftale=pladsaftale,
        startdato=startdato,
        oprettet_af=bruger,
        forloebsmedarbejder=_ansvarlig_ved_indskrivning(bruger, henvisning, pladsaftale),
    )
    Fase.objects.bulk_create(
        Fase(
            forloeb=forloeb,
            type=type_,
            planlagt_start=start,
            planlagt_slut=slut,
            faktisk_start=startdato if type_ == Fase.Type.OPKVALIFICERING else None,
        )
        for type_, start, slut in planlagte_faser(startdato)
    )
    visitation_services.optag(henvisning=henvisning)
    # The freed place is filled: the course staff's "Ledig plads" reminders are answered.
    marker_haandteret(
        link=reverse("visitation:pladsaftale", args=[pladsaftale.pk]),
        haendelser=[Haendelse.PAAMINDELSE],
        noegle_start="ledig_plads:",
    )

    erhvervschefer = set(
        Bruger.objects.med_rolle(Rolle.ERHVERVSCHEF, organisation_id=pladsaftale.koeber_id)
    )
    forloebsfolk = set(
        Bruger.objects.med_rolle(
            Rolle.FORLOEBSMEDARBEJDER, organisation_id=pladsaftale.leverandoer_id
        )
    )
    emne = _("Indskrevet: %(navn)s") % {"navn": henvisning.borger.navn}
    tekst = _(
        "%(navn)s er indskrevet på %(aftale)s fra %(dato)s (%(brugt)s af %(pladser)s "
        "pladser i brug)."
    ) % {
        "navn": henvisning.borger.navn,
        "aftale": pladsaftale,
        "dato": kort_dato(startdato),
        "brugt": optagne + 1,
        "pladser": pladsaftale.antal_pladser,
    }
    # As at discharge: the Erhvervschef has no case access, so her link is the place agreement's
    # page; the people on the case get the programme's, which also puts the news on the
    # citizen's timeline (it finds a citizen's notifications by their links).
    notificer(
        haendelse=Haendelse.INDSKREVET,
        modtagere=erhvervschefer,
        emne=emne,
        tekst=tekst,
        link=reverse("visitation:pladsaftale", args=[pladsaftale.pk]),
    )
    notificer(
        haendelse=Haendelse.INDSKREVET,
        modtagere=(forloebsfolk | visitation_services.sagens_personer(henvisning)) - erhvervschefer,
        emne=emne,
        tekst=tekst,
        link=reverse("forloeb:detalje", args=[forloeb.pk]),
    )
    return forloeb


def _ansvarlig_ved_indskrivning(
    bruger: Bruger, henvisning: Henvisning, pladsaftale: Pladsaftale
) -> Bruger | None:
    """Who runs the new programme: the admitting user if they are the provider's course staff
    (admission from the waiting list), else the provider's signer of the visitation, if course
    staff. None when neither is (the provider's staff then see it in "Alle forløb" and assign it).
    """
    if regler.kan_holde_aktiviteter(bruger, pladsaftale.leverandoer_id):
        return bruger
    underskrift = (
        henvisning.visitation.underskrifter.filter(organisation_id=pladsaftale.leverandoer_id)
        .select_related("bruger")
        .first()
    )
    if underskrift is not None and regler.kan_holde_aktiviteter(
        underskrift.bruger, pladsaftale.leverandoer_id
    ):
        return underskrift.bruger
    return None


# --- The programme's course: main phase, extensions, discharge, follow-ups -------------------

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
# A follow-up may be recorded this long before it is due (the caseworker calls the citizen a little
# early, e.g. before a holiday); after the due date it can always be recorded.
OPFOELGNING_TIDLIGST = datetime.timedelta(days=14)
# How long a phase may last from its start, extensions included (four times its planned length).
MAKS_FASELAENGDE = relativedelta(years=2)


def kan_registreres(opfoelgning: Opfoelgning, idag: datetime.date | None = None) -> bool:
    """Not yet recorded, and due within `OPFOELGNING_TIDLIGST` (or overdue)."""
    idag = idag or timezone.localdate()
    return opfoelgning.registreret is None and idag >= (
        opfoelgning.forfalder - OPFOELGNING_TIDLIGST
    )


def _laas(forloeb_id: int) -> Forloeb:
    """The programme's row, locked until the transaction ends.

    Every change of a programme's course (phase move, extension, discharge) takes this lock first,
    so two staff members acting on the same programme at the same moment are serialised: the second
    sees the first one's result ("already discharged") instead of both going through.
    """
    return (
        Forloeb.objects.select_for_update(of=("self",))
        .select_related("borger", "pladsaftale", "henvisning")
        .get(pk=forloeb_id)
    )


def _kun_fra(forloeb: Forloeb, fra: str, til: str) -> None:
    """Refuse, with the transition table's message, a service's move from any status but `fra`.

    The table also holds the way back from a discharge (genaabn_forloeb: afsluttet → hovedforløb,
    afbrudt → opkvalificering), so "the table allows it" is not enough for a service that makes
    one particular move: the move to the main phase is made only from the qualifying phase.
    """
    if forloeb.status != fra:
        raise UlovligOvergang(
            Forloeb.ULOVLIG_OVERGANG
            % {"fra": forloeb.get_status_display(), "til": Forloeb.Status(til).label}
        )
    forloeb.tjek_overgang(til)


def _fase(forloeb: Forloeb, type_: str) -> Fase:
    return Fase.objects.get(forloeb=forloeb, type=type_)


def _sagsbehandlere(henvisning: Henvisning) -> set[Bruger]:
    """The caseworkers on the case: the referring jobcenter's people among those working on it."""
    return {
        person
        for person in visitation_services.sagens_personer(henvisning)
        if person.organisation_id == henvisning.jobcenter_id
    }


def _fasepaamindelser_haandteret(forloeb: Forloeb) -> None:
    """The phase's reminders (forloeb.paamindelser: "ends soon", "overdue") are answered: the move
    is made, the phase extended or the citizen discharged. The reminders link to the citizen's
    page, and a citizen has one active programme, so these are this programme's."""
    marker_haandteret(
        link=reverse("borgere:detalje", args=[forloeb.borger_id]),
        haendelser=[Haendelse.PAAMINDELSE],
        noegle_start="paamindelse:fase",
    )


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


def _gyldigt_cvr(aarsag: str, cvr: str, fejl: dict) -> str:
    """The CVR number in its compact 8 digits, or "" (errors go into `fejl`)."""
    cvr = (cvr or "").strip()
    if aarsag != Udskrivning.Aarsag.EGEN_VIRKSOMHED:
        if cvr:
            fejl["cvr"] = _(
                "Angiv kun et CVR-nummer, når borgeren er udskrevet med egen virksomhed."
            )
        return ""
    if not cvr:
        fejl["cvr"] = _("Angiv virksomhedens CVR-nummer.")
        return ""
    try:
        return stdnum_cvr.validate(cvr)
    except StdnumValidationError:
        fejl["cvr"] = _("Ugyldigt CVR-nummer.")
        return ""


@transaction.atomic
def udskriv(
    *,
    bruger: Bruger,
    forloeb: Forloeb,
    dato: datetime.date | None,
    aarsag: str,
    cvr: str = "",
    virksomhed_startet: datetime.date | None = None,
    forsoergelse_efter: Forsoergelsesgrundlag | None,
    note: str = "",
) -> Udskrivning:
    """Discharge the citizen (DOMAIN.md rule 6): end the programme, free its place, plan the
    follow-ups after 3, 6 and 12 months, and tell the Erhvervschef and the people on the case.

    A "gennemført" reason completes the programme (afsluttet) and is only possible from the main
    phase; every other reason breaks it off (afbrudt). "Egen virksomhed" needs the CVR number and
    the day the business started, not before admission. When the agreement has a waiting list, the
    provider's course staff are reminded that a place is free and who is first in line.
    """
    forloeb = _laas(forloeb.pk)
    kraev(regler.kan_styre_forloeb(bruger, forloeb))
    if not forloeb.er_aktiv:
        raise ValidationError(
            _("Borgeren er allerede udskrevet (forløbet er %(status)s).")
            % {"status": forloeb.get_status_display().lower()}
        )
    fase = _fase(forloeb, forloeb.status)
    idag = timezone.localdate()

    fejl: dict[str, str] = {}
    if aarsag not in Udskrivning.Aarsag.values:
        fejl["aarsag"] = _("Vælg en årsag til udskrivningen.")
    elif aarsag in Udskrivning.GENNEMFOERT and forloeb.status == Forloeb.Status.OPKVALIFICERING:
        fejl["aarsag"] = _(
            "Borgeren er i det opkvalificerende forløb og kan ikke udskrives som gennemført: "
            "et forløb gennemføres i hovedforløbet. Vælg en anden årsag, eller skift først "
            "til hovedforløbet."
        )
    cvr = _gyldigt_cvr(aarsag, cvr, fejl)
    if aarsag != Udskrivning.Aarsag.EGEN_VIRKSOMHED:
        virksomhed_startet = None
    elif virksomhed_startet is None:
        fejl["virksomhed_startet"] = _("Angiv, hvornår virksomheden startede.")
    elif grund := regler.datofejl_i_forloeb(
        forloeb, virksomhed_startet, felt=_("Virksomhedens startdato")
    ):
        fejl["virksomhed_startet"] = grund
    if dato is None:
        fejl["dato"] = _("Angiv udskrivningsdatoen.")
    elif dato > idag:
        fejl["dato"] = _("Udskrivningsdatoen kan ikke ligge i fremtiden.")
    elif dato < forloeb.startdato:
        fejl["dato"] = _("Udskrivningsdatoen kan ikke ligge før forløbets start, %(dato)s.") % {
            "dato": kort_dato(forloeb.startdato)
        }
    elif fase.faktisk_start and dato < fase.faktisk_start:
        fejl["dato"] = _(
            "Udskrivningsdatoen kan ikke ligge før den aktuelle fase begyndte, %(dato)s."
        ) % {"dato": kort_dato(fase.faktisk_start)}
    if forsoergelse_efter is None:
        fejl["forsoergelse_efter"] = _("Vælg borgerens forsørgelsesgrundlag efter udskrivningen.")
    if fejl:
        raise ValidationError(fejl)

    forloeb.skift_status(
        Forloeb.Status.AFSLUTTET if aarsag in Udskrivning.GENNEMFOERT else Forloeb.Status.AFBRUDT
    )
    forloeb.save(update_fields=["status"])
    visitation_services.frigiv_plads(henvisning=forloeb.henvisning)
    fase.faktisk_slut = dato
    fase.save(update_fields=["faktisk_slut"])
    udskrivning = Udskrivning.objects.create(
        forloeb=forloeb,
        dato=dato,
        aarsag=aarsag,
        cvr=cvr,
        virksomhed_startet=virksomhed_startet,
        forsoergelse_efter=forsoergelse_efter,
        note=note.strip(),
        oprettet_af=bruger,
    )
    Opfoelgning.objects.bulk_create(
        Opfoelgning(forloeb=forloeb, maaneder=m, forfalder=dato + relativedelta(months=m))
        for m in Opfoelgning.MAANEDER
    )
    _fasepaamindelser_haandteret(forloeb)
    _meld_udskrivning(forloeb, udskrivning)
    return udskrivning


def _meld_udskrivning(forloeb: Forloeb, udskrivning: Udskrivning) -> None:
    """The discharge's notifications. Name-level texts: never the CPR number, never the note."""
    aftale = forloeb.pladsaftale
    navn = forloeb.borger.navn
    optagne = Forloeb.objects.filter(pladsaftale=aftale, status__in=Forloeb.AKTIVE).count()
    emne = _("Udskrevet: %(navn)s") % {"navn": navn}
    tekst = _(
        "%(navn)s er udskrevet fra %(aftale)s %(dato)s. Årsag: %(aarsag)s. "
        "%(brugt)s af %(pladser)s pladser er nu i brug."
    ) % {
        "navn": navn,
        "aftale": aftale,
        "dato": kort_dato(udskrivning.dato),
        "aarsag": udskrivning.get_aarsag_display(),
        "brugt": optagne,
        "pladser": aftale.antal_pladser,
    }
    # The buyer's Erhvervschef is kept informed of discharges as of intake (the memo). They cannot
    # open the programme (no case access), so their link is the place agreement's page.
    erhvervschefer = set(
        Bruger.objects.med_rolle(Rolle.ERHVERVSCHEF, organisation_id=aftale.koeber_id)
    )
    notificer(
        haendelse=Haendelse.UDSKREVET,
        modtagere=erhvervschefer,
        emne=emne,
        tekst=tekst,
        link=reverse("visitation:pladsaftale", args=[aftale.pk]),
    )
    notificer(
        haendelse=Haendelse.UDSKREVET,
        modtagere=visitation_services.sagens_personer(forloeb.henvisning) - erhvervschefer,
        emne=emne,
        tekst=tekst,
        link=reverse("forloeb:detalje", args=[forloeb.pk]),
    )

    # A freed place with people waiting is a task for the provider's course staff: a PAAMINDELSE
    # (a call to act) rather than a second UDSKREVET, so it stands out and its email can be chosen
    # apart from the discharge news. The waiting citizen's name is within their own case scope.
    foerste = (
        VentelistePlads.objects.ventende()
        .filter(pladsaftale=aftale)
        .select_related("henvisning__borger")
        .first()
    )
    if foerste is not None:
        notificer(
            haendelse=Haendelse.PAAMINDELSE,
            modtagere=Bruger.objects.med_rolle(
                Rolle.FORLOEBSMEDARBEJDER, organisation_id=aftale.leverandoer_id
            ),
            emne=_("Ledig plads på %(aftale)s") % {"aftale": aftale},
            tekst=_(
                "%(navn)s er udskrevet, så der er en ledig plads på %(aftale)s. "
                "Først på ventelisten er %(venter)s, der kan indskrives fra pladsaftalens side."
            )
            % {"navn": navn, "aftale": aftale, "venter": foerste.henvisning.borger.navn},
            link=reverse("visitation:pladsaftale", args=[aftale.pk]),
            noegle=f"ledig_plads:{forloeb.pk}",
        )


# --- Corrections: undo the move to the main phase, reopen a discharge, reassign -------------

# Later steps that make undoing the move to the main phase meaningless, registered by the apps
# above this one: a loan applied for in the main phase is laan's step, and forloeb may not import
# laan (imports point down), so laan registers a check here as it starts (laan.apps). Each check
# returns why the move cannot be undone, or None.
_FORTRYD_SPAERRINGER: list[Callable[[Forloeb], str | None]] = []


def spaer_fortryd_hovedforloeb(
    spaerring: Callable[[Forloeb], str | None],
) -> Callable[[Forloeb], str | None]:
    """Register a check that refuses undoing the move to the main phase (usable as a decorator)."""
    if spaerring not in _FORTRYD_SPAERRINGER:
        _FORTRYD_SPAERRINGER.append(spaerring)
    return spaerring


def _efter_fristen(tidspunkt: datetime.date, idag: datetime.date) -> bool:
    return idag > tidspunkt + datetime.timedelta(days=Forloeb.RETTEFRIST_DAGE)


def fortryd_hovedforloeb_spaerret(
    forloeb: Forloeb, idag: datetime.date | None = None
) -> str | None:
    """Why the move to the main phase can no longer be undone, or None: the main phase has lasted
    more than 30 days, it has been extended, or a later step (a loan) has been taken."""
    idag = idag or timezone.localdate()
    hovedforloeb = next(f for f in forloeb.faser.all() if f.type == Fase.Type.HOVEDFORLOEB)
    if hovedforloeb.faktisk_start and _efter_fristen(hovedforloeb.faktisk_start, idag):
        return _(
            "Overgangen kan kun fortrydes i %(dage)s dage. Hovedforløbet begyndte %(dato)s."
        ) % {"dage": Forloeb.RETTEFRIST_DAGE, "dato": kort_dato(hovedforloeb.faktisk_start)}
    if hovedforloeb.forlaengelser.exists():
        return _("Hovedforløbet er forlænget, så overgangen kan ikke længere fortrydes.")
    for spaerring in _FORTRYD_SPAERRINGER:
        if grund := spaerring(forloeb):
            return grund
    return None


def _rettelse_begrundelse(begrundelse: str) -> str:
    begrundelse = (begrundelse or "").strip()
    if not begrundelse:
        raise ValidationError({"begrundelse": _("Skriv en begrundelse for rettelsen.")})
    return begrundelse


@transaction.atomic
def fortryd_hovedforloeb(*, bruger: Bruger, forloeb: Forloeb, begrundelse: str) -> Forloeb:
    """Undo a move to the main phase registered by mistake, through the transition table.

    The qualifying phase is current again with its planned end; the main phase is planned from
    that end as admission plans it; the assessment behind the move stays in the history, annulled,
    so a later move needs a new one. Refused after 30 days in the main phase, after an extension
    of it, or once a later step (a loan application) has been taken. The caseworkers are told.
    """
    forloeb = _laas(forloeb.pk)
    kraev(regler.kan_fortryde_hovedforloeb(bruger, forloeb))
    # Refuses every state but hovedforløb, before anything is written.
    _kun_fra(forloeb, Forloeb.Status.HOVEDFORLOEB, Forloeb.Status.OPKVALIFICERING)
    begrundelse = _rettelse_begrundelse(begrundelse)
    if grund := fortryd_hovedforloeb_spaerret(forloeb):
        raise ValidationError(grund)

    fra_status = forloeb.status
    forloeb.skift_status(Forloeb.Status.OPKVALIFICERING)
    forloeb.save(update_fields=["status"])
    opkvalificering = _fase(forloeb, Fase.Type.OPKVALIFICERING)
    opkvalificering.faktisk_slut = None
    opkvalificering.save(update_fields=["faktisk_slut"])
    hovedforloeb = _fase(forloeb, Fase.Type.HOVEDFORLOEB)
    hovedforloeb.faktisk_start = None
    hovedforloeb.planlagt_start = opkvalificering.planlagt_slut
    hovedforloeb.planlagt_slut = opkvalificering.planlagt_slut + relativedelta(months=FASE_MAANEDER)
    hovedforloeb.save(update_fields=["faktisk_start", "planlagt_start", "planlagt_slut"])
    vurdering = Overgangsvurdering.objects.get(forloeb=forloeb)
    vurdering.forloeb, vurdering.annulleret_forloeb = None, forloeb
    vurdering.save(update_fields=["forloeb", "annulleret_forloeb"])
    Forloebsrettelse.objects.create(
        forloeb=forloeb,
        handling=Forloebsrettelse.Handling.HOVEDFORLOEB_FORTRUDT,
        fra_status=fra_status,
        til_status=forloeb.status,
        overgangsvurdering=vurdering,
        begrundelse=begrundelse,
        udfoert_af=bruger,
    )

    navn = forloeb.borger.navn
    notificer(
        haendelse=Haendelse.FASESKIFT,
        modtagere=_sagsbehandlere(forloeb.henvisning),
        emne=_("Tilbage i det opkvalificerende forløb: %(navn)s") % {"navn": navn},
        tekst=_(
            "Overgangen til hovedforløbet for %(navn)s er fortrudt af %(bruger)s: %(grund)s "
            "Borgeren er igen i det opkvalificerende forløb, der er planlagt til at slutte "
            "%(slut)s."
        )
        % {
            "navn": navn,
            "bruger": bruger,
            "grund": begrundelse,
            "slut": kort_dato(opkvalificering.planlagt_slut),
        },
        link=reverse("forloeb:detalje", args=[forloeb.pk]),
    )
    return forloeb


def genaabn_spaerret(forloeb: Forloeb, idag: datetime.date | None = None) -> str | None:
    """Why the programme's discharge can no longer be reopened, or None (the place is checked
    under the agreement's lock by `genaabn_forloeb`)."""
    idag = idag or timezone.localdate()
    udskrivning = forloeb.udskrivning
    registreret = timezone.localdate(udskrivning.oprettet)
    if _efter_fristen(registreret, idag):
        return _(
            "En udskrivning kan kun annulleres i %(dage)s dage. Den blev registreret %(dato)s."
        ) % {"dage": Forloeb.RETTEFRIST_DAGE, "dato": kort_dato(registreret)}
    if any(o.registreret is not None for o in forloeb.opfoelgninger.all()):
        return _(
            "Der er registreret en opfølgning efter udskrivningen, så den kan ikke annulleres."
        )
    return None


@transaction.atomic
def genaabn_forloeb(*, bruger: Bruger, forloeb: Forloeb, begrundelse: str) -> Forloeb:
    """Reopen a discharge registered by mistake: the programme returns to the phase it was in.

    Within 30 days of the registration, by the person who registered it or an administrator of an
    organisation on the case. The discharge stays in the history, annulled; the follow-ups it
    planned are removed (refused when one has been recorded). The place is taken again only if
    one is free; the referral holds it again (visitation.services.genoptag_plads). The
    Erhvervschef is told, as of every intake and discharge, and so are the people on the case.
    """
    # The agreement's row first, as admission takes it: every admission and reopening under this
    # agreement queues here, so a reopening and an admission cannot both take the last place.
    pladsaftale = Pladsaftale.objects.select_for_update().get(pk=forloeb.pladsaftale_id)
    forloeb = _laas(forloeb.pk)
    udskrivning = getattr(forloeb, "udskrivning", None)
    if udskrivning is None:
        raise ValidationError(_("Forløbet er ikke udskrevet."))
    kraev(regler.kan_genaabne_udskrivning(bruger, forloeb))
    hovedforloeb = _fase(forloeb, Fase.Type.HOVEDFORLOEB)
    # The phase it was in: the main phase if it ever began.
    til_status = Forloeb.Status.OPKVALIFICERING
    if hovedforloeb.faktisk_start:
        til_status = Forloeb.Status.HOVEDFORLOEB
    forloeb.tjek_overgang(til_status)
    begrundelse = _rettelse_begrundelse(begrundelse)
    if grund := genaabn_spaerret(forloeb):
        raise ValidationError(grund)
    # Counted as admission counts them, under the same lock.
    optagne = Forloeb.objects.filter(pladsaftale=pladsaftale, status__in=Forloeb.AKTIVE).count()
    if optagne >= pladsaftale.antal_pladser:
        raise ValidationError(
            _(
                "Forløbet kan ikke genåbnes: pladsaftalen er fuld (%(brugt)s af %(pladser)s "
                "pladser er i brug). Borgeren kan henvises igen, eller der kan frigøres en plads."
            )
            % {"brugt": optagne, "pladser": pladsaftale.antal_pladser}
        )
    visitation_services.genoptag_plads(henvisning=forloeb.henvisning)

    fra_status = forloeb.status
    forloeb.skift_status(til_status)
    forloeb.save(update_fields=["status"])
    fase = _fase(forloeb, til_status)
    fase.faktisk_slut = None
    fase.save(update_fields=["faktisk_slut"])
    # The follow-ups the discharge planned; none has been recorded (checked above). Deleted one by
    # one so the change history records each.
    for opfoelgning in Opfoelgning.objects.filter(forloeb=forloeb):
        opfoelgning.delete()
    udskrivning.forloeb, udskrivning.annulleret_forloeb = None, forloeb
    udskrivning.save(update_fields=["forloeb", "annulleret_forloeb"])
    forloeb.udskrivning = None
    Forloebsrettelse.objects.create(
        forloeb=forloeb,
        handling=Forloebsrettelse.Handling.UDSKRIVNING_ANNULLERET,
        fra_status=fra_status,
        til_status=til_status,
        udskrivning=udskrivning,
        begrundelse=begrundelse,
        udfoert_af=bruger,
    )
    _meld_genaabning(forloeb, udskrivning, bruger, begrundelse, optagne + 1)
    return forloeb


def _meld_genaabning(
    forloeb: Forloeb, udskrivning: Udskrivning, bruger: Bruger, begrundelse: str, brugt: int
) -> None:
    """Told like the discharge itself (UDSKREVET): the Erhvervschef by name, place and count, never
    the reason (it may hold personal details); the people on the case with the reason."""
    aftale = forloeb.pladsaftale
    navn = forloeb.borger.navn
    emne = _("Udskrivning annulleret: %(navn)s") % {"navn": navn}
    tekst = _(
        "Udskrivningen af %(navn)s fra %(aftale)s %(dato)s er annulleret, fordi den var "
        "registreret ved en fejl. Borgeren er igen i forløbet (%(status)s). %(brugt)s af "
        "%(pladser)s pladser er nu i brug."
    ) % {
        "navn": navn,
        "aftale": aftale,
        "dato": kort_dato(udskrivning.dato),
        "status": forloeb.get_status_display().lower(),
        "brugt": brugt,
        "pladser": aftale.antal_pladser,
    }
    erhvervschefer = set(
        Bruger.objects.med_rolle(Rolle.ERHVERVSCHEF, organisation_id=aftale.koeber_id)
    )
    notificer(
        haendelse=Haendelse.UDSKREVET,
        modtagere=erhvervschefer,
        emne=emne,
        tekst=tekst,
        link=reverse("visitation:pladsaftale", args=[aftale.pk]),
    )
    sagens = visitation_services.sagens_personer(forloeb.henvisning)
    if forloeb.forloebsmedarbejder_id:
        sagens.add(forloeb.forloebsmedarbejder)
    notificer(
        haendelse=Haendelse.UDSKREVET,
        modtagere=sagens - erhvervschefer - {bruger},
        emne=emne,
        tekst=tekst
        + " "
        + _("Annulleret af %(bruger)s: %(grund)s") % {"bruger": bruger, "grund": begrundelse},
        link=reverse("forloeb:detalje", args=[forloeb.pk]),
    )


def mulige_forloebsmedarbejdere(forloeb: Forloeb):
    """The provider's active course staff: whom a programme can be handed to."""
    return Bruger.objects.med_rolle(
        Rolle.FORLOEBSMEDARBEJDER, organisation_id=forloeb.pladsaftale.leverandoer_id
    ).order_by("first_name", "last_name", "username")


@transaction.atomic
def omfordel_forloeb(
    *, bruger: Bruger, forloeb: Forloeb, ny_medarbejder: Bruger | None, begrundelse: str
) -> Forloeb:
    """Hand the programme to another course staff member of the provider, with a reason. The new
    person is told; "Mine forløb" and the phase reminders follow the programme's
    `forloebsmedarbejder` from now on."""
    forloeb = _laas(forloeb.pk)
    kraev(regler.kan_omfordele(bruger, forloeb))
    if not forloeb.er_aktiv:
        raise ValidationError(
            _("Forløbet er %(status)s og kan ikke omfordeles.")
            % {"status": forloeb.get_status_display().lower()}
        )
    fejl = {}
    if ny_medarbejder is None:
        fejl["ny_medarbejder"] = _("Vælg den forløbsmedarbejder, der skal overtage forløbet.")
    elif not mulige_forloebsmedarbejdere(forloeb).filter(pk=ny_medarbejder.pk).exists():
        fejl["ny_medarbejder"] = _(
            "Forløbet kan kun omfordeles til en forløbsmedarbejder hos %(org)s."
        ) % {"org": forloeb.pladsaftale.leverandoer}
    elif ny_medarbejder.pk == forloeb.forloebsmedarbejder_id:
        fejl["ny_medarbejder"] = _("%(navn)s har allerede forløbet.") % {"navn": ny_medarbejder}
    if not (begrundelse or "").strip():
        fejl["begrundelse"] = _("Skriv en begrundelse for rettelsen.")
    if fejl:
        raise ValidationError(fejl)

    fra = forloeb.forloebsmedarbejder
    forloeb.forloebsmedarbejder = ny_medarbejder
    forloeb.save(update_fields=["forloebsmedarbejder"])
    Forloebsrettelse.objects.create(
        forloeb=forloeb,
        handling=Forloebsrettelse.Handling.OMFORDELT,
        fra_status=forloeb.status,
        til_status=forloeb.status,
        fra_medarbejder=fra,
        til_medarbejder=ny_medarbejder,
        begrundelse=begrundelse.strip(),
        udfoert_af=bruger,
    )
    navn = forloeb.borger.navn
    # A call to act for the new person (PAAMINDELSE, like a freed place), not news.
    notificer(
        haendelse=Haendelse.PAAMINDELSE,
        modtagere={ny_medarbejder} - {bruger},
        emne=_("Forløb overdraget til dig: %(navn)s") % {"navn": navn},
        tekst=_("%(bruger)s har overdraget forløbet for %(navn)s til dig: %(grund)s")
        % {"bruger": bruger, "navn": navn, "grund": begrundelse.strip()},
        link=reverse("forloeb:detalje", args=[forloeb.pk]),
    )
    return forloeb


@transaction.atomic
def registrer_opfoelgning(
    *,
    bruger: Bruger,
    opfoelgning: Opfoelgning,
    selvforsoergende: bool | None,
    forsoergelsesgrundlag: Forsoergelsesgrundlag | None,
    note: str = "",
) -> Opfoelgning:
    """The referring jobcenter's caseworker records a follow-up: is the citizen self-supporting?

    Possible from 14 days before it is due; any time after. Recorded once.
    """
    # Locked so two caseworkers recording the same follow-up at once cannot both write it.
    opfoelgning = (
        Opfoelgning.objects.select_for_update(of=("self",))
        .select_related("forloeb__henvisning")
        .get(pk=opfoelgning.pk)
    )
    kraev(regler.kan_foelge_op(bruger, opfoelgning.forloeb))
    if opfoelgning.registreret is not None:
        raise ValidationError(
            _("Opfølgningen efter %(maaneder)s måneder er allerede registreret.")
            % {"maaneder": opfoelgning.maaneder}
        )
    if not kan_registreres(opfoelgning):
        raise ValidationError(
            _(
                "Opfølgningen efter %(maaneder)s måneder forfalder %(forfalder)s og kan "
                "tidligst registreres %(tidligst)s."
            )
            % {
                "maaneder": opfoelgning.maaneder,
                "forfalder": kort_dato(opfoelgning.forfalder),
                "tidligst": kort_dato(opfoelgning.forfalder - OPFOELGNING_TIDLIGST),
            }
        )
    fejl = {}
    if selvforsoergende is None:
        fejl["selvforsoergende"] = _("Angiv, om borgeren er selvforsørgende.")
    if forsoergelsesgrundlag is None:
        fejl["forsoergelsesgrundlag"] = _("Vælg borgerens forsørgelsesgrundlag.")
    if fejl:
        raise ValidationError(fejl)
    opfoelgning.selvforsoergende = bool(selvforsoergende)
    opfoelgning.forsoergelsesgrundlag = forsoergelsesgrundlag
    opfoelgning.note = note.strip()
    opfoelgning.registreret = timezone.now()
    opfoelgning.registreret_af = bruger
    opfoelgning.save(
        update_fields=[
            "selvforsoergende",
            "forsoergelsesgrundlag",
            "note",
            "registreret",
            "registreret_af",
        ]
    )
    marker_haandteret(
        link=reverse("borgere:detalje", args=[opfoelgning.forloeb.borger_id]),
        noegle=f"paamindelse:opfoelgning:{opfoelgning.pk}",
    )
    return opfoelgning
