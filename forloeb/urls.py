from django.urls import path

from . import views
from .aktiviteter import views as aktivitet_views

app_name = "forloeb"

urlpatterns = [
    path("visitation/<int:visitation_pk>/underskriv/", views.underskriv, name="underskriv"),
    path("venteliste/<int:pk>/indskriv/", views.indskriv_fra_venteliste, name="indskriv"),
    # The programme page and its actions, each its own POST URL.
    path("<int:pk>/", views.detalje, name="detalje"),
    path("<int:pk>/hovedforloeb/", views.hovedforloeb, name="hovedforloeb"),
    path("<int:pk>/forlaeng/", views.forlaeng, name="forlaeng"),
    path("<int:pk>/udskriv/", views.udskriv, name="udskriv"),
    # Corrections, each with a reason.
    path("<int:pk>/fortryd-hovedforloeb/", views.fortryd_hovedforloeb, name="fortryd_hovedforloeb"),
    path("<int:pk>/genaabn/", views.genaabn, name="genaabn"),
    path("<int:pk>/omfordel/", views.omfordel, name="omfordel"),
    path("opfoelgning/<int:pk>/", views.opfoelgning, name="opfoelgning"),
]

# Sessions and attendance (course staff), and the staff member's calendar feed.
urlpatterns += [
    path("aktiviteter/", aktivitet_views.liste, name="aktiviteter"),
    path("aktiviteter/eksport/", aktivitet_views.eksporter, name="aktiviteter_eksport"),
    path("aktiviteter/ny/", aktivitet_views.opret, name="aktivitet_opret"),
    path("aktiviteter/<int:pk>/", aktivitet_views.detalje, name="aktivitet"),
    path("aktiviteter/<int:pk>/ret/", aktivitet_views.ret, name="aktivitet_ret"),
    path("aktiviteter/<int:pk>/aflys/", aktivitet_views.aflys, name="aktivitet_aflys"),
    path("aktiviteter/<int:pk>/alle-deltog/", aktivitet_views.alle_deltog, name="alle_deltog"),
    path(
        "aktiviteter/<int:pk>/fremmoede/<int:forloeb_pk>/",
        aktivitet_views.deltagelse,
        name="deltagelse",
    ),
    path("aktiviteter/kalender/<str:token>.ics", aktivitet_views.kalender, name="kalender"),
    path(
        "aktiviteter/kalenderlink/",
        aktivitet_views.kalenderlink_ny,
        name="nyt_kalenderlink",
    ),
]
