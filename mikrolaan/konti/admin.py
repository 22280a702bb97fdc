from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Bruger, Organisation, Rolle
from .rolleaendringer import Adgangsbillede, adgangsbillede, registrer_adgangsaendring

# What decides a user's access. Nobody changes these on their own account: an administrator who
# could would give themselves any citizen (issue 11). `is_superuser` and `user_permissions` are
# not in the admin's forms at all: a superuser is made by `manage.py saet_superbruger` (logged),
# and permissions come with the role groups, which the migrations define.
EGEN_KONTO_SPAERRET = ["groups", "organisation", "is_staff", "is_superuser", "user_permissions"]
ALDRIG_I_ADMIN = ["is_superuser", "user_permissions"]


class _AdgangsfelterForm:
    """Refuses a POST that tries to set a locked field, instead of silently ignoring it: a request
    the page could not have sent is an attempt, and the administrator should see it was refused."""

    spaerrede_felter: list[str] = ALDRIG_I_ADMIN

    def clean(self):
        renset = super().clean()
        forsoegt = [felt for felt in self.spaerrede_felter if felt in self.data]
        if forsoegt:
            raise ValidationError(
                _(
                    "Du kan ikke ændre din egen rolle, organisation eller status, og ingen kan "
                    "gøre en bruger til superbruger her. Bed en anden administrator om ændringen."
                ),
                code="spaerret",
            )
        return renset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["navn", "type", "betjent_af", "email"]
    list_filter = ["type"]
    list_select_related = ["betjent_af"]
    search_fields = ["navn"]
    # Which jobcenter refers a municipality's citizens decides which place agreements its
    # caseworkers may refer to, so it is set here, on the municipality, and shown on the jobcenter.
    fields = ["navn", "type", "email", "betjent_af", "betjente_kommuner"]
    readonly_fields = ["betjente_kommuner"]

    @admin.display(description=_("betjener kommunerne"))
    def betjente_kommuner(self, organisation: Organisation) -> str:
        if organisation.pk is None:
            return "–"
        return ", ".join(k.navn for k in organisation.betjener.order_by("navn")) or "–"


@admin.register(Bruger)
class BrugerAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation", "groups", "is_active", "is_staff"]
    list_select_related = ["organisation"]
    fieldsets = (
        *UserAdmin.fieldsets[:1],
        (_("Personlige oplysninger"), {"fields": ("first_name", "last_name", "email")}),
        (_("Organisation og rolle"), {"fields": ("organisation", "groups")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        (
            _("Organisation og rolle"),
            {"fields": ("first_name", "last_name", "email", "organisation", "groups")},
        ),
    )
    filter_horizontal = ["groups"]

    def _egen_konto(self, request, obj) -> bool:
        return obj is not None and obj.pk == request.user.pk

    def get_readonly_fields(self, request, obj=None):
        if self._egen_konto(request, obj):
            return ["last_login", *EGEN_KONTO_SPAERRET]
        return ["last_login", *ALDRIG_I_ADMIN]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        spaerrede = EGEN_KONTO_SPAERRET if self._egen_konto(request, obj) else ALDRIG_I_ADMIN
        return type(form.__name__, (_AdgangsfelterForm, form), {"spaerrede_felter": spaerrede})

    def has_change_permission(self, request, obj=None):
        # A superuser's account (and password) is not the administrator's to change: taking it
        # over would be the same escalation by another road.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Users with history are deactivated, not deleted (the access log keeps them).
        return False

    def save_model(self, request, obj, form, change):
        # The access as saved before this change; groups are saved later, in save_related.
        obj._adgang_foer = adgangsbillede(obj) if change else Adgangsbillede()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        registrer_adgangsaendring(
            bruger=form.instance,
            foer=form.instance._adgang_foer,
            udfoert_af=request.user,
            request=request,
        )


admin.site.unregister(Group)


@admin.register(Group)
class RolleGruppeAdmin(GroupAdmin):
    """The role groups: their permissions are set by the migrations, never in the admin.

    A group's permissions are every member's permissions, so an administrator who could add one
    to a role (or to a group they belong to) would widen their own access. Members are shown, not
    edited: a user's roles are changed on the user, where it is logged (`BrugerAdmin`).
    """

    readonly_fields = ["medlemmer"]

    @admin.display(description=_("Medlemmer"))
    def medlemmer(self, obj):
        return format_html_join(
            ", ", "{}", ((str(b),) for b in obj.user_set.order_by("username"))
        ) or _("Ingen")

    def _laast(self, request, obj) -> bool:
        return obj is not None and (
            obj.name in Rolle.values or request.user.groups.filter(pk=obj.pk).exists()
        )

    def get_fields(self, request, obj=None):
        return ["name", "permissions", "medlemmer"] if obj is not None else ["name", "permissions"]

    def get_readonly_fields(self, request, obj=None):
        if self._laast(request, obj):
            return ["name", "permissions", "medlemmer"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if self._laast(request, obj):
            return False
        return super().has_delete_permission(request, obj)
