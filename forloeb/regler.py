"""Who may do what with a programme, its sessions and its follow-ups.

Each rule is a predicate `kan_<handling>(bruger, objekt) -> bool`: pages ask it to show or hide an
action, views and services enforce it with `mikrolaan.konti.adgang.kraev` (PermissionDenied, 403).
The object has already been fetched through `synlige_for`, so these rules only decide between
people who may see it.
"""

from mikrolaan.konti.models import Bruger, Rolle

from .models import Forloeb


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
