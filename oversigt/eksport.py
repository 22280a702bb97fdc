"""Course staff's work list "Mine forløb" as a CSV or XLSX file: the same programmes, with the
same filters and sort order, every page of them.

The file names citizens, so it is access-logged with its criteria; CPR numbers only when the user
ticks "Medtag CPR-nummer" and may see them (borgere's `kan_vise_cpr`), each reveal then logged
per citizen as on the citizen's page. `oversigt` may read every app (STYLE.md): nothing here writes.
"""

from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from borgere import cpr
from borgere import regler as borger_regler
from mikrolaan import eksport
from mikrolaan.konti.adgang import kraev, kraev_rolle
from mikrolaan.konti.models import Rolle

from . import arbejdslister
from .forms import MineForloebForm


def kolonner(*, medtag_cpr: bool) -> list[eksport.Kolonne]:
    return [
        eksport.Kolonne(_("Efternavn"), lambda f: f.borger.efternavn, bredde=20),
        eksport.Kolonne(_("Fornavn"), lambda f: f.borger.fornavn, bredde=20),
        *(
            [eksport.Kolonne(_("CPR-nummer"), lambda f: cpr.formateret(f.borger.cpr), bredde=13)]
            if medtag_cpr
            else []
        ),
        eksport.Kolonne(_("Pladsaftale"), lambda f: f.pladsaftale.navn, bredde=28),
        eksport.Kolonne(_("Status"), lambda f: f.get_status_display(), bredde=16),
        eksport.Kolonne(_("Indskrevet"), lambda f: f.startdato, eksport.DATO, bredde=12),
        eksport.Kolonne(
            _("Fasens planlagte slut"),
            lambda f: f.fase_slut if f.er_aktiv else None,
            eksport.DATO,
            bredde=14,
        ),
        eksport.Kolonne(_("Dage tilbage"), lambda f: f.dage_tilbage, eksport.HELTAL, bredde=10),
        eksport.Kolonne(_("Deltog"), lambda f: f.antal_deltog, eksport.HELTAL, bredde=10),
        eksport.Kolonne(
            _("Registreret fremmøde"), lambda f: f.antal_registreret, eksport.HELTAL, bredde=12
        ),
        eksport.Kolonne(_("Fremmøde"), lambda f: f.fremmoede_andel, eksport.PROCENT, bredde=10),
        eksport.Kolonne(_("I risiko"), lambda f: f.i_risiko, eksport.JA_NEJ, bredde=10),
        eksport.Kolonne(
            _("Opfølgning forfalden"), lambda f: f.opfoelgning_forfalden, eksport.JA_NEJ, bredde=12
        ),
    ]


@never_cache
@require_GET
def mine_forloeb(request):
    kraev_rolle(request.user, Rolle.FORLOEBSMEDARBEJDER)
    format_, medtag_cpr = valg = eksport.EksportForm(request.GET).valg()
    if medtag_cpr:
        kraev(borger_regler.kan_vise_cpr(request.user))
    filtre = MineForloebForm(request.GET).filtre()
    # The work list's own selector: the same programmes, filters and order as the page.
    return eksport.eksporter(
        request,
        raekker=arbejdslister.mine_forloeb(bruger=request.user, **filtre),
        kolonner=kolonner(medtag_cpr=medtag_cpr),
        valg=valg,
        liste="mine-forloeb",
        arknavn=_("Mine forløb"),
        kriterier=filtre,
        borger=lambda forloeb: forloeb.borger,
    )
