"""The printable case summary: a citizen's page with its case section and timeline, expanded.

The citizen page loads its case section with htmx (borgere cannot read the apps above it), so a
printout of that page depends on JavaScript having run. This page renders everything on the
server instead: the citizen's details, the referrals and programmes, what is next, the timeline,
the journal notes and the documents' names, on a page without menu or buttons
(templates/udskrift.html) and with page breaks between the sections on paper (static/css/print.css).
A "Udskriv" button opens the browser's print dialog where JavaScript runs (static/js/udskriv.js);
without it, the browser's own print command prints the same page.

Same scope as the citizen page: 404 outside the case; access-logged as a view of the citizen.
`oversigt` may read every app (STYLE.md): nothing here writes.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from borgere import selectors as borger_selectors
from borgere.models import Borger
from mikrolaan.konti.adgang import hent_synlig_eller_404
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang

from .sag import sag as borgerens_sag
from .tidslinje import tidslinje as borgerens_tidslinje


@never_cache
@require_GET
def sag_udskrift(request, borger_pk: int):
    borger = hent_synlig_eller_404(
        Borger.objects.select_related("forsoergelsesgrundlag", "jobcenter"),
        request.user,
        pk=borger_pk,
    )
    log_adgang(
        bruger=request.user,
        handling=AdgangsLog.Handling.VIS,
        objekt=borger,
        kriterier={"udskrift": True},
        request=request,
    )
    return render(
        request,
        "oversigt/sag_udskrift.html",
        {
            "borger": borger,
            "sag": borgerens_sag(borger=borger, bruger=request.user),
            "tidslinje": borgerens_tidslinje(borger=borger, bruger=request.user),
            "journalnotater": borger_selectors.journalnotater(borger=borger),
            "dokumenter": borger_selectors.dokumenter(borger=borger),
        },
    )
