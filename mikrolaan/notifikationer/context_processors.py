from functools import cached_property

from .models import Notifikation


class Klokke:
    """The navbar bell. It counts what is still open — unread and not handled (a notification
    whose work someone has done no longer asks for attention) — when a template first reads it:
    once a page, through the partial index on open rows."""

    def __init__(self, bruger):
        self._bruger = bruger

    @cached_property
    def ulaeste(self) -> int:
        return Notifikation.objects.til(self._bruger).aabne().count()


def notifikationer(request):
    bruger = getattr(request, "user", None)
    if bruger is None or not bruger.is_authenticated:
        return {}
    return {"notifikationsklokke": Klokke(bruger)}
