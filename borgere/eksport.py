"""The citizen list as a CSV or XLSX file: the same citizens the list shows for the same search.

POST only, like the list's search: the search text may be a CPR number, which must never be in a
URL. The file holds no CPR numbers unless the user ticks "Medtag CPR-nummer" and may see them
(`regler.kan_vise_cpr`); then each citizen's reveal is access-logged as on their page (one row per
citizen, `log_adgang_for_hver`), besides the one row that records the export and its criteria.
"""

from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mikrolaan import eksport
from mikrolaan.konti.adgang import SAGSROLLER, kraev, kraev_rolle

from . import cpr, regler, selectors
from .forms import SoegeForm
from .models import Borger


def kolonner(*, medtag_cpr: bool) -> list[eksport.Kolonne]:
    return [
        eksport.Kolonne(_("Efternavn"), lambda b: b.efternavn, bredde=20),
        eksport.Kolonne(_("Fornavn"), lambda b: b.fornavn, bredde=20),
        *(
            [eksport.Kolonne(_("CPR-nummer"), lambda b: cpr.formateret(b.cpr), bredde=13)]
            if medtag_cpr
            else []
        ),
        eksport.Kolonne(_("Forsørgelsesgrundlag"), lambda b: b.forsoergelsesgrundlag, bredde=22),
        eksport.Kolonne(_("Jobcenter"), lambda b: b.jobcenter, bredde=24),
        eksport.Kolonne(_("Oprettet"), lambda b: b.oprettet, eksport.DATO, bredde=12),
    ]


@never_cache
@require_POST
def borgere(request):
    kraev_rolle(request.user, *SAGSROLLER)
    format_, medtag_cpr = valg = eksport.EksportForm(request.POST).valg()
    if medtag_cpr:
        kraev(regler.kan_vise_cpr(request.user))
    # The list's own form (with the top floor's filters, if any) and selector, so the file holds
    # exactly the citizens the list shows. An invalid search (a malformed CPR number) or a birth
    # date alone exports nothing, as the list then shows nothing.
    udvidelse = selectors.listeudvidelse()
    form = SoegeForm(
        request.POST, ekstra_felter=udvidelse.felter(request.user) if udvidelse else None
    )
    tekst = form.cleaned_data["q"] if form.is_valid() else ""
    if form.errors or selectors.ligner_foedselsdato(tekst):
        raekker = Borger.objects.none()
    else:
        raekker = selectors.borgere_soeg(
            bruger=request.user, tekst=tekst, request=request, filtre=form.filtre()
        )
    return eksport.eksporter(
        request,
        raekker=raekker.select_related("forsoergelsesgrundlag", "jobcenter"),
        kolonner=kolonner(medtag_cpr=medtag_cpr),
        valg=valg,
        liste="borgere",
        arknavn=_("Borgere"),
        kriterier={"soegning": tekst, **form.filtre()},
        borger=lambda borger: borger,
    )
