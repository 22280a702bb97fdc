"""What the session services share: the session's row lock and the refusal to change a cancelled
session. Private to this package (the names keep their underscore)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.tekst import kort_dato

from ...models import Aktivitet


def _laas(aktivitet: Aktivitet) -> Aktivitet:
    """The session's row, locked: a correction, a cancellation, "Alle deltog" and a tap on the
    same session are applied one after the other, each seeing what the one before it left."""
    return (
        Aktivitet.objects.select_for_update(of=("self",))
        .select_related("medarbejder")
        .get(pk=aktivitet.pk)
    )


def _kraev_ikke_aflyst(aktivitet: Aktivitet) -> None:
    if aktivitet.er_aflyst:
        raise ValidationError(
            _("Aktiviteten blev aflyst %(dato)s, så den kan ikke ændres.")
            % {"dato": kort_dato(timezone.localdate(aktivitet.aflyst))}
        )
