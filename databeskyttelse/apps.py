from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatabeskyttelseConfig(AppConfig):
    name = "databeskyttelse"
    label = "databeskyttelse"
    verbose_name = _("Databeskyttelse")
