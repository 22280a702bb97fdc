"""Repayments: register one, reverse a wrong one, and allocate them over the plan.

Every write locks the loan's row first (`faelles.laas_laan`), so a payment and a reversal, or two
payments, of the same loan are serialised and each sees the other's result: the balance that
refuses an overpayment is read under the lock.

Allocation (`fordel`) is recomputed from scratch after every change: the payments not reversed,
summed, fill the instalments oldest due first (by due date, then number). Filling the plan with the
sum is the same as filling it payment by payment in date order, and a reversal needs no "undo" of
an earlier allocation — it simply leaves a smaller sum to spread.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import marker_haandteret
from mikrolaan.tekst import kort_dato, kroner

from .. import regler
from ..models import Afdrag, Indbetaling, Laan
from .faelles import laas_laan, skift

OERE = Decimal("0.01")
# A CPR number, as notifications mask it: citizens sometimes write theirs on a bank transfer, and
# the reference is stored in plain text (CPR is stored only encrypted, DOMAIN.md rule 8). A loan's
# reference has 8 digits, so it is never mistaken for one.
_CPR = re.compile(r"(?<!\d)\d{6}[- ]?\d{4}(?!\d)")
REFERENCE_LAENGDE = Indbetaling._meta.get_field("reference").max_length


def renset_reference(tekst: str) -> str:
    """A transfer's text as stored: whitespace collapsed, CPR-like numbers masked, cut to fit."""
    return _CPR.sub("[CPR]", " ".join((tekst or "").split()))[:REFERENCE_LAENGDE]


def indbetalt(laan: Laan) -> Decimal:
    """The loan's payments that are not reversed."""
    i_alt = laan.indbetalinger.filter(tilbagefoert__isnull=True).aggregate(i_alt=Sum("beloeb"))
    return i_alt["i_alt"] or Decimal("0.00")


def restgaeld(laan: Laan) -> Decimal:
    """Principal − paid: what the citizen still owes on a disbursed loan."""
    return laan.beloeb - indbetalt(laan)


def fordel(laan: Laan) -> list[Afdrag]:
    """Recompute every instalment's `betalt` from the payments not reversed, oldest due first,
    and save the instalments whose share changed. Returns the plan as it now is.

    Call it under the loan's lock (the services do), so no other payment moves the sum meanwhile.
    """
    rest = indbetalt(laan)
    plan = list(Afdrag.objects.filter(laan=laan).order_by("forfald", "nummer"))
    for afdrag in plan:
        andel = min(afdrag.beloeb, rest)
        rest -= andel
        if afdrag.betalt != andel:
            afdrag.betalt = andel
            # One row at a time, not bulk_update: the change history (auditlog) records each.
            afdrag.save(update_fields=["betalt"])
    if rest > 0:
        # The services refuse an overpayment before it is saved, so this is a bug, not input.
        raise ValueError(f"Lån {laan.pk}: indbetalt {rest} kr. mere end planen.")
    return plan


def _tjek_beloeb(beloeb: Decimal) -> None:
    if not isinstance(beloeb, Decimal):
        raise TypeError("Beløb skal være Decimal, aldrig float.")
    if beloeb <= 0:
        raise ValidationError({"beloeb": _("Beløbet skal være større end 0 kr.")})
    if beloeb != beloeb.quantize(OERE):
        raise ValidationError({"beloeb": _("Beløbet kan højst have to decimaler (øre).")})


def _tjek_dato(laan: Laan, dato: datetime.date) -> None:
    if dato > timezone.localdate():
        raise ValidationError({"dato": _("Indbetalingsdatoen kan ikke ligge i fremtiden.")})
    if dato < laan.udbetalt_dato:
        raise ValidationError(
            {
                "dato": _("En indbetaling kan ikke være før udbetalingen (%(dato)s).")
                % {"dato": kort_dato(laan.udbetalt_dato)}
            }
        )


def overbetaling(beloeb: Decimal, rest: Decimal) -> str:
    """The refusal of a payment beyond the balance, in Danish (also a bank-import line's reason)."""
    if rest <= 0:
        return _("Lånet er fuldt tilbagebetalt; der er ingen restgæld at betale af på.")
    return _(
        "Indbetalingen på %(beloeb)s er større end restgælden på %(rest)s, så registrér højst "
        "restgælden; et overskydende beløb skal betales tilbage til borgeren."
    ) % {"beloeb": kroner(beloeb), "rest": kroner(rest)}


@transaction.atomic
def registrer(
    *,
    bruger: Bruger,
    laan: Laan,
    dato: datetime.date,
    beloeb: Decimal,
    reference: str = "",
    importnoegle: str | None = None,
) -> Indbetaling:
    """Register a repayment on a disbursed loan and allocate it, oldest due instalment first.

    Refused (ValidationError, nothing saved): a loan that is not "udbetalt"; an amount that is not
    positive with at most two decimals; a date in the future or before the disbursement; an amount
    beyond the balance. When the payment brings the balance to 0 the loan is "indfriet", by the
    same user. `importnoegle` marks a bank-statement line (`bankimport`): a line already imported
    is refused.
    """
    laan = laas_laan(laan.pk)
    kraev(regler.kan_registrere_indbetaling(bruger, laan))
    if laan.status != Laan.Status.UDBETALT:
        raise ValidationError(
            _("Der kan kun registreres indbetalinger på et udbetalt lån; lånet er %(status)s.")
            % {"status": laan.get_status_display().lower()}
        )
    _tjek_beloeb(beloeb)
    _tjek_dato(laan, dato)
    if importnoegle and Indbetaling.objects.filter(importnoegle=importnoegle).exists():
        raise ValidationError(_("Denne linje fra kontoudtoget er allerede registreret."))
    rest = restgaeld(laan)
    if beloeb > rest:
        raise ValidationError({"beloeb": overbetaling(beloeb, rest)})

    indbetaling = Indbetaling.objects.create(
        laan=laan,
        dato=dato,
        beloeb=beloeb,
        reference=renset_reference(reference),
        registreret_af=bruger,
        importnoegle=importnoegle or None,
    )
    plan = fordel(laan)
    if beloeb == rest:
        skift(laan, Laan.Status.INDFRIET, bruger=bruger, begrundelse=_("Fuldt tilbagebetalt"))
    idag = timezone.localdate()
    if not any(a.forfald < idag and a.betalt < a.beloeb for a in plan):
        # Nothing is overdue any more (laan.restancer's definition): the arrears notices are
        # answered, and the loan has left the inbox's arrears.
        marker_haandteret(
            link=reverse("laan:detalje", args=[laan.pk]), haendelser=[Haendelse.LAAN_RESTANCE]
        )
    return indbetaling


@transaction.atomic
def tilbagefoer(*, bruger: Bruger, indbetaling: Indbetaling, begrundelse: str) -> Indbetaling:
    """Reverse a wrong payment: never deleted, marked with who, when and why, and the remaining
    payments allocated again. A loan the payment had repaid is open again ("udbetalt")."""
    laan = laas_laan(indbetaling.laan_id)
    kraev(regler.kan_registrere_indbetaling(bruger, laan))
    begrundelse = (begrundelse or "").strip()
    if not begrundelse:
        raise ValidationError({"begrundelse": _("Skriv, hvorfor indbetalingen tilbageføres.")})
    # Read again under the loan's lock: a second reversal of the same payment waits for the
    # first and then finds it reversed.
    indbetaling = Indbetaling.objects.get(pk=indbetaling.pk)
    if not indbetaling.er_gyldig:
        raise ValidationError(_("Indbetalingen er allerede tilbageført."))
    if laan.status not in (Laan.Status.UDBETALT, Laan.Status.INDFRIET):
        raise ValidationError(
            _("Indbetalinger på et lån, der er %(status)s, kan ikke tilbageføres.")
            % {"status": laan.get_status_display().lower()}
        )
    indbetaling.tilbagefoert = timezone.now()
    indbetaling.tilbagefoert_af = bruger
    indbetaling.tilbagefoert_begrundelse = begrundelse
    indbetaling.save(update_fields=["tilbagefoert", "tilbagefoert_af", "tilbagefoert_begrundelse"])
    fordel(laan)
    if laan.status == Laan.Status.INDFRIET:
        skift(
            laan,
            Laan.Status.UDBETALT,
            bruger=bruger,
            begrundelse=_("Indbetaling på %(beloeb)s fra %(dato)s tilbageført: %(begrundelse)s")
            % {
                "beloeb": kroner(indbetaling.beloeb),
                "dato": kort_dato(indbetaling.dato),
                "begrundelse": begrundelse,
            },
        )
    return indbetaling
