"""The loan's pages: the loan itself, and the loans of one programme (the section the programme
page loads with htmx). Every loan is fetched through `synlige_for` (404 outside the case) and every
view of one is access-logged, as for the citizen it belongs to."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from borgere.models import Dokument
from forloeb.models import Forloeb
from mikrolaan.konti.adgang import hent_synlig_eller_404
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import er_htmx

from .. import regler, selectors
from ..forms import AnsoegForm, BegrundelseForm
from ..models import LOFT_PR_FORLOEB, Laan
from .faelles import hent_laan, naeste_skridt, tilbudte_handlinger

# --- The loan ---------------------------------------------------------------------------------


def vis_detalje(request, laan: Laan, *, fejl=None, tilbagefoer_fejl=None):
    """The loan page; `fejl` is (action name, bound form) of a refused action, shown with its
    errors, and `tilbagefoer_fejl` (payment id, bound form) a refused reversal."""
    bruger = request.user
    log_adgang(bruger=bruger, handling=AdgangsLog.Handling.VIS, objekt=laan, request=request)
    indbetalinger = list(
        laan.indbetalinger.select_related("registreret_af", "tilbagefoert_af").order_by(
            "dato", "id"
        )
    )
    if laan.status in (Laan.Status.UDBETALT, Laan.Status.INDFRIET) and (
        regler.kan_registrere_indbetaling(bruger, laan)
    ):
        for indbetaling in indbetalinger:
            if indbetaling.er_gyldig:
                prefix = f"tilbagefoer-{indbetaling.pk}"
                if tilbagefoer_fejl and tilbagefoer_fejl[0] == indbetaling.pk:
                    indbetaling.form = tilbagefoer_fejl[1]
                else:
                    indbetaling.form = BegrundelseForm(prefix=prefix)
    handlinger = tilbudte_handlinger(bruger, laan, fejl)
    return render(
        request,
        "laan/detalje.html",
        {
            "laan": laan,
            "borger": laan.forloeb.borger,
            "afdrag": list(laan.afdrag.all()),
            "indbetalinger": indbetalinger,
            "sagsgange": list(laan.sagsgange.select_related("udfoert_af")),
            "naeste_skridt": naeste_skridt(laan, bruger),
            "handlinger": handlinger,
            "har_fejl": fejl is not None or tilbagefoer_fejl is not None,
            "gaeldsbrev": laan.status in Laan.BEVILGEDE,
        },
    )


@never_cache
@require_GET
def detalje(request, pk: int):
    return vis_detalje(request, hent_laan(request, pk))


# --- The loans of one programme ---------------------------------------------------------------


def hent_forloeb(request, pk: int) -> Forloeb:
    """The programme with what the loan rules read (referral, agreement) and the citizen."""
    return hent_synlig_eller_404(
        Forloeb.objects.select_related("borger", "henvisning", "pladsaftale"), request.user, pk=pk
    )


def vis_forloeb(request, forloeb: Forloeb, *, form: AnsoegForm | None = None, side=False):
    """The programme's loans: status, amount, balance, next due date and what happens next, and
    the application form for the provider's course staff while the programme is in its main
    phase. As the programme page's htmx section, or (`side`, or without JavaScript) a page."""
    bruger = request.user
    log_adgang(
        bruger=bruger,
        handling=AdgangsLog.Handling.VIS,
        objekt=forloeb,
        kriterier={"afsnit": "laan"},
        request=request,
    )
    laan = list(selectors.med_saldo(Laan.objects.synlige_for(bruger).filter(forloeb=forloeb)))
    for et in laan:
        et.forloeb = forloeb  # the rules read the programme's referral and agreement: no query
        et.naeste_skridt = naeste_skridt(et, bruger)
    bevilget = sum((et.beloeb for et in laan if et.status in Laan.BEVILGEDE), 0)

    kan_ansoege = regler.kan_ansoege(bruger, forloeb)
    aaben_for_ansoegning = forloeb.status == Forloeb.Status.HOVEDFORLOEB
    if form is None and kan_ansoege and aaben_for_ansoegning:
        form = AnsoegForm(borger_id=forloeb.borger_id)
    if form is not None:
        # The citizen's business plans and budgets, read once for both choices. (A refused
        # application is shown again even if the programme has just left its main phase.)
        dokumenter = list(
            Dokument.objects.filter(
                borger_id=forloeb.borger_id,
                type__in=[Dokument.Type.FORRETNINGSPLAN, Dokument.Type.BUDGET],
            )
        )
        for navn in ("forretningsplan", "budgetdokument"):
            form.fields[navn].brug_valg(dokumenter)

    skabelon = "laan/_forloeb.html" if er_htmx(request) and not side else "laan/forloeb.html"
    return render(
        request,
        skabelon,
        {
            "forloeb": forloeb,
            "borger": forloeb.borger,
            "laan_liste": laan,
            "bevilget": bevilget,
            "loft": LOFT_PR_FORLOEB,
            "rest_til_loft": max(LOFT_PR_FORLOEB - bevilget, 0),
            "kan_ansoege": kan_ansoege,
            "aaben_for_ansoegning": aaben_for_ansoegning,
            "form": form,
        },
    )


@never_cache
@require_GET
def forloeb(request, forloeb_pk: int):
    return vis_forloeb(request, hent_forloeb(request, forloeb_pk))
