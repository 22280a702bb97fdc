"""The one way a case object changes status: an explicit transition table on the model.

A model lists, in `OVERGANGE`, every status it may move to from each status, and the message of a
refused move in `ULOVLIG_OVERGANG` (with `%(fra)s` and `%(til)s`). `skift_status` sets the new
status (the caller saves, in the same transaction as the rest of the change) or raises
`UlovligOvergang`, a ValidationError with a Danish message, before anything is written.
"""

from django.core.exceptions import ValidationError


class UlovligOvergang(ValidationError):
    """A status change the model's transition table does not allow."""


class Statusmaskine:
    """Mixin for a model with a `status` field of `Status` choices and a table `OVERGANGE`."""

    OVERGANGE: dict
    ULOVLIG_OVERGANG: str

    def kan_skifte_til(self, ny) -> bool:
        return ny in self.OVERGANGE[self.Status(self.status)]

    def tjek_overgang(self, ny) -> None:
        """Raise UlovligOvergang unless the table allows the move: for a service that checks the
        move first and makes it after its other checks."""
        if not self.kan_skifte_til(ny):
            raise UlovligOvergang(
                self.ULOVLIG_OVERGANG
                % {"fra": self.get_status_display(), "til": self.Status(ny).label}
            )

    def skift_status(self, ny) -> None:
        """Move to `ny` (not saved), or raise UlovligOvergang with a Danish message."""
        self.tjek_overgang(ny)
        self.status = ny
