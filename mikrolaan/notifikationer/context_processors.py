from functools import cached_property

from .models import Notifikation


class Klokke:
    """The navbar bell. The unread count is queried when a template first reads it: once a page."""

    def __init__(self, bruger):
        self._bruger = bruger

    @cached_property
    def ulaeste(self) -> int:
        return Notifikation.objects.til(self._bruger).ulaeste().count()


def notifikationer(request):
    bruger = getattr(request, "user", None)
    if bruger is None or not bruger.is_authenticated:
        return {}
    return {"notifikationsklokke": Klokke(bruger)}
