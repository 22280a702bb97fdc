from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KontiConfig(AppConfig):
    name = "mikrolaan.konti"
    label = "konti"
    verbose_name = _("Brugere og organisationer")
