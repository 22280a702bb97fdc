from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndsendelserConfig(AppConfig):
    name = "mikrolaan.indsendelser"
    label = "indsendelser"
    verbose_name = _("Indsendte formularer")
