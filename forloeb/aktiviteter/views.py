"""Course staff's sessions: the list, the create and correct forms, cancelling, attendance, and
the calendar feed.

Sessions are the providing organisation's: `Aktivitet.objects.synlige_for` answers 404 for
anyone else's, and the pages are the Forløbsmedarbejder role's (403 for other roles, as when a
service refuses with PermissionDenied). Attendance is "Alle deltog" in one tap, then one tap per
exception: an htmx POST swaps just what changed; without JavaScript the same POST redirects back
to the session page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
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

from mikrolaan import eksport
from mikrolaan.indsendelser.services import AlleredeSendt, allerede_sendt, opret_en_gang
from mikrolaan.konti.adgang import hent_synlig_eller_404, kraev, kraev_rolle
from mikrolaan.konti.models import Rolle
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import er_htmx, paginer, vis_fejl

from .. import regler
from ..kalenderlinks import Kalenderlink
from ..models import Aktivitet, Deltagelse, Forloeb
from . import selectors
from .forms import (
    AflysForm,
    AktivitetFilterForm,
    AktivitetForm,
    AktivitetRetForm,
    DeltagelseForm,
)
from .kalender import kalender_bruger, kalender_ical, nyt_kalenderlink
from .services import fremmoede, oprettelse, rettelser


def _valgte(request) -> tuple[AktivitetFilterForm, bool, dict, QuerySet[Aktivitet]]:
    """The list's filters from the query string and the sessions they choose: the list page and
    its export read the same sessions."""
    afholdte = request.GET.get("visning") == "afholdte"
    filtre = AktivitetFilterForm(request.GET)
    valgt = filtre.cleaned_data if filtre.is_valid() else {}
    kriterier = {
        "afholdte": afholdte,
        "type": valgt.get("type", ""),
        "fra": valgt.get("fra"),
        "til": valgt.get("til"),
    }
    return filtre, afholdte, kriterier, selectors.aktiviteter(bruger=request.user, **kriterier)


@never_cache
@require_GET
def liste(request):
    """Upcoming or past sessions of the user's organisation, filtered, with the feed link."""
    kraev_rolle(request.user, Rolle.FORLOEBSMEDARBEJDER)
    filtre, afholdte, _kriterier, sessioner = _valgte(request)
    # The other parameters, for the pagination links and the upcoming/past switch.
    parametre = request.GET.copy()
    parametre.pop("side", None)
    parametre.pop("visning", None)
    filterdel = parametre.urlencode()
    query = "&".join(d for d in (filterdel, "visning=afholdte" if afholdte else "") if d)
    return render(
        request,
        "forloeb/aktivitet_liste.html",
        {
            "side": paginer(sessioner, request.GET.get("side")),
            "filtre": filtre,
            "afholdte": afholdte,
            "filterdel": filterdel,
            "query": query,
            "kalenderlink": Kalenderlink.objects.filter(bruger=request.user).first(),
            "eksport_felter": eksport.felter(request.GET),
        },
    )


def _eksport_kolonner() -> list[eksport.Kolonne]:
    return [
        eksport.Kolonne(_("Dato"), lambda a: a.dato, eksport.DATO, bredde=12),
        eksport.Kolonne(_("Starttid"), lambda a: a.starttid, eksport.KLOKKESLAET, bredde=9),
        eksport.Kolonne(_("Varighed (minutter)"), lambda a: a.varighed, eksport.HELTAL, bredde=10),
        eksport.Kolonne(_("Type"), lambda a: a.get_type_display(), bredde=28),
        eksport.Kolonne(_("Form"), lambda a: a.get_form_display(), bredde=12),
        eksport.Kolonne(_("Sted"), lambda a: a.sted, bredde=20),
        eksport.Kolonne(_("Medarbejder"), lambda a: a.medarbejder, bredde=20),
        eksport.Kolonne(_("Deltagere"), lambda a: a.antal_deltagere, eksport.HELTAL, bredde=10),
        eksport.Kolonne(_("Deltog"), lambda a: a.antal_deltog, eksport.HELTAL, bredde=8),
        eksport.Kolonne(_("Afbud"), lambda a: a.antal_afbud, eksport.HELTAL, bredde=8),
        eksport.Kolonne(_("Udeblev"), lambda a: a.antal_udeblev, eksport.HELTAL, bredde=8),
        eksport.Kolonne(_("Gæster"), lambda a: a.gaester, eksport.HELTAL, bredde=8),
        eksport.Kolonne(_("Aflyst"), lambda a: a.aflyst, eksport.TIDSPUNKT, bredde=16),
    ]


@never_cache
@require_GET
def eksporter(request):
    """The sessions the list shows for the same filters, every page of them, as CSV or XLSX.

    Counts, no citizen: the file names no participant, so there is no CPR choice; it names the
    staff and is the organisation's data, so it is access-logged like the other exports.
    """
    kraev_rolle(request.user, Rolle.FORLOEBSMEDARBEJDER)
    format_, _medtag_cpr = eksport.EksportForm(request.GET).valg()
    _filtre, _afholdte, kriterier, sessioner = _valgte(request)
    return eksport.eksporter(
        request,
        raekker=sessioner,
        kolonner=_eksport_kolonner(),
        valg=(format_, False),
        liste="aktiviteter",
        arknavn=_("Aktiviteter"),
        kriterier={
            navn: vaerdi.isoformat() if hasattr(vaerdi, "isoformat") else vaerdi
            for navn, vaerdi in kriterier.items()
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
    if typefelt := _typefelt(request):
        return typefelt
    form = AktivitetForm(request.POST or None, bruger=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            aktivitet = opret_en_gang(
                noegle=form.indsendelse,
                bruger=request.user,
                opret=lambda: oprettelse.aktivitet_opret(bruger=request.user, **form.cleaned_data),
                adresse=lambda aktivitet: reverse("forloeb:aktivitet", args=[aktivitet.pk]),
            )
        except AlleredeSendt as sendt:
            return allerede_sendt(request, sendt, ellers=reverse("forloeb:aktiviteter"))
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


def _typefelt(request, aktivitet: Aktivitet | None = None) -> HttpResponse | None:
    """An htmx GET with the chosen date and participants answers just the type field, with the
    choices their phases offer (or why none fits them all); None for any other request."""
    if request.method != "GET" or not er_htmx(request) or "dato" not in request.GET:
        return None
    # Unbound, so the field shows no "required" errors while the form is being filled in.
    valgt = {
        "dato": request.GET.get("dato", ""),
        "deltagere": request.GET.getlist("deltagere"),
        "type": request.GET.get("type", ""),
    }
    form = AktivitetForm(bruger=request.user, aktivitet=aktivitet, initial=valgt)
    return render(request, "forloeb/_aktivitet_typefelt_indhold.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def ret(request, pk: int):
    """Correct a session (the create form, filled in, with a reason); the reason and what changed
    are kept in the session's history."""
    aktivitet = _aktivitet(request, pk)
    kraev(regler.kan_rette_aktivitet(request.user, aktivitet))
    if typefelt := _typefelt(request, aktivitet):
        return typefelt
    form = AktivitetRetForm(
        request.POST if request.method == "POST" else None,
        bruger=request.user,
        aktivitet=aktivitet,
    )
    if request.method == "POST" and form.is_valid():
        try:
            rettelser.aktivitet_ret(bruger=request.user, aktivitet=aktivitet, **form.cleaned_data)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(request, _("Aktiviteten er rettet."))
            return redirect("forloeb:aktivitet", aktivitet.pk)
    return render(request, "forloeb/aktivitet_form.html", {"form": form, "aktivitet": aktivitet})


@never_cache
@require_http_methods(["GET", "POST"])
def aflys(request, pk: int):
    """Cancel a session with a reason, after a confirmation page (no JavaScript needed)."""
    aktivitet = _aktivitet(request, pk)
    kraev(regler.kan_rette_aktivitet(request.user, aktivitet))
    form = AflysForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rettelser.aktivitet_aflys(
                bruger=request.user,
                aktivitet=aktivitet,
                begrundelse=form.cleaned_data["begrundelse"],
            )
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _("Aktiviteten er aflyst. Deltagernes forløbsmedarbejdere har fået besked."),
            )
            return redirect("forloeb:aktivitet", aktivitet.pk)
    return render(
        request,
        "forloeb/aktivitet_aflys.html",
        {
            "aktivitet": aktivitet,
            "form": form,
            "kan_aflyse": regler.kan_aflyse_aktivitet(request.user, aktivitet),
        },
    )


def _aktivitet(request, pk: int) -> Aktivitet:
    """The session if the user's organisation runs it (404 otherwise), for course staff only."""
    aktivitet = hent_synlig_eller_404(
        Aktivitet.objects.select_related("medarbejder", "aflyst_af", "fremmoede_registreret_af"),
        request.user,
        pk=pk,
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
    deltagelser = selectors.deltagelser(aktivitet=aktivitet)
    return render(
        request,
        "forloeb/aktivitet_detalje.html",
        {
            "aktivitet": aktivitet,
            "deltagelser": deltagelser,
            "statusser": _statusser(),
            "rettelser": list(aktivitet.rettelser.select_related("oprettet_af")),
            "kan_rette": regler.kan_rette_aktivitet(request.user, aktivitet),
            # Decided from the rows already read rather than asking the rule's query again.
            "kan_aflyse": regler.kan_rette_aktivitet(request.user, aktivitet)
            and not (
                aktivitet.fremmoede_registreret
                and any(d.status == Deltagelse.Status.DELTOG for d in deltagelser)
            ),
        },
    )


@never_cache
@require_POST
def alle_deltog(request, pk: int):
    """ "Alle deltog": everyone present in one tap. htmx gets the attendance list back; without
    JavaScript the POST redirects to the session page."""
    aktivitet = _aktivitet(request, pk)
    fejl: list[str] = []
    try:
        fremmoede.alle_deltog(bruger=request.user, aktivitet=aktivitet)
    except ValidationError as ugyldig:
        fejl = ugyldig.messages
    besked = " ".join(fejl) or _(
        "Fremmødet er registreret: alle deltog. Ret undtagelserne med ét tryk herunder."
    )
    if not er_htmx(request):
        (messages.error if fejl else messages.success)(request, besked)
        return redirect(f"{reverse('forloeb:aktivitet', args=[aktivitet.pk])}#fremmoede")
    aktivitet.refresh_from_db()
    return render(
        request,
        "forloeb/_deltagelse_liste.html",
        {
            "aktivitet": aktivitet,
            "deltagelser": selectors.deltagelser(aktivitet=aktivitet),
            "statusser": _statusser(),
            "besked": besked,
            "fejl": fejl,
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
            raekke = fremmoede.deltagelse_registrer(
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
    # The first tap registers the session's attendance: the status line above the list (with
    # "Alle deltog") is swapped out of band, so it no longer offers what has been done.
    registreret_nu = aktivitet.fremmoede_registreret is None and not fejl
    if registreret_nu:
        aktivitet.refresh_from_db(fields=["fremmoede_registreret", "fremmoede_registreret_af"])
    return render(
        request,
        "forloeb/_deltagelse_indhold.html",
        {
            "aktivitet": aktivitet,
            "d": raekke,
            "fejl": fejl,
            "statusser": _statusser(),
            "oob_status": registreret_nu,
        },
    )


@never_cache
@require_POST
def kalenderlink_ny(request):
    """A new calendar link, shown on this page only: the old link stops working at once.

    The token is stored hashed, so this answer is the one place it is ever shown; it is not put
    in a redirect, the session or a message, where it would outlive the page.
    """
    kraev_rolle(request.user, Rolle.FORLOEBSMEDARBEJDER)
    token = nyt_kalenderlink(bruger=request.user)
    feed = request.build_absolute_uri(reverse("forloeb:kalender", args=[token]))
    return render(request, "forloeb/kalenderlink.html", {"kalender_url": feed})


@login_not_required
@never_cache
@require_safe
def kalender(request, token: str):
    """The staff member's sessions as an iCalendar feed, for calendar apps without a session.

    The token in the URL is looked up by its hash; an unknown or revoked token answers 404.
    """
    bruger = kalender_bruger(token=token)
    if bruger is None:
        raise Http404
    svar = HttpResponse(kalender_ical(bruger=bruger), content_type="text/calendar; charset=utf-8")
    svar["Content-Disposition"] = 'inline; filename="aktiviteter.ics"'
    svar["X-Robots-Tag"] = "noindex"
    return svar
