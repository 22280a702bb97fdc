from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borgere.models import Borger
from mikrolaan.konti.adgang import SAGSROLLER, hent_synlig_eller_404, kraev_rolle
from mikrolaan.konti.models import Rolle
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import paginer, vis_fejl

from . import services
from .forms import HenvisningForm, VisitationForm
from .models import AKTIVE_FORLOEB, Henvisning, Pladsaftale, Underskrift, VentelistePlads


def henvisninger(request):
    """Work list of referrals, newest first, filterable by status."""
    kraev_rolle(request.user, *SAGSROLLER)
    qs = Henvisning.objects.synlige_for(request.user).select_related(
        "borger", "pladsaftale", "jobcenter"
    )
    status = request.GET.get("status", "")
    if status in Henvisning.Status.values:
        qs = qs.filter(status=status)
    side = paginer(qs, request.GET.get("side"))
    return render(
        request,
        "visitation/henvisninger.html",
        {"side": side, "status": status, "statusser": Henvisning.Status.choices},
    )


def henvisning_opret(request, borger_pk: int):
    borger = hent_synlig_eller_404(Borger.objects, request.user, pk=borger_pk)
    kraev_rolle(request.user, Rolle.SAGSBEHANDLER)
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


def detalje(request, pk: int, visitation_form: VisitationForm | None = None):
    """A referral with its visitation: the assessment form, the sign-offs and the decision."""
    henvisning = _henvisning(request, pk)
    log_adgang(
        bruger=request.user, handling=AdgangsLog.Handling.VIS, objekt=henvisning, request=request
    )
    visitation = getattr(henvisning, "visitation", None)
    er_part = request.user.organisation_id in henvisning.parter
    underskrifter = list(visitation.underskrifter.all()) if visitation else []
    kan_underskrive = (
        visitation is not None
        and visitation.afgjort is None
        and er_part
        and not any(
            u.bruger_id == request.user.pk or u.organisation_id == request.user.organisation_id
            for u in underskrifter
        )
    )
    if visitation is None and er_part and visitation_form is None:
        visitation_form = VisitationForm()
    return render(
        request,
        "visitation/detalje.html",
        {
            "henvisning": henvisning,
            "borger": henvisning.borger,
            "visitation": visitation,
            "underskrifter": underskrifter,
            "kan_underskrive": kan_underskrive,
            "visitation_form": visitation_form if visitation is None and er_part else None,
            "ventelisteplads": getattr(henvisning, "ventelisteplads", None),
        },
    )


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


def pladsaftaler(request):
    kraev_rolle(request.user, *Pladsaftale.SYNLIG_FOR_ROLLER)
    aftaler = (
        Pladsaftale.objects.synlige_for(request.user)
        .med_belaegning()
        .select_related("koeber", "leverandoer")
    )
    return render(request, "visitation/pladsaftaler.html", {"aftaler": aftaler})


def pladsaftale(request, pk: int):
    """Occupancy and the ordered waiting list of one place agreement."""
    aftale = hent_synlig_eller_404(
        Pladsaftale.objects.med_belaegning().select_related("koeber", "leverandoer"),
        request.user,
        pk=pk,
    )
    # Names are shown for the user's own cases; the buyer's Erhvervschef sees names but never CPR.
    synlige = set(Henvisning.objects.synlige_for(request.user).values_list("pk", flat=True))
    ser_navne = (
        request.user.har_rolle(Rolle.ERHVERVSCHEF)
        and request.user.organisation_id == aftale.koeber_id
    )
    venteliste = list(
        VentelistePlads.objects.ventende()
        .filter(pladsaftale=aftale)
        .select_related("henvisning__borger")
    )
    # The programmes occupying the places (Forloeb builds on visitation, so read it by relation).
    aktive = list(aftale.forloeb.filter(status__in=AKTIVE_FORLOEB).select_related("borger"))
    for raekke in [*venteliste, *aktive]:
        henvisning_id = raekke.henvisning_id
        raekke.vis_navn = ser_navne or henvisning_id in synlige
    ledige = max(aftale.antal_pladser - aftale.optagne, 0)
    return render(
        request,
        "visitation/pladsaftale.html",
        {
            "aftale": aftale,
            "venteliste": venteliste,
            "aktive": aktive,
            "ledige": ledige,
            "kan_indskrive": request.user.har_rolle(*SAGSROLLER) and ledige > 0,
        },
    )
