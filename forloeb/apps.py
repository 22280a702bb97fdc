from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForloebConfig(AppConfig):
    name = "forloeb"
    label = "forloeb"
    verbose_name = _("Forløb")

    def ready(self):
        from .aktiviteter.kalender import forbind_tilbagekaldelse

        # Deactivation, a role change and a password change revoke the calendar link.
        forbind_tilbagekaldelse()
