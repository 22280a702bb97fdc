from django.contrib import admin

from .models import AdgangsLog


@admin.register(AdgangsLog)
class AdgangsLogAdmin(admin.ModelAdmin):
    """Read-only: administrators answer access requests from here, nobody edits history."""

    list_display = ["tidspunkt", "bruger", "handling", "objekt_type", "objekt_id"]
    list_filter = ["handling", "objekt_type"]
    search_fields = ["objekt_id", "bruger__username"]
    date_hierarchy = "tidspunkt"
    list_select_related = ["bruger", "objekt_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
