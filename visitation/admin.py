from django.contrib import admin

from .models import Pladsaftale


@admin.register(Pladsaftale)
class PladsaftaleAdmin(admin.ModelAdmin):
    list_display = [
        "navn",
        "koeber",
        "leverandoer",
        "antal_pladser",
        "gyldig_fra",
        "gyldig_til",
        "pris_pr_plads",
    ]
    list_filter = ["koeber", "leverandoer"]
    list_select_related = ["koeber", "leverandoer"]
    search_fields = ["navn"]
