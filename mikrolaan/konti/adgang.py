"""The one place that decides who may see which case data.

A case model lists, in `DELTAGENDE_ORGANISATIONER`, the lookups from itself to the organisations
that take part in the case (the referring jobcenter, the providing municipality). A user sees a row
when their own organisation is one of them and their role works with cases. The buying
municipality's Erhvervschef sees no case rows at all: the dashboard reads its own minimal data.
A model may widen the roles with `SYNLIG_FOR_ROLLER` (a place agreement is the Erhvervschef's too).

Views never build a case queryset of their own: they start from `Model.objects.synlige_for(bruger)`
and fetch single objects with `hent_synlig_eller_404`, so an object outside the user's scope
answers 404 — exactly as if it did not exist.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import Rolle

# Roles that work with individual cases. Administrators configure; the Erhvervschef sees aggregates.
SAGSROLLER = (Rolle.SAGSBEHANDLER, Rolle.FORLOEBSMEDARBEJDER)


class SynligQuerySet(models.QuerySet):
    def synlige_for(self, bruger) -> "SynligQuerySet":
        roller = getattr(self.model, "SYNLIG_FOR_ROLLER", SAGSROLLER)
        if (
            not bruger.is_authenticated
            or bruger.organisation_id is None
            or not bruger.har_rolle(*roller)
        ):
            return self.none()
        stier = self.model.DELTAGENDE_ORGANISATIONER
        betingelse = Q()
        for sti in stier:
            betingelse |= Q(**{sti: bruger.organisation_id})
        # A subquery rather than a join, so a reverse relation (several referrals) never
        # duplicates rows and the caller's ordering and slicing stay simple.
        return self.filter(pk__in=self.model.objects.filter(betingelse).values("pk"))


def hent_synlig_eller_404(queryset: SynligQuerySet, bruger, **opslag):
    """The object matching `opslag` if the user may see it; otherwise 404."""
    return get_object_or_404(queryset.synlige_for(bruger), **opslag)


def kraev_rolle(bruger, *roller: Rolle) -> None:
    """Refuse a page to users without one of the roles: 403, the page exists but is not theirs."""
    if not bruger.har_rolle(*roller):
        raise PermissionDenied
