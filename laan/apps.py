from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaanConfig(AppConfig):
    name = "laan"
    label = "laan"
    verbose_name = _("Lån")
