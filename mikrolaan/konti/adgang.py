"""The one place that decides who may see which case data.

A case model lists, in `DELTAGENDE_ORGANISATIONER`, the lookups from itself to the organisations
that take part in the case (the referring jobcenter, the providing municipality). A user sees a row
when their own organisation is one of them and their role works with cases. The buying
municipality's Erhvervschef sees no case rows at all: the dashboard reads its own minimal data.
A model may widen the roles with `SYNLIG_FOR_ROLLER` (a place agreement is the Erhvervschef's too).
A model with a handful of rows per organisation (a place agreement) sets `FAA_PR_ORGANISATION`:
paths through it check `IN (the organisation's rows)` rather than joining them for every row.
A path may hold only under conditions on the rows it passes, `Sti(opslag, **betingelser)`: a
provider shares a citizen only through referrals that still share the citizen with it (not after
rejecting the citizen at visitation), so that path is
`Sti("henvisninger__pladsaftale__leverandoer", henvisninger__deler_borger=True)`.

Views never build a case queryset of their own: they start from `Model.objects.synlige_for(bruger)`
and fetch single objects with `hent_synlig_eller_404`, so an object outside the user's scope
answers 404 — exactly as if it did not exist. `synlige_for` filters by `deltager_i(Model,
bruger)`, the paths as one condition; a read of related rows asks it through the join
(`gennem("henvisning", deltager_i(Henvisning, bruger))`), and a list that is one path by
definition ("Mine forløb": the provider's) filters by `ad_stien`.

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
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from ..udtryk import EnAf
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
        return self.filter(deltager_i(self.model, bruger))

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
            # The buyer's few agreements first, then the rows through the foreign key's index: a
            # join or `IN (subquery)` became a hash join that scanned all 100,000 forløb for
            # every dashboard figure at national scale (issue 13).
            return self.filter(EnAf("__".join(sti), aftaler))
        return self.none()


def deltager_i(model: type[models.Model], bruger) -> Q:
    """`synlige_for` as one condition for `filter()`, also inside a correlated subquery (a
    citizen's stage) or through a join (`gennem`).

    The paths are OR-ed in one WHERE, each in a shape PostgreSQL checks row by row, so a list
    sorted by an index walks that index and stops after its page (issue 13: the citizen list at
    national scale read 20,000 visible citizens to show 25; now it reads about 200):
    - a path of forward foreign keys is a plain condition on the joined row (a visitation's
      `henvisning__jobcenter`: an inner join, one row per row, through the referral's primary
      key); `IN (the jobcenter's 21,774 referrals)` made PostgreSQL build and hash that set in
      every query of the home page and the timeline. A programme carries its referral's
      jobcenter itself (`Forloeb.jobcenter`): programmes, attendance and loans need no join;
    - a path across a reverse relation is `pk IN (the rows it reaches)`, a set PostgreSQL hashes
      once per query; an OR across the LEFT JOIN of a reverse relation scanned the whole table and
      repeated rows.
    """
    if not _ser_sager(model, bruger):
        return Q(pk__in=[])
    betingelse = Q(pk__in=[])
    for sti in model.DELTAGENDE_ORGANISATIONER:
        betingelse |= _som_betingelse(model, _sti(sti), bruger.organisation_id)
    return betingelse


def ad_stien(model: type[models.Model], bruger, sti: str) -> Q:
    """The rows the user takes part in through one of the model's paths, e.g. "Mine forløb":
    `ad_stien(Forloeb, bruger, "pladsaftale__leverandoer")`, the programmes at the user's
    organisation as provider. A part of `synlige_for`, for a list that is that part by
    definition: an organisation that also refers citizens does not find the programmes it
    referred among those it runs."""
    if sti not in model.DELTAGENDE_ORGANISATIONER:
        raise ValueError(f"{model.__name__} has no path {sti}")
    if not _ser_sager(model, bruger):
        return Q(pk__in=[])
    return _som_betingelse(model, _sti(sti), bruger.organisation_id)


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
    """One path as a condition (see `deltager_i`). The conditions of a `Sti` hold for the same
    related row as its lookup: one `filter()`, inside the subquery across a reverse relation."""
    *foran, sidste = sti.opslag.split("__")
    relateret = model
    for navn in foran:
        felt = relateret._meta.get_field(navn)
        if felt.auto_created and not felt.concrete:
            raekker = model._base_manager.filter(sti.betingelse(organisation_id))
            return Q(pk__in=raekker.values("pk"))
        relateret = felt.related_model
    if foran and not sti.betingelser and getattr(relateret, "FAA_PR_ORGANISATION", False):
        # `pladsaftale_id IN (the provider's agreements)`: a handful of rows, hashed once per
        # query, where a join to the agreements is repeated for every row (a correlated
        # subquery per citizen joined all 108 agreements 20,000 times for "Mine borgere").
        raekker = relateret._base_manager.filter(**{sidste: organisation_id}).values("pk")
        return Q(**{"__".join(foran) + "__in": raekker})
    return sti.betingelse(organisation_id)


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
