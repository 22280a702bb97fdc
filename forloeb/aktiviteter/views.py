"""Course staff's sessions: the list, the create form, attendance, and the calendar feed.

Sessions are the providing organisation's: `Aktivitet.objects.synlige_for` answers 404 for
anyone else's, and the pages are the Forløbsmedarbejder role's (403 for other roles, as when a
service refuses with PermissionDenied). Attendance is one tap per participant: an htmx POST swaps
just that row; without JavaScript the same POST redirects back to the session page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from mikrolaan.konti.adgang import hent_synlig_eller_404, kraev_rolle
from mikrolaan.konti.models import Rolle
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import er_htmx, paginer, vis_fejl

from ..models import Aktivitet, Deltagelse, Forloeb
from . import selectors, services
from .forms import AktivitetFilterForm, AktivitetForm, DeltagelseForm
from .kalender import kalender_bruger, kalender_ical, kalender_token


@never_cache
@require_GET
def liste(request):
    """Upcoming or past sessions of the user's organisation, filtered, with the feed link."""
    kraev_rolle(request.user, Rolle.FORLOEBSMEDARBEJDER)
    afholdte = request.GET.get("visning") == "afholdte"
    filtre = AktivitetFilterForm(request.GET)
    valgt = filtre.cleaned_data if filtre.is_valid() else {}
    sessioner = selectors.aktiviteter(
        bruger=request.user,
        afholdte=afholdte,
        type=valgt.get("type", ""),
        fra=valgt.get("fra"),
        til=valgt.get("til"),
    )
    # The other parameters, for the pagination links and the upcoming/past switch.
    parametre = request.GET.copy()
    parametre.pop("side", None)
    parametre.pop("visning", None)
    filterdel = parametre.urlencode()
    query = "&".join(d for d in (filterdel, "visning=afholdte" if afholdte else "") if d)
    feed = reverse("forloeb:kalender", args=[kalender_token(bruger=request.user)])
    return render(
        request,
        "forloeb/aktivitet_liste.html",
        {
            "side": paginer(sessioner, request.GET.get("side")),
            "filtre": filtre,
            "afholdte": afholdte,
            "filterdel": filterdel,
            "query": query,
            "kalender_url": request.build_absolute_uri(feed),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def opret(request):
    """One form for an individual or group session with its participants (attendance: deltog).

    An htmx GET with the chosen date and participants answers just the type field, with the
    choices their phases offer.
    """
    kraev_rolle(request.user, Rolle.FORLOEBSMEDARBEJDER)
    if request.method == "GET" and er_htmx(request) and "dato" in request.GET:
        # Unbound, so the field shows no "required" errors while the form is being filled in.
        valgt = {
            "dato": request.GET.get("dato", ""),
            "deltagere": request.GET.getlist("deltagere"),
            "type": request.GET.get("type", ""),
        }
        form = AktivitetForm(bruger=request.user, initial=valgt)
        return render(request, "forloeb/aktivitet_typefelt.html", {"form": form})
    form = AktivitetForm(request.POST or None, bruger=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            aktivitet = services.aktivitet_opret(bruger=request.user, **form.cleaned_data)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            antal = len(form.cleaned_data["deltagere"])
            messages.success(
                request,
                ngettext(
                    "Aktiviteten er oprettet med %(antal)d deltager. Ret fremmødet herunder.",
                    "Aktiviteten er oprettet med %(antal)d deltagere. Ret fremmødet herunder.",
                    antal,
                )
                % {"antal": antal},
            )
            return redirect("forloeb:aktivitet", aktivitet.pk)
    return render(request, "forloeb/aktivitet_form.html", {"form": form})


def _aktivitet(request, pk: int) -> Aktivitet:
    """The session if the user's organisation runs it (404 otherwise), for course staff only."""
    aktivitet = hent_synlig_eller_404(
        Aktivitet.objects.select_related("medarbejder"), request.user, pk=pk
    )
    kraev_rolle(request.user, Rolle.FORLOEBSMEDARBEJDER)
    return aktivitet


@never_cache
@require_GET
def detalje(request, pk: int):
    """A session with its participants' attendance, one tap per participant to change it."""
    aktivitet = _aktivitet(request, pk)
    # The page names the participants and their attendance: a read of their case data.
    log_adgang(
        bruger=request.user, handling=AdgangsLog.Handling.VIS, objekt=aktivitet, request=request
    )
    return render(
        request,
        "forloeb/aktivitet_detalje.html",
        {
            "aktivitet": aktivitet,
            "deltagelser": selectors.deltagelser(aktivitet=aktivitet),
            "statusser": _statusser(),
        },
    )


def _statusser():
    # Button colours whose text keeps a contrast of at least 4.5:1 (no yellow).
    farver = {"deltog": "success", "afbud": "secondary", "udeblev": "danger"}
    return [(vaerdi, navn, farver[vaerdi]) for vaerdi, navn in Deltagelse.Status.choices]


@never_cache
@require_POST
def deltagelse(request, pk: int, forloeb_pk: int):
    """Set one participant's attendance: the row for htmx, a redirect without JavaScript."""
    aktivitet = _aktivitet(request, pk)
    forloeb = hent_synlig_eller_404(
        Forloeb.objects.select_related("borger"), request.user, pk=forloeb_pk
    )
    form = DeltagelseForm(request.POST)
    fejl: list[str] = []
    raekke = None
    if form.is_valid():
        try:
            raekke = services.deltagelse_registrer(
                bruger=request.user,
                aktivitet=aktivitet,
                forloeb=forloeb,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as ugyldig:
            fejl = ugyldig.messages
    else:
        fejl = [besked for beskeder in form.errors.values() for besked in beskeder]

    if not er_htmx(request):
        if fejl:
            messages.error(request, " ".join(fejl))
        else:
            messages.success(
                request,
                _("Fremmøde for %(navn)s: %(status)s.")
                % {"navn": forloeb.borger.navn, "status": raekke.get_status_display()},
            )
        return redirect(
            f"{reverse('forloeb:aktivitet', args=[aktivitet.pk])}#deltagelse-{forloeb.pk}"
        )

    # The row as it now is (also after a refusal), with whether it has been corrected.
    if raekke is None or fejl:
        raekke = selectors.deltagelse(aktivitet=aktivitet, forloeb=forloeb)
        if raekke is None:
            raise Http404
    else:
        selectors.marker_rettede([raekke])
    return render(
        request,
        "forloeb/_deltagelse_indhold.html",
        {"aktivitet": aktivitet, "d": raekke, "fejl": fejl, "statusser": _statusser()},
    )


@login_not_required
@never_cache
@require_safe
def kalender(request, token: str):
    """The staff member's sessions as an iCalendar feed, for calendar apps without a session.

    The signed token in the URL identifies the user; any bad token answers 404.
    """
    bruger = kalender_bruger(token=token)
    if bruger is None:
        raise Http404
    svar = HttpResponse(kalender_ical(bruger=bruger), content_type="text/calendar; charset=utf-8")
    svar["Content-Disposition"] = 'inline; filename="aktiviteter.ics"'
    svar["X-Robots-Tag"] = "noindex"
    return svar
