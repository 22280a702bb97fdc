"""The project's URLs plus one view that fails, for tests of the 500 page and its headers
(`settings.ROOT_URLCONF = "tests.byg.fejl_urls"`)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from mikrolaan.urls import urlpatterns as projektets


@login_not_required
def fejler(request):
    raise RuntimeError("en fejl i en test")


urlpatterns = [path("test-fejl/", fejler), *projektets]
