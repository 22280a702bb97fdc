from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from borgere.models import Borger
from mikrolaan.konti.adgang import SAGSROLLER, hent_synlig_eller_404, kraev, kraev_rolle
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import paginer, vis_fejl

from . import regler, selectors, services
from .forms import HenvisningForm, VisitationForm
from .models import Henvisning, Pladsaftale, Underskrift


@never_cache
def henvisninger(request):
    """Work list of referrals, newest first, filterable by status."""
    kraev_rolle(request.user, *SAGSROLLER)
    status = request.GET.get("status", "")
    qs = selectors.henvisninger(bruger=request.user, status=status)
    side = paginer(qs, request.GET.get("side"))
    return render(
        request,
        "visitation/henvisninger.html",
        {"side": side, "status": status, "statusser": Henvisning.Status.choices},
    )


@never_cache
def henvisning_opret(request, borger_pk: int):
    borger = hent_synlig_eller_404(Borger.objects, request.user, pk=borger_pk)
    kraev(regler.kan_henvise(request.user))
    form = HenvisningForm(
        request.POST if request.method == "POST" else None,
        initial={
            "forretningsidee": borger.forretningsidee,
            "forsoergelsesgrundlag": borger.forsoergelsesgrundlag_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            henvisning = services.henvisning_opret(
                bruger=request.user, borger=borger, **form.cleaned_data
            )
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request, _("Henvisningen er sendt. Forløbsmedarbejderne har fået besked.")
            )
            return redirect("visitation:detalje", henvisning.pk)
    return render(request, "visitation/henvisning_form.html", {"form": form, "borger": borger})


def _henvisning(request, pk: int) -> Henvisning:
    return hent_synlig_eller_404(
        Henvisning.objects.select_related(
            "borger",
            "pladsaftale__leverandoer",
            "pladsaftale__koeber",
            "jobcenter",
            "forsoergelsesgrundlag",
            "oprettet_af",
            "visitation",
            "ventelisteplads",
        ).prefetch_related(
            Prefetch(
                "visitation__underskrifter",
                queryset=Underskrift.objects.select_related("bruger", "organisation"),
            )
        ),
        request.user,
        pk=pk,
    )


@never_cache
def detalje(request, pk: int, visitation_form: VisitationForm | None = None):
    """A referral with its visitation: the assessment form, the sign-offs and the decision."""
    henvisning = _henvisning(request, pk)
    log_adgang(
        bruger=request.user, handling=AdgangsLog.Handling.VIS, objekt=henvisning, request=request
    )
    visitation = getattr(henvisning, "visitation", None)
    kan_visitere = visitation is None and regler.kan_visitere(request.user, henvisning)
    underskrifter = list(visitation.underskrifter.all()) if visitation else []
    if kan_visitere and visitation_form is None:
        visitation_form = VisitationForm()
    return render(
        request,
        "visitation/detalje.html",
        {
            "henvisning": henvisning,
            "borger": henvisning.borger,
            "visitation": visitation,
            "underskrifter": underskrifter,
            "kan_underskrive": visitation is not None
            and regler.kan_underskrive(request.user, visitation, underskrifter),
            "visitation_form": visitation_form if kan_visitere else None,
            "ventelisteplads": getattr(henvisning, "ventelisteplads", None),
        },
    )


@never_cache
@require_POST
def visitation_opret(request, pk: int):
    henvisning = _henvisning(request, pk)
    form = VisitationForm(request.POST)
    if form.is_valid():
        try:
            services.visitation_opret(
                bruger=request.user, henvisning=henvisning, **form.cleaned_data
            )
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _(
                    "Visitationen er gemt og underskrevet for %(org)s. "
                    "Den anden part har fået besked."
                )
                % {"org": request.user.organisation},
            )
            return redirect("visitation:detalje", henvisning.pk)
    return detalje(request, pk, visitation_form=form)


@never_cache
def pladsaftaler(request):
    kraev_rolle(request.user, *Pladsaftale.SYNLIG_FOR_ROLLER)
    aftaler = (
        Pladsaftale.objects.synlige_for(request.user)
        .med_belaegning()
        .select_related("koeber", "leverandoer")
    )
    return render(request, "visitation/pladsaftaler.html", {"aftaler": aftaler})


@never_cache
def pladsaftale(request, pk: int):
    """Occupancy and the ordered waiting list of one place agreement."""
    aftale = hent_synlig_eller_404(
        Pladsaftale.objects.med_belaegning().select_related("koeber", "leverandoer"),
        request.user,
        pk=pk,
    )
    venteliste = selectors.venteliste(bruger=request.user, aftale=aftale)
    ledige = max(aftale.antal_pladser - aftale.optagne, 0)
    # Only the first in line can be admitted, by a party to their referral, to a free place.
    foerste = venteliste[0] if venteliste else None
    kan_indskrive = (
        ledige > 0
        and foerste is not None
        and regler.kan_indskrive(request.user, foerste.henvisning)
    )
    return render(
        request,
        "visitation/pladsaftale.html",
        {
            "aftale": aftale,
            "venteliste": venteliste,
            "optagne": selectors.optagne(bruger=request.user, aftale=aftale),
            "ledige": ledige,
            "kan_indskrive": kan_indskrive,
        },
    )
