"""Home pages, the case timeline and case section, the work lists and the Erhvervschef's
intake/discharge overview with the loan portfolio's totals.

Who sees what is decided in mikrolaan/konti/adgang.py: the timeline and the case section answer 404
to anyone outside the citizen's case (also the Erhvervschef); a work list or the overview is refused
with 403 to the roles it is not for. Pages with personal data are never cached, and the ones naming
citizens write the access log.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from borgere.models import Borger
from borgere.selectors import AnnoteretSide
from forloeb.models import Forloeb
from laan import selectors as laan_selectors
from laan.models import Laan
from mikrolaan import eksport, hastighed
from mikrolaan.konti.adgang import hent_synlig_eller_404, kraev_rolle
from mikrolaan.konti.models import Rolle
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import PR_SIDE, er_htmx, paginer
from mikrolaan.tekst import kort_dato

from . import arbejdslister, evaluering_filer, indbakke, stadier
from .evaluering import evaluering
from .forms import MineBorgereForm, MineForloebForm, PeriodeForm

# The read modules share their names with the views below, hence the aliases.
from .ind_og_udskrivning import ind_og_udskrivning as periodens_ind_og_udskrivning
from .noegletal import aarsager, pladsmaaneder, venteliste
from .sag import sag as borgerens_sag
from .tidslinje import tidslinje as borgerens_tidslinje
from .tragt import tragt

FORSIDE_SKABELONER = {
    Rolle.SAGSBEHANDLER: "oversigt/forside_sagsbehandler.html",
    Rolle.FORLOEBSMEDARBEJDER: "oversigt/forside_forloebsmedarbejder.html",
    Rolle.ERHVERVSCHEF: "oversigt/forside_erhvervschef.html",
    Rolle.ADMINISTRATOR: "oversigt/forside_administrator.html",
}


@never_cache
def forside(request):
    """Each role's home page: what that role does in Mikrolån and where to start, and for the
    case roles what is waiting for them ("Det venter på dig", oversigt.indbakke).

    The Erhvervschef's home page is the intake and discharge overview itself.
    """
    rolle = request.user.rolle
    skabelon = FORSIDE_SKABELONER.get(rolle, "oversigt/forside_uden_rolle.html")
    if rolle == Rolle.ERHVERVSCHEF:
        return _ind_og_udskrivning(request, skabelon)
    kontekst = {}
    if rolle in (Rolle.SAGSBEHANDLER, Rolle.FORLOEBSMEDARBEJDER):
        # "Det venter på dig": a work list like "Mine forløb" (names, no case data, not logged).
        alle = indbakke.opgaver(request.user)
        kontekst = {"vis_indbakke": True, "opgaver": alle[:PR_SIDE], "antal_opgaver": len(alle)}
    return render(request, skabelon, kontekst)


# --- A citizen's case: the timeline and the citizen page's case section --------------------


@never_cache
@require_GET
def tidslinje(request, borger_pk: int):
    borger = hent_synlig_eller_404(Borger.objects, request.user, pk=borger_pk)
    log_adgang(
        bruger=request.user, handling=AdgangsLog.Handling.VIS, objekt=borger, request=request
    )
    return render(
        request,
        "oversigt/tidslinje.html",
        {"borger": borger, "tidslinje": borgerens_tidslinje(borger=borger, bruger=request.user)},
    )


@never_cache
@require_GET
def sag(request, borger_pk: int):
    """The citizen page's case section (referrals and programmes), which that page loads with
    htmx; opened directly (without JavaScript, or a bookmark) it is a small page of its own."""
    borger = hent_synlig_eller_404(Borger.objects, request.user, pk=borger_pk)
    log_adgang(
        bruger=request.user,
        handling=AdgangsLog.Handling.VIS,
        objekt=borger,
        kriterier={"afsnit": "sag"},
        request=request,
    )
    skabelon = "oversigt/_sag.html" if er_htmx(request) else "oversigt/sag.html"
    return render(
        request,
        skabelon,
        {"borger": borger, "sag": borgerens_sag(borger=borger, bruger=request.user)},
    )


# --- Work lists -------------------------------------------------------------------------------


def _liste(request, *, form, side, skabelon: str):
    # The query string without page and sort order, for the pagination and the column headers.
    parametre = request.GET.copy()
    parametre.pop("side", None)
    uden_sortering = parametre.copy()
    uden_sortering.pop("sorter", None)
    return render(
        request,
        skabelon,
        {
            "form": form,
            "side": side,
            "sorter": form.filtre()["sorter"],
            "query": parametre.urlencode(),
            "query_uden_sortering": uden_sortering.urlencode(),
        },
    )


def _arbejdsliste(request, *, form, forloeb, skabelon: str):
    side = paginer(forloeb, request.GET.get("side"))
    for f in side.object_list:
        f.dage_overskredet = -f.dage_tilbage if (f.dage_tilbage or 0) < 0 else 0
    return _liste(request, form=form, side=side, skabelon=skabelon)


@never_cache
@require_GET
def mine_forloeb(request):
    """Course staff's work list: the active programmes their organisation provides."""
    kraev_rolle(request.user, Rolle.FORLOEBSMEDARBEJDER)
    form = MineForloebForm(request.GET)
    # The page's citizens and agreements for its 25 rows only (two small queries), not joined
    # to every active programme of the provider before the sort and the cut (issue 13).
    forloeb = (
        arbejdslister.mine_forloeb(bruger=request.user, **form.filtre())
        .select_related(None)
        .prefetch_related("borger", "pladsaftale")
    )
    return _arbejdsliste(request, form=form, forloeb=forloeb, skabelon="oversigt/mine_forloeb.html")


@never_cache
@require_GET
def mine_borgere(request):
    """A caseworker's citizens from registration on, each with its stage (their own, another
    caseworker's or the whole jobcenter's)."""
    kraev_rolle(request.user, Rolle.SAGSBEHANDLER)
    form = MineBorgereForm(request.GET, bruger=request.user)
    borgere = AnnoteretSide(
        arbejdslister.mine_borgere(bruger=request.user, **form.filtre()),
        lambda side: stadier.med_stadie(side, bruger=request.user),
    )
    side = paginer(borgere, request.GET.get("side"))
    return _liste(request, form=form, side=side, skabelon="oversigt/mine_borgere.html")


@never_cache
@require_GET
def henvisningens_forloeb(request, henvisning_pk: int):
    """One click from a referral to the programme it led to. visitation's pages (the referral
    list, the agreement page) know by a referral's own status that it holds or held a place, but
    not the programme's id: forloeb is the floor above them. This redirect, on the top floor, lets
    them link without reading forloeb's rows; 404 when the user may not see the programme."""
    forloeb = hent_synlig_eller_404(
        Forloeb.objects.only("pk"), request.user, henvisning_id=henvisning_pk
    )
    return redirect("forloeb:detalje", forloeb.pk)


# --- The Erhvervschef's intake and discharge overview ----------------------------------------


def _periode(request, form: PeriodeForm):
    """The form's period; an invalid one (a typo, a link with the year 9999) is replaced by the
    default with a message saying so, so the page always shows a period."""
    fra, til, erstattet = form.periode()
    if erstattet:
        messages.warning(
            request,
            _("Perioden kunne ikke bruges (se feltet). Siden viser i stedet %(fra)s–%(til)s.")
            % {"fra": kort_dato(fra), "til": kort_dato(til)},
        )
    return fra, til


def _ind_og_udskrivning(request, skabelon: str):
    kraev_rolle(request.user, Rolle.ERHVERVSCHEF, Rolle.ADMINISTRATOR)
    form = PeriodeForm(request.GET, bruger=request.user)
    fra, til = _periode(request, form)
    oversigt = periodens_ind_og_udskrivning(
        bruger=request.user, fra=fra, til=til, side=request.GET.get("side")
    )
    if oversigt.borger_ids:
        # Names are personal data: the log says who saw which citizens on which period's list
        # and page (the page's citizens only: a page is what was shown).
        log_adgang(
            bruger=request.user,
            handling=AdgangsLog.Handling.VIS,
            kriterier={
                "side": "ind_og_udskrivning",
                "fra": fra.isoformat(),
                "til": til.isoformat(),
                "sidenummer": oversigt.side.number,
                "borgere": oversigt.borger_ids,
            },
            request=request,
        )
    # The agreement page is the Erhvervschef's, not the Administrator's (who has the admin).
    aftale_links = request.user.har_rolle(Rolle.ERHVERVSCHEF)
    # The loans on the places she buys, as totals only (one aggregate query): no loan, name or
    # amount of one citizen reaches the buyer, who takes no part in the case.
    portefoelje = laan_selectors.portefoelje(Laan.objects.overvaagede_af(request.user))
    # The key figures (issue 10), aggregated in the database and published through smaa_tal:
    # counts of persons, no names. The waiting list is now's, like the occupancy; the rest the
    # period's, and only for a valid one.
    noegletal = {"venteliste": venteliste(bruger=request.user)}
    if fra is not None and til is not None:
        noegletal |= {
            "pladsmaaneder": pladsmaaneder(bruger=request.user, fra=fra, til=til),
            "tragt": tragt(bruger=request.user, fra=fra, til=til),
            # Counted with the months, in the overview's one grouped query.
            "udskrivningsaarsager": aarsager(oversigt.pr_aarsag),
        }
    # The query string without the page, for the pagination of the two lists.
    parametre = request.GET.copy()
    parametre.pop("side", None)
    return render(
        request,
        skabelon,
        {
            "form": form,
            "oversigt": oversigt,
            "side": oversigt.side,
            "query": parametre.urlencode(),
            "aftale_links": aftale_links,
            "portefoelje": portefoelje,
            "noegletal": noegletal,
        },
    )


@never_cache
@require_GET
def ind_og_udskrivning(request):
    return _ind_og_udskrivning(request, "oversigt/ind_og_udskrivning.html")


# --- The committee's evaluation report ------------------------------------------------------


def _evaluering(request):
    """The role check, the period (the followed agreements' by default, like the overview, and
    when the chosen one is invalid) and the report."""
    kraev_rolle(request.user, Rolle.ERHVERVSCHEF, Rolle.ADMINISTRATOR)
    form = PeriodeForm(request.GET, bruger=request.user)
    fra, til = _periode(request, form)
    return form, evaluering(bruger=request.user, fra=fra, til=til)


@never_cache
@require_GET
def evaluering_side(request):
    """Counts and amounts only, published through smaa_tal: no person is named, so the page is
    not logged; the downloads, which leave the system, are."""
    form, rapport = _evaluering(request)
    return render(request, "oversigt/evaluering.html", {"form": form, "rapport": rapport})


def _download(request, *, format_: str):
    kraev_rolle(request.user, Rolle.ERHVERVSCHEF, Rolle.ADMINISTRATOR)
    form = PeriodeForm(request.GET, bruger=request.user)
    if not form.is_valid():
        # No file of a period nobody chose: the page says what is wrong with it.
        return redirect(f"{reverse('oversigt:evaluering')}?{request.GET.urlencode()}")
    if for_mange := hastighed.begraens(request, hastighed.EKSPORT):
        return for_mange
    fra, til = form.cleaned_data["fra"], form.cleaned_data["til"]
    rapport = evaluering(bruger=request.user, fra=fra, til=til)
    log_adgang(
        bruger=request.user,
        handling=AdgangsLog.Handling.EKSPORT,
        kriterier={
            "liste": "evaluering",
            "format": format_,
            "fra": rapport.fra.isoformat(),
            "til": rapport.til.isoformat(),
        },
        request=request,
    )
    indhold = evaluering_filer.pdf(rapport) if format_ == "pdf" else evaluering_filer.xlsx(rapport)
    svar = HttpResponse(indhold, content_type=EVALUERING_TYPER[format_])
    filnavn = f"mikrolaan-evaluering-{rapport.fra.isoformat()}-{rapport.til.isoformat()}.{format_}"
    svar["Content-Disposition"] = f'attachment; filename="{filnavn}"'
    svar["X-Content-Type-Options"] = "nosniff"
    return svar


EVALUERING_TYPER = {"pdf": "application/pdf", "xlsx": eksport.INDHOLDSTYPER[eksport.XLSX]}


@never_cache
@require_GET
def evaluering_pdf(request):
    return _download(request, format_="pdf")


@never_cache
@require_GET
def evaluering_xlsx(request):
    return _download(request, format_="xlsx")
