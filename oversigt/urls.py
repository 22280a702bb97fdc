from django.urls import path

from . import views

app_name = "oversigt"

urlpatterns = [
    path("borgere/<int:borger_pk>/tidslinje/", views.tidslinje, name="tidslinje"),
    path("borgere/<int:borger_pk>/sag/", views.sag, name="sag"),
    path("mine-forloeb/", views.mine_forloeb, name="mine_forloeb"),
    path("mine-borgere/", views.mine_borgere, name="mine_borgere"),
    path("ind-og-udskrivning/", views.ind_og_udskrivning, name="ind_og_udskrivning"),
]
