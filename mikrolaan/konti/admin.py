from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Bruger, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["navn", "type", "email"]
    list_filter = ["type"]
    search_fields = ["navn"]


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
    readonly_fields = ["last_login"]
    filter_horizontal = ["groups"]

    def has_delete_permission(self, request, obj=None):
        # Users with history are deactivated, not deleted (the access log keeps them).
        return False
