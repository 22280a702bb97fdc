"""The loan agreement (gældsbrev) as a PDF download, for a loan that has been granted."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mikrolaan.konti.adgang import hent_synlig_eller_404
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang

from ..gaeldsbrev import filnavn, gaeldsbrev_pdf
from ..models import Laan


@never_cache
@require_GET
def gaeldsbrev(request, pk: int):
    """The agreement exists from the approval on: an application (or a refused or withdrawn one)
    has none, and answers 404 like a loan outside the user's case."""
    laan = hent_synlig_eller_404(
        Laan.objects.bevilgede().select_related(
            "forloeb__borger", "forloeb__pladsaftale__leverandoer"
        ),
        request.user,
        pk=pk,
    )
    afdrag = list(laan.afdrag.order_by("nummer"))
    # EKSPORT, not VIS: the citizen's name and address leave the system in a file that can be
    # printed and passed on, so a request under GDPR art. 15 should show it as an export. The
    # reference is not in the criteria: the log strips digit runs that could be a CPR number.
    log_adgang(
        bruger=request.user,
        handling=AdgangsLog.Handling.EKSPORT,
        objekt=laan,
        kriterier={"dokument": "gaeldsbrev"},
        request=request,
    )
    svar = HttpResponse(gaeldsbrev_pdf(laan=laan, afdrag=afdrag), content_type="application/pdf")
    # Inline: it opens in the browser's PDF viewer, ready to print; saved, it gets this name.
    svar["Content-Disposition"] = f'inline; filename="{filnavn(laan)}"'
    return svar
