from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversigtConfig(AppConfig):
    name = "oversigt"
    label = "oversigt"
    verbose_name = _("Oversigt")

    def ready(self):
        # The citizen list (borgere, a lower floor) shows each citizen's stage through this
        # extension: borgere may not import the apps the stage is made of, oversigt may.
        from borgere.selectors import registrer_listeudvidelse

        from .stadier import BorgerlisteStadier

        registrer_listeudvidelse(BorgerlisteStadier())
