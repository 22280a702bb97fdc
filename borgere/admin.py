from django.contrib import admin

from .models import Forsoergelsesgrundlag

# Borger, Journalnotat and Dokument are deliberately not registered: the admin would show
# citizens' data outside the scoped, access-logged pages.


@admin.register(Forsoergelsesgrundlag)
class ForsoergelsesgrundlagAdmin(admin.ModelAdmin):
    """Means of support change with the reforms: end a category with "gyldig til", add a new one."""

    list_display = ["navn", "gyldig_fra", "gyldig_til"]
    search_fields = ["navn"]
    date_hierarchy = "gyldig_fra"

    def has_delete_permission(self, request, obj=None):
        # Citizens and referrals point at these rows (PROTECT); an old category is ended instead.
        return False
