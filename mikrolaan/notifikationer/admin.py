from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import EmailValg, Koersel, Notifikation


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the application: administrators look, they do not edit or add."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(Notifikation)
class NotifikationAdmin(ReadOnlyAdmin):
    list_display = [
        "oprettet",
        "haendelse",
        "modtager",
        "laest",
        "email_oensket",
        "email_sendt",
        "email_forsoeg",
        "sidste_fejl",
    ]
    list_filter = ["haendelse", "email_oensket", ("email_sendt", admin.EmptyFieldListFilter)]
    list_select_related = ["modtager"]
    date_hierarchy = "oprettet"
    actions = ["proev_email_igen"]

    @admin.action(description=_("Prøv at sende e-mail igen"), permissions=["change"])
    def proev_email_igen(self, request, queryset):
        antal = services.proev_email_igen(notifikationer=queryset)
        self.message_user(
            request,
            ngettext(
                "%(antal)d notifikation sendes igen ved næste kørsel.",
                "%(antal)d notifikationer sendes igen ved næste kørsel.",
                antal,
            )
            % {"antal": antal},
            messages.SUCCESS,
        )


@admin.register(Koersel)
class KoerselAdmin(ReadOnlyAdmin):
    list_display = ["opgave", "startet", "afsluttet", "antal", "fejl"]
    list_filter = ["opgave"]
    date_hierarchy = "startet"


@admin.register(EmailValg)
class EmailValgAdmin(ReadOnlyAdmin):
    list_display = ["bruger", "haendelse", "email"]
    list_filter = ["haendelse", "email"]
    list_select_related = ["bruger"]
