"""The case rows of one citizen that the user may see: one query per kind of row, each with the
`select_related` its entries' texts need, nine however long the case (a programme's phases,
extensions and follow-ups and a referral's signatures are read with it, `pakning`)."""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet
from django.urls import reverse

from borgere.models import Borger, Dokument, Journalnotat
from forloeb.models import (
    Deltagelse,
    Fase,
    Faseforlaengelse,
    Forloeb,
    Forloebsrettelse,
    Opfoelgning,
)
from laan.models import Laan, Sagsgang
from mikrolaan.konti.models import Bruger, Organisation
from mikrolaan.notifikationer.models import Notifikation
from visitation.models import Henvisning, Henvisningsrettelse, Underskrift

from .faelles import forloeb_url, henvisning_url, laan_url
from .pakning import fra_liste, som_liste


@dataclass(frozen=True)
class Sagen:
    """The case's rows the user may see: one query each."""

    henvisninger: list[Henvisning]
    underskrifter: list[Underskrift]
    forloeb: list[Forloeb]
    faser: list[Fase]
    forlaengelser: list[Faseforlaengelse]
    deltagelser: list[Deltagelse]
    notater: list[Journalnotat]
    dokumenter: list[Dokument]
    opfoelgninger: list[Opfoelgning]
    sagsgange: list[Sagsgang]
    notifikationer: list[Notifikation]
    henvisningsrettelser: list[Henvisningsrettelse]
    forloebsrettelser: list[Forloebsrettelse]


def hent_sagen(*, borger: Borger, bruger: Bruger) -> Sagen:
    henvisninger_qs = Henvisning.objects.synlige_for(bruger).filter(borger=borger)
    forloeb_qs = Forloeb.objects.synlige_for(bruger).filter(borger=borger)
    # The signatures with their referral, the phases, extensions and follow-ups with their
    # programme (`pakning`): small sets, read in the parent's query.
    henvisninger = list(
        henvisninger_qs.select_related(
            "pladsaftale__leverandoer", "jobcenter", "oprettet_af", "visitation"
        ).annotate(
            underskrifter_json=som_liste(
                Underskrift.objects.filter(visitation__henvisning=OuterRef("pk")).order_by(
                    "tidspunkt", "pk"
                ),
                *UNDERSKRIFT_FELTER,
                organisation_navn="organisation__navn",
                **{f"bruger_{navn}": f"bruger__{navn}" for navn in BRUGER_NAVNE},
            )
        )
    )
    forloeb = list(
        forloeb_qs.select_related("pladsaftale", "udskrivning", "overgangsvurdering").annotate(
            faser_json=som_liste(Fase.objects.filter(forloeb=OuterRef("pk"))),
            forlaengelser_json=som_liste(
                Faseforlaengelse.objects.filter(fase__forloeb=OuterRef("pk"))
            ),
            opfoelgninger_json=som_liste(Opfoelgning.objects.filter(forloeb=OuterRef("pk"))),
        )
    )
    faser = sorted(
        (fase for f in forloeb for fase in fra_liste(Fase, f.faser_json)),
        key=lambda fase: (fase.planlagt_start, fase.pk),
    )
    fase_efter_id = {fase.pk: fase for fase in faser}
    forlaengelser = sorted(
        (
            forlaengelse
            for f in forloeb
            for forlaengelse in fra_liste(Faseforlaengelse, f.forlaengelser_json)
        ),
        key=lambda forlaengelse: (forlaengelse.oprettet, forlaengelse.pk),
    )
    for forlaengelse in forlaengelser:
        forlaengelse.fase = fase_efter_id[forlaengelse.fase_id]
    # The loans through their own scoping, never through the programme's reverse relation: a loan
    # is seen by the organisations taking part in it (Laan.DELTAGENDE_ORGANISATIONER), and another
    # provider that also sees the citizen must not see this provider's loans.
    laan_qs = Laan.objects.synlige_for(bruger).filter(forloeb__borger=borger)
    sagsgange = list(Sagsgang.objects.filter(laan__in=laan_qs).select_related("laan", "udfoert_af"))
    return Sagen(
        henvisninger=henvisninger,
        underskrifter=_underskrifter(henvisninger),
        forloeb=forloeb,
        faser=faser,
        forlaengelser=forlaengelser,
        deltagelser=list(
            Deltagelse.objects.filter(forloeb__in=forloeb_qs).select_related(
                "aktivitet__medarbejder", "aktivitet__aflyst_af"
            )
        ),
        notater=list(Journalnotat.objects.for_borger(borger)),
        dokumenter=list(Dokument.objects.filter(borger=borger).select_related("uploadet_af")),
        opfoelgninger=sorted(
            (o for f in forloeb for o in fra_liste(Opfoelgning, f.opfoelgninger_json)),
            key=lambda o: (o.forfalder, o.pk),
        ),
        sagsgange=sagsgange,
        notifikationer=list(
            sagens_notifikationer(
                bruger=bruger,
                borger=borger,
                henvisninger=henvisninger,
                forloeb=forloeb,
                laan_ids={g.laan_id for g in sagsgange},
            )
        ),
        # The corrections through their own scoping (the referral's and the programme's
        # organisations), never through a reverse relation: a provider that also sees the citizen
        # does not see another provider's referral or programme corrected.
        henvisningsrettelser=list(
            Henvisningsrettelse.objects.synlige_for(bruger)
            .filter(henvisning__borger=borger)
            .select_related(
                "henvisning__pladsaftale", "udfoert_af", "fra_sagsbehandler", "til_sagsbehandler"
            )
        ),
        forloebsrettelser=list(
            Forloebsrettelse.objects.synlige_for(bruger)
            .filter(forloeb__borger=borger)
            .select_related(
                "overgangsvurdering",
                "udskrivning",
                "udfoert_af",
                "fra_medarbejder",
                "til_medarbejder",
            )
        ),
    )


# A signature's own fields and what its entry names: the organisation and the signer.
UNDERSKRIFT_FELTER = ("id", "visitation_id", "organisation_id", "bruger_id", "tidspunkt")
# What a user's name (`str(bruger)`) is made of.
BRUGER_NAVNE = ("username", "first_name", "last_name")


def _underskrifter(henvisninger: list[Henvisning]) -> list[Underskrift]:
    """The referrals' signatures (read with them), oldest first, each with its visitation,
    organisation and signer as the entries and `naeste` use them."""
    underskrifter = []
    for henvisning in henvisninger:
        for raekke, underskrift in zip(
            henvisning.underskrifter_json or [],
            fra_liste(Underskrift, henvisning.underskrifter_json),
            strict=True,
        ):
            underskrift.visitation = henvisning.visitation
            underskrift.organisation = Organisation.from_db(
                "default", ["id", "navn"], [raekke["organisation_id"], raekke["organisation_navn"]]
            )
            underskrift.bruger = Bruger.from_db(
                "default",
                ["id", *BRUGER_NAVNE],
                [raekke["bruger_id"], *(raekke[f"bruger_{n}"] for n in BRUGER_NAVNE)],
            )
            underskrifter.append(underskrift)
    return sorted(underskrifter, key=lambda u: (u.tidspunkt, u.pk))


def sagens_notifikationer(*, bruger, borger, henvisninger, forloeb, laan_ids) -> QuerySet:
    """The user's own notifications whose link points at one of this citizen's pages.

    A link is a path inside Mikrolån; matching by prefix with the trailing slash keeps
    "/borgere/1/" from matching "/borgere/12/".
    """
    stier = [
        reverse("borgere:detalje", args=[borger.pk]),
        reverse("oversigt:tidslinje", args=[borger.pk]),
        *(henvisning_url(h.pk) for h in henvisninger),
        *(forloeb_url(f.pk) for f in forloeb),
        *(laan_url(pk) for pk in sorted(laan_ids)),
    ]
    betingelse = Q()
    for sti in stier:
        betingelse |= Q(link__startswith=sti)
    return Notifikation.objects.til(bruger).filter(betingelse)
