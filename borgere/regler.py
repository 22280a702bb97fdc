"""Who may do what with a citizen's record.

Each rule is a predicate `kan_<handling>(bruger, objekt) -> bool`: pages ask it to show or hide an
action, views and services enforce it with `mikrolaan.konti.adgang.kraev` (PermissionDenied, 403).
The citizen has already been fetched through `synlige_for`, so these rules only decide between
people who may see them: both case roles read the record, write journal notes and add documents;
the jobcenter's caseworkers register citizens and keep their details.
"""

from mikrolaan.konti.models import Bruger, Rolle

from .models import Borger


def kan_registrere_borger(bruger: Bruger) -> bool:
    return bruger.har_rolle(Rolle.SAGSBEHANDLER)


def kan_rette_borger(bruger: Bruger, borger: Borger) -> bool:
    return bruger.har_rolle(Rolle.SAGSBEHANDLER)


def kan_vise_cpr(bruger: Bruger) -> bool:
    """A visible citizen's CPR number in clear (on the page, or in an export), every reveal logged:
    the two case roles. The Erhvervschef and administrators never see a case's CPR numbers."""
    return bruger.har_rolle(Rolle.SAGSBEHANDLER, Rolle.FORLOEBSMEDARBEJDER)


def kan_se_adgangslog(bruger: Bruger) -> bool:
    """The citizen's access log (who has read their data): the caseworker, who answers the
    citizen's questions about the case. Course staff work with the programme, not the case's
    audit; the Administrator answers a formal request through the insight export."""
    return bruger.har_rolle(Rolle.SAGSBEHANDLER)
