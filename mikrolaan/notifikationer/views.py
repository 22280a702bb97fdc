"""The user's own notifications: the list, opening one, marking read, and email choices.

Every lookup starts from `Notifikation.objects.til(request.user)`, so another user's notification
answers 404 exactly as one that does not exist.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mikrolaan.sider import paginer

from . import services
from .forms import EmailValgForm
from .models import Notifikation


def _egen_eller_404(request, pk: int) -> Notifikation:
    return get_object_or_404(Notifikation.objects.til(request.user), pk=pk)


def _listen(side: str | None = None) -> str:
    url = reverse("notifikationer:liste")
    if side and side.isascii() and side.isdigit() and side != "1":
        url += f"?side={side}"
    return url


@never_cache
@require_GET
def liste(request):
    side = paginer(Notifikation.objects.til(request.user), request.GET.get("side"))
    return render(request, "notifikationer/liste.html", {"side": side})


@never_cache
@require_GET
def aabn(request, pk: int):
    """Follow a notification to its object, marking it read on the way (as the email link does)."""
    notifikation = _egen_eller_404(request, pk)
    services.marker_laest(notifikation=notifikation)
    # The service only stores paths, but the check costs nothing and guards older rows.
    if notifikation.link and url_has_allowed_host_and_scheme(
        notifikation.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notifikation.link)
    return redirect("notifikationer:liste")


@never_cache
@require_POST
def marker_laest(request, pk: int):
    notifikation = _egen_eller_404(request, pk)
    services.marker_laest(notifikation=notifikation)
    return redirect(_listen(request.POST.get("side")))


@never_cache
@require_POST
def marker_alle_laest(request):
    antal = services.marker_alle_laest(bruger=request.user)
    if antal:
        messages.success(
            request,
            ngettext(
                "%(antal)d notifikation er markeret som læst.",
                "%(antal)d notifikationer er markeret som læst.",
                antal,
            )
            % {"antal": antal},
        )
    return redirect("notifikationer:liste")


@never_cache
@require_http_methods(["GET", "POST"])
def valg(request):
    """Mine notifikationsvalg: email on or off per event type."""
    if request.method == "POST":
        form = EmailValgForm(request.POST)
        if form.is_valid():
            services.gem_email_valg(bruger=request.user, med_email=form.cleaned_data["med_email"])
            messages.success(request, _("Dine notifikationsvalg er gemt."))
            return redirect("notifikationer:valg")
    else:
        med_email = services.email_valg(bruger=request.user)
        form = EmailValgForm(initial={"med_email": [h.value for h in med_email]})
    return render(request, "notifikationer/valg.html", {"form": form})
