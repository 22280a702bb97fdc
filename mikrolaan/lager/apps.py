from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LagerConfig(AppConfig):
    name = "mikrolaan.lager"
    label = "lager"
    verbose_name = _("Fillager")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system check
