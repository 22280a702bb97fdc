"""Who may do what with a referral, its visitation and the waiting list.

Each rule is a predicate `kan_<handling>(bruger, objekt) -> bool`: pages ask it to show or hide an
action, views and services enforce it with `mikrolaan.konti.adgang.kraev` (PermissionDenied, 403).
The object has already been fetched through `synlige_for`, so these rules only decide between
people who may see it. Rules about the case's state ("already signed") are the services'
ValidationErrors, with a Danish message, not these.
"""

from borgere.models import Borger
from mikrolaan.konti.adgang import SAGSROLLER
from mikrolaan.konti.models import Bruger, Rolle

from .models import Henvisning, Pladsaftale, Underskrift, Visitation


def har_aaben_sag(borger: Borger | int) -> bool:
    """The citizen has a referral being decided, is waiting for a place or holds one."""
    return Henvisning.objects.filter(borger=borger, status__in=Henvisning.AABNE).exists()


def kan_henvise(bruger: Bruger, borger: Borger | None = None) -> bool:
    """Caseworkers refer citizens; with a citizen, also that the citizen has no open case (the
    service refuses that with a message, the page simply does not offer it)."""
    if not bruger.har_rolle(Rolle.SAGSBEHANDLER) or bruger.organisation_id is None:
        return False
    return borger is None or not har_aaben_sag(borger)


def kan_henvise_til(bruger: Bruger, pladsaftale: Pladsaftale) -> bool:
    """The agreement is bought by the caseworker's organisation or a municipality its jobcenter
    serves (`Pladsaftale.objects.henviselige_for`, which the referral form offers)."""
    if bruger.organisation_id is None:
        return False
    koeber = pladsaftale.koeber
    return bruger.organisation_id in (koeber.pk, koeber.betjent_af_id)


def kan_visitere(bruger: Bruger, henvisning: Henvisning) -> bool:
    """The two parties of the referral (jobcenter and provider) record and sign the visitation."""
    return bruger.har_rolle(*SAGSROLLER) and bruger.organisation_id in henvisning.parter


def kan_underskrive(
    bruger: Bruger, visitation: Visitation, underskrifter: list[Underskrift]
) -> bool:
    """A party that has not signed yet, through a person who has not signed yet (one person
    cannot sign for both organisations), while the visitation is undecided."""
    return (
        visitation.afgjort is None
        # Not a referral withdrawn before the last signature.
        and visitation.henvisning.status == Henvisning.Status.AFVENTER_UNDERSKRIFT
        and kan_visitere(bruger, visitation.henvisning)
        and not any(
            u.bruger_id == bruger.pk or u.organisation_id == bruger.organisation_id
            for u in underskrifter
        )
    )


def kan_indskrive(bruger: Bruger, henvisning: Henvisning) -> bool:
    """Admission to a place (also the first in line to a freed one) is the parties' too."""
    return kan_visitere(bruger, henvisning)


# --- Corrections: withdraw, remove from the waiting list, reassign --------------------------
# These decide who; whether the case's state still allows it (not yet admitted, still waiting) is
# the service's ValidationError, and pages ask `Henvisning.kan_skifte_til` as well.


def _sagsbehandler_i_jobcentret(bruger: Bruger, henvisning: Henvisning) -> bool:
    return bruger.har_rolle(Rolle.SAGSBEHANDLER) and bruger.organisation_id == (
        henvisning.jobcenter_id
    )


def kan_traekke_henvisning_tilbage(bruger: Bruger, henvisning: Henvisning) -> bool:
    """A caseworker of the referring jobcenter withdraws its referral."""
    return _sagsbehandler_i_jobcentret(bruger, henvisning)


def kan_fjerne_fra_venteliste(bruger: Bruger, henvisning: Henvisning) -> bool:
    """The provider's course staff (who run the queue) or a caseworker of the referring
    jobcenter take a citizen off the waiting list."""
    return _sagsbehandler_i_jobcentret(bruger, henvisning) or (
        bruger.har_rolle(Rolle.FORLOEBSMEDARBEJDER)
        and bruger.organisation_id == henvisning.pladsaftale.leverandoer_id
    )


def kan_omfordele(bruger: Bruger, henvisning: Henvisning) -> bool:
    """A caseworker of the referring jobcenter hands the case to a colleague there."""
    return _sagsbehandler_i_jobcentret(bruger, henvisning)
