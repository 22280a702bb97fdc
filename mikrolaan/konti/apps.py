from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KontiConfig(AppConfig):
    name = "mikrolaan.konti"
    label = "konti"
    verbose_name = _("Brugere og organisationer")

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from .sessioner import stempl_log_ind

        user_logged_in.connect(stempl_log_ind, dispatch_uid="konti.stempl_log_ind")
        # django-otp's admin shows each device's secret and QR code: whoever may open it could copy
        # a colleague's second factor. Devices are made by their owner's enrolment and removed by
        # the logged reset (konti:tofaktor_nulstil), never edited by hand.
        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
