from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _laan_ansoegt(forloeb) -> str | None:
    """A loan applied for in the main phase (whatever became of it) is a later step that makes
    undoing the move to the main phase meaningless."""
    from .models import Laan

    if Laan.objects.filter(forloeb=forloeb).exists():
        return gettext(
            "Der er søgt om et mikrolån i hovedforløbet, så overgangen kan ikke fortrydes."
        )
    return None


class LaanConfig(AppConfig):
    name = "laan"
    label = "laan"
    verbose_name = _("Lån")

    def ready(self):
        # forloeb cannot import laan (imports point down), so laan tells forloeb's undo of the
        # main phase about its own step here.
        from forloeb.services.rettelser import spaer_fortryd_hovedforloeb

        spaer_fortryd_hovedforloeb(_laan_ansoegt)
