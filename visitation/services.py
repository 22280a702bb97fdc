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
from mikrolaan.notifikationer.services import marker_haandteret, notificer

from . import regler
from .models import (
    Henvisning,
    Henvisningsrettelse,
    Pladsaftale,
    Underskrift,
    VentelistePlads,
    Visitation,
)

AABEN_SAG = gettext_lazy("Borgeren har allerede en åben henvisning eller et aktivt forløb.")


def sagens_personer(henvisning: Henvisning) -> set[Bruger]:
    """The people working on a case: the responsible caseworker and whoever signed the
    visitation."""
    personer = {henvisning.sagsbehandler}
    visitation = getattr(henvisning, "visitation", None)
    if visitation is not None:
        personer |= {u.bruger for u in visitation.underskrifter.select_related("bruger")}
    return personer


def _haandteret(henvisning: Henvisning, *haendelser: Haendelse) -> None:
    """The referral's page no longer asks for this work (visitation, signature): its
    notifications are marked handled, and the inbox's task has gone with the work."""
    marker_haandteret(
        link=reverse("visitation:detalje", args=[henvisning.pk]), haendelser=haendelser
    )


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
    """The caseworker refers a citizen; the provider's course staff are notified.

    Only to an agreement the caseworker's jobcenter takes part in (its own municipality's, or one
    it serves): the referral shares the citizen, and the CPR reveal, with the provider. The form
    offers no other; this refuses a forged one with a message, before anything is saved or sent.
    """
    kraev(regler.kan_henvise(bruger))
    # Read afresh from the database: the caller's instance may carry a stale (or forged) buyer.
    pladsaftale = Pladsaftale.objects.select_related("koeber", "leverandoer").get(pk=pladsaftale.pk)
    if not regler.kan_henvise_til(bruger, pladsaftale):
        raise ValidationError(
            {
                "pladsaftale": _(
                    "Du kan kun henvise til pladsaftaler, som %(org)s er part i – som køber "
                    "eller som jobcenter for den kommune, der køber pladserne."
                )
                % {"org": bruger.organisation}
            }
        )
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
        sagsbehandler=bruger,
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
    _haandteret(henvisning, Haendelse.HENVISNING_MODTAGET)
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
    takes effect here for 'afvist' and 'venteliste'; 'optaget' is admitted by
    forloeb.services.indskrivning."""
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
    # Read the status afresh: a withdrawal holds the visitation's lock while it commits, and the
    # referral joined above was read before that lock was granted.
    if not Henvisning.objects.filter(
        pk=henvisning.pk, status=Henvisning.Status.AFVENTER_UNDERSKRIFT
    ).exists():
        raise ValidationError(
            _("Henvisningen er trukket tilbage, så visitationen kan ikke underskrives.")
        )
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
    _haandteret(henvisning, Haendelse.UNDERSKRIFT_AFVENTER)
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
    """The citizen has won a place (admission, in forloeb.services.indskrivning.indskriv, calls this
    under its lock on the place agreement): the referral holds the place, its waiting-list entry
    closes."""
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


@transaction.atomic
def genoptag_plads(*, henvisning: Henvisning) -> Henvisning:
    """A discharge registered by mistake is reopened (forloeb's reopening calls this): the referral
    holds its place again. The caller has checked, under the place agreement's lock, that a place
    is free, and who may reopen and until when; this only refuses a citizen who has been referred
    again since the discharge, since a citizen has one open case at a time.

    Returns the referral as saved; the caller's instance gets the new status too."""
    # Locked so the status read here is the one the move is made from.
    laast = Henvisning.objects.select_for_update().get(pk=henvisning.pk)
    laast.tjek_overgang(Henvisning.Status.OPTAGET)
    if regler.har_aaben_sag(laast.borger_id):
        raise ValidationError(
            _(
                "Forløbet kan ikke genoptages: borgeren er henvist igen efter udskrivningen. "
                "Træk den nye henvisning tilbage først."
            )
        )
    laast.skift_status(Henvisning.Status.OPTAGET)
    laast.save(update_fields=["status"])
    henvisning.status = laast.status
    return laast


# --- Corrections: withdraw a referral, remove from the waiting list, reassign the case --------
# Each takes a reason, writes a Henvisningsrettelse (who, when, why) and tells the people a
# caseworker would expect to hear of it, with an idempotency key per correction.


def _begrundelse(begrundelse: str) -> str:
    begrundelse = (begrundelse or "").strip()
    if not begrundelse:
        raise ValidationError({"begrundelse": _("Skriv en begrundelse.")})
    return begrundelse


def _laas_til_rettelse(henvisning: Henvisning) -> Henvisning:
    """The referral's row, locked, after the locks that admission and signing take.

    The order is the one the last signature takes (the visitation, then the place agreement for
    the admission, then the referral), so a correction and a signature or an admission of the
    first in line never wait for each other in a circle; whichever comes second sees the first's
    result (withdrawn, admitted) instead of overwriting it.
    """
    Visitation.objects.select_for_update().filter(henvisning_id=henvisning.pk).first()
    Pladsaftale.objects.select_for_update().get(pk=henvisning.pladsaftale_id)
    return (
        Henvisning.objects.select_for_update(of=("self",))
        .select_related("borger", "pladsaftale", "sagsbehandler")
        .get(pk=henvisning.pk)
    )


def _luk_ventelisteplads(henvisning: Henvisning) -> None:
    """Close the citizen's place in the queue; the others' positions are counted from the open
    rows (`VentelistePlads.ventende`/`position`), so they close up by themselves."""
    VentelistePlads.objects.filter(henvisning=henvisning, afsluttet__isnull=True).update(
        afsluttet=timezone.now()
    )


def _forloebsfolk(henvisning: Henvisning):
    return Bruger.objects.med_rolle(
        Rolle.FORLOEBSMEDARBEJDER, organisation_id=henvisning.pladsaftale.leverandoer_id
    )


@transaction.atomic
def traek_henvisning_tilbage(
    *, bruger: Bruger, henvisning: Henvisning, begrundelse: str
) -> Henvisningsrettelse:
    """The referring jobcenter withdraws a referral not yet decided (or waiting for a place).

    The referral leaves the open statuses, so the citizen may be referred again; a waiting-list
    place is given up. The provider's course staff, who were told of the referral, and the others
    on the case are told it is withdrawn.
    """
    kraev(regler.kan_traekke_henvisning_tilbage(bruger, henvisning))
    begrundelse = _begrundelse(begrundelse)
    henvisning = _laas_til_rettelse(henvisning)
    if not henvisning.kan_skifte_til(Henvisning.Status.TILBAGETRUKKET):
        raise ValidationError(
            _(
                "Henvisningen kan ikke længere trækkes tilbage (status: %(status)s). "
                "Et forløb afsluttes med en udskrivning."
            )
            % {"status": henvisning.get_status_display()}
        )
    fra = henvisning.status
    henvisning.skift_status(Henvisning.Status.TILBAGETRUKKET)
    henvisning.save(update_fields=["status"])
    _luk_ventelisteplads(henvisning)
    _haandteret(henvisning, Haendelse.HENVISNING_MODTAGET, Haendelse.UNDERSKRIFT_AFVENTER)
    rettelse = Henvisningsrettelse.objects.create(
        henvisning=henvisning,
        handling=Henvisningsrettelse.Handling.TILBAGETRUKKET,
        fra_status=fra,
        til_status=henvisning.status,
        begrundelse=begrundelse,
        udfoert_af=bruger,
    )
    notificer(
        haendelse=Haendelse.HENVISNING_TILBAGETRUKKET,
        modtagere=(set(_forloebsfolk(henvisning)) | sagens_personer(henvisning)) - {bruger},
        emne=_("Henvisning trukket tilbage: %(navn)s") % {"navn": henvisning.borger.navn},
        tekst=_("%(jobcenter)s har trukket henvisningen af %(navn)s til %(aftale)s tilbage.")
        % {
            "jobcenter": bruger.organisation,
            "navn": henvisning.borger.navn,
            "aftale": henvisning.pladsaftale,
        }
        + "\n"
        + _("Begrundelse: %(begrundelse)s") % {"begrundelse": begrundelse},
        link=reverse("visitation:detalje", args=[henvisning.pk]),
        noegle=f"henvisning:{henvisning.pk}:tilbagetrukket",
    )
    return rettelse


@transaction.atomic
def fjern_fra_venteliste(
    *, bruger: Bruger, henvisning: Henvisning, begrundelse: str
) -> Henvisningsrettelse:
    """Take a waiting citizen off the agreement's queue (course staff or the referring
    jobcenter); those behind move up one. The other party is told."""
    kraev(regler.kan_fjerne_fra_venteliste(bruger, henvisning))
    begrundelse = _begrundelse(begrundelse)
    henvisning = _laas_til_rettelse(henvisning)
    if henvisning.status != Henvisning.Status.VENTELISTE:
        raise ValidationError(
            _("Borgeren står ikke længere på ventelisten (henvisningens status: %(status)s).")
            % {"status": henvisning.get_status_display()}
        )
    henvisning.skift_status(Henvisning.Status.FJERNET_FRA_VENTELISTE)
    henvisning.save(update_fields=["status"])
    _luk_ventelisteplads(henvisning)
    rettelse = Henvisningsrettelse.objects.create(
        henvisning=henvisning,
        handling=Henvisningsrettelse.Handling.FJERNET_FRA_VENTELISTE,
        fra_status=Henvisning.Status.VENTELISTE,
        til_status=henvisning.status,
        begrundelse=begrundelse,
        udfoert_af=bruger,
    )
    # The other party: the jobcenter's people on the case when course staff removed the citizen,
    # the provider's course staff when the jobcenter did.
    if bruger.organisation_id == henvisning.jobcenter_id:
        modtagere = set(_forloebsfolk(henvisning))
    else:
        modtagere = {
            p for p in sagens_personer(henvisning) if p.organisation_id == henvisning.jobcenter_id
        }
    notificer(
        haendelse=Haendelse.FJERNET_FRA_VENTELISTE,
        modtagere=modtagere - {bruger},
        emne=_("Fjernet fra venteliste: %(navn)s") % {"navn": henvisning.borger.navn},
        tekst=_("%(org)s har fjernet %(navn)s fra ventelisten til %(aftale)s.")
        % {
            "org": bruger.organisation,
            "navn": henvisning.borger.navn,
            "aftale": henvisning.pladsaftale,
        }
        + "\n"
        + _("Begrundelse: %(begrundelse)s") % {"begrundelse": begrundelse},
        link=reverse("visitation:pladsaftale", args=[henvisning.pladsaftale_id]),
        noegle=f"henvisning:{henvisning.pk}:fjernet_fra_venteliste",
    )
    return rettelse


# A case can be handed over while it is open, and after the programme has ended too: the
# follow-ups 3, 6 and 12 months after discharge are the caseworker's. A referral that never led
# to a programme (rejected, withdrawn, taken off the queue) has nothing left to hand over.
OMFORDELBARE = (*Henvisning.AABNE, Henvisning.Status.AFSLUTTET)


def omfordelingsmodtagere(henvisning: Henvisning):
    """The colleagues the case can be handed to: active caseworkers of the referring jobcenter
    other than the responsible one."""
    return (
        Bruger.objects.med_rolle(Rolle.SAGSBEHANDLER, organisation_id=henvisning.jobcenter_id)
        .exclude(pk=henvisning.sagsbehandler_id)
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def omfordel(
    *, bruger: Bruger, henvisning: Henvisning, ny_sagsbehandler: Bruger, begrundelse: str
) -> Henvisningsrettelse:
    """Hand the case to another caseworker of the same jobcenter; the new one is told (and the
    previous one, when someone else made the change)."""
    kraev(regler.kan_omfordele(bruger, henvisning))
    begrundelse = _begrundelse(begrundelse)
    # Locked so two reassignments at once are recorded one after the other, each from the
    # caseworker the other left.
    henvisning = (
        Henvisning.objects.select_for_update(of=("self",))
        .select_related("borger", "sagsbehandler")
        .get(pk=henvisning.pk)
    )
    if henvisning.status not in OMFORDELBARE:
        raise ValidationError(
            _("Sagen kan ikke omfordeles (henvisningens status: %(status)s).")
            % {"status": henvisning.get_status_display()}
        )
    if not omfordelingsmodtagere(henvisning).filter(pk=ny_sagsbehandler.pk).exists():
        raise ValidationError(
            {
                "ny_sagsbehandler": _("Vælg en anden aktiv sagsbehandler fra %(jobcenter)s.")
                % {"jobcenter": henvisning.jobcenter}
            }
        )
    tidligere = henvisning.sagsbehandler
    henvisning.sagsbehandler = ny_sagsbehandler
    henvisning.save(update_fields=["sagsbehandler"])
    rettelse = Henvisningsrettelse.objects.create(
        henvisning=henvisning,
        handling=Henvisningsrettelse.Handling.OMFORDELT,
        fra_status=henvisning.status,
        til_status=henvisning.status,
        fra_sagsbehandler=tidligere,
        til_sagsbehandler=ny_sagsbehandler,
        begrundelse=begrundelse,
        udfoert_af=bruger,
    )
    notificer(
        haendelse=Haendelse.HENVISNING_OMFORDELT,
        modtagere={ny_sagsbehandler, tidligere} - {bruger},
        emne=_("Sag omfordelt: %(navn)s") % {"navn": henvisning.borger.navn},
        tekst=_("%(af)s har overdraget sagen om %(navn)s fra %(fra)s til %(til)s.")
        % {
            "af": bruger,
            "navn": henvisning.borger.navn,
            "fra": tidligere,
            "til": ny_sagsbehandler,
        }
        + "\n"
        + _("Begrundelse: %(begrundelse)s") % {"begrundelse": begrundelse},
        link=reverse("visitation:detalje", args=[henvisning.pk]),
        # One key per reassignment: the same case may be handed over again later.
        noegle=f"henvisning:{henvisning.pk}:omfordelt:{rettelse.pk}",
    )
    return rettelse
