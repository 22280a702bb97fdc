"""The corrections of a mistake: undoing the move to the main phase, reopening a discharge, and
handing the programme to another course staff member. Each is kept in the history as a
`Forloebsrettelse` with its reason."""

import datetime
from collections.abc import Callable

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import notificer
from mikrolaan.tekst import kort_dato
from visitation import services as visitation_services
from visitation.models import Pladsaftale

from .. import regler
from ..models import (
    FASE_MAANEDER,
    Fase,
    Forloeb,
    Forloebsrettelse,
    Opfoelgning,
    Overgangsvurdering,
    Udskrivning,
)
from .faelles import _fase, _kun_fra, _laas, _sagsbehandlere

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
