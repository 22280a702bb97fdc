from django.urls import path

from . import views

app_name = "notifikationer"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.aabn, name="aabn"),
    path("<int:pk>/laest/", views.marker_laest, name="marker_laest"),
    path("alle-laest/", views.marker_alle_laest, name="marker_alle_laest"),
    path("valg/", views.valg, name="valg"),
]
