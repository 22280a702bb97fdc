from django.urls import path

from . import views

app_name = "forloeb"

urlpatterns = [
    path("visitation/<int:visitation_pk>/underskriv/", views.underskriv, name="underskriv"),
    path("venteliste/<int:pk>/indskriv/", views.indskriv_fra_venteliste, name="indskriv"),
]
