from django.urls import path

from . import eksport, views

app_name = "visitation"

urlpatterns = [
    path("henvisninger/", views.henvisninger, name="henvisninger"),
    path("henvisninger/eksport/", eksport.henvisninger, name="henvisninger_eksport"),
    path("borger/<int:borger_pk>/henvis/", views.henvisning_opret, name="henvisning_opret"),
    path("henvisninger/<int:pk>/", views.detalje, name="detalje"),
    path("henvisninger/<int:pk>/udskrift/", views.udskrift, name="udskrift"),
    path("henvisninger/<int:pk>/visitation/", views.visitation_opret, name="visitation_opret"),
    path("henvisninger/<int:pk>/traek-tilbage/", views.traek_tilbage, name="traek_tilbage"),
    path(
        "henvisninger/<int:pk>/fjern-fra-venteliste/",
        views.fjern_fra_venteliste,
        name="fjern_fra_venteliste",
    ),
    path("henvisninger/<int:pk>/omfordel/", views.omfordel, name="omfordel"),
    path("pladsaftaler/", views.pladsaftaler, name="pladsaftaler"),
    path("pladsaftaler/<int:pk>/", views.pladsaftale, name="pladsaftale"),
]
