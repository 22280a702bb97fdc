"""The loan portfolio of the user's organisation, for the two case roles: totals (PAR30 among
them), the loans filtered by status and citizen name, the overdue list, and the same loans as a
spreadsheet.

Every loan is read through `synlige_for`, so a caseworker sees the loans of the cases their
jobcenter refers and course staff those their municipality provides. The Erhvervschef gets 403:
the buyer's totals are on her own dashboard, without names. Administrators configure and see no
cases: 403 too. Both pages name citizens with amounts, so both are access-logged.
"""

from collections.abc import Iterable

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from borgere.models import Borger
from mikrolaan import hastighed
from mikrolaan.konti.adgang import kraev_rolle
from mikrolaan.konti.models import Rolle
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import PR_SIDE

from .. import regler, selectors
from ..forms import PortefoeljeForm
from ..models import Laan
from ..regneark import FELTER, portefoelje_regneark


def _laan(request) -> tuple[PortefoeljeForm, dict, object, object]:
    """The form, its filters, every loan the user may see, and those the filters choose."""
    kraev_rolle(request.user, Rolle.SAGSBEHANDLER, Rolle.FORLOEBSMEDARBEJDER)
    form = PortefoeljeForm(request.GET)
    filtre = form.filtre()
    alle = Laan.objects.synlige_for(request.user)
    valgte = alle
    if filtre["status"]:
        valgte = valgte.filter(status=filtre["status"])
    for ord_ in Borger.soegenoegle(filtre["soeg"]).split():
        valgte = valgte.filter(forloeb__borger__soegenavn__contains=ord_)
    valgte = selectors.med_saldo(valgte).select_related("forloeb__borger")
    return form, filtre, alle, valgte


def _log(request, handling, filtre: dict, borgere: Iterable[int], **mere) -> None:
    kriterier = {"side": "laan_portefoelje", **filtre, **mere}
    kriterier["borgere"] = sorted(set(borgere))
    log_adgang(bruger=request.user, handling=handling, kriterier=kriterier, request=request)


def _side(valgte, filtre: dict, noegletal: selectors.Portefoelje, nummer):
    """The page of the chosen loans. Without a name search the totals already count them (all,
    or those of one status), so the paginator is told rather than asking: one COUNT over all the
    visible loans fewer (issue 13)."""
    paginator = Paginator(valgte, PR_SIDE)
    if not filtre["soeg"]:
        status = filtre["status"]
        paginator.count = noegletal.antal_pr_status.get(status, 0) if status else noegletal.antal
    return paginator.get_page(nummer)


@never_cache
@require_GET
def portefoelje(request):
    form, filtre, alle, valgte = _laan(request)
    if filtre["soeg"] and (for_mange := hastighed.begraens(request, hastighed.SOEG)):
        return for_mange
    noegletal = selectors.portefoelje(alle)
    side = _side(valgte, filtre, noegletal, request.GET.get("side"))
    # The oldest arrears first; one more than shown, to tell whether the list goes on.
    restancer = list(selectors.restanceliste(alle)[: PR_SIDE + 1])
    flere_restancer = len(restancer) > PR_SIDE
    restancer = restancer[:PR_SIDE]
    viste = [*side.object_list, *restancer]
    if viste:
        # Names with amounts are personal data: who saw which citizens, with which search.
        handling = AdgangsLog.Handling.SOEG if filtre["soeg"] else AdgangsLog.Handling.VIS
        borgere = (et.forloeb.borger_id for et in viste)
        _log(request, handling, filtre, borgere, sidenummer=side.number)
    parametre = request.GET.copy()
    parametre.pop("side", None)
    return render(
        request,
        "laan/portefoelje.html",
        {
            "form": form,
            "noegletal": noegletal,
            "statusraekker": [
                (
                    status,
                    noegletal.antal_pr_status[status.value],
                    noegletal.beloeb_pr_status[status.value],
                )
                for status in Laan.Status
            ],
            "side": side,
            "query": parametre.urlencode(),
            "restancer": restancer,
            "flere_restancer": flere_restancer,
            "kan_importere": regler.kan_importere_kontoudtog(request.user),
        },
    )


@never_cache
@require_GET
def regneark(request):
    """The chosen loans (all of them, not one page) as an XLSX file with the portfolio's totals."""
    _form, filtre, alle, valgte = _laan(request)
    if for_mange := hastighed.begraens(request, hastighed.EKSPORT):
        return for_mange
    # Rows as dictionaries, not model objects: a national portfolio has thousands of loans.
    laan = list(valgte.values(*FELTER))
    borgere = (et["forloeb__borger_id"] for et in laan)
    _log(request, AdgangsLog.Handling.EKSPORT, filtre, borgere, format="xlsx", antal=len(laan))
    idag = timezone.localdate()
    svar = HttpResponse(
        portefoelje_regneark(laan=laan, noegletal=selectors.portefoelje(alle), idag=idag),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # No names or numbers of a person in the file name: it ends up in download folders and logs.
    svar["Content-Disposition"] = f'attachment; filename="mikrolaan-portefoelje-{idag}.xlsx"'
    return svar
