"""The one place that decides who may see which case data.

A case model lists, in `DELTAGENDE_ORGANISATIONER`, the lookups from itself to the organisations
that take part in the case (the referring jobcenter, the providing municipality). A user sees a row
when their own organisation is one of them and their role works with cases. The buying
municipality's Erhvervschef sees no case rows at all: the dashboard reads its own minimal data.
A model may widen the roles with `SYNLIG_FOR_ROLLER` (a place agreement is the Erhvervschef's too).
A path may hold only under conditions on the rows it passes, `Sti(opslag, **betingelser)`: a
provider shares a citizen only through referrals that still share the citizen with it (not after
rejecting the citizen at visitation), so that path is
`Sti("henvisninger__pladsaftale__leverandoer", henvisninger__deler_borger=True)`.

Views never build a case queryset of their own: they start from `Model.objects.synlige_for(bruger)`
and fetch single objects with `hent_synlig_eller_404`, so an object outside the user's scope
answers 404 — exactly as if it did not exist. A read already narrowed to one citizen's rows (or a
correlated subquery per citizen) filters by `deltager_i(Model, bruger)`, the same paths as one
condition.

The buying municipality follows its place agreements through the dashboard only: a model that
names the path to its buyer in `KOEBER` can be read with `overvaagede_af(bruger)`, which gives the
Erhvervschef the rows her organisation buys (and an Administrator all of them). Callers read only
the minimal fields such a page shows (names, dates, reasons; never CPR or notes).

Who may *do* what with a visible object is decided by each app's `regler.py`: predicates named
`kan_<handling>(bruger, objekt) -> bool` that pages use to show or hide an action, and that views
and services enforce with `kraev(regel)`. One way to fail: PermissionDenied, a 403 for an object
the user may see but not act on (an object they may not see has already answered 404).
"""

from django.core.exceptions import PermissionDenied
from django.db import connections, models
from django.db.models import F, Func, Q, Subquery
from django.shortcuts import get_object_or_404

from .models import Rolle

# Roles that work with individual cases. Administrators configure; the Erhvervschef sees aggregates.
SAGSROLLER = (Rolle.SAGSBEHANDLER, Rolle.FORLOEBSMEDARBEJDER)


class Sti:
    """A path from a model to an organisation taking part in its case, with conditions on the
    rows it passes, e.g.
    `Sti("henvisninger__pladsaftale__leverandoer", henvisninger__deler_borger=True)`.

    The lookup and the conditions go into one `filter()`, so across a reverse relation they hold
    for the same related row (the same referral names the provider and shares the citizen).
    """

    def __init__(self, opslag: str, **betingelser):
        self.opslag = opslag
        self.betingelser = betingelser

    def __repr__(self):
        return f"Sti({self.opslag!r}, **{self.betingelser!r})"

    def betingelse(self, organisation_id: int) -> Q:
        return Q(**{self.opslag: organisation_id}, **self.betingelser)


def _sti(sti: "str | Sti") -> Sti:
    return sti if isinstance(sti, Sti) else Sti(sti)


def _ser_sager(model: type[models.Model], bruger) -> bool:
    """The user has an organisation and a role that sees this model's rows at all."""
    roller = getattr(model, "SYNLIG_FOR_ROLLER", SAGSROLLER)
    return (
        bruger.is_authenticated and bruger.organisation_id is not None and bruger.har_rolle(*roller)
    )


class SynligQuerySet(models.QuerySet):
    def synlige_for(self, bruger) -> "SynligQuerySet":
        if not _ser_sager(self.model, bruger):
            return self.none()
        # One subquery per path, joined by UNION rather than OR-ed in one WHERE: an OR across a
        # LEFT JOIN of a reverse relation cannot use either side's index, and at national scale
        # (100,000 citizens) scanned the whole table twice per page; each branch of the UNION
        # uses its own index. A subquery rather than a join in the outer query, so a reverse
        # relation (several referrals) never duplicates rows and the caller's ordering and
        # slicing stay simple.
        delmaengder = [
            self.model.objects.filter(_sti(sti).betingelse(bruger.organisation_id))
            .order_by()
            .values("pk")
            for sti in self.model.DELTAGENDE_ORGANISATIONER
        ]
        foerste, *resten = delmaengder
        return self.filter(pk__in=foerste.union(*resten) if resten else foerste)

    def overvaagede_af(self, bruger) -> "SynligQuerySet":
        """The rows of the place agreements the user's organisation buys (the Erhvervschef's
        dashboard), all of them for an Administrator, none for anyone else. Only for aggregate and
        name-level pages: the buyer takes no part in the case itself."""
        if not bruger.is_authenticated:
            return self.none()
        if bruger.har_rolle(Rolle.ADMINISTRATOR):
            return self.all()
        if bruger.har_rolle(Rolle.ERHVERVSCHEF) and bruger.organisation_id is not None:
            *sti, koeber = self.model.KOEBER.split("__")
            if not sti:
                return self.filter(**{koeber: bruger.organisation_id})
            aftale = self.model
            for navn in sti:
                aftale = aftale._meta.get_field(navn).related_model
            aftaler = aftale._base_manager.filter(**{koeber: bruger.organisation_id}).values("pk")
            if connections[self.db].vendor != "postgresql":
                return self.filter(**{"__".join(sti) + "__in": aftaler})
            # `pladsaftale_id = ANY(ARRAY(the buyer's agreements))`: PostgreSQL reads the few
            # agreements first (an InitPlan) and then the rows through the foreign key's index.
            # A join or `IN (subquery)` became a hash join that scanned all 100,000 forløb for
            # every dashboard figure at national scale (issue 13); 63 ms a figure, now 14 ms.
            return self.filter(
                Func(
                    F("__".join(sti)),
                    Subquery(aftaler),
                    template="(%(expressions)s)))",
                    arg_joiner=" = ANY(ARRAY(",
                    output_field=models.BooleanField(),
                )
            )
        return self.none()


def deltager_i(model: type[models.Model], bruger) -> Q:
    """`synlige_for` as one condition for `filter()`, for a read already narrowed to a few rows
    by an index (one citizen's referrals, or inside a correlated subquery per citizen).

    `synlige_for`'s UNION is uncorrelated, and PostgreSQL cannot push a filter on another column
    (`borger_id`) into `IN (UNION)`: a read of one citizen's referrals built the provider's whole
    set first (31,000 referrals, 270 ms a query), and inside a correlated subquery it was rebuilt
    for every outer row ("Mine borgere" did not finish in 90 s at national scale, issue 13). Here
    the same paths are OR-ed, which PostgreSQL checks on the few rows already found. Only for
    models whose paths are all forward foreign keys (a referral, a programme, a loan): across a
    reverse relation the OR would join a row twice, so such a path is refused.
    """
    if not _ser_sager(model, bruger):
        return Q(pk__in=[])
    betingelse = Q(pk__in=[])
    for sti in model.DELTAGENDE_ORGANISATIONER:
        betingelse |= _som_betingelse(model, _sti(sti), bruger.organisation_id)
    return betingelse


def gennem(sti: str, betingelse: Q) -> Q:
    """`betingelse` (e.g. `deltager_i(Henvisning, bruger)`) asked of a related row through the
    lookup `sti` ("pk": the row itself), e.g. `gennem("henvisning", ...)` on a visitation.

    A plain condition on the joined row, not a correlated EXISTS or an `IN` of the related rows:
    PostgreSQL turns either into a hashed set of every visible referral (21,774 for a jobcentre at
    national scale, issue 13), which is what this avoids."""
    if sti == "pk":
        return betingelse
    omskrevet = Q()
    omskrevet.connector, omskrevet.negated = betingelse.connector, betingelse.negated
    omskrevet.children = [
        gennem(sti, barn) if isinstance(barn, Q) else (f"{sti}__{barn[0]}", barn[1])
        for barn in betingelse.children
    ]
    return omskrevet


def _som_betingelse(model: type[models.Model], sti: Sti, organisation_id: int) -> Q:
    """One path as a condition. The last hop becomes `IN (the related rows of the
    organisation)` rather than a join: uncorrelated, PostgreSQL hashes it once per query instead
    of joining the agreements again for every citizen ("pladsaftale__leverandoer" is
    `pladsaftale_id IN (the provider's 30 agreements)`)."""
    *foran, sidste = sti.opslag.split("__")
    relateret = model
    for navn in foran:
        felt = relateret._meta.get_field(navn)
        if felt.auto_created and not felt.concrete:
            raise ValueError(f"{model.__name__}: {sti.opslag} passes a reverse relation")
        relateret = felt.related_model
    if not foran or sti.betingelser:
        # A path with conditions on the rows it passes keeps them on the same join.
        return sti.betingelse(organisation_id)
    raekker = relateret._base_manager.filter(**{sidste: organisation_id}).values("pk")
    return Q(**{"__".join(foran) + "__in": raekker})


def hent_synlig_eller_404(queryset: SynligQuerySet, bruger, **opslag):
    """The object matching `opslag` if the user may see it; otherwise 404."""
    return get_object_or_404(queryset.synlige_for(bruger), **opslag)


def kraev(tilladt: bool) -> None:
    """Enforce a rule from an app's `regler.py`: `kraev(regler.kan_styre_forloeb(bruger, f))`.

    The one way a refused action fails, in views and services alike: PermissionDenied (403).
    """
    if not tilladt:
        raise PermissionDenied


def kraev_rolle(bruger, *roller: Rolle) -> None:
    """Refuse a page to users without one of the roles: 403, the page exists but is not theirs."""
    kraev(bruger.har_rolle(*roller))
