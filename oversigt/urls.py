from django.urls import path

from . import eksport, udskrift, views

app_name = "oversigt"

urlpatterns = [
    path("borgere/<int:borger_pk>/tidslinje/", views.tidslinje, name="tidslinje"),
    path("borgere/<int:borger_pk>/sag/", views.sag, name="sag"),
    path("borgere/<int:borger_pk>/udskrift/", udskrift.sag_udskrift, name="sag_udskrift"),
    path("mine-forloeb/", views.mine_forloeb, name="mine_forloeb"),
    path("mine-forloeb/eksport/", eksport.mine_forloeb, name="mine_forloeb_eksport"),
    path("mine-borgere/", views.mine_borgere, name="mine_borgere"),
    path(
        "henvisninger/<int:henvisning_pk>/forloeb/",
        views.henvisningens_forloeb,
        name="henvisningens_forloeb",
    ),
    path("ind-og-udskrivning/", views.ind_og_udskrivning, name="ind_og_udskrivning"),
    path("evaluering/", views.evaluering_side, name="evaluering"),
    path("evaluering/pdf/", views.evaluering_pdf, name="evaluering_pdf"),
    path("evaluering/xlsx/", views.evaluering_xlsx, name="evaluering_xlsx"),
]
