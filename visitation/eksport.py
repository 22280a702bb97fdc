"""The referral list as a CSV or XLSX file: the same referrals, with the same status filter.

The file names citizens, so it is access-logged with its criteria; CPR numbers only when the user
ticks "Medtag CPR-nummer" and may see them (borgere's `kan_vise_cpr`), each reveal then logged
per citizen as on the citizen's page.
"""

from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from borgere import cpr
from borgere import regler as borger_regler
from mikrolaan import eksport
from mikrolaan.konti.adgang import SAGSROLLER, kraev, kraev_rolle

from . import selectors
from .models import Henvisning


def kolonner(*, medtag_cpr: bool) -> list[eksport.Kolonne]:
    return [
        eksport.Kolonne(_("Efternavn"), lambda h: h.borger.efternavn, bredde=20),
        eksport.Kolonne(_("Fornavn"), lambda h: h.borger.fornavn, bredde=20),
        *(
            [eksport.Kolonne(_("CPR-nummer"), lambda h: cpr.formateret(h.borger.cpr), bredde=13)]
            if medtag_cpr
            else []
        ),
        eksport.Kolonne(_("Henvist"), lambda h: h.oprettet, eksport.DATO, bredde=12),
        eksport.Kolonne(_("Henvist af"), lambda h: h.oprettet_af, bredde=20),
        eksport.Kolonne(_("Jobcenter"), lambda h: h.jobcenter, bredde=24),
        eksport.Kolonne(_("Pladsaftale"), lambda h: h.pladsaftale.navn, bredde=28),
        eksport.Kolonne(_("Leverandør"), lambda h: h.pladsaftale.leverandoer, bredde=20),
        eksport.Kolonne(_("Forsørgelsesgrundlag"), lambda h: h.forsoergelsesgrundlag, bredde=22),
        eksport.Kolonne(_("Status"), lambda h: h.get_status_display(), bredde=18),
    ]


@never_cache
@require_GET
def henvisninger(request):
    kraev_rolle(request.user, *SAGSROLLER)
    format_, medtag_cpr = valg = eksport.EksportForm(request.GET).valg()
    if medtag_cpr:
        kraev(borger_regler.kan_vise_cpr(request.user))
    status = request.GET.get("status", "")
    # The list's own selector and filter; what the columns need besides in the same query.
    raekker = selectors.henvisninger(bruger=request.user, status=status).select_related(
        "borger", "oprettet_af", "pladsaftale__leverandoer", "forsoergelsesgrundlag"
    )
    return eksport.eksporter(
        request,
        raekker=raekker,
        kolonner=kolonner(medtag_cpr=medtag_cpr),
        valg=valg,
        liste="henvisninger",
        arknavn=_("Henvisninger"),
        kriterier={"status": status if status in Henvisning.Status.values else ""},
        borger=lambda henvisning: henvisning.borger,
    )
