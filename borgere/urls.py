from django.urls import path

from . import eksport, views

app_name = "borgere"

# No URL carries a CPR number: searches are POSTed and citizens are addressed by their id.
urlpatterns = [
    path("", views.liste, name="liste"),
    path("opret/", views.opret, name="opret"),
    # POST only, like the search whose citizens it exports.
    path("eksport/", eksport.borgere, name="eksport"),
    path("<int:pk>/", views.detalje, name="detalje"),
    path("<int:pk>/rediger/", views.rediger, name="rediger"),
    path("<int:pk>/cpr/", views.vis_cpr, name="vis_cpr"),
    path("<int:pk>/adgangslog/", views.adgangslog, name="adgangslog"),
    path("<int:pk>/notater/", views.notat_opret, name="notat_opret"),
    path("<int:pk>/notater/<int:notat_pk>/ret/", views.notat_ret, name="notat_ret"),
    path("<int:pk>/dokumenter/", views.dokument_upload, name="dokument_upload"),
    path("<int:pk>/dokumenter/<int:dokument_pk>/", views.dokument_hent, name="dokument_hent"),
]
