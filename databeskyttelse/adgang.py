"""Who may make a citizen's insight export, and which access-log rows are about a citizen.

The insight export (`indsigt.py`) is an Administrator's, of an organisation that takes part in the
citizen's case: the jobcenter that registered them or a municipality they were referred to
(`Borger.DELTAGENDE_ORGANISATIONER`, the same paths `synlige_for` uses for the case roles). The
buying municipality takes no part in the case; its administrator, like everyone else, gets a 404.
`synlige_for` deliberately gives administrators no case rows: this is the one exception, kept on
the top floor beside the only page that uses it.

`adgangslog_om` is also the caseworker's access-log tab's condition (registered with borgere in
`DatabeskyttelseConfig.ready`), so the tab and the export show the same reads.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from borgere import cpr as cpr_
from borgere.models import Borger
from forloeb.models import Aktivitet, Forloeb
from laan.models import Laan
from mikrolaan.konti.models import Bruger, Rolle
from visitation.models import Henvisning


def borgere_til_indsigt(bruger: Bruger) -> QuerySet[Borger]:
    """The citizens whose insight export `bruger` may make: an Administrator's, of the case's
    organisations. Nobody else has any (the views answer 404)."""
    if (
        not bruger.is_authenticated
        or bruger.organisation_id is None
        or not bruger.har_rolle(Rolle.ADMINISTRATOR)
    ):
        return Borger.objects.none()
    betingelse = Q()
    for sti in Borger.DELTAGENDE_ORGANISATIONER:
        # A path is a lookup, or a `konti.adgang.Sti` with conditions on the rows it passes (a
        # provider that rejected the citizen at visitation no longer shares the citizen).
        if hasattr(sti, "betingelse"):
            betingelse |= sti.betingelse(bruger.organisation_id)
        else:
            betingelse |= Q(**{sti: bruger.organisation_id})
    # A subquery, as in synlige_for: several referrals never duplicate the citizen.
    return Borger.objects.filter(pk__in=Borger.objects.filter(betingelse).values("pk"))


def find_borger(*, bruger: Bruger, cpr: str) -> Borger | None:
    """The citizen with this (normalised) CPR number through the blind index, if `bruger` may
    make their export; None otherwise — the same answer whether the citizen does not exist or
    belongs to other organisations."""
    return (
        borgere_til_indsigt(bruger)
        .select_related("jobcenter")
        .filter(cpr_indeks=cpr_.blindindeks(cpr))
        .first()
    )


def _som_tekst(qs: QuerySet) -> QuerySet:
    # The access log stores object ids as text (it logs objects of any model).
    return qs.annotate(tekst_id=Cast("pk", CharField())).values("tekst_id")


def adgangslog_om(borger: Borger) -> Q:
    """The access-log rows about the citizen: reads of the citizen, of their referrals,
    programmes and loans, and of the sessions they took part in (a session's page shows its
    participants' attendance). One condition, for one indexed query (objekt_type, objekt_id)."""
    typer = ContentType.objects.get_for_models(Borger, Henvisning, Forloeb, Laan, Aktivitet)
    return (
        Q(objekt_type=typer[Borger], objekt_id=str(borger.pk))
        | Q(
            objekt_type=typer[Henvisning],
            objekt_id__in=_som_tekst(Henvisning.objects.filter(borger=borger)),
        )
        | Q(
            objekt_type=typer[Forloeb],
            objekt_id__in=_som_tekst(Forloeb.objects.filter(borger=borger)),
        )
        | Q(
            objekt_type=typer[Laan],
            objekt_id__in=_som_tekst(Laan.objects.filter(forloeb__borger=borger)),
        )
        | Q(
            objekt_type=typer[Aktivitet],
            objekt_id__in=_som_tekst(
                Aktivitet.objects.filter(deltagelser__forloeb__borger=borger).distinct()
            ),
        )
    )
