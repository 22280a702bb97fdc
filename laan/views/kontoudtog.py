"""Bank statement import for course staff: upload a CSV, see what it would do, confirm.

The preview saves nothing (`bankimport.laes`). The confirmation does not trust the browser with
the lines: the file's text goes into the preview page as a signed, salted, time-limited token
(django.core.signing), bound to the user who uploaded it, and `bankimport.importer` reads and
matches it again under the loans' locks. A token that was altered, is too old or belongs to
someone else is refused. Importing the same file twice adds nothing (each line's import key is
unique), and a malformed file names its lines and saves nothing.
"""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mikrolaan.konti.adgang import kraev
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.tekst import kroner

from .. import regler
from ..forms import KontoudtogForm
from ..services import bankimport

SALT = "laan.kontoudtog"
# Long enough to read a preview and check it against the bank, short enough that a preview left
# open overnight is read again.
GYLDIG_SEKUNDER = 30 * 60


def _med_borgere(visning: bankimport.Forhaandsvisning) -> bankimport.Forhaandsvisning:
    """The citizens of the found loans, in one query, for the preview's names."""
    prefetch_related_objects(
        [linje.laan for linje in visning.linjer if linje.laan], "forloeb__borger"
    )
    return visning


def _log(request, visning: bankimport.Forhaandsvisning, trin: str) -> None:
    """The lines name citizens with amounts: who saw (or imported) which loans."""
    laan = sorted({linje.laan.pk for linje in visning.linjer if linje.laan})
    if laan:
        log_adgang(
            bruger=request.user,
            handling=AdgangsLog.Handling.VIS,
            kriterier={"side": "kontoudtog", "trin": trin, "laan": laan},
            request=request,
        )


@never_cache
@require_http_methods(["GET", "POST"])
def upload(request):
    kraev(regler.kan_importere_kontoudtog(request.user))
    visning = token = None
    if request.method == "POST":
        form = KontoudtogForm(request.POST, request.FILES)
        if form.is_valid():
            tekst = form.cleaned_data["fil"]
            try:
                visning = _med_borgere(bankimport.laes(tekst, bruger=request.user))
            except ValidationError as fejl:
                form.add_error("fil", fejl)
            else:
                _log(request, visning, "forhaandsvisning")
                token = signing.dumps(
                    {"bruger": request.user.pk, "indhold": tekst}, salt=SALT, compress=True
                )
    else:
        form = KontoudtogForm()
    return render(
        request,
        "laan/kontoudtog.html",
        {"form": form, "visning": visning, "token": token},
    )


@never_cache
@require_POST
def importer(request):
    kraev(regler.kan_importere_kontoudtog(request.user))
    try:
        data = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=GYLDIG_SEKUNDER)
    except signing.SignatureExpired:
        messages.error(request, _("Forhåndsvisningen er for gammel. Indlæs kontoudtoget igen."))
        return redirect("laan:kontoudtog")
    except signing.BadSignature:
        messages.error(
            request, _("Forhåndsvisningen kunne ikke genkendes. Indlæs kontoudtoget igen.")
        )
        return redirect("laan:kontoudtog")
    if data.get("bruger") != request.user.pk:
        messages.error(request, _("Forhåndsvisningen er ikke din. Indlæs kontoudtoget igen."))
        return redirect("laan:kontoudtog")
    try:
        visning = bankimport.importer(bruger=request.user, indhold=data["indhold"])
    except ValidationError as fejl:
        messages.error(request, " ".join(fejl.messages))
        return redirect("laan:kontoudtog")
    _log(request, visning, "import")
    antal = visning.antal
    besked = ngettext(
        "%(antal)s indbetaling på i alt %(beloeb)s er registreret.",
        "%(antal)s indbetalinger på i alt %(beloeb)s er registreret.",
        antal["matched"],
    ) % {"antal": antal["matched"], "beloeb": kroner(visning.matchet_beloeb)}
    oversprungne = antal["duplicate"] + antal["unmatched"] + antal["refused"]
    if oversprungne:
        besked += " " + ngettext(
            "%(antal)s linje blev sprunget over (allerede importeret, ikke matchet eller afvist).",
            "%(antal)s linjer blev sprunget over (allerede importeret, ikke matchet eller afvist).",
            oversprungne,
        ) % {"antal": oversprungne}
    messages.success(request, besked)
    return redirect("laan:kontoudtog")
