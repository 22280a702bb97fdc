"""Admission (indskrivning): signing a visitation, and admitting the citizen to a place under the
place agreement's capacity, or to its waiting list when the agreement is full."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import marker_haandteret, notificer
from mikrolaan.tekst import kort_dato
from visitation import regler as visitation_regler
from visitation import services as visitation_services
from visitation.models import Henvisning, Pladsaftale, VentelistePlads, Visitation

from .. import regler
from ..models import Fase, Forloeb, planlagte_faser


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
