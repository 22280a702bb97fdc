"""Writes of the intake: referral, the joint visitation and its sign-offs, the waiting list.

Admission itself (creating the Forloeb under the place agreement's capacity) belongs to
`forloeb.services`, which calls into this module — never the other way round.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borgere.models import Borger
from mikrolaan.konti.adgang import SAGSROLLER, kraev
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import notificer

from . import regler
from .models import (
    Henvisning,
    Pladsaftale,
    Underskrift,
    VentelistePlads,
    Visitation,
)

AABEN_SAG = gettext_lazy("Borgeren har allerede en åben henvisning eller et aktivt forløb.")


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
    kraev(regler.kan_henvise(bruger))
    if regler.har_aaben_sag(borger):
        raise ValidationError(AABEN_SAG)
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
        raise ValidationError(AABEN_SAG) from None
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


@transaction.atomic
def visitation_opret(*, bruger: Bruger, henvisning: Henvisning, **vurderinger) -> Visitation:
    """Record the joint assessment and sign it for the recorder's organisation.

    The other party is then asked to sign the same decision.
    """
    kraev(regler.kan_visitere(bruger, henvisning))
    # Locked so two people recording the visitation at once cannot both create one.
    henvisning = Henvisning.objects.select_for_update().get(pk=henvisning.pk)
    if henvisning.status != Henvisning.Status.HENVIST:
        raise ValidationError(_("Henvisningen er allerede visiteret."))
    visitation = Visitation(henvisning=henvisning, oprettet_af=bruger, **vurderinger)
    visitation.full_clean()
    henvisning.skift_status(Henvisning.Status.AFVENTER_UNDERSKRIFT)
    visitation.save()
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
    kraev(regler.kan_visitere(bruger, henvisning))
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
            henvisning.skift_status(Henvisning.Status.AFVIST)
            henvisning.save(update_fields=["status"])
        elif visitation.beslutning == Visitation.Beslutning.VENTELISTE:
            saet_paa_venteliste(henvisning=henvisning)
    return visitation


@transaction.atomic
def saet_paa_venteliste(*, henvisning: Henvisning) -> VentelistePlads:
    """Put the citizen last on the agreement's waiting list and tell the people on the case."""
    henvisning.skift_status(Henvisning.Status.VENTELISTE)
    plads, _oprettet = VentelistePlads.objects.get_or_create(
        henvisning=henvisning, defaults={"pladsaftale": henvisning.pladsaftale}
    )
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


@transaction.atomic
def optag(*, henvisning: Henvisning) -> Henvisning:
    """The citizen has won a place (admission, in forloeb.services.indskriv, calls this under its
    lock on the place agreement): the referral holds the place, its waiting-list entry closes."""
    henvisning.skift_status(Henvisning.Status.OPTAGET)
    henvisning.save(update_fields=["status"])
    VentelistePlads.objects.filter(henvisning=henvisning, afsluttet__isnull=True).update(
        afsluttet=timezone.now()
    )
    return henvisning


@transaction.atomic
def frigiv_plads(*, henvisning: Henvisning) -> Henvisning:
    """The programme has ended (the discharge calls this): the referral no longer holds a place,
    so the place counts as free and the citizen may be referred again later."""
    henvisning.skift_status(Henvisning.Status.AFSLUTTET)
    henvisning.save(update_fields=["status"])
    return henvisning
