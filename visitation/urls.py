from django.urls import path

from . import views

app_name = "visitation"

urlpatterns = [
    path("henvisninger/", views.henvisninger, name="henvisninger"),
    path("borger/<int:borger_pk>/henvis/", views.henvisning_opret, name="henvisning_opret"),
    path("henvisninger/<int:pk>/", views.detalje, name="detalje"),
    path("henvisninger/<int:pk>/visitation/", views.visitation_opret, name="visitation_opret"),
    path("pladsaftaler/", views.pladsaftaler, name="pladsaftaler"),
    path("pladsaftaler/<int:pk>/", views.pladsaftale, name="pladsaftale"),
]
