"""Where each citizen's case stands, from registration to the follow-ups: the one stage rule that
"Mine borgere" and the citizen list both use.

A stage is computed in the database, as annotations on a `Borger` queryset, so a list can filter
and sort by it before it is paginated: one correlated subquery per piece of information (the open
referral, the newest programme, the waiting-list position, whose signature is missing, ...), never
a COUNT over joins and never a query per row. Each subquery keeps to the referrals and programmes
the user may see (`synlige_for`, whose paths PostgreSQL checks on the citizen's few rows: issue
13): a provider sees the stage of the referrals and programmes it takes part in, not that the
citizen has since been referred to another provider (the same rule as the citizen page's case
section).

The stage lives here, on the top floor, because it reads visitation and forloeb; `borgere` (a lower
floor) shows it in its citizen list through the extension this module registers
(`BorgerlisteStadier`, installed by `OversigtConfig.ready`), without importing anything above it.

`oversigt` may read every app (STYLE.md): nothing here writes.
"""

from django import forms
from django.db import models
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borgere.models import Borger
from forloeb.models import Fase, Forloeb, Opfoelgning
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.udtryk import EnAf
from visitation.models import Henvisning, Underskrift, VentelistePlads


class Stadie(models.IntegerChoices):
    """The stages in the order a case goes through them (sorting by stage follows this order).

    Where a stage is one of the owning model's statuses, its label is that status's label.
    """

    REGISTRERET = 1, _("Registreret – ikke henvist")
    HENVIST = 2, Henvisning.Status.HENVIST.label
    AFVENTER_UNDERSKRIFT = 3, Henvisning.Status.AFVENTER_UNDERSKRIFT.label
    VENTELISTE = 4, Henvisning.Status.VENTELISTE.label
    OPKVALIFICERING = 5, Fase.Type.OPKVALIFICERING.label
    HOVEDFORLOEB = 6, Fase.Type.HOVEDFORLOEB.label
    UDSKREVET = 7, _("Udskrevet")
    OPFOELGNING = 8, _("Udskrevet – opfølgning forfalden")


# An open referral's stage by its status; an admitted one's by its programme's status.
HENVISNING_STADIE = {
    Henvisning.Status.HENVIST: Stadie.HENVIST,
    Henvisning.Status.AFVENTER_UNDERSKRIFT: Stadie.AFVENTER_UNDERSKRIFT,
    Henvisning.Status.VENTELISTE: Stadie.VENTELISTE,
}
FORLOEB_STADIE = {
    Forloeb.Status.OPKVALIFICERING: Stadie.OPKVALIFICERING,
    Forloeb.Status.HOVEDFORLOEB: Stadie.HOVEDFORLOEB,
}


def _navn(sti: str):
    """A user's full name, or their user name when it is empty (as `Bruger.__str__`)."""
    fuldt = Trim(Concat(f"{sti}first_name", Value(" "), f"{sti}last_name"))
    return Coalesce(NullIf(fuldt, Value("")), F(f"{sti}username"))


def med_stadie(borgere: QuerySet, *, bruger: Bruger) -> QuerySet:
    """`borgere` (already scoped with `synlige_for`) annotated with every piece of `udtryk`."""
    return borgere.annotate(**udtryk(bruger))


def med_alias(borgere: QuerySet, *navne: str, bruger: Bruger) -> QuerySet:
    """`borgere` with the pieces `navne` of `udtryk` as aliases (for filtering and sorting,
    not selected), leaving out those it already has: a list filters and sorts the whole set by
    these, and only its page gets `med_stadie` (borgere.selectors.AnnoteretSide)."""
    alle = udtryk(bruger)
    mangler = {navn: alle[navn] for navn in navne if navn not in borgere.query.annotations}
    return borgere.alias(**mangler) if mangler else borgere


def udtryk(bruger: Bruger) -> dict:
    """The stage's pieces as expressions on `Borger`, by the names `med_stadie` gives them:

    - `stadie` (a `Stadie` value) and `stadie_dato`, the day the citizen reached it;
    - `venteplads`: the position on the waiting list (1 = first in line), on that stage only;
    - `afventer_underskrift_fra`: the organisation whose signature is missing, on that stage only;
    - `fase_slut`: the current phase's planned end, while in a phase;
    - `forloeb_pk`: the newest programme the user may see (for a one-click link), or None;
    - `sagsbehandler_pk` and `sagsbehandler_navn`: the responsible caseworker of the newest
      referral, or whoever registered the citizen when there is none.

    The open referral decides the stage while there is one (a discharged citizen may be referred
    again); after it, the newest programme; before any, the registration.
    """
    idag = timezone.localdate()
    henvisninger = (
        Henvisning.objects.synlige_for(bruger)
        .filter(borger=OuterRef("pk"))
        .order_by("-oprettet", "-id")
    )
    # At most one per citizen (the unique constraint henvisning_en_aaben_pr_borger).
    aaben = henvisninger.filter(status__in=Henvisning.AABNE)
    forloeb = (
        Forloeb.objects.synlige_for(bruger)
        .filter(borger=OuterRef("pk"))
        .order_by("-startdato", "-id")
    )
    afsluttet = forloeb.exclude(status__in=Forloeb.AKTIVE)
    forfaldne = Opfoelgning.objects.filter(
        forloeb=OuterRef("pk"), registreret__isnull=True, forfalder__lte=idag
    )
    # The current phase (its type is the programme's status) of the admitted referral's programme.
    aktuel_fase = Fase.objects.filter(
        forloeb__henvisning=OuterRef("pk"), type=OuterRef("forloeb__status")
    )

    henvisning_stadie = Case(
        *(When(status=status, then=Value(stadie)) for status, stadie in HENVISNING_STADIE.items()),
        *(
            When(status=Henvisning.Status.OPTAGET, forloeb__status=status, then=Value(stadie))
            for status, stadie in FORLOEB_STADIE.items()
        ),
        output_field=IntegerField(),
    )
    henvisning_dato = Case(
        When(status=Henvisning.Status.HENVIST, then=TruncDate("oprettet")),
        When(status=Henvisning.Status.AFVENTER_UNDERSKRIFT, then=TruncDate("visitation__oprettet")),
        When(status=Henvisning.Status.VENTELISTE, then=TruncDate("ventelisteplads__opskrevet")),
        When(
            status=Henvisning.Status.OPTAGET,
            then=Subquery(aktuel_fase.values("faktisk_start")[:1]),
        ),
        output_field=DateField(),
    )
    forloeb_stadie = Case(
        When(Exists(forfaldne), then=Value(Stadie.OPFOELGNING)),
        default=Value(Stadie.UDSKREVET),
        output_field=IntegerField(),
    )
    # The oldest follow-up that is due, or the discharge.
    forloeb_dato = Coalesce(
        Subquery(forfaldne.order_by().values("forloeb").annotate(d=Min("forfalder")).values("d")),
        F("udskrivning__dato"),
        output_field=DateField(),
    )

    # Ahead of a waiting-list place: the open places of its agreement written up before it.
    foran = (
        VentelistePlads.objects.filter(pladsaftale=OuterRef("pladsaftale"), afsluttet__isnull=True)
        .filter(
            Q(opskrevet__lt=OuterRef("opskrevet"))
            | Q(opskrevet=OuterRef("opskrevet"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("pladsaftale")
        .annotate(antal=Count("pk"))
        .values("antal")
    )
    venteplads = (
        VentelistePlads.objects.filter(
            henvisning__borger=OuterRef("pk"),
            henvisning__status=Henvisning.Status.VENTELISTE,
            henvisning__in=Henvisning.objects.synlige_for(bruger).values("pk"),
            afsluttet__isnull=True,
        )
        .annotate(nummer=Coalesce(Subquery(foran, output_field=IntegerField()), 0) + 1)
        .values("nummer")[:1]
    )
    # Each party of the referral (jobcenter and provider) signs once; the first one without a
    # signature is the one still awaited (the party recording the visitation signs at once).
    jobcenter_har_skrevet = Underskrift.objects.filter(
        visitation__henvisning=OuterRef("pk"), organisation=OuterRef("jobcenter")
    )
    afventer_fra = aaben.filter(status=Henvisning.Status.AFVENTER_UNDERSKRIFT).annotate(
        mangler=Case(
            When(Exists(jobcenter_har_skrevet), then=F("pladsaftale__leverandoer__navn")),
            default=F("jobcenter__navn"),
        )
    )

    return {
        "stadie": Coalesce(
            Subquery(aaben.annotate(s=henvisning_stadie).values("s")[:1]),
            Subquery(afsluttet.annotate(s=forloeb_stadie).values("s")[:1]),
            Value(Stadie.REGISTRERET),
            output_field=IntegerField(),
        ),
        "stadie_dato": Coalesce(
            Subquery(aaben.annotate(d=henvisning_dato).values("d")[:1]),
            Subquery(afsluttet.annotate(d=forloeb_dato).values("d")[:1]),
            TruncDate("oprettet"),
            output_field=DateField(),
        ),
        "venteplads": Subquery(venteplads, output_field=IntegerField()),
        "afventer_underskrift_fra": Subquery(afventer_fra.values("mangler")[:1]),
        "fase_slut": Subquery(
            aaben.filter(status=Henvisning.Status.OPTAGET)
            .annotate(slut=Subquery(aktuel_fase.values("planlagt_slut")[:1]))
            .values("slut")[:1]
        ),
        "forloeb_pk": Subquery(forloeb.values("pk")[:1]),
        "sagsbehandler_pk": Coalesce(
            Subquery(henvisninger.values("sagsbehandler")[:1]),
            F("oprettet_af"),
            output_field=IntegerField(),
        ),
        "sagsbehandler_navn": Coalesce(
            Subquery(henvisninger.values(navn=_navn("sagsbehandler__"))[:1]),
            _navn("oprettet_af__"),
        ),
    }


def filtrer(
    borgere: QuerySet,
    *,
    bruger: Bruger,
    stadie: int | None = None,
    sagsbehandler: int | None = None,
) -> QuerySet:
    """Keep one stage and/or one responsible caseworker, computing only the pieces of the stage
    the filters read (as aliases, when `borgere` is not already from `med_stadie`)."""
    if stadie:
        borgere = med_alias(borgere, "stadie", bruger=bruger).filter(stadie=stadie)
    if sagsbehandler:
        # First through indexes the few citizens who can be the caseworker's: a referral of hers,
        # or registered by her (the rule below is one of these two); only those are then asked
        # the exact rule, a correlated subquery per row. Without it every citizen of the
        # jobcenter (20,000 at national scale) was asked, for the count and for the page.
        # One UNION of ids rather than `IN (…) OR oprettet_af = …`: the OR cannot use an index,
        # and PostgreSQL read every citizen of the table through the primary key to test it.
        # `EnAf`, so that the candidates drive the query (PostgreSQL otherwise tested every
        # visible citizen first: 310 ms for the count, 31 ms so).
        kandidater = (
            Henvisning.objects.filter(sagsbehandler=sagsbehandler)
            .order_by()
            .values("borger")
            .union(Borger.objects.filter(oprettet_af=sagsbehandler).order_by().values("pk"))
        )
        borgere = med_alias(
            borgere.filter(EnAf("pk", kandidater)),
            "sagsbehandler_pk",
            bruger=bruger,
        ).filter(sagsbehandler_pk=sagsbehandler)
    return borgere


def sagsbehandlere(bruger: Bruger) -> list[tuple[int, str]]:
    """The caseworkers of the user's organisation, for the caseworker filter (one query)."""
    if bruger.organisation_id is None:
        return []
    return [
        (b.pk, str(b))
        for b in Bruger.objects.med_rolle(
            Rolle.SAGSBEHANDLER, organisation_id=bruger.organisation_id
        )
    ]


# --- The citizen list's extension (borgere.selectors.Listeudvidelse) -------------------------


class BorgerlisteStadier:
    """Gives the citizen list (`borgere:liste`) the stage and caseworker filters, the stage
    column and the one-click link to the programme. Registered by `OversigtConfig.ready`."""

    kolonner = "oversigt/_borgerliste_stadie.html"

    def felter(self, bruger: Bruger) -> dict[str, forms.Field]:
        felter = {
            "stadie": forms.TypedChoiceField(
                label=_("Stadie"),
                choices=[("", _("Alle stadier")), *Stadie.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )
        }
        # Caseworkers are a jobcenter's: course staff have no colleagues among them.
        if bruger.har_rolle(Rolle.SAGSBEHANDLER):
            felter["sagsbehandler"] = forms.TypedChoiceField(
                label=_("Sagsbehandler"),
                choices=[("", _("Alle sagsbehandlere")), *sagsbehandlere(bruger)],
                coerce=int,
                empty_value=None,
                required=False,
            )
        return felter

    def filtrer(self, borgere: QuerySet, *, bruger: Bruger, filtre: dict) -> QuerySet:
        return filtrer(
            borgere,
            bruger=bruger,
            stadie=filtre.get("stadie"),
            sagsbehandler=filtre.get("sagsbehandler"),
        )

    def annoter(self, borgere: QuerySet, *, bruger: Bruger) -> QuerySet:
        return med_stadie(borgere, bruger=bruger)

    def anvend(self, borgere: QuerySet, *, bruger: Bruger, filtre: dict) -> QuerySet:
        return self.filtrer(self.annoter(borgere, bruger=bruger), bruger=bruger, filtre=filtre)
