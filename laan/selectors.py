"""Reads of the loan portfolio: each loan's balance and arrears, the portfolio's totals and PAR30,
and the overdue list.

The caller passes a queryset that is already scoped — `Laan.objects.synlige_for(bruger)` for the
people on the cases, `Laan.objects.overvaagede_af(bruger)` for the buyer's dashboard — so these
functions never decide who sees what.

Designed for the national scale of issue 13: every figure is one correlated subquery on the loan
row (payments by `laan_id`, instalments by `laan_id`), never a join to payments or instalments
that multiplies the loan rows and needs a DISTINCT; and each function costs a fixed number of
queries however many loans there are (`med_saldo` adds none, `portefoelje` is one, `restanceliste`
is one).

"Today" is the Danish date (`timezone.localdate()`) unless the caller passes `idag`. An instalment
is overdue from the day after its due date: one due on 1 December is 1 day past due on
2 December.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Afdrag, Indbetaling, Laan

# A loan has money out from disbursement on; only an open one ("udbetalt") can be in arrears and
# has an outstanding balance — repaid has none, and written off is no longer owed.
UDBETALTE = (Laan.Status.UDBETALT, Laan.Status.INDFRIET, Laan.Status.AFSKREVET)
# PAR30: "more than 30 days overdue" is day 31 and on.
PAR_DAGE = 30
# Shares (repaid share, PAR30) as Decimal fractions to four places: 0.1234 is 12.34 %.
ANDEL = Decimal("0.0001")
_NUL = Decimal("0.00")


def _kroner_felt() -> DecimalField:
    # Sums of 9-digit amounts over a national portfolio need room; two places keep øre exact
    # (and make SQLite, which sums decimals as floats, round back to øre).
    return DecimalField(max_digits=14, decimal_places=2)


def _idag(idag: datetime.date | None) -> datetime.date:
    return idag or timezone.localdate()


def _ubetalte_afdrag(**filtre) -> QuerySet:
    """The loan's instalments not fully paid (the partial index `afdrag_ubetalt_forfald_idx`)."""
    return Afdrag.objects.filter(laan=OuterRef("pk"), betalt__lt=F("beloeb"), **filtre).order_by()


def _indbetalt() -> Subquery:
    """Sum of the loan's payments that are not reversed (0 when none)."""
    return Coalesce(
        Subquery(
            Indbetaling.objects.filter(laan=OuterRef("pk"), tilbagefoert__isnull=True)
            .order_by()  # the model's ordering would join the GROUP BY
            .values("laan")
            .annotate(i_alt=Sum("beloeb"))
            .values("i_alt"),
            output_field=_kroner_felt(),
        ),
        Value(_NUL),
        output_field=_kroner_felt(),
    )


def _restance_over(dage: int, idag: datetime.date) -> Exists:
    """The loan has an unpaid instalment more than `dage` days past due."""
    return Exists(_ubetalte_afdrag(forfald__lt=idag - datetime.timedelta(days=dage)))


class _DageSiden(Func):
    """Whole days from a date to `idag` (idag − dato), NULL when the date is NULL.

    PostgreSQL subtracts dates to an integer; SQLite counts Julian days. (Django's own date
    subtraction gives an interval, which SQLite cannot turn into days.)
    """

    output_field = IntegerField()

    def _dele(self, compiler):
        idag, dato = (compiler.compile(udtryk) for udtryk in self.get_source_expressions())
        return idag, dato, (*idag[1], *dato[1])

    def as_sql(self, compiler, connection, **extra):
        idag, dato, parametre = self._dele(compiler)
        return f"CAST(julianday({idag[0]}) - julianday({dato[0]}) AS INTEGER)", parametre

    def as_postgresql(self, compiler, connection, **extra):
        idag, dato, parametre = self._dele(compiler)
        return f"(({idag[0]})::date - ({dato[0]})::date)", parametre


def med_saldo(qs: QuerySet, *, idag: datetime.date | None = None) -> QuerySet:
    """The loans with their balance and arrears, as annotations (no extra query):

    - `indbetalt`: the payments not reversed (0 when none);
    - `restgaeld`: principal − paid for an open ("udbetalt") loan, 0 for a repaid or written-off
      one, None for a loan not disbursed;
    - `naeste_forfald`: the due date of the next unpaid instalment from today on (open loans);
    - `forfaldent`: what is overdue: the unpaid part of instalments due before today (0 when
      nothing; open loans only);
    - `aeldste_forfald`: the oldest unpaid due date before today (None when not in arrears);
    - `dage_i_restance`: days past due, today − `aeldste_forfald` (0 when not in arrears), the
      same as `dage_i_restance(laan)`.
    """
    idag = _idag(idag)
    aaben = Q(status=Laan.Status.UDBETALT)
    forfaldne = _ubetalte_afdrag(forfald__lt=idag)
    aeldste = Subquery(forfaldne.order_by("forfald").values("forfald")[:1])
    return qs.annotate(
        indbetalt=_indbetalt(),
        restgaeld=Case(
            When(aaben, then=F("beloeb") - F("indbetalt")),
            When(status__in=UDBETALTE, then=Value(_NUL)),
            default=None,
            output_field=_kroner_felt(),
        ),
        naeste_forfald=Case(
            When(
                aaben,
                then=Subquery(
                    _ubetalte_afdrag(forfald__gte=idag).order_by("forfald").values("forfald")[:1]
                ),
            ),
            default=None,
        ),
        forfaldent=Case(
            When(
                aaben,
                then=Coalesce(
                    Subquery(
                        forfaldne.values("laan")
                        .annotate(i_alt=Sum(F("beloeb") - F("betalt")))
                        .values("i_alt"),
                        output_field=_kroner_felt(),
                    ),
                    Value(_NUL),
                ),
            ),
            default=Value(_NUL),
            output_field=_kroner_felt(),
        ),
        aeldste_forfald=Case(When(aaben, then=aeldste), default=None),
        dage_i_restance=Coalesce(
            _DageSiden(Value(idag), F("aeldste_forfald")), Value(0), output_field=IntegerField()
        ),
    )


def dage_i_restance(laan: Laan, *, idag: datetime.date | None = None) -> int:
    """Days past due of a loan from `med_saldo`: today − its oldest unpaid due date before today,
    0 when it is not in arrears. For a loan read on another day than `med_saldo`'s `idag`."""
    if laan.aeldste_forfald is None:
        return 0
    return max((_idag(idag) - laan.aeldste_forfald).days, 0)


def restanceliste(
    qs: QuerySet, *, idag: datetime.date | None = None, mindst_dage: int = 1
) -> QuerySet:
    """Open loans with an instalment at least `mindst_dage` days past due (default: any arrears),
    with the `med_saldo` figures and the citizen, the oldest arrears first. One query (lazy: a
    page may paginate it)."""
    idag = _idag(idag)
    return (
        med_saldo(qs, idag=idag)
        .filter(status=Laan.Status.UDBETALT)
        .filter(_restance_over(max(mindst_dage, 1) - 1, idag))
        .select_related("forloeb__borger")
        .order_by("aeldste_forfald", "pk")
    )


@dataclass(frozen=True)
class Portefoelje:
    """The portfolio's totals. Amounts in kroner (Decimal); shares as fractions (0.25 = 25 %)."""

    antal_pr_status: dict[str, int] = field(default_factory=dict)
    beloeb_pr_status: dict[str, Decimal] = field(default_factory=dict)
    # Granted: every loan that was approved (also those paid out, repaid or written off).
    bevilget: Decimal = _NUL
    # Paid out: the principal of every disbursed loan (open, repaid or written off).
    udbetalt: Decimal = _NUL
    # Repaid: the payments not reversed on disbursed loans.
    tilbagebetalt: Decimal = _NUL
    # Outstanding: principal − paid of the open loans.
    restgaeld: Decimal = _NUL
    # The outstanding principal of open loans with an instalment more than 30 days overdue.
    restgaeld_par30: Decimal = _NUL
    # What was written off: principal − paid of the written-off loans.
    afskrevet: Decimal = _NUL
    antal_i_restance: int = 0

    @property
    def antal(self) -> int:
        return sum(self.antal_pr_status.values())

    @property
    def tilbagebetalt_andel(self) -> Decimal | None:
        """Repaid ÷ paid out; None when nothing is paid out."""
        return _andel(self.tilbagebetalt, self.udbetalt)

    @property
    def par30(self) -> Decimal | None:
        """Portfolio at risk over 30 days: the outstanding principal of loans with an instalment
        more than 30 days overdue ÷ all outstanding principal; None when nothing is outstanding."""
        return _andel(self.restgaeld_par30, self.restgaeld)


def _andel(del_: Decimal, helhed: Decimal) -> Decimal | None:
    if not helhed:
        return None
    return (del_ / helhed).quantize(ANDEL, rounding=ROUND_HALF_UP)


def portefoelje(qs: QuerySet, *, idag: datetime.date | None = None) -> Portefoelje:
    """The portfolio of the loans in `qs`, in one query whatever its size: counts and sums per
    status and the money figures are conditional aggregates over the loan rows, each loan's
    payments one subquery."""
    idag = _idag(idag)
    aaben = Q(status=Laan.Status.UDBETALT)
    rest = F("beloeb") - F("indbetalt")
    penge = _kroner_felt()
    status_felter = {}
    for status in Laan.Status:
        status_felter[f"antal_{status.value}"] = Count("pk", filter=Q(status=status))
        status_felter[f"beloeb_{status.value}"] = Sum(
            "beloeb", filter=Q(status=status), output_field=penge
        )
    tal = (
        qs.order_by()
        .annotate(
            indbetalt=Case(When(status__in=UDBETALTE, then=_indbetalt()), output_field=penge),
            i_restance=_restance_over(0, idag),
            par30=_restance_over(PAR_DAGE, idag),
        )
        .aggregate(
            **status_felter,
            tilbagebetalt=Sum("indbetalt", output_field=penge),
            restgaeld=Sum(rest, filter=aaben, output_field=penge),
            restgaeld_par30=Sum(rest, filter=aaben & Q(par30=True), output_field=penge),
            afskrevet=Sum(rest, filter=Q(status=Laan.Status.AFSKREVET), output_field=penge),
            antal_i_restance=Count("pk", filter=aaben & Q(i_restance=True)),
        )
    )
    antal = {s.value: tal[f"antal_{s.value}"] for s in Laan.Status}
    beloeb = {s.value: tal[f"beloeb_{s.value}"] or _NUL for s in Laan.Status}
    return Portefoelje(
        antal_pr_status=antal,
        beloeb_pr_status=beloeb,
        bevilget=sum((beloeb[s] for s in Laan.BEVILGEDE), _NUL),
        udbetalt=sum((beloeb[s] for s in UDBETALTE), _NUL),
        tilbagebetalt=tal["tilbagebetalt"] or _NUL,
        restgaeld=tal["restgaeld"] or _NUL,
        restgaeld_par30=tal["restgaeld_par30"] or _NUL,
        afskrevet=tal["afskrevet"] or _NUL,
        antal_i_restance=tal["antal_i_restance"],
    )
