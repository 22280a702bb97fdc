"""Writes of the intake: referral, the joint visitation and its sign-offs, the waiting list.

Admission itself (creating the Forloeb under the place agreement's capacity) belongs to
`forloeb.services`, which calls into this module — never the other way round.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from borgere.models import Borger
from mikrolaan.konti.adgang import SAGSROLLER
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import notificer

from .models import (
    AKTIVE_FORLOEB,
    Henvisning,
    Pladsaftale,
    Underskrift,
    VentelistePlads,
    Visitation,
)


def sagens_personer(henvisning: Henvisning) -> set[Bruger]:
    """The people working on a case: the referring caseworker and whoever signed the visitation."""
    personer = {henvisning.oprettet_af}
    visitation = getattr(henvisning, "visitation", None)
    if visitation is not None:
        personer |= {u.bruger for u in visitation.underskrifter.select_related("bruger")}
    return personer


@transaction.atomic
def henvisning_opret(
    *,
    bruger: Bruger,
    borger: Borger,
    pladsaftale: Pladsaftale,
    forretningsidee: str,
    motivation: str,
    forsoergelsesgrundlag,
    vurdering: str,
) -> Henvisning:
    """The caseworker refers a citizen; the provider's course staff are notified."""
    if not bruger.har_rolle(Rolle.SAGSBEHANDLER):
        raise PermissionDenied
    if (
        Henvisning.objects.filter(
            borger=borger,
            status__in=[
                Henvisning.Status.HENVIST,
                Henvisning.Status.AFVENTER_UNDERSKRIFT,
                Henvisning.Status.VENTELISTE,
            ],
        ).exists()
        or borger.forloeb.filter(status__in=AKTIVE_FORLOEB).exists()
    ):
        raise ValidationError(_("Borgeren har allerede en åben henvisning eller et aktivt forløb."))
    henvisning = Henvisning(
        borger=borger,
        pladsaftale=pladsaftale,
        jobcenter=bruger.organisation,
        forretningsidee=forretningsidee,
        motivation=motivation,
        forsoergelsesgrundlag=forsoergelsesgrundlag,
        vurdering=vurdering,
        oprettet_af=bruger,
    )
    try:
        with transaction.atomic():
            henvisning.save()
    except IntegrityError:
        # Two referrals of the same citizen at once: the partial unique constraint decides.
        raise ValidationError(_("Borgeren har allerede en åben henvisning.")) from None
    notificer(
        haendelse=Haendelse.HENVISNING_MODTAGET,
        modtagere=Bruger.objects.med_rolle(
            Rolle.FORLOEBSMEDARBEJDER, organisation_id=pladsaftale.leverandoer_id
        ),
        emne=_("Ny henvisning: %(navn)s") % {"navn": borger.navn},
        tekst=_("%(jobcenter)s har henvist %(navn)s til %(aftale)s. Visitationen kan planlægges.")
        % {"jobcenter": bruger.organisation, "navn": borger.navn, "aftale": pladsaftale},
        link=reverse("visitation:detalje", args=[henvisning.pk]),
    )
    return henvisning


def _kraev_part(bruger: Bruger, henvisning: Henvisning) -> None:
    if not bruger.har_rolle(*SAGSROLLER) or bruger.organisation_id not in henvisning.parter:
        raise PermissionDenied


@transaction.atomic
def visitation_opret(*, bruger: Bruger, henvisning: Henvisning, **vurderinger) -> Visitation:
    """Record the joint assessment and sign it for the recorder's organisation.

    The other party is then asked to sign the same decision.
    """
    _kraev_part(bruger, henvisning)
    henvisning = Henvisning.objects.select_for_update().get(pk=henvisning.pk)
    if henvisning.status != Henvisning.Status.HENVIST:
        raise ValidationError(_("Henvisningen er allerede visiteret."))
    visitation = Visitation(henvisning=henvisning, oprettet_af=bruger, **vurderinger)
    visitation.full_clean()
    visitation.save()
    henvisning.status = Henvisning.Status.AFVENTER_UNDERSKRIFT
    henvisning.save(update_fields=["status"])
    Underskrift.objects.create(
        visitation=visitation, organisation=bruger.organisation, bruger=bruger
    )
    andre = [o for o in henvisning.parter if o != bruger.organisation_id]
    notificer(
        haendelse=Haendelse.UNDERSKRIFT_AFVENTER,
        modtagere=Bruger.objects.med_rolle(*SAGSROLLER).filter(organisation_id__in=andre),
        emne=_("Visitation afventer underskrift: %(navn)s") % {"navn": henvisning.borger.navn},
        tekst=_(
            "%(org)s har underskrevet visitationen af %(navn)s (beslutning: %(beslutning)s). "
            "Den afventer din organisations underskrift."
        )
        % {
            "org": bruger.organisation,
            "navn": henvisning.borger.navn,
            "beslutning": visitation.get_beslutning_display(),
        },
        link=reverse("visitation:detalje", args=[henvisning.pk]),
    )
    return visitation


@transaction.atomic
def underskriv(*, bruger: Bruger, visitation: Visitation) -> Visitation:
    """Sign the visitation for the user's organisation. When every party has signed, the decision
    takes effect here for 'afvist' and 'venteliste'; 'optaget' is admitted by forloeb.services."""
    # Lock the visitation so two last signatures cannot both "complete" it.
    visitation = (
        Visitation.objects.select_for_update(of=("self",))
        .select_related("henvisning__pladsaftale", "henvisning__borger")
        .get(pk=visitation.pk)
    )
    henvisning = visitation.henvisning
    _kraev_part(bruger, henvisning)
    if visitation.afgjort is not None:
        raise ValidationError(_("Visitationen er allerede afgjort."))
    underskrifter = list(visitation.underskrifter.all())
    if any(u.bruger_id == bruger.pk for u in underskrifter):
        raise ValidationError(
            _(
                "Du har allerede underskrevet. Visitationen skal underskrives af en anden person "
                "fra den anden organisation."
            )
        )
    if any(u.organisation_id == bruger.organisation_id for u in underskrifter):
        raise ValidationError(
            _("%(org)s har allerede underskrevet.") % {"org": bruger.organisation}
        )
    Underskrift.objects.create(
        visitation=visitation, organisation=bruger.organisation, bruger=bruger
    )
    underskrevne = {u.organisation_id for u in underskrifter} | {bruger.organisation_id}
    if underskrevne >= set(henvisning.parter):
        visitation.afgjort = timezone.now()
        visitation.save(update_fields=["afgjort"])
        if visitation.beslutning == Visitation.Beslutning.AFVIST:
            henvisning.status = Henvisning.Status.AFVIST
            henvisning.save(update_fields=["status"])
        elif visitation.beslutning == Visitation.Beslutning.VENTELISTE:
            saet_paa_venteliste(henvisning=henvisning)
    return visitation


@transaction.atomic
def saet_paa_venteliste(*, henvisning: Henvisning) -> VentelistePlads:
    """Put the citizen last on the agreement's waiting list and tell the people on the case."""
    plads, _oprettet = VentelistePlads.objects.get_or_create(
        henvisning=henvisning, defaults={"pladsaftale": henvisning.pladsaftale}
    )
    henvisning.status = Henvisning.Status.VENTELISTE
    henvisning.save(update_fields=["status"])
    forloebsfolk = Bruger.objects.med_rolle(
        Rolle.FORLOEBSMEDARBEJDER, organisation_id=henvisning.pladsaftale.leverandoer_id
    )
    notificer(
        haendelse=Haendelse.VENTELISTE,
        modtagere=sagens_personer(henvisning) | set(forloebsfolk),
        emne=_("Sat på venteliste: %(navn)s") % {"navn": henvisning.borger.navn},
        tekst=_("%(navn)s er sat på venteliste til %(aftale)s som nr. %(nr)s.")
        % {"navn": henvisning.borger.navn, "aftale": henvisning.pladsaftale, "nr": plads.position},
        link=reverse("visitation:pladsaftale", args=[henvisning.pladsaftale_id]),
    )
    return plads
