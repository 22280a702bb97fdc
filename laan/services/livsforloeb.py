"""A loan's life: application (maker), approval or refusal (checker), disbursement with its
repayment plan, undo of an approval, withdrawal, and the two-person write-off.

Every function takes the row lock it needs first (see `faelles`), checks the rule in `regler` with
`kraev` (403), lets the transition table refuse an impossible move (`UlovligOvergang`), and records
the move as a `Sagsgang` in the same transaction, with the notification to whoever acts next.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from borgere.models import Dokument
from forloeb.models import Forloeb
from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import marker_haandteret, notificer
from mikrolaan.tekst import kort_dato, kroner

from .. import plan, regler
from ..models import (
    LOFT_PR_FORLOEB,
    MAKS_AFDRAGSFRI,
    MAKS_LOEBETID,
    MINDSTE_BELOEB,
    STOERSTE_BELOEB,
    Afdrag,
    Laan,
    Sagsgang,
)
from .faelles import bevilget_i_alt, forloebsfolk, laas_forloeb, laas_laan, sagsbehandlere, skift


def _link(laan: Laan) -> str:
    return reverse("laan:detalje", args=[laan.pk])


def _afgjort(laan: Laan) -> None:
    """The application or write-off proposal is decided (or withdrawn): the "awaiting approval"
    notifications are handled, and the checker's inbox task has gone with it."""
    marker_haandteret(link=_link(laan), haendelser=[Haendelse.LAAN_AFVENTER])


def _tjek_vilkaar(beloeb: Decimal, loebetid: int, afdragsfri: int) -> None:
    fejl = {}
    if not isinstance(beloeb, Decimal):
        raise TypeError("Beløb skal være Decimal, aldrig float.")
    if not MINDSTE_BELOEB <= beloeb <= STOERSTE_BELOEB:
        # No full stop after an amount: `kroner()` already ends in "kr.".
        fejl["beloeb"] = _("Et mikrolån skal være mellem %(min)s og %(max)s") % {
            "min": kroner(MINDSTE_BELOEB),
            "max": kroner(STOERSTE_BELOEB),
        }
    elif beloeb != beloeb.quantize(Decimal("0.01")):
        fejl["beloeb"] = _("Beløbet kan højst have to decimaler (øre).")
    if not 1 <= loebetid <= MAKS_LOEBETID:
        fejl["loebetid"] = _("Løbetiden skal være 1-%(maks)s måneder.") % {"maks": MAKS_LOEBETID}
    if not 0 <= afdragsfri <= MAKS_AFDRAGSFRI:
        fejl["afdragsfri"] = _("Der kan højst være %(maks)s afdragsfrie måneder.") % {
            "maks": MAKS_AFDRAGSFRI
        }
    if fejl:
        raise ValidationError(fejl)


def _tjek_loft(forloeb: Forloeb, beloeb: Decimal, undtagen: Laan | None = None) -> None:
    allerede = bevilget_i_alt(forloeb, undtagen=undtagen)
    if allerede + beloeb <= LOFT_PR_FORLOEB:
        return
    # No full stop after an amount: `kroner()` already ends in "kr.".
    if allerede >= LOFT_PR_FORLOEB:
        besked = _(
            "Forløbets lån må tilsammen højst være %(loft)s, og hele beløbet er allerede bevilget."
        )
    else:
        besked = _(
            "Forløbets lån må tilsammen højst være %(loft)s, og der er allerede bevilget "
            "%(bevilget)s, så der kan højst søges om %(rest)s"
        )
    raise ValidationError(
        {
            "beloeb": besked
            % {
                "loft": kroner(LOFT_PR_FORLOEB),
                "bevilget": kroner(allerede),
                "rest": kroner(LOFT_PR_FORLOEB - allerede),
            }
        }
    )


@transaction.atomic
def ansoeg(
    *,
    bruger: Bruger,
    forloeb: Forloeb,
    beloeb: Decimal,
    formaal: str,
    budget: str,
    loebetid: int,
    afdragsfri: int = 0,
    forretningsplan: Dokument | None = None,
    budgetdokument: Dokument | None = None,
) -> Laan:
    """Register an application (the maker), only while the programme is in its main phase
    (DOMAIN.md rule 2). The documents are the citizen's own. The caseworkers are told that it
    awaits their approval."""
    forloeb = laas_forloeb(forloeb.pk)
    kraev(regler.kan_ansoege(bruger, forloeb))
    if forloeb.status != Forloeb.Status.HOVEDFORLOEB:
        raise ValidationError(_("Der kan kun søges om lån, mens forløbet er i hovedforløbet."))
    _tjek_vilkaar(beloeb, loebetid, afdragsfri)
    fejl = {}
    if not formaal.strip():
        fejl["formaal"] = _("Skriv, hvad lånet skal bruges til.")
    if not budget.strip():
        fejl["budget"] = _("Skriv et kort budget: hvad pengene skal købe.")
    for felt, dokument, type_ in (
        ("forretningsplan", forretningsplan, Dokument.Type.FORRETNINGSPLAN),
        ("budgetdokument", budgetdokument, Dokument.Type.BUDGET),
    ):
        if dokument is not None and (
            dokument.borger_id != forloeb.borger_id or dokument.type != type_
        ):
            fejl[felt] = _("Vælg et af borgerens egne dokumenter af den rigtige type.")
    if fejl:
        raise ValidationError(fejl)
    _tjek_loft(forloeb, beloeb)

    laan = Laan.objects.create(
        forloeb=forloeb,
        beloeb=beloeb,
        formaal=formaal.strip(),
        budget=budget.strip(),
        loebetid=loebetid,
        afdragsfri=afdragsfri,
        forretningsplan=forretningsplan,
        budgetdokument=budgetdokument,
        oprettet_af=bruger,
    )
    Sagsgang.objects.create(laan=laan, til_status=Laan.Status.ANSOEGT, udfoert_af=bruger)
    navn = forloeb.borger.navn
    notificer(
        haendelse=Haendelse.LAAN_AFVENTER,
        modtagere=sagsbehandlere(forloeb) - {bruger},
        emne=_("Lån afventer godkendelse: %(navn)s") % {"navn": navn},
        tekst=_(
            "%(bruger)s har registreret en ansøgning om et mikrolån på %(beloeb)s til %(navn)s. "
            "Lånet skal godkendes af en anden person end den, der har registreret det."
        )
        % {"bruger": bruger, "beloeb": kroner(beloeb), "navn": navn},
        link=_link(laan),
        noegle=f"laan:afventer:{laan.pk}:{laan.sagsgange.count()}",
    )
    return laan


@transaction.atomic
def bevilg(*, bruger: Bruger, laan: Laan) -> Laan:
    """Approve (the checker). The programme's lock first, then the loan's: the ceiling is checked
    against the other granted loans while no other approval of this programme can run."""
    laas_forloeb(laan.forloeb_id)
    laan = laas_laan(laan.pk)
    kraev(regler.kan_bevilge(bruger, laan))
    laan.tjek_overgang(Laan.Status.BEVILGET)  # refuses before the ceiling query
    # The loan is for establishing the business during the main phase (DOMAIN.md rule 2): an
    # application left undecided when the programme ended is refused or withdrawn, not granted.
    if laan.forloeb.status != Forloeb.Status.HOVEDFORLOEB:
        raise ValidationError(
            _("Forløbet er ikke længere i hovedforløbet, så lånet kan ikke bevilges.")
        )
    _tjek_loft(laan.forloeb, laan.beloeb, undtagen=laan)
    laan.bevilget = timezone.now()
    laan.bevilget_af = bruger
    skift(laan, Laan.Status.BEVILGET, bruger=bruger)
    _afgjort(laan)
    _meld_afgoerelse(
        laan,
        _("Lån bevilget: %(navn)s"),
        _("%(bruger)s har bevilget mikrolånet på %(beloeb)s til %(navn)s. Det kan nu udbetales."),
        bruger,
    )
    return laan


@transaction.atomic
def afslaa(*, bruger: Bruger, laan: Laan, begrundelse: str) -> Laan:
    laan = laas_laan(laan.pk)
    kraev(regler.kan_bevilge(bruger, laan))
    begrundelse = _begrundelse(begrundelse)
    skift(laan, Laan.Status.AFSLAAET, bruger=bruger, begrundelse=begrundelse)
    _afgjort(laan)
    _meld_afgoerelse(
        laan,
        _("Lån afslået: %(navn)s"),
        _("%(bruger)s har afslået ansøgningen om et mikrolån på %(beloeb)s til %(navn)s."),
        bruger,
    )
    return laan


@transaction.atomic
def fortryd_bevilling(*, bruger: Bruger, laan: Laan, begrundelse: str) -> Laan:
    """Undo an approval made by mistake, before disbursement: back to "ansøgt", with a reason,
    to be decided again (by a checker, who may be the same one)."""
    laan = laas_laan(laan.pk)
    kraev(regler.kan_bevilge(bruger, laan))
    begrundelse = _begrundelse(begrundelse)
    laan.bevilget = None
    laan.bevilget_af = None
    skift(laan, Laan.Status.ANSOEGT, bruger=bruger, begrundelse=begrundelse)
    return laan


@transaction.atomic
def traek_tilbage(*, bruger: Bruger, laan: Laan, begrundelse: str = "") -> Laan:
    """The citizen no longer wants the loan: course staff withdraw the application."""
    laan = laas_laan(laan.pk)
    kraev(regler.kan_traekke_tilbage(bruger, laan))
    skift(laan, Laan.Status.TILBAGETRUKKET, bruger=bruger, begrundelse=begrundelse.strip())
    _afgjort(laan)
    return laan


@transaction.atomic
def udbetal(*, bruger: Bruger, laan: Laan, dato: datetime.date) -> Laan:
    """Register the disbursement and make the repayment plan. Under the loan's lock: of two
    disbursements at the same moment the second finds the loan already "udbetalt" and is refused
    by the transition table, so the plan is made once."""
    laan = laas_laan(laan.pk)
    kraev(regler.kan_udbetale(bruger, laan))
    laan.tjek_overgang(Laan.Status.UDBETALT)  # refuses a second disbursement before any check
    idag = timezone.localdate()
    if dato > idag:
        raise ValidationError({"dato": _("Udbetalingsdatoen kan ikke ligge i fremtiden.")})
    if dato < timezone.localdate(laan.bevilget):
        raise ValidationError(
            {
                "dato": _("Lånet kan ikke være udbetalt, før det blev bevilget (%(dato)s).")
                % {"dato": kort_dato(timezone.localdate(laan.bevilget))}
            }
        )
    laan.udbetalt_dato = dato
    laan.reference = plan.betalingsreference(laan.pk)
    skift(laan, Laan.Status.UDBETALT, bruger=bruger)
    Afdrag.objects.bulk_create(
        Afdrag(laan=laan, nummer=p.nummer, forfald=p.forfald, beloeb=p.beloeb)
        for p in plan.lav_plan(laan.beloeb, laan.loebetid, laan.afdragsfri, dato)
    )
    _meld_afgoerelse(
        laan,
        _("Lån udbetalt: %(navn)s"),
        _("%(bruger)s har registreret udbetalingen af mikrolånet på %(beloeb)s til %(navn)s."),
        bruger,
    )
    return laan


@transaction.atomic
def indstil_afskrivning(*, bruger: Bruger, laan: Laan, begrundelse: str) -> Laan:
    """Propose writing off what is outstanding; a second person approves it (`afskriv`)."""
    laan = laas_laan(laan.pk)
    kraev(regler.kan_indstille_afskrivning(bruger, laan))
    laan.tjek_overgang(Laan.Status.AFSKREVET)
    laan.afskrivning_begrundelse = _begrundelse(begrundelse)
    laan.afskrivning_indstillet = timezone.now()
    laan.afskrivning_indstillet_af = bruger
    laan.save(
        update_fields=[
            "afskrivning_begrundelse",
            "afskrivning_indstillet",
            "afskrivning_indstillet_af",
        ]
    )
    navn = laan.forloeb.borger.navn
    notificer(
        haendelse=Haendelse.LAAN_AFVENTER,
        modtagere=sagsbehandlere(laan.forloeb) - {bruger},
        emne=_("Afskrivning afventer godkendelse: %(navn)s") % {"navn": navn},
        tekst=_("%(bruger)s foreslår at afskrive restgælden på mikrolånet til %(navn)s.")
        % {"bruger": bruger, "navn": navn},
        link=_link(laan),
        noegle=f"laan:afskrivning:{laan.pk}:{laan.afskrivning_indstillet.isoformat()}",
    )
    return laan


@transaction.atomic
def afskriv(*, bruger: Bruger, laan: Laan) -> Laan:
    """Approve the proposed write-off: a caseworker other than the proposer."""
    laan = laas_laan(laan.pk)
    kraev(regler.kan_afskrive(bruger, laan))
    laan.afskrevet_af = bruger
    skift(laan, Laan.Status.AFSKREVET, bruger=bruger, begrundelse=laan.afskrivning_begrundelse)
    _afgjort(laan)
    _meld_afgoerelse(
        laan,
        _("Lån afskrevet: %(navn)s"),
        _("%(bruger)s har godkendt afskrivningen af restgælden på mikrolånet til %(navn)s."),
        bruger,
    )
    return laan


def _begrundelse(tekst: str) -> str:
    tekst = (tekst or "").strip()
    if not tekst:
        raise ValidationError({"begrundelse": _("Skriv en begrundelse.")})
    return tekst


def _meld_afgoerelse(laan: Laan, emne: str, tekst: str, bruger: Bruger) -> None:
    forloeb = laan.forloeb
    navn = forloeb.borger.navn
    modtagere = ({laan.oprettet_af} | forloebsfolk(forloeb) | sagsbehandlere(forloeb)) - {bruger}
    notificer(
        haendelse=Haendelse.LAAN_AFGJORT,
        modtagere=modtagere,
        emne=emne % {"navn": navn},
        tekst=tekst % {"bruger": bruger, "beloeb": kroner(laan.beloeb), "navn": navn},
        link=_link(laan),
    )
