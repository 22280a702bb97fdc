"""Citizen pages: list and search, registration, details, journal notes and documents.

Who sees what is decided in one place (mikrolaan/konti/adgang.py): list and create pages need a
case role (403 otherwise); a citizen's own pages answer 404 to anyone outside the case. Every page
showing a citizen's data writes the access log. Pages with personal data are never cached.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mikrolaan import hastighed
from mikrolaan.hastighed import begraens
from mikrolaan.indsendelser.services import AlleredeSendt, allerede_sendt, opret_en_gang
from mikrolaan.konti.adgang import SAGSROLLER, hent_synlig_eller_404, kraev, kraev_rolle
from mikrolaan.konti.models import Rolle
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import er_htmx, paginer, vis_fejl

from . import regler, selectors, services
from .forms import (
    BorgerForm,
    BorgerOpretForm,
    DokumentForm,
    JournalnotatForm,
    SoegeForm,
)
from .models import Borger, Journalnotat

logger = logging.getLogger(__name__)


def _hent_borger(request, pk: int) -> Borger:
    """The citizen if the user may see them (404 otherwise), with what every citizen page shows."""
    return hent_synlig_eller_404(
        Borger.objects.select_related("forsoergelsesgrundlag", "jobcenter"), request.user, pk=pk
    )


# --- List and search ------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def liste(request):
    """The user's citizens and the one search box. Searches are POSTed: a CPR is never in a URL.

    The stage and caseworker filters, the stage column and the link to the programme come from
    the list extension the top floor registers (selectors.Listeudvidelse): they are made of
    visitation's and forloeb's rows, which this app may not import.
    """
    kraev_rolle(request.user, *SAGSROLLER)
    udvidelse = selectors.listeudvidelse()
    form = SoegeForm(
        request.POST if request.method == "POST" else None,
        ekstra_felter=udvidelse.felter(request.user) if udvidelse else None,
    )
    tekst, side = "", 1
    if form.is_bound and form.is_valid():
        tekst, side = form.cleaned_data["q"], form.cleaned_data["side"]
        # A search by name or CPR counts; paging through the user's own list does not.
        if tekst and (for_mange := begraens(request, hastighed.SOEG)):
            return for_mange
    foedselsdato = selectors.ligner_foedselsdato(tekst)
    if (form.is_bound and form.errors) or foedselsdato:
        borgere = Borger.objects.none()
    else:
        borgere = selectors.borgere_soeg(
            bruger=request.user,
            tekst=tekst,
            side=side,
            request=request,
            filtre=form.filtre() if form.is_bound else None,
            annoteret=False,
        )
    kontekst = {
        "form": form,
        "tekst": tekst,
        "foedselsdato": foedselsdato,
        "udvidelse": udvidelse,
        # Counted and cut without the stage columns; only the page's 25 rows get them.
        "side": paginer(selectors.side_af_listen(borgere, bruger=request.user), side),
        "kan_oprette": regler.kan_registrere_borger(request.user),
    }
    skabelon = "borgere/_resultater.html" if er_htmx(request) else "borgere/liste.html"
    return render(request, skabelon, kontekst)


# --- Create and edit ------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def opret(request):
    kraev(regler.kan_registrere_borger(request.user))
    form = BorgerOpretForm(request.POST or None)
    dublet = None
    if request.method == "POST" and form.is_valid():
        felter = {navn: form.cleaned_data[navn] for navn in services.BORGER_FELTER}
        try:
            borger = opret_en_gang(
                noegle=form.indsendelse,
                bruger=request.user,
                opret=lambda: services.borger_opret(
                    bruger=request.user, cpr=form.cleaned_data["cpr"], **felter
                ),
                adresse=lambda borger: reverse("borgere:detalje", kwargs={"pk": borger.pk}),
            )
        except AlleredeSendt as sendt:
            return allerede_sendt(request, sendt, ellers=reverse("borgere:liste"))
        except services.CprFindesAlleredeError as fejl:
            dublet = fejl.synlig_borger
            vis_fejl(form, fejl)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(request, _("Borgeren %(navn)s er oprettet.") % {"navn": borger.navn})
            return redirect("borgere:detalje", pk=borger.pk)
    return render(request, "borgere/opret.html", {"form": form, "dublet": dublet})


@never_cache
@require_http_methods(["GET", "POST"])
def rediger(request, pk: int):
    borger = _hent_borger(request, pk)
    kraev(regler.kan_rette_borger(request.user, borger))
    form = BorgerForm(request.POST or None, instance=borger)
    if request.method == "POST" and form.is_valid():
        felter = {navn: form.cleaned_data[navn] for navn in services.BORGER_FELTER}
        try:
            services.borger_opdater(borger=borger, bruger=request.user, **felter)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(request, _("Oplysningerne er gemt."))
            return redirect("borgere:detalje", pk=borger.pk)
    else:
        log_adgang(
            bruger=request.user, handling=AdgangsLog.Handling.VIS, objekt=borger, request=request
        )
    return render(request, "borgere/rediger.html", {"form": form, "borger": borger})


# --- Details --------------------------------------------------------------------------------


def detalje_kontekst(
    request,
    borger: Borger,
    *,
    notat_form: JournalnotatForm | None = None,
    dokument_form: DokumentForm | None = None,
    cpr_klar: str | None = None,
) -> dict:
    """Everything the citizen page shows. The one place to add to it.

    The case section (referrals, programmes) is not read here: visitation and forloeb build on
    borgere, so the page loads that section from the overview (`oversigt:sag`) with htmx.
    """
    return {
        "borger": borger,
        "cpr_klar": cpr_klar,
        "journalnotater": selectors.journalnotater(borger=borger),
        "dokumenter": selectors.dokumenter(borger=borger),
        "notat_form": notat_form or JournalnotatForm(),
        "dokument_form": dokument_form or DokumentForm(),
        "kan_redigere": regler.kan_rette_borger(request.user, borger),
    }


def _vis_detalje(request, borger: Borger, **formularer):
    log_adgang(
        bruger=request.user, handling=AdgangsLog.Handling.VIS, objekt=borger, request=request
    )
    return render(request, "borgere/detalje.html", detalje_kontekst(request, borger, **formularer))


@never_cache
@require_http_methods(["GET"])
def detalje(request, pk: int):
    return _vis_detalje(request, _hent_borger(request, pk))


@never_cache
@require_POST
def vis_cpr(request, pk: int):
    """The CPR number in clear, only in this response, and access-logged."""
    borger = _hent_borger(request, pk)
    if for_mange := begraens(request, hastighed.VIS_CPR, objekt=borger):
        return for_mange
    cpr_klar = services.vis_cpr(borger=borger, bruger=request.user, request=request)
    if er_htmx(request):
        return render(request, "borgere/_cpr.html", {"borger": borger, "cpr_klar": cpr_klar})
    # Without JavaScript: the whole page, with the number shown.
    return _vis_detalje(request, borger, cpr_klar=cpr_klar)


# --- Journal notes --------------------------------------------------------------------------


@never_cache
@require_POST
def notat_opret(request, pk: int):
    borger = _hent_borger(request, pk)
    form = JournalnotatForm(request.POST)
    if form.is_valid():
        tilbage = reverse("borgere:detalje", kwargs={"pk": borger.pk}) + "#journal"
        try:
            opret_en_gang(
                noegle=form.indsendelse,
                bruger=request.user,
                opret=lambda: services.journalnotat_opret(
                    borger=borger, bruger=request.user, tekst=form.cleaned_data["tekst"]
                ),
                adresse=lambda _notat: tilbage,
            )
        except AlleredeSendt as sendt:
            return allerede_sendt(request, sendt, ellers=tilbage)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(request, _("Journalnotatet er gemt."))
            return redirect(tilbage)
    return _vis_detalje(request, borger, notat_form=form)


@never_cache
@require_http_methods(["GET", "POST"])
def notat_ret(request, pk: int, notat_pk: int):
    """Correct a note: a new note that points at the old one, which stays as it was."""
    borger = _hent_borger(request, pk)
    notat = get_object_or_404(
        Journalnotat.objects.filter(borger=borger).select_related("forfatter"), pk=notat_pk
    )
    if request.method == "POST":
        form = JournalnotatForm(request.POST)
        if form.is_valid():
            url = reverse("borgere:detalje", kwargs={"pk": borger.pk})
            try:
                rettelse = opret_en_gang(
                    noegle=form.indsendelse,
                    bruger=request.user,
                    opret=lambda: services.journalnotat_opret(
                        borger=borger,
                        bruger=request.user,
                        tekst=form.cleaned_data["tekst"],
                        retter=notat,
                    ),
                    adresse=lambda rettelse: f"{url}#notat-{rettelse.pk}",
                )
            except AlleredeSendt as sendt:
                return allerede_sendt(request, sendt, ellers=f"{url}#journal")
            except ValidationError as fejl:
                vis_fejl(form, fejl)
            else:
                messages.success(request, _("Rettelsen er gemt."))
                return redirect(f"{url}#notat-{rettelse.pk}")
    else:
        form = JournalnotatForm(initial={"tekst": notat.tekst})
        log_adgang(
            bruger=request.user, handling=AdgangsLog.Handling.VIS, objekt=borger, request=request
        )
    return render(
        request, "borgere/notat_ret.html", {"borger": borger, "notat": notat, "form": form}
    )


# --- Documents ------------------------------------------------------------------------------


@never_cache
@require_POST
def dokument_upload(request, pk: int):
    borger = _hent_borger(request, pk)
    form = DokumentForm(request.POST, request.FILES)
    if form.is_valid():
        tilbage = reverse("borgere:detalje", kwargs={"pk": borger.pk}) + "#dokumenter"
        try:
            opret_en_gang(
                noegle=form.indsendelse,
                bruger=request.user,
                opret=lambda: services.dokument_gem(
                    borger=borger,
                    bruger=request.user,
                    fil=form.cleaned_data["fil"],
                    type=form.cleaned_data["type"],
                ),
                adresse=lambda _dokument: tilbage,
            )
        except AlleredeSendt as sendt:
            return allerede_sendt(request, sendt, ellers=tilbage)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(request, _("Dokumentet er gemt."))
            return redirect(tilbage)
    return _vis_detalje(request, borger, dokument_form=form)


@never_cache
@require_http_methods(["GET"])
def dokument_hent(request, pk: int, dokument_pk: int):
    """Download a document: same scoping as the citizen, access-logged, never shown inline."""
    borger = _hent_borger(request, pk)
    dokument = get_object_or_404(borger.dokumenter.all(), pk=dokument_pk)
    try:
        fil = dokument.fil.open("rb")
    except FileNotFoundError:
        logger.error("Dokument %s mangler i fillageret", dokument.pk)
        raise Http404 from None
    # Logged against the citizen, so "who has seen my case?" is one filter on the access log.
    log_adgang(
        bruger=request.user,
        handling=AdgangsLog.Handling.HENT_DOKUMENT,
        objekt=borger,
        kriterier={"dokument": dokument.pk},
        request=request,
    )
    svar = FileResponse(
        fil, as_attachment=True, filename=dokument.filnavn, content_type=dokument.indholdstype
    )
    svar["X-Content-Type-Options"] = "nosniff"
    return svar


# --- Access log (a tab of the citizen page) ---------------------------------------------------


def _laeserens_rolle(bruger) -> str:
    # From the prefetched groups: `Bruger.rolle` would query each reader's groups again.
    navne = {gruppe.name for gruppe in bruger.groups.all()}
    return next((str(rolle.label) for rolle in Rolle if rolle.value in navne), "")


@never_cache
@require_http_methods(["GET"])
def adgangslog(request, pk: int):
    """Who has read the citizen's data: date, kind, organisation and role. A colleague of the
    caseworker's own organisation is named; a reader elsewhere is named by organisation and role
    only (their name is that organisation's business, and the citizen's insight export does not
    name anyone either). Reading the log is itself logged."""
    borger = _hent_borger(request, pk)
    kraev(regler.kan_se_adgangslog(request.user))
    log_adgang(
        bruger=request.user,
        handling=AdgangsLog.Handling.VIS,
        objekt=borger,
        kriterier={"afsnit": "adgangslog"},
        request=request,
    )
    side = paginer(selectors.adgangslog(borger=borger), request.GET.get("side"))
    raekker = [
        {
            "log": log,
            "organisation": log.bruger.organisation,
            "rolle": _laeserens_rolle(log.bruger),
            "navn": (
                str(log.bruger)
                if log.bruger.organisation_id == request.user.organisation_id
                else ""
            ),
        }
        for log in side
    ]
    return render(
        request, "borgere/adgangslog.html", {"borger": borger, "side": side, "raekker": raekker}
    )
