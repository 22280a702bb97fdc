from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.cache import never_cache

from .forms import LogIndForm

app_name = "konti"

urlpatterns = [
    path(
        "log-ind/",
        auth_views.LoginView.as_view(
            template_name="konti/log_ind.html",
            authentication_form=LogIndForm,
            redirect_authenticated_user=True,
        ),
        name="log_ind",
    ),
    path("log-ud/", auth_views.LogoutView.as_view(), name="log_ud"),
    path(
        "adgangskode/",
        # Every page that names the user is no-store, like the case pages (LoginView already is).
        never_cache(
            auth_views.PasswordChangeView.as_view(
                template_name="konti/skift_adgangskode.html",
                success_url=reverse_lazy("konti:adgangskode_skiftet"),
            )
        ),
        name="skift_adgangskode",
    ),
    path(
        "adgangskode/skiftet/",
        never_cache(
            auth_views.PasswordChangeDoneView.as_view(
                template_name="konti/adgangskode_skiftet.html"
            )
        ),
        name="adgangskode_skiftet",
    ),
]
