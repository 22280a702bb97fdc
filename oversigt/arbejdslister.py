"""The work lists: course staff's "Mine forløb" and the caseworker's "Mine borgere".

Each list is one count and one page, whatever the number of rows: key figures, flags, stages,
filters and the sort order are all annotations on the one query.

`oversigt` may read every app (STYLE.md): nothing here writes.
"""

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils import timezone

from borgere.models import Borger
from forloeb.models import (
    RISIKO_FREMMOEDE,
    RISIKO_MINDST_REGISTRERET,
    Deltagelse,
    Fase,
    Forloeb,
    Opfoelgning,
)
from mikrolaan.konti.adgang import ad_stien
from mikrolaan.konti.models import Bruger

from . import stadier

# Sort keys of the work lists: URL value → ordering (ties broken by id, so pages are stable).
SORTERINGER = {
    "navn": [Lower("borger__fornavn"), Lower("borger__efternavn"), "id"],
    "-navn": [Lower("borger__fornavn").desc(), Lower("borger__efternavn").desc(), "-id"],
    "dage": [F("fase_slut").asc(nulls_last=True), "id"],
    "-dage": [F("fase_slut").desc(nulls_last=True), "-id"],
    "fremmoede": [F("fremmoede_andel").asc(nulls_last=True), "id"],
    "-fremmoede": [F("fremmoede_andel").desc(nulls_last=True), "-id"],
}
STANDARD_SORTERING = "dage"

# "Mine borgere" lists citizens, not programmes, and writes names "Efternavn, Fornavn".
_NAVN = [Lower("efternavn"), Lower("fornavn")]
SORTERINGER_BORGERE = {
    "navn": [*_NAVN, "id"],
    "-navn": [*(n.desc() for n in _NAVN), "-id"],
    # Stages in the order a case goes through them (stadier.Stadie), by name within one.
    "stadie": [F("stadie").asc(), *_NAVN, "id"],
    "-stadie": [F("stadie").desc(), *_NAVN, "id"],
    # The day the citizen reached the stage.
    "dato": [F("stadie_dato").asc(), "id"],
    "-dato": [F("stadie_dato").desc(), "-id"],
}
STANDARD_SORTERING_BORGERE = "stadie"


class Status:
    AKTIVE = "aktive"
    AFSLUTTEDE = "afsluttede"
    ALLE = "alle"


def _antal(deltagelser: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(deltagelser.values("forloeb").annotate(n=Count("pk")).values("n")),
        Value(0),
        output_field=IntegerField(),
    )


def _med_noegletal(qs: QuerySet) -> QuerySet:
    """The same key figures as `Forloeb.objects.med_noegletal()` (attendance counts and the
    current phase's planned end, which the model's `fremmoedeprocent`, `dage_tilbage` and
    `i_risiko` read), as one correlated subquery each rather than DISTINCT counts over a join of
    attendance and sessions: at national scale (2 M attendance rows) the join grouped every
    programme of the provider before the page could be cut; a subquery is computed for the rows
    it is needed for, through the index on the attendance's programme."""
    # A cancelled session's attendance rows are kept but not counted.
    gaeldende = Deltagelse.objects.filter(
        forloeb=OuterRef("pk"), aktivitet__aflyst__isnull=True
    ).order_by()
    aktuel_fase = Fase.objects.filter(forloeb=OuterRef("pk"), type=OuterRef("status"))
    return qs.annotate(
        antal_registreret=_antal(gaeldende),
        antal_deltog=_antal(gaeldende.filter(status=Deltagelse.Status.DELTOG)),
        fase_slut=Subquery(aktuel_fase.values("planlagt_slut")[:1]),
    )


def _arbejdsliste(
    qs: QuerySet,
    *,
    fase: str = "",
    i_risiko: bool = False,
    status: str = Status.AKTIVE,
    sorter: str = STANDARD_SORTERING,
) -> QuerySet:
    """Key figures, flags, filters and ordering shared by both work lists (still one query)."""
    idag = timezone.localdate()
    qs = (
        _med_noegletal(qs)
        .annotate(
            # The share attended, for sorting and the at-risk filter (None before any session).
            fremmoede_andel=Case(
                When(antal_registreret=0, then=Value(None)),
                default=ExpressionWrapper(
                    Cast("antal_deltog", FloatField()) / Cast("antal_registreret", FloatField()),
                    output_field=FloatField(),
                ),
                output_field=FloatField(),
            ),
            opfoelgning_forfalden=Exists(
                Opfoelgning.objects.filter(
                    forloeb=OuterRef("pk"), registreret__isnull=True, forfalder__lte=idag
                )
            ),
        )
        .select_related("borger", "pladsaftale")
    )
    if status == Status.AKTIVE:
        qs = qs.aktive()
    elif status == Status.AFSLUTTEDE:
        qs = qs.exclude(status__in=Forloeb.AKTIVE)
    if fase:
        qs = qs.filter(status=fase)
    if i_risiko:
        # The database's version of Forloeb.i_risiko, so the filter works before pagination.
        qs = qs.filter(
            Q(
                antal_registreret__gte=RISIKO_MINDST_REGISTRERET,
                fremmoede_andel__lt=RISIKO_FREMMOEDE,
            )
            | Q(status__in=Forloeb.AKTIVE, fase_slut__lt=idag)
        )
    return qs.order_by(*SORTERINGER.get(sorter, SORTERINGER[STANDARD_SORTERING]))


def mine_forloeb(*, bruger: Bruger, kun_mine: bool = False, **filtre) -> QuerySet:
    """Course staff's programmes: those at their organisation as provider; `kun_mine` keeps the
    ones the user is responsible for (`Forloeb.forloebsmedarbejder`)."""
    qs = Forloeb.objects.filter(ad_stien(Forloeb, bruger, "pladsaftale__leverandoer"))
    if kun_mine:
        qs = qs.filter(forloebsmedarbejder=bruger)
    return _arbejdsliste(qs, **filtre)


def mine_borgere(
    *,
    bruger: Bruger,
    stadie: int | None = None,
    sagsbehandler: int | None = None,
    sorter: str = STANDARD_SORTERING_BORGERE,
) -> QuerySet:
    """A caseworker's citizens from registration on (`stadier.med_stadie` gives each its stage):
    one caseworker's (the responsible one of the newest referral, or who registered the citizen)
    or, without `sagsbehandler`, the whole jobcenter's.

    Filtered and ordered, but computing only the pieces of the stage the filters and the sort
    read: the page shown annotates its 25 rows (the view, through `AnnoteretSide`), so the
    other columns are not computed for every citizen of the jobcenter (issue 13)."""
    orden = SORTERINGER_BORGERE.get(sorter, SORTERINGER_BORGERE[STANDARD_SORTERING_BORGERE])
    borgere = stadier.filtrer(
        Borger.objects.synlige_for(bruger),
        bruger=bruger,
        stadie=stadie,
        sagsbehandler=sagsbehandler,
    )
    sorteret_paa = [n for n in ("stadie", "stadie_dato") if any(_naevner(o, n) for o in orden)]
    return stadier.med_alias(borgere, *sorteret_paa, bruger=bruger).order_by(*orden)


def _naevner(orden, navn: str) -> bool:
    """The sort key `orden` (an F, or an F with asc()/desc()) reads the annotation `navn`."""
    udtryk = getattr(orden, "expression", orden)
    return getattr(udtryk, "name", None) == navn
