"""Who may do what with a programme, its sessions and its follow-ups.

Each rule is a predicate `kan_<handling>(bruger, objekt) -> bool`: pages ask it to show or hide an
action, views and services enforce it with `mikrolaan.konti.adgang.kraev` (PermissionDenied, 403).
The object has already been fetched through `synlige_for`, so these rules only decide between
people who may see it.
"""

import datetime

from django.utils.translation import gettext as _

from mikrolaan.datoer import datofejl
from mikrolaan.konti.models import Bruger, Rolle

from .models import Aktivitet, Deltagelse, Forloeb


def kan_styre_forloeb(bruger: Bruger, forloeb: Forloeb) -> bool:
    """The providing organisation's course staff run the programme: phase move, extension,
    discharge. The referring caseworker sees it but does not act on it."""
    return kan_holde_aktiviteter(bruger, forloeb.pladsaftale.leverandoer_id)


def kan_foelge_op(bruger: Bruger, forloeb: Forloeb) -> bool:
    """The referring jobcenter's caseworkers record the follow-ups after the discharge."""
    return (
        bruger.organisation_id is not None
        and bruger.organisation_id == forloeb.henvisning.jobcenter_id
        and bruger.har_rolle(Rolle.SAGSBEHANDLER)
    )


def kan_holde_aktiviteter(bruger: Bruger, organisation_id: int | None) -> bool:
    """Course staff of the organisation that runs the sessions (the provider)."""
    return (
        organisation_id is not None
        and bruger.organisation_id == organisation_id
        and bruger.har_rolle(Rolle.FORLOEBSMEDARBEJDER)
    )


def kan_fortryde_hovedforloeb(bruger: Bruger, forloeb: Forloeb) -> bool:
    """The provider's course staff, who made the move, may undo it (the service decides until
    when: services.rettelser.fortryd_hovedforloeb_spaerret)."""
    return kan_styre_forloeb(bruger, forloeb)


def kan_omfordele(bruger: Bruger, forloeb: Forloeb) -> bool:
    """The provider's course staff hand a programme on to a colleague (holiday, workload)."""
    return kan_styre_forloeb(bruger, forloeb)


def kan_genaabne_udskrivning(bruger: Bruger, forloeb: Forloeb) -> bool:
    """A discharge registered by mistake is reopened by the person who registered it, or by an
    administrator of an organisation on the case (the service decides until when)."""
    udskrivning = getattr(forloeb, "udskrivning", None)
    if udskrivning is None or bruger.organisation_id is None:
        return False
    if udskrivning.oprettet_af_id == bruger.pk:
        # ... while still the provider's course staff (not after moving to another organisation).
        return kan_styre_forloeb(bruger, forloeb)
    return bruger.har_rolle(Rolle.ADMINISTRATOR) and bruger.organisation_id in (
        forloeb.pladsaftale.leverandoer_id,
        forloeb.henvisning.jobcenter_id,
    )


# --- Plausible dates -------------------------------------------------------------------------


def datofejl_i_forloeb(forloeb: Forloeb, dato: datetime.date | None, *, felt: str) -> str | None:
    """Why a date of the programme's course (a session, a business start) is implausible: more
    than a year ahead, or before the programme began. `felt` names the field as the message
    opens ("Datoen"). The sessions' form and service call this too."""
    return datofejl(dato, felt=felt, tidligst=forloeb.startdato, tidligst_hvad=_("forløbets start"))


# --- Sessions ----------------------------------------------------------------------------------


def kan_rette_aktivitet(bruger: Bruger, aktivitet: Aktivitet) -> bool:
    """The running organisation's course staff correct a session until it is cancelled."""
    return kan_holde_aktiviteter(bruger, aktivitet.organisation_id) and aktivitet.aflyst is None


def kan_aflyse_aktivitet(bruger: Bruger, aktivitet: Aktivitet) -> bool:
    """... and cancel it, until its attendance has been registered with anyone present: then it
    took place (the service says so in Danish). Asks the database only once attendance is
    registered."""
    return kan_rette_aktivitet(bruger, aktivitet) and (
        aktivitet.fremmoede_registreret is None
        or not aktivitet.deltagelser.filter(status=Deltagelse.Status.DELTOG).exists()
    )
