from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversigtConfig(AppConfig):
    name = "oversigt"
    label = "oversigt"
    verbose_name = _("Oversigt")
