"""Changes of who may see what: a user's roles, organisation, staff and superuser status.

The organisation scoping decides what a user sees from their role and organisation, so whoever
changes those two can widen someone's access to citizens (issue 11: an administrator made
themselves a caseworker of a foreign jobcenter, and a superuser). Every such change is written to
the access log, and when it gives access to citizens every *other* administrator is told, so no
single administrator can widen access unnoticed. The Django admin (`konti/admin.py`) and
`manage.py saet_superbruger` call `registrer_adgangsaendring`.

This is the one konti module that calls the access log and the outbox: both sit beside konti on
the ground floor and import only its models, so the arrow never points back.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext

from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import notificer
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang

from .models import Bruger, Organisation, Rolle

# Roles that see citizens (or, for the Administrator, can give others that access). The
# Erhvervschef sees only the dashboard's minimal data, so granting it is logged but not announced.
ROLLER_MED_ADGANG = frozenset({Rolle.SAGSBEHANDLER, Rolle.FORLOEBSMEDARBEJDER, Rolle.ADMINISTRATOR})


@dataclass(frozen=True)
class Adgangsbillede:
    """What decides a user's access, as it stands in the database at one moment."""

    roller: frozenset[str] = frozenset()
    organisation_id: int | None = None
    is_staff: bool = False
    is_superuser: bool = False


def adgangsbillede(bruger: Bruger) -> Adgangsbillede:
    """The user's access as saved now (read fresh: the instance may hold unsaved changes)."""
    gemt = Bruger.objects.values("organisation_id", "is_staff", "is_superuser").get(pk=bruger.pk)
    return Adgangsbillede(
        roller=frozenset(
            Bruger.groups.through.objects.filter(bruger_id=bruger.pk).values_list(
                "group__name", flat=True
            )
        ),
        **gemt,
    )


def _organisationsnavn(organisation_id: int | None) -> str:
    if organisation_id is None:
        return ""
    return Organisation.objects.filter(pk=organisation_id).values_list("navn", flat=True).first()


def registrer_adgangsaendring(
    *,
    bruger: Bruger,
    foer: Adgangsbillede,
    udfoert_af: Bruger | None,
    kilde: str = "",
    begrundelse: str = "",
    request=None,
) -> AdgangsLog | None:
    """Log how `bruger`'s access changed since `foer`, and tell the other administrators when it
    grew. Call it in the transaction that saved the change. None when nothing changed.

    `udfoert_af` is the administrator who made the change; None for a management command, whose
    `kilde` (the command and the operating-system user) is logged instead."""
    efter = adgangsbillede(bruger)
    if efter == foer:
        return None
    kriterier = {
        "bruger": bruger.username,
        "udfoert_af": udfoert_af.username if udfoert_af else kilde,
        "roller_foer": sorted(foer.roller),
        "roller_efter": sorted(efter.roller),
        "organisation_foer": _organisationsnavn(foer.organisation_id),
        "organisation_efter": _organisationsnavn(efter.organisation_id),
        "is_staff_foer": foer.is_staff,
        "is_staff_efter": efter.is_staff,
        "is_superuser_foer": foer.is_superuser,
        "is_superuser_efter": efter.is_superuser,
    }
    if begrundelse:
        kriterier["begrundelse"] = begrundelse
    handling = (
        AdgangsLog.Handling.SUPERBRUGER
        if foer.is_superuser != efter.is_superuser
        else AdgangsLog.Handling.ROLLEAENDRING
    )
    # The row's user is who made the change; a management command has no user of its own, so its
    # row is filed under the user whose access changed, with the command named in the criteria.
    log = log_adgang(
        bruger=udfoert_af or bruger,
        handling=handling,
        objekt=bruger,
        kriterier=kriterier,
        request=request,
    )

    nye_roller = (efter.roller - foer.roller) & ROLLER_MED_ADGANG
    med_adgang = efter.roller & ROLLER_MED_ADGANG
    flyttet = med_adgang and efter.organisation_id != foer.organisation_id
    if nye_roller or flyttet or (efter.is_superuser and not foer.is_superuser):
        _fortael_de_andre_administratorer(
            bruger=bruger, efter=efter, udfoert_af=udfoert_af, kilde=kilde
        )
    return log


def _fortael_de_andre_administratorer(
    *, bruger: Bruger, efter: Adgangsbillede, udfoert_af: Bruger | None, kilde: str
) -> None:
    roller = sorted(efter.roller)
    if efter.is_superuser:
        roller.append(gettext("superbruger"))
    vaerdier = {
        "bruger": bruger.get_full_name() or bruger.username,
        "brugernavn": bruger.username,
        "roller": ", ".join(roller) or gettext("ingen"),
        "organisation": _organisationsnavn(efter.organisation_id) or gettext("ingen"),
        "af": (udfoert_af.get_full_name() or udfoert_af.username) if udfoert_af else kilde,
    }
    administratorer = Bruger.objects.med_rolle(Rolle.ADMINISTRATOR)
    if udfoert_af is not None:
        administratorer = administratorer.exclude(pk=udfoert_af.pk)
    notificer(
        haendelse=Haendelse.ROLLE_TILDELT,
        modtagere=administratorer,
        emne=gettext("%(bruger)s har fået adgang som %(roller)s") % vaerdier,
        tekst=gettext(
            "%(af)s gav %(bruger)s (%(brugernavn)s) rollen %(roller)s i %(organisation)s. "
            "Var det ikke aftalt, så fjern rollen og find ud af hvorfor."
        )
        % vaerdier,
        link=reverse("admin:konti_bruger_change", args=[bruger.pk]),
    )
