"""Attendance (fremmøde): one citizen's attendance at a session, "Alle deltog" for everyone at
once, and the stamp that the session's attendance has been registered."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.konti.adgang import kraev
from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.services import marker_haandteret

from ... import regler
from ...models import Aktivitet, Deltagelse, Forloeb
from .faelles import _kraev_ikke_aflyst, _laas


@transaction.atomic
def deltagelse_registrer(
    *,
    bruger: Bruger,
    aktivitet: Aktivitet,
    forloeb: Forloeb,
    status: str,
    note: str | None = None,
) -> Deltagelse:
    """Set (or correct) one citizen's attendance at a session; `note=None` keeps the note.

    A change is saved with who and when (`registreret`, `registreret_af`) and recorded in the
    change history; setting what is already there changes nothing.
    """
    kraev(regler.kan_holde_aktiviteter(bruger, aktivitet.organisation_id))
    if status not in Deltagelse.Status.values:
        raise ValidationError({"status": _("Vælg deltog, afbud eller udeblev.")})
    aktivitet = _laas(aktivitet)
    _kraev_ikke_aflyst(aktivitet)
    # The row is locked: two staff members tapping the same row at once are applied in turn.
    raekke = (
        Deltagelse.objects.select_for_update(of=("self",))
        # The session too: the change history names the row by it (Deltagelse.__str__).
        .select_related("aktivitet", "forloeb__borger", "registreret_af")
        .filter(aktivitet=aktivitet, forloeb=forloeb)
        .first()
    )
    if raekke is None:
        raise ValidationError(
            _("%(navn)s deltager ikke i denne aktivitet.") % {"navn": forloeb.borger.navn}
        )
    if not raekke.forloeb.er_aktiv:
        raise ValidationError(
            _("Forløbet for %(navn)s er %(status)s, så fremmødet kan ikke ændres.")
            % {
                "navn": raekke.forloeb.borger.navn,
                "status": raekke.forloeb.get_status_display().lower(),
            }
        )
    note = raekke.note if note is None else note.strip()
    if len(note) > Deltagelse._meta.get_field("note").max_length:
        raise ValidationError({"note": _("Noten må højst være 500 tegn.")})
    # A tap is a registration, also one that confirms what the row already says.
    _fremmoede_registreret(aktivitet, bruger)
    if (raekke.status, raekke.note) == (status, note):
        return raekke
    raekke.status = status
    raekke.note = note
    raekke.registreret_af = bruger
    raekke.save(update_fields=["status", "note", "registreret", "registreret_af"])
    raekke.rettet = True
    return raekke


@transaction.atomic
def alle_deltog(*, bruger: Bruger, aktivitet: Aktivitet) -> int:
    """ "Alle deltog": every participant whose programme is active is marked present in one go,
    and the session's attendance counts as registered. Returns how many rows changed.

    Exceptions are then one tap each (`deltagelse_registrer`). A programme no longer active keeps
    its row as it is, as a single tap would.
    """
    kraev(regler.kan_holde_aktiviteter(bruger, aktivitet.organisation_id))
    aktivitet = _laas(aktivitet)
    _kraev_ikke_aflyst(aktivitet)
    raekker = (
        Deltagelse.objects.select_for_update(of=("self",))
        # The session too: the change history names each row by it (Deltagelse.__str__).
        .select_related("aktivitet", "forloeb__borger", "registreret_af")
        .filter(aktivitet=aktivitet)
        .exclude(status=Deltagelse.Status.DELTOG)
    )
    rettet = 0
    # One by one rather than .update(), so the change history records each correction.
    for raekke in raekker:
        if raekke.forloeb.er_aktiv:
            raekke.status = Deltagelse.Status.DELTOG
            raekke.registreret_af = bruger
            raekke.save(update_fields=["status", "registreret", "registreret_af"])
            rettet += 1
    _fremmoede_registreret(aktivitet, bruger)
    return rettet


def _fremmoede_registreret(aktivitet: Aktivitet, bruger: Bruger) -> None:
    """Stamp the session's attendance as registered, by whom and when, the first time only."""
    if aktivitet.fremmoede_registreret is None:
        aktivitet.fremmoede_registreret = timezone.now()
        aktivitet.fremmoede_registreret_af = bruger
        # Bookkeeping beside the attendance rows, whose own changes are in the change history.
        Aktivitet.objects.filter(pk=aktivitet.pk).update(
            fremmoede_registreret=aktivitet.fremmoede_registreret,
            fremmoede_registreret_af=bruger,
        )
        # The session has been held and registered: what its page asked for is done.
        marker_haandteret(link=reverse("forloeb:aktivitet", args=[aktivitet.pk]))
