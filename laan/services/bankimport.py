"""Bank statements: a CSV of incoming transfers, matched to loans by payment reference.

The file is what Danish net banks export: `dato;beløb;tekst`, semicolon-separated, Danish number
format (`1.250,00`), dates `dd.mm.åååå` (or `dd-mm-åååå`), an optional header line, in UTF-8
(with or without BOM) or the Windows/latin-1 encoding many banks still use.

`laes` reads the file and says what importing it would do, line by line, without saving anything
(the preview); `importer` does it: the matched lines are registered as repayments through
`indbetalinger.registrer`, all in one transaction. Each line's status:

- matched: the reference is a loan the user may register payments on, and the payment fits;
- unmatched: no such loan (no valid reference, or a loan outside the user's cases);
- duplicate: this line was imported before (by anyone) — importing a file twice adds nothing;
- refused: the loan was found but the payment cannot be registered (it would overpay, the loan is
  not open, the date is impossible, the amount is not a payment): the reason says which.

A malformed line (not three fields, not a date, not an amount) stops the whole file with a
ValidationError naming the line ("Linje 3: …"): nothing of that file is saved, because a file that
is read wrongly in one place may be read wrongly in others.

A line's identity (`Indbetaling.importnoegle`, unique) is the SHA-256 of its normalised content
(date, amount, reference) and its occurrence number among identical lines in the same file: two
identical transfers on the same day are two payments, and the next month's statement that repeats
them both is recognised line for line.
"""

import csv
import datetime
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger
from mikrolaan.tekst import kort_dato

from .. import kroner, plan, regler, selectors
from ..models import Indbetaling, Laan
from . import indbetalinger

# With the line number, at most this many malformed lines are named; the rest are counted.
MAKS_FEJL = 10
_DATO = re.compile(r"^(\d{1,2})([.-])(\d{1,2})\2(\d{4})$")
_CIFRE = re.compile(r"\d+")


class Linjestatus(models.TextChoices):
    MATCHED = "matched", gettext_lazy("Matchet")
    UNMATCHED = "unmatched", gettext_lazy("Ikke matchet")
    DUPLICATE = "duplicate", gettext_lazy("Allerede importeret")
    REFUSED = "refused", gettext_lazy("Afvist")


@dataclass
class Linje:
    """One transfer of the statement and what becomes of it."""

    nummer: int  # the line number in the file, counting the header and blank lines
    dato: datetime.date
    beloeb: Decimal
    reference: str  # the bank's text (CPR-like numbers masked: `indbetalinger.renset_reference`)
    importnoegle: str
    status: Linjestatus = Linjestatus.UNMATCHED
    laan: Laan | None = None  # the loan the reference found (matched or refused)
    aarsag: str = ""  # why it is not matched, in Danish
    indbetaling: Indbetaling | None = None  # set by `importer` for a matched line


@dataclass
class Forhaandsvisning:
    """The statement line by line, and whether it has been saved (`importer`) or not (`laes`)."""

    linjer: list[Linje] = field(default_factory=list)
    gemt: bool = False

    def _med(self, status: Linjestatus) -> list[Linje]:
        return [linje for linje in self.linjer if linje.status == status]

    @property
    def matchede(self) -> list[Linje]:
        return self._med(Linjestatus.MATCHED)

    @property
    def umatchede(self) -> list[Linje]:
        return self._med(Linjestatus.UNMATCHED)

    @property
    def dubletter(self) -> list[Linje]:
        return self._med(Linjestatus.DUPLICATE)

    @property
    def afviste(self) -> list[Linje]:
        return self._med(Linjestatus.REFUSED)

    @property
    def antal(self) -> dict[str, int]:
        """Lines per status (every status present): `{"matched": 2, "unmatched": 1, ...}`."""
        optalt = Counter(linje.status.value for linje in self.linjer)
        return {status.value: optalt[status.value] for status in Linjestatus}

    @property
    def matchet_beloeb(self) -> Decimal:
        return sum((linje.beloeb for linje in self.matchede), Decimal("0.00"))


def laes(indhold: str | bytes, *, bruger: Bruger) -> Forhaandsvisning:
    """The preview: what importing the statement would do. Saves nothing."""
    kraev(regler.kan_importere_kontoudtog(bruger))
    return _match(_linjer(indhold), bruger)


def importer(*, bruger: Bruger, indhold: str | bytes) -> Forhaandsvisning:
    """Register the statement's matched lines, all or none, and return what was done.

    The file is read and matched again here (not taken from an earlier preview): under the locks
    of the matched loans, so the balances that decide "matched" or "refused" cannot change before
    the payments are registered.
    """
    kraev(regler.kan_importere_kontoudtog(bruger))
    linjer = _linjer(indhold)  # a malformed file is refused before anything is locked
    try:
        with transaction.atomic():
            visning = _match(linjer, bruger, laas=True)
            for linje in visning.matchede:
                try:
                    linje.indbetaling = indbetalinger.registrer(
                        bruger=bruger,
                        laan=linje.laan,
                        dato=linje.dato,
                        beloeb=linje.beloeb,
                        reference=linje.reference,
                        importnoegle=linje.importnoegle,
                    )
                except ValidationError as fejl:  # pragma: no cover - matched under the lock
                    raise ValidationError(
                        _("Linje %(nummer)s: %(fejl)s")
                        % {"nummer": linje.nummer, "fejl": " ".join(fejl.messages)}
                    ) from fejl
                linje.laan = linje.indbetaling.laan  # with its new status (maybe "indfriet")
    except IntegrityError as fejl:
        # Only the unique import key can clash: someone imported the same lines at this moment.
        raise ValidationError(
            _(
                "Kontoudtoget blev importeret af en anden i samme øjeblik. Prøv igen: linjer, "
                "der allerede er importeret, springes over."
            )
        ) from fejl
    visning.gemt = True
    return visning


# --- Reading the file ----------------------------------------------------------------------


def _tekst(indhold: str | bytes) -> str:
    if isinstance(indhold, str):
        return indhold.removeprefix("\ufeff")
    try:
        return indhold.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: a Danish bank's Windows-1252 (latin-1 with € and typographic quotes); latin-1
    # itself for the bytes 1252 leaves undefined, as it reads any byte.
    try:
        return indhold.decode("cp1252")
    except UnicodeDecodeError:
        return indhold.decode("latin-1")


def _dato(tekst: str) -> datetime.date | None:
    fundet = _DATO.match(tekst)
    if not fundet:
        return None
    dag, _skilletegn, maaned, aar = fundet.groups()
    try:
        return datetime.date(int(aar), int(maaned), int(dag))
    except ValueError:
        return None


def _importnoegle(dato: datetime.date, beloeb: Decimal, reference: str, forekomst: int) -> str:
    normaliseret = f"{dato.isoformat()};{beloeb};{reference.casefold()}"
    return hashlib.sha256(f"{normaliseret};{forekomst}".encode()).hexdigest()


def _linjer(indhold: str | bytes) -> list[Linje]:
    """The statement's transfers, or ValidationError naming every malformed line (up to
    MAKS_FEJL of them)."""
    linjer: list[Linje] = []
    fejl: list[str] = []
    forekomster: Counter = Counter()
    foerste = True
    for nummer, raa in enumerate(_tekst(indhold).splitlines(), start=1):
        if not raa.strip():
            continue
        felter = [f.strip() for f in next(csv.reader([raa], delimiter=";", quotechar='"'))]
        if foerste:
            foerste = False
            # A header ("Dato;Beløb;Tekst") has no digit in its date column.
            if felter and not any(tegn.isdigit() for tegn in felter[0]):
                continue
        while len(felter) > 3 and not felter[-1]:
            felter.pop()  # a trailing semicolon
        if len(felter) != 3:
            fejl.append(
                _(
                    "Linje %(nummer)s: forventede tre felter adskilt af semikolon "
                    "(dato;beløb;reference), fandt %(antal)s."
                )
                % {"nummer": nummer, "antal": len(felter)}
            )
            continue
        dato_tekst, beloeb_tekst, reference = felter
        reference = indbetalinger.renset_reference(reference)
        dato = _dato(dato_tekst)
        if dato is None:
            fejl.append(
                _("Linje %(nummer)s: »%(tekst)s« er ikke en dato (dd.mm.åååå).")
                % {"nummer": nummer, "tekst": indbetalinger.renset_reference(dato_tekst)}
            )
            continue
        try:
            beloeb = kroner.fortolk(beloeb_tekst)
        except ValueError:
            fejl.append(
                _("Linje %(nummer)s: »%(tekst)s« er ikke et beløb (fx 1.250,00).")
                % {"nummer": nummer, "tekst": indbetalinger.renset_reference(beloeb_tekst)}
            )
            continue
        noegle = (dato, beloeb, reference.casefold())
        forekomster[noegle] += 1
        linjer.append(
            Linje(
                nummer=nummer,
                dato=dato,
                beloeb=beloeb,
                reference=reference,
                importnoegle=_importnoegle(dato, beloeb, reference, forekomster[noegle]),
            )
        )
    if fejl:
        if len(fejl) > MAKS_FEJL:
            fejl = fejl[:MAKS_FEJL] + [
                _("… og %(antal)s fejl mere.") % {"antal": len(fejl) - MAKS_FEJL}
            ]
        raise ValidationError(fejl)
    if not linjer:
        raise ValidationError(_("Kontoudtoget indeholder ingen posteringer."))
    return linjer


# --- Matching ------------------------------------------------------------------------------


def betalingsreference(tekst: str) -> str | None:
    """The loan reference in a transfer's text: the whole text when it is one (spaces and dashes
    allowed: "0000012 3"), otherwise the one valid reference among its numbers ("Mikrolån
    00000123"); None when there is none, or more than one."""
    samlet = re.sub(r"[\s-]", "", tekst)
    if plan.gyldig_reference(samlet):
        return samlet
    fundne = {tal for tal in _CIFRE.findall(tekst) if plan.gyldig_reference(tal)}
    return fundne.pop() if len(fundne) == 1 else None


def _match(linjer: list[Linje], bruger: Bruger, *, laas: bool = False) -> Forhaandsvisning:
    """Give each line its status, in two queries whatever the number of lines: the loans with
    the lines' references (with their balances), and the import keys already used."""
    idag = timezone.localdate()
    referencer = {linje.nummer: betalingsreference(linje.reference) for linje in linjer}
    kandidater = selectors.med_saldo(
        Laan.objects.synlige_for(bruger).filter(
            reference__in={r for r in referencer.values() if r}
        ),
        idag=idag,
    ).select_related("forloeb__henvisning", "forloeb__pladsaftale")
    if laas:
        # Locked in a fixed order, so two imports touching the same loans cannot deadlock.
        kandidater = kandidater.select_for_update(of=("self",)).order_by("pk")
    laan_pr_reference = {
        laan.reference: laan
        for laan in kandidater
        # A caseworker on the case sees the loan but does not register its payments.
        if regler.kan_registrere_indbetaling(bruger, laan)
    }
    importeret = set(
        Indbetaling.objects.filter(
            importnoegle__in=[linje.importnoegle for linje in linjer]
        ).values_list("importnoegle", flat=True)
    )
    rest = {laan.pk: laan.restgaeld for laan in laan_pr_reference.values()}

    for linje in linjer:
        reference = referencer[linje.nummer]
        laan = laan_pr_reference.get(reference)
        if linje.importnoegle in importeret:
            linje.status, linje.laan = Linjestatus.DUPLICATE, laan
            linje.aarsag = _("Linjen er allerede importeret.")
            continue
        if linje.beloeb <= 0:
            linje.status = Linjestatus.REFUSED
            linje.aarsag = _("Ikke en indbetaling: beløbet er ikke positivt.")
            continue
        if laan is None:
            linje.status = Linjestatus.UNMATCHED
            linje.aarsag = (
                _(
                    "Intet lån med betalingsreferencen %(reference)s, som du kan registrere "
                    "indbetalinger på."
                )
                % {"reference": reference}
                if reference
                else _("Teksten indeholder ingen gyldig betalingsreference.")
            )
            continue
        linje.laan = laan
        linje.status = Linjestatus.REFUSED
        if laan.status != Laan.Status.UDBETALT:
            linje.aarsag = _("Lånet er %(status)s; der kan ikke registreres indbetalinger.") % {
                "status": laan.get_status_display().lower()
            }
        elif linje.dato > idag:
            linje.aarsag = _("Datoen ligger i fremtiden.")
        elif linje.dato < laan.udbetalt_dato:
            linje.aarsag = _("Datoen er før lånets udbetaling (%(dato)s).") % {
                "dato": kort_dato(laan.udbetalt_dato)
            }
        elif linje.beloeb > rest[laan.pk]:
            # Earlier lines of the same file on the same loan count: they are registered first.
            linje.aarsag = indbetalinger.overbetaling(linje.beloeb, rest[laan.pk])
        else:
            linje.status = Linjestatus.MATCHED
            rest[laan.pk] -= linje.beloeb
    return Forhaandsvisning(linjer=linjer)
