from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.cache import never_cache

from . import views
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
    # Two-factor login: the code step after the password, enrolment, and the administrator's reset.
    path("tofaktor/", views.tofaktor_kode, name="tofaktor"),
    path("tofaktor/opret/", views.tofaktor_opret, name="tofaktor_opret"),
    path("tofaktor/reservekoder/", views.tofaktor_reservekoder, name="tofaktor_reservekoder"),
    path("tofaktor/brugere/", views.tofaktor_brugere, name="tofaktor_brugere"),
    path("tofaktor/brugere/<int:pk>/nulstil/", views.tofaktor_nulstil, name="tofaktor_nulstil"),
    # The idle timeout: the page it ends on, and the browser's warning's two calls.
    path("session/inaktiv/", views.inaktiv, name="inaktiv"),
    path("session/status/", views.session_status, name="session_status"),
    path("session/forlaeng/", views.session_forlaeng, name="session_forlaeng"),
]
