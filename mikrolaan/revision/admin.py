"""The audit tables in the Django admin: who did what and when, never case content unlogged.

An administrator manages users and settings, not cases: they see that a journal note was changed
and by whom, not what it says. Content (case field values in the change history, a notification's
text, an access-log row's search criteria) is shown only through a *reasoned look-up*: a form that
asks why (e.g. a citizen's request under GDPR art. 15), writes the reason to the access log, and
shows the values on the response to that POST only, so no bookmarkable URL shows them unlogged.
"""

import json
from urllib.parse import unquote

from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.filters import CIDFilter
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.render import get_field_verbose_name, render_logentry_changes_html
from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mikrolaan.admin_sider import StorTabelAdmin

from . import services
from .models import AdgangsLog


class BegrundelseForm(forms.Form):
    begrundelse = forms.CharField(
        label=_("Begrundelse"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Fx »Indsigtsanmodning efter art. 15 fra borgeren, modtaget 27.11.2026«. "
            "Begrundelsen gemmes i adgangsloggen sammen med dit navn."
        ),
        error_messages={
            "required": _("Skriv, hvorfor du har brug for at se indholdet."),
            "min_length": _("Begrundelsen skal være på mindst %(limit_value)d tegn."),
        },
    )


class _Maskeret:
    """An admin object whose name (shown as the page's subtitle and breadcrumb) is not content."""

    def __init__(self, objekt, navn: str):
        self._objekt = objekt
        self._navn = navn

    def __str__(self):
        return self._navn

    def __getattr__(self, navn):
        return getattr(self._objekt, navn)


class BegrundetOpslagMixin:
    """A read-only admin whose rows may hold content: hidden until a logged, reasoned look-up.

    Subclasses say whether a row's content is hidden (`skjuler_indhold`), what its safe name is
    (`sikkert_navn`), what the look-up shows (`skjult_indhold`) and what it logs (`log_opslag`).
    """

    opslag_template = "admin/begrundet_opslag.html"

    def skjuler_indhold(self, request, obj) -> bool:
        return True

    def sikkert_navn(self, obj) -> str:
        return f"{obj._meta.verbose_name} #{obj.pk}"

    def skjult_indhold(self, obj) -> list[tuple[str, object]]:
        raise NotImplementedError

    def log_opslag(self, request, obj, begrundelse: str) -> None:
        services.log_adgang(
            bruger=request.user,
            handling=AdgangsLog.Handling.VIS,
            objekt=obj,
            kriterier={"begrundelse": begrundelse},
            request=request,
        )

    @admin.display(description=_("Indhold"))
    def opslag_link(self, obj):
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_opslag", args=[obj.pk])
        return format_html(
            '{} <a href="{}">{}</a>',
            gettext("Skjult."),
            url,
            gettext("Vis indholdet med en begrundelse (logges)"),
        )

    def get_urls(self):
        navn = f"{self.opts.app_label}_{self.opts.model_name}_opslag"
        return [
            path(
                "<path:object_id>/opslag/",
                self.admin_site.admin_view(self.opslag_view),
                name=navn,
            ),
            *super().get_urls(),
        ]

    def opslag_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        form = BegrundelseForm(request.POST if request.method == "POST" else None)
        indhold = None
        if form.is_valid():
            self.log_opslag(request, obj, form.cleaned_data["begrundelse"])
            indhold = self.skjult_indhold(obj)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Begrundet opslag"),
            "subtitle": self.sikkert_navn(obj),
            "opts": self.opts,
            "original": _Maskeret(obj, self.sikkert_navn(obj)),
            "form": form,
            "indhold": indhold,
            "tilbage": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
            ),
        }
        # The values are on the answer to this POST only (pages are no-store, mikrolaan/settings).
        return TemplateResponse(request, self.opslag_template, context)

    # Django's change and history pages name the object with str(obj), which for a case row is
    # a citizen's name or the row's content: replace it with the safe name before rendering.
    def _masker(self, request, svar, object_id):
        kontekst = getattr(svar, "context_data", None)
        if not kontekst:
            return svar
        obj = kontekst.get("original") or kontekst.get("object")
        if obj is None or not self.skjuler_indhold(request, obj):
            return svar
        navn = self.sikkert_navn(obj)
        for noegle in ("original", "object"):
            if kontekst.get(noegle) is not None:
                kontekst[noegle] = _Maskeret(obj, navn)
        if kontekst.get("subtitle"):
            kontekst["subtitle"] = navn
        if "object" in kontekst:
            kontekst["title"] = gettext("Ændringshistorik: %s") % navn
        return svar

    # The list's action checkbox names its row with str(obj) too (its aria-label).
    def action_checkbox(self, obj):
        return super().action_checkbox(_Maskeret(obj, self.sikkert_navn(obj)))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        svar = super().changeform_view(request, object_id, form_url, extra_context)
        return self._masker(request, svar, object_id)

    def history_view(self, request, object_id, extra_context=None):
        svar = super().history_view(request, object_id, extra_context)
        return self._masker(request, svar, object_id)


@admin.register(AdgangsLog)
class AdgangsLogAdmin(StorTabelAdmin, BegrundetOpslagMixin, admin.ModelAdmin):
    """Read-only: administrators answer access requests from here, nobody edits history.

    The search criteria can hold what a caseworker typed (a citizen's name): only their keys are
    shown; the values need a reasoned look-up. The search box looks in ids and user names only.
    Millions of rows: newest first through the index on `tidspunkt`, recent periods as a filter
    instead of a date hierarchy, the unfiltered count estimated (mikrolaan/admin_sider.py).
    """

    list_display = ["tidspunkt", "bruger", "handling", "objekt_type", "objekt_id"]
    list_filter = [("tidspunkt", admin.DateFieldListFilter), "handling", "objekt_type"]
    search_fields = ["=objekt_id", "bruger__username"]
    list_select_related = ["bruger", "objekt_type"]
    fields = [
        "tidspunkt",
        "bruger",
        "handling",
        "objekt_type",
        "objekt_id",
        "kriterienavne",
        "opslag_link",
        "ip_adresse",
    ]
    readonly_fields = fields

    @admin.display(description=_("Søgekriterier (navne)"))
    def kriterienavne(self, obj):
        return ", ".join(sorted(obj.kriterier)) if isinstance(obj.kriterier, dict) else ""

    def skjult_indhold(self, obj):
        return [(gettext("Søgekriterier"), json.dumps(obj.kriterier, ensure_ascii=False, indent=2))]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Rows about these models are the administrator's own work (users, organisations, place
# agreements, means of support): their values are shown as django-auditlog shows them. Every
# other model's rows are case data, whose values need a reasoned look-up.
ADMINISTRATIVE_MODELLER = {
    ("konti", "bruger"),
    ("konti", "organisation"),
    ("visitation", "pladsaftale"),
    ("borgere", "forsoergelsesgrundlag"),
}


def _administrativ(entry: LogEntry) -> bool:
    return (entry.content_type.app_label, entry.content_type.model) in ADMINISTRATIVE_MODELLER


class ObjekttypeFilter(admin.SimpleListFilter):
    """The changed object's type, among the models django-auditlog records. django-auditlog's own
    filter reads the distinct types of every history row, the whole table on every page."""

    title = _("Objekttype")
    parameter_name = "resource_type"

    def lookups(self, request, model_admin):
        typer = ContentType.objects.get_for_models(*auditlog.get_models()).values()
        return sorted(((t.pk, t.name) for t in typer), key=lambda valg: str(valg[1]))

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(content_type_id=self.value())


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AendringshistorikAdmin(StorTabelAdmin, BegrundetOpslagMixin, AuditlogLogEntryAdmin):
    """django-auditlog's change history: who changed which object's which fields, and when.

    django-auditlog's own admin lists and searches the changed values of every row, so an
    administrator could read (and search) every organisation's journal notes unlogged (issue 11).
    Here the list and page show field names only, the object by type and id (a case row's name is
    a citizen's name), and the search box looks in the actor and the object id, never the values.
    """

    list_display = ["created", "ressource", "action", "felter", "user_url", "cid_url"]
    # As django-auditlog's, but no date hierarchy (StorTabelAdmin) and a type filter that does not
    # read the table; newest first through the index on `timestamp`.
    list_filter = [("timestamp", admin.DateFieldListFilter), "action", ObjekttypeFilter, CIDFilter]
    search_fields = ["=object_pk", "actor__username", "actor__first_name", "actor__last_name"]
    readonly_fields = ["created", "ressource", "action", "user_url", "felter", "vaerdier"]
    fieldsets = [
        (None, {"fields": ["created", "user_url", "ressource", "cid"]}),
        (_("Ændringer"), {"fields": ["action", "felter", "vaerdier"]}),
    ]

    def skjuler_indhold(self, request, obj) -> bool:
        return not _administrativ(obj)

    def sikkert_navn(self, obj) -> str:
        if _administrativ(obj):
            return str(obj)
        return f"{obj.content_type.name} #{obj.object_pk}"

    @admin.display(description=_("Objekt"))
    def ressource(self, obj):
        if _administrativ(obj):
            return self.resource_url(obj)
        return self.sikkert_navn(obj)

    @admin.display(description=_("Ændrede felter"))
    def felter(self, obj):
        return ", ".join(str(get_field_verbose_name(obj, felt)) for felt in obj.changes_dict)

    @admin.display(description=_("Værdier"))
    def vaerdier(self, obj):
        if _administrativ(obj):
            return render_logentry_changes_html(obj)
        return self.opslag_link(obj)

    def skjult_indhold(self, obj):
        return [(gettext("Ændringer"), render_logentry_changes_html(obj))]

    def log_opslag(self, request, obj, begrundelse: str) -> None:
        # Logged against the changed case object, not the history row, so the citizen's access
        # log finds it by the same look-up as any other read of that object.
        model = obj.content_type.model_class()
        services.log_adgang(
            bruger=request.user,
            handling=AdgangsLog.Handling.VIS,
            objekt=model(pk=obj.object_pk) if model is not None else None,
            kriterier={
                "begrundelse": begrundelse,
                "aendringshistorik": obj.pk,
                "objekt": f"{obj.content_type.app_label}.{obj.content_type.model}:{obj.object_pk}",
            },
            request=request,
        )
