from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatabeskyttelseConfig(AppConfig):
    name = "databeskyttelse"
    label = "databeskyttelse"
    verbose_name = _("Databeskyttelse")

    def ready(self):
        # The caseworker's access-log tab (borgere, a lower floor) shows the same rows about a
        # citizen as the insight export: borgere may not import the models they are reads of.
        from borgere.selectors import registrer_adgangslog_udvidelse

        from .adgang import adgangslog_om

        registrer_adgangslog_udvidelse(adgangslog_om)
