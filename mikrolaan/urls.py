from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from oversigt import views as oversigt_views

from . import views

admin.site.site_header = _("Mikrolån – administration")
admin.site.site_title = _("Mikrolån")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", oversigt_views.forside, name="forside"),
    path("healthz", views.healthz, name="healthz"),
    path("sprog/", login_not_required(set_language), name="set_language"),
    path("konti/", include("mikrolaan.konti.urls")),
    path("borgere/", include("borgere.urls")),
    path("notifikationer/", include("mikrolaan.notifikationer.urls")),
    path("visitation/", include("visitation.urls")),
    path("forloeb/", include("forloeb.urls")),
    path("laan/", include("laan.urls")),
    path("oversigt/", include("oversigt.urls")),
    path("databeskyttelse/", include("databeskyttelse.urls")),
    path("admin/", admin.site.urls),
]
