"""Discharge (udskrivning): ending the programme, freeing its place and planning the follow-ups
after 3, 6 and 12 months; and the referring jobcenter's recording of those follow-ups."""

import datetime

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
from mikrolaan.tekst import kort_dato
from visitation import services as visitation_services
from visitation.models import VentelistePlads

from .. import regler
from ..models import Forloeb, Opfoelgning, Udskrivning
from .faelles import _fase, _fasepaamindelser_haandteret, _laas


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


# --- The follow-ups after the discharge -------------------------------------------------------

# A follow-up may be recorded this long before it is due (the caseworker calls the citizen a little
# early, e.g. before a holiday); after the due date it can always be recorded.
OPFOELGNING_TIDLIGST = datetime.timedelta(days=14)


def kan_registreres(opfoelgning: Opfoelgning, idag: datetime.date | None = None) -> bool:
    """Not yet recorded, and due within `OPFOELGNING_TIDLIGST` (or overdue)."""
    idag = idag or timezone.localdate()
    return opfoelgning.registreret is None and idag >= (
        opfoelgning.forfalder - OPFOELGNING_TIDLIGST
    )


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
