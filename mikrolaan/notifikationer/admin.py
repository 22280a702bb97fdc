from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat.models import PeriodicTask

from mikrolaan.admin_sider import StorTabelAdmin
from mikrolaan.revision.admin import BegrundetOpslagMixin

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


# A notification's subject, text and link name a citizen and their case ("Anna Hansen er
# indskrevet"): they are the recipient's to read, not the administrator's.
INDHOLD = ["emne", "tekst", "link"]


@admin.register(Notifikation)
class NotifikationAdmin(StorTabelAdmin, BegrundetOpslagMixin, ReadOnlyAdmin):
    """Delivery status for every notification; the content of others' only by a reasoned look-up.

    The administrator needs to see that an email failed and retry it, not what it said. Their
    own notifications (e.g. of a role given by another administrator) they read as usual.
    """

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
    # Recent periods instead of a date hierarchy: an index range on `oprettet`, not the whole
    # table's distinct dates. Newest first through the same index (the model's ordering).
    list_filter = [
        ("oprettet", admin.DateFieldListFilter),
        "haendelse",
        "email_oensket",
        ("email_sendt", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["modtager"]
    actions = ["proev_email_igen"]

    def skjuler_indhold(self, request, obj) -> bool:
        return obj.modtager_id != request.user.pk

    def sikkert_navn(self, obj) -> str:
        return f"{obj.get_haendelse_display()} #{obj.pk}"

    def skjult_indhold(self, obj):
        return [(obj._meta.get_field(navn).verbose_name, getattr(obj, navn)) for navn in INDHOLD]

    def get_fields(self, request, obj=None):
        felter = [f.name for f in self.model._meta.fields if f.name != "id"]
        if obj is not None and not self.skjuler_indhold(request, obj):
            return felter
        return [f for f in felter if f not in INDHOLD] + ["opslag_link"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "opslag_link"]

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


class OpgaveFilter(admin.SimpleListFilter):
    """The job, chosen among the scheduled tasks (a handful of rows) rather than the distinct
    values of every run ever logged, which reads the whole table."""

    title = _("opgave")
    parameter_name = "opgave"

    def lookups(self, request, model_admin):
        opgaver = PeriodicTask.objects.order_by("task").values_list("task", flat=True).distinct()
        return [(opgave, opgave) for opgave in opgaver]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(opgave=self.value())
        return queryset


@admin.register(Koersel)
class KoerselAdmin(StorTabelAdmin, ReadOnlyAdmin):
    """Newest first through `koersel_startet_idx`; one job's runs through `koersel_opgave_idx`."""

    list_display = ["opgave", "startet", "afsluttet", "antal", "fejl"]
    list_filter = [OpgaveFilter, ("startet", admin.DateFieldListFilter)]


@admin.register(EmailValg)
class EmailValgAdmin(ReadOnlyAdmin):
    list_display = ["bruger", "haendelse", "email"]
    list_filter = ["haendelse", "email"]
    list_select_related = ["bruger"]
