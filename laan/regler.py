"""Who may do what with a loan (maker–checker, as in Apache Fineract).

Predicates `kan_<handling>(bruger, objekt) -> bool`, enforced in views and services with
`mikrolaan.konti.adgang.kraev` (PermissionDenied, 403). The loan has already been fetched through
`synlige_for`, so these rules only decide between people who may see it.

- The provider's course staff are the makers: they apply, withdraw, disburse and register
  repayments (DOMAIN.md: "proposes loans, registers disbursement and repayments").
- A caseworker (Sagsbehandler) of an organisation taking part in the case is the checker: approves,
  refuses, undoes an approval, approves a write-off — never on a loan they registered themselves,
  nor a write-off they proposed (the database holds the same two rules).
"""

from forloeb import regler as forloeb_regler
from forloeb.models import Forloeb
from mikrolaan.konti.models import Bruger, Rolle

from .models import Laan


def _deltager(bruger: Bruger, forloeb: Forloeb) -> bool:
    return bruger.organisation_id is not None and bruger.organisation_id in (
        forloeb.henvisning.jobcenter_id,
        forloeb.pladsaftale.leverandoer_id,
    )


def _sagsbehandler_paa_sagen(bruger: Bruger, laan: Laan) -> bool:
    return bruger.har_rolle(Rolle.SAGSBEHANDLER) and _deltager(bruger, laan.forloeb)


def kan_ansoege(bruger: Bruger, forloeb: Forloeb) -> bool:
    """Course staff of the provider register the application (the maker)."""
    return forloeb_regler.kan_styre_forloeb(bruger, forloeb)


def kan_traekke_tilbage(bruger: Bruger, laan: Laan) -> bool:
    return kan_ansoege(bruger, laan.forloeb)


def kan_bevilge(bruger: Bruger, laan: Laan) -> bool:
    """The checker: a caseworker on the case who did not register the application. Refusing it
    and undoing an approval are the checker's decisions too."""
    return _sagsbehandler_paa_sagen(bruger, laan) and bruger.pk != laan.oprettet_af_id


def kan_udbetale(bruger: Bruger, laan: Laan) -> bool:
    return kan_ansoege(bruger, laan.forloeb)


def kan_registrere_indbetaling(bruger: Bruger, laan: Laan) -> bool:
    return kan_ansoege(bruger, laan.forloeb)


def kan_indstille_afskrivning(bruger: Bruger, laan: Laan) -> bool:
    """Anyone working on the case may propose a write-off; approving it is a second person's."""
    return bruger.har_rolle(Rolle.SAGSBEHANDLER, Rolle.FORLOEBSMEDARBEJDER) and _deltager(
        bruger, laan.forloeb
    )


def kan_afskrive(bruger: Bruger, laan: Laan) -> bool:
    return (
        _sagsbehandler_paa_sagen(bruger, laan)
        and laan.afskrivning_indstillet_af_id is not None
        and bruger.pk != laan.afskrivning_indstillet_af_id
    )


def kan_importere_kontoudtog(bruger: Bruger) -> bool:
    """A bank statement holds payments for many loans: course staff import it, and each line is
    matched only to loans their organisation provides."""
    return bruger.organisation_id is not None and bruger.har_rolle(Rolle.FORLOEBSMEDARBEJDER)
