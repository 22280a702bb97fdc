"""Writes of the programme: admission (indskrivning) under the place agreement's capacity."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import notificer
from visitation import services as visitation_services
from visitation.models import Henvisning, Pladsaftale, VentelistePlads, Visitation

from .models import Fase, Forloeb, planlagte_faser


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
            % {"dato": date_format(startdato, "SHORT_DATE_FORMAT")}
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
    henvisning.status = Henvisning.Status.OPTAGET
    henvisning.save(update_fields=["status"])
    VentelistePlads.objects.filter(henvisning=henvisning, afsluttet__isnull=True).update(
        afsluttet=timezone.now()
    )

    erhvervschefer = Bruger.objects.med_rolle(
        Rolle.ERHVERVSCHEF, organisation_id=pladsaftale.koeber_id
    )
    forloebsfolk = Bruger.objects.med_rolle(
        Rolle.FORLOEBSMEDARBEJDER, organisation_id=pladsaftale.leverandoer_id
    )
    notificer(
        haendelse=Haendelse.INDSKREVET,
        modtagere=set(erhvervschefer)
        | set(forloebsfolk)
        | visitation_services.sagens_personer(henvisning),
        emne=_("Indskrevet: %(navn)s") % {"navn": henvisning.borger.navn},
        tekst=_(
            "%(navn)s er indskrevet på %(aftale)s fra %(dato)s (%(brugt)s af %(pladser)s "
            "pladser i brug)."
        )
        % {
            "navn": henvisning.borger.navn,
            "aftale": pladsaftale,
            "dato": date_format(startdato, "SHORT_DATE_FORMAT"),
            "brugt": optagne + 1,
            "pladser": pladsaftale.antal_pladser,
        },
        link=reverse("visitation:pladsaftale", args=[pladsaftale.pk]),
    )
    return forloeb
