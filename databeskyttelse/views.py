"""The insight page (GDPR art. 15): an administrator finds a citizen by CPR number and downloads
everything held about them as PDF or JSON.

The page is the Administrator's (403 for other roles). The search is POSTed, so the CPR number is
never in a URL; the downloads address the citizen by id and answer 404 to anyone who may not make
this citizen's export (`adgang.borgere_til_indsigt`). Every search and every export is
access-logged, the export twice: as an export, and as a reveal of the CPR number it prints.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from mikrolaan import hastighed
from mikrolaan.konti.adgang import kraev_rolle
from mikrolaan.konti.models import Rolle
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang

from . import adgang, filer, indsigt
from .forms import IndsigtSoegeForm


@never_cache
@require_http_methods(["GET", "POST"])
def soeg(request):
    kraev_rolle(request.user, Rolle.ADMINISTRATOR)
    form = IndsigtSoegeForm(request.POST if request.method == "POST" else None)
    borger = None
    if form.is_bound and form.is_valid():
        if for_mange := hastighed.begraens(request, hastighed.SOEG):
            return for_mange
        borger = adgang.find_borger(bruger=request.user, cpr=form.cleaned_data["cpr"])
        # log_adgang replaces the CPR number in the criteria; the citizen found is the object.
        log_adgang(
            bruger=request.user,
            handling=AdgangsLog.Handling.SOEG,
            objekt=borger,
            kriterier={"side": "indsigt", "cpr": form.cleaned_data["cpr"]},
            request=request,
        )
    return render(
        request,
        "databeskyttelse/indsigt.html",
        {"form": form, "borger": borger, "soegt": form.is_bound and form.is_valid()},
    )


def _eksport(request, pk: int, format_: str) -> dict:
    borger = get_object_or_404(
        adgang.borgere_til_indsigt(request.user).select_related(
            "forsoergelsesgrundlag", "jobcenter"
        ),
        pk=pk,
    )
    # Logged before the data is read, so the export lists itself in the citizen's access log.
    for handling in (AdgangsLog.Handling.EKSPORT, AdgangsLog.Handling.VIS_CPR):
        log_adgang(
            bruger=request.user,
            handling=handling,
            objekt=borger,
            kriterier={"indsigt": format_},
            request=request,
        )
    return indsigt.indsigt(borger=borger)


@never_cache
@require_GET
def pdf(request, pk: int):
    svar = HttpResponse(filer.som_pdf(_eksport(request, pk, "pdf")), content_type="application/pdf")
    svar["Content-Disposition"] = f'attachment; filename="{filer.filnavn(pk, "pdf")}"'
    return svar


@never_cache
@require_GET
def json(request, pk: int):
    svar = HttpResponse(
        filer.som_json(_eksport(request, pk, "json")), content_type="application/json"
    )
    svar["Content-Disposition"] = f'attachment; filename="{filer.filnavn(pk, "json")}"'
    return svar
