"""Reads of the intake for the pages: always scoped to what the user may see."""

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.functions import Concat

from mikrolaan.konti.adgang import deltager_i, gennem
from mikrolaan.konti.models import Bruger

from .models import Henvisning, Pladsaftale, VentelistePlads

# A referral that won a place has a programme, running (optaget) or ended (afsluttet): the lists
# link to it through `oversigt:henvisningens_forloeb`, as this app cannot read forloeb's rows.
MED_FORLOEB = (Henvisning.Status.OPTAGET, Henvisning.Status.AFSLUTTET)


def _har_forloeb(betingelse: Q | None = None) -> Case:
    return Case(
        When(Q(status__in=MED_FORLOEB) & (betingelse or Q()), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def henvisninger(*, bruger: Bruger, status: str = "") -> QuerySet[Henvisning]:
    """The referral work list: the user's visible referrals, newest first, by status, each with
    `har_forloeb` (a link to the programme)."""
    qs = (
        Henvisning.objects.synlige_for(bruger)
        .select_related("borger", "pladsaftale", "jobcenter")
        .annotate(har_forloeb=_har_forloeb())
    )
    if status in Henvisning.Status.values:
        qs = qs.filter(status=status)
    return qs


def _navn_hvis_synlig(bruger: Bruger, *, henvisning: str, pladsaftale: str, borger: str) -> Case:
    """The citizen's name where the user may see it, otherwise "".

    An agreement's queue and places are shared by every organisation referring to it, so the rows
    themselves are read unscoped (positions and counts are agreement-level facts); a name is given
    only for the user's own cases, or to the buying municipality's Erhvervschef, who is informed
    of intake by name (adgang.overvaagede_af). Other names never leave the database.

    The rows are already narrowed to one agreement, so the referral's visibility is checked on
    the joined row (`gennem`): an `IN` of the organisation's whole set of referrals (21,774 at
    national scale, 105 ms a query) to name 25 of them was what it cost before (issue 13).
    """
    synlig = gennem(henvisning, deltager_i(Henvisning, bruger)) | Q(
        **{f"{pladsaftale}__in": Pladsaftale.objects.overvaagede_af(bruger).values("pk")}
    )
    return Case(
        When(synlig, then=Concat(f"{borger}__fornavn", Value(" "), f"{borger}__efternavn")),
        default=Value(""),
    )


def venteliste(*, bruger: Bruger, aftale: Pladsaftale) -> list[VentelistePlads]:
    """The agreement's waiting list in order, each row with `nummer` and `navn` ("" if hidden)."""
    return list(
        VentelistePlads.objects.ventende()
        .filter(pladsaftale=aftale)
        # The referral and its agreement (never the citizen) for `regler.kan_indskrive`.
        .select_related("henvisning__pladsaftale")
        .annotate(
            navn=_navn_hvis_synlig(
                bruger,
                henvisning="henvisning",
                pladsaftale="pladsaftale",
                borger="henvisning__borger",
            )
        )
    )


def optagne(*, bruger: Bruger, aftale: Pladsaftale) -> QuerySet:
    """The referrals holding the agreement's places, oldest first: `pk`, `oprettet`, `navn` (""
    if hidden) and `har_forloeb` (a link to the programme: only for the user's own cases, not for
    a name the Erhvervschef is shown). Lazy: a large agreement (1,600 places at national scale)
    is shown a page at a time."""
    return (
        Henvisning.objects.filter(pladsaftale=aftale, status=Henvisning.Status.OPTAGET)
        .annotate(
            navn=_navn_hvis_synlig(
                bruger, henvisning="pk", pladsaftale="pladsaftale", borger="borger"
            ),
            har_forloeb=_har_forloeb(deltager_i(Henvisning, bruger)),
        )
        .order_by("oprettet", "pk")
        .values("pk", "oprettet", "navn", "har_forloeb")
    )
