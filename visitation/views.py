from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from borgere.models import Borger
from mikrolaan import eksport
from mikrolaan.indsendelser.services import AlleredeSendt, allerede_sendt, opret_en_gang
from mikrolaan.konti.adgang import SAGSROLLER, hent_synlig_eller_404, kraev, kraev_rolle
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import PR_SIDE, paginer, vis_fejl

from . import regler, selectors, services
from .forms import (
    FjernFraVentelisteForm,
    HenvisningForm,
    OmfordelForm,
    RettelseForm,
    VisitationForm,
)
from .models import Henvisning, Henvisningsrettelse, Pladsaftale, Underskrift


@never_cache
def henvisninger(request):
    """Work list of referrals, newest first, filterable by status."""
    kraev_rolle(request.user, *SAGSROLLER)
    status = request.GET.get("status", "")
    # The page's citizens, agreements and jobcentres are read for its 25 rows only (three small
    # queries), not joined to every visible referral before the sort and the cut: at national
    # scale the join read all 100,000 citizens for a page of 25 (issue 13: 107 -> 45 ms).
    qs = (
        selectors.henvisninger(bruger=request.user, status=status)
        .select_related(None)
        .prefetch_related("borger", "pladsaftale", "jobcenter")
    )
    side = paginer(qs, request.GET.get("side"))
    return render(
        request,
        "visitation/henvisninger.html",
        {
            "side": side,
            "status": status,
            "statusser": Henvisning.Status.choices,
            "eksport_felter": eksport.felter(request.GET),
        },
    )


@never_cache
def henvisning_opret(request, borger_pk: int):
    borger = hent_synlig_eller_404(Borger.objects, request.user, pk=borger_pk)
    kraev(regler.kan_henvise(request.user))
    form = HenvisningForm(
        request.POST if request.method == "POST" else None,
        bruger=request.user,
        initial={
            "forretningsidee": borger.forretningsidee,
            "forsoergelsesgrundlag": borger.forsoergelsesgrundlag_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            henvisning = opret_en_gang(
                noegle=form.indsendelse,
                bruger=request.user,
                opret=lambda: services.henvisning_opret(
                    bruger=request.user, borger=borger, **form.cleaned_data
                ),
                adresse=lambda henvisning: reverse("visitation:detalje", args=[henvisning.pk]),
            )
        except AlleredeSendt as sendt:
            return allerede_sendt(
                request, sendt, ellers=reverse("borgere:detalje", args=[borger.pk])
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
    """The referral with `borger_synlig`: whether the user may open the citizen's record too. A
    provider that rejected the citizen keeps the referral and its visitation record, not the
    citizen: its pages then link nowhere and show no CPR number, not even masked."""
    return hent_synlig_eller_404(
        Henvisning.objects.annotate(
            borger_synlig=Exists(
                Borger.objects.synlige_for(request.user).filter(pk=OuterRef("borger_id"))
            )
        )
        .select_related(
            "borger",
            "pladsaftale__leverandoer",
            "pladsaftale__koeber",
            "jobcenter",
            "forsoergelsesgrundlag",
            "oprettet_af",
            "sagsbehandler",
            "visitation",
            "ventelisteplads",
        )
        .prefetch_related(
            Prefetch(
                "visitation__underskrifter",
                queryset=Underskrift.objects.select_related("bruger", "organisation"),
            )
        ),
        request.user,
        pk=pk,
    )


@never_cache
def detalje(
    request,
    pk: int,
    visitation_form: VisitationForm | None = None,
    rettelse_formularer: dict | None = None,
):
    """A referral with its visitation: the assessment form, the sign-offs and the decision; its
    corrections and the ones the user may make (`rettelse_formularer`: bound forms with errors)."""
    henvisning = _henvisning(request, pk)
    log_adgang(
        bruger=request.user, handling=AdgangsLog.Handling.VIS, objekt=henvisning, request=request
    )
    visitation = getattr(henvisning, "visitation", None)
    kan_visitere = (
        visitation is None
        and henvisning.status == Henvisning.Status.HENVIST
        and regler.kan_visitere(request.user, henvisning)
    )
    underskrifter = list(visitation.underskrifter.all()) if visitation else []
    if kan_visitere and visitation_form is None:
        visitation_form = VisitationForm(henvisning=henvisning)
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
            **_rettelser(request.user, henvisning, rettelse_formularer or {}),
        },
    )


@never_cache
@require_GET
def udskrift(request, pk: int):
    """The visitation record to print: the referral, the criteria with their notes, the decision
    and each participating organisation's signature (name and time) or that it is awaited."""
    henvisning = _henvisning(request, pk)
    log_adgang(
        bruger=request.user,
        handling=AdgangsLog.Handling.VIS,
        objekt=henvisning,
        kriterier={"udskrift": True},
        request=request,
    )
    visitation = getattr(henvisning, "visitation", None)
    underskrifter = (
        {u.organisation_id: u for u in visitation.underskrifter.all()} if visitation else {}
    )
    # The parties in the order the referral names them (jobcenter, provider), each with its
    # signature or None; then any other signature the record holds.
    parter = [henvisning.jobcenter, henvisning.pladsaftale.leverandoer]
    return render(
        request,
        "visitation/udskrift.html",
        {
            "henvisning": henvisning,
            "borger": henvisning.borger,
            "visitation": visitation,
            "parter": [(org, underskrifter.pop(org.pk, None)) for org in parter],
            "andre_underskrifter": list(underskrifter.values()),
        },
    )


@never_cache
@require_POST
def visitation_opret(request, pk: int):
    henvisning = _henvisning(request, pk)
    form = VisitationForm(request.POST, henvisning=henvisning)
    if form.is_valid():
        tilbage = reverse("visitation:detalje", args=[henvisning.pk])
        try:
            opret_en_gang(
                noegle=form.indsendelse,
                bruger=request.user,
                opret=lambda: services.visitation_opret(
                    bruger=request.user, henvisning=henvisning, **form.cleaned_data
                ),
                adresse=lambda _visitation: tilbage,
            )
        except AlleredeSendt as sendt:
            return allerede_sendt(request, sendt, ellers=tilbage)
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
def pladsaftale(request, pk: int, fjern_form: FjernFraVentelisteForm | None = None):
    """Occupancy and the ordered waiting list of one place agreement; `fjern_form` is a bound
    removal form with errors, shown on its row."""
    aftale = hent_synlig_eller_404(
        Pladsaftale.objects.med_belaegning().select_related("koeber", "leverandoer"),
        request.user,
        pk=pk,
    )
    venteliste = selectors.venteliste(bruger=request.user, aftale=aftale)
    _fjernformularer(request.user, venteliste, fjern_form)
    ledige = max(aftale.antal_pladser - aftale.optagne, 0)
    # The places in use a page at a time (1,600 on a large agreement at national scale). Their
    # number is the agreement's `optagne`, already counted: the pages need no COUNT of their own.
    side = Paginator(range(aftale.optagne), PR_SIDE).get_page(request.GET.get("side"))
    udsnit = slice(side.start_index() - 1 if aftale.optagne else 0, side.end_index())
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
            "optagne": list(selectors.optagne(bruger=request.user, aftale=aftale)[udsnit]),
            "side": side,
            "ledige": ledige,
            "kan_indskrive": kan_indskrive,
        },
    )


# --- Corrections: withdraw, remove from the waiting list, reassign ---------------------------
# Each is a POST from a confirmation form on the referral page (removal also from the agreement's
# waiting list); success redirects with a message, a refusal re-renders the page with the error
# on the form.


def _fjern_prefix(henvisning_id: int) -> str:
    # One removal form per waiting citizen on the agreement page: the prefix keeps ids unique.
    return f"fjern-{henvisning_id}"


def _rettelser(bruger, henvisning: Henvisning, bundne: dict) -> dict:
    """The referral's correction history and a form for each correction the user may make now
    (and a refused one's form, bound, with the reason it was refused)."""
    kontekst = {
        "rettelser": list(
            Henvisningsrettelse.objects.filter(henvisning=henvisning).select_related(
                "udfoert_af", "fra_sagsbehandler", "til_sagsbehandler"
            )
        )
    }
    if regler.kan_traekke_henvisning_tilbage(bruger, henvisning) and (
        henvisning.kan_skifte_til(Henvisning.Status.TILBAGETRUKKET) or "tilbage" in bundne
    ):
        kontekst["tilbage_form"] = bundne.get("tilbage") or RettelseForm(prefix="tilbage")
    if regler.kan_fjerne_fra_venteliste(bruger, henvisning) and (
        henvisning.status == Henvisning.Status.VENTELISTE or "fjern" in bundne
    ):
        kontekst["fjern_form"] = bundne.get("fjern") or FjernFraVentelisteForm(
            prefix=_fjern_prefix(henvisning.pk)
        )
    if regler.kan_omfordele(bruger, henvisning) and (
        henvisning.status in services.OMFORDELBARE or "omfordel" in bundne
    ):
        kontekst["omfordel_form"] = bundne.get("omfordel") or OmfordelForm(
            prefix="omfordel", modtagere=services.omfordelingsmodtagere(henvisning)
        )
    return kontekst


# Stands for the row's prefix in the blank removal form rendered once per page.
_PREFIX_PLADSHOLDER = "fjern-0pladsholder0"


def _fjernformularer(bruger, venteliste, bunden: FjernFraVentelisteForm | None) -> None:
    """Give each waiting row the user may remove a `fjern_form` (the bound one on its own row)
    and its HTML, `fjern_html`.

    The blank forms differ only in their prefix, so one is rendered and the prefix put in per
    row: rendering the form for each of an agreement's 141 waiting citizens took 0.7 s of the
    page at national scale (issue 13)."""
    blank_html = None
    for plads in venteliste:
        if not regler.kan_fjerne_fra_venteliste(bruger, plads.henvisning):
            continue
        prefix = _fjern_prefix(plads.henvisning_id)
        if bunden is not None and bunden.prefix == prefix:
            plads.fjern_form = bunden
            plads.fjern_html = as_crispy_form(bunden)
            continue
        plads.fjern_form = FjernFraVentelisteForm(prefix=prefix, initial={"fra": "pladsaftale"})
        if blank_html is None:
            blank_html = as_crispy_form(
                FjernFraVentelisteForm(prefix=_PREFIX_PLADSHOLDER, initial={"fra": "pladsaftale"})
            )
        # The placeholder is escaped nowhere (letters, digits and a hyphen), and the prefix is
        # ours ("fjern-<id>"): the result is as safe as the rendered form.
        plads.fjern_html = mark_safe(blank_html.replace(_PREFIX_PLADSHOLDER, prefix))  # noqa: S308


@never_cache
@require_POST
def traek_tilbage(request, pk: int):
    henvisning = _henvisning(request, pk)
    kraev(regler.kan_traekke_henvisning_tilbage(request.user, henvisning))
    form = RettelseForm(request.POST, prefix="tilbage")
    if form.is_valid():
        try:
            services.traek_henvisning_tilbage(
                bruger=request.user, henvisning=henvisning, **form.cleaned_data
            )
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _(
                    "Henvisningen er trukket tilbage. Forløbsmedarbejderne har fået besked, og "
                    "borgeren kan henvises igen."
                ),
            )
            return redirect("visitation:detalje", henvisning.pk)
    return detalje(request, pk, rettelse_formularer={"tilbage": form})


@never_cache
@require_POST
def fjern_fra_venteliste(request, pk: int):
    henvisning = _henvisning(request, pk)
    kraev(regler.kan_fjerne_fra_venteliste(request.user, henvisning))
    form = FjernFraVentelisteForm(request.POST, prefix=_fjern_prefix(henvisning.pk))
    fra_aftalen = request.POST.get(f"{form.prefix}-fra") == "pladsaftale"
    if form.is_valid():
        try:
            services.fjern_fra_venteliste(
                bruger=request.user,
                henvisning=henvisning,
                begrundelse=form.cleaned_data["begrundelse"],
            )
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _(
                    "%(navn)s er fjernet fra ventelisten, og de næste er rykket op. "
                    "Den anden part har fået besked."
                )
                % {"navn": henvisning.borger.navn},
            )
            if fra_aftalen:
                return redirect("visitation:pladsaftale", henvisning.pladsaftale_id)
            return redirect("visitation:detalje", henvisning.pk)
    if fra_aftalen:
        return pladsaftale(request, henvisning.pladsaftale_id, fjern_form=form)
    return detalje(request, pk, rettelse_formularer={"fjern": form})


@never_cache
@require_POST
def omfordel(request, pk: int):
    henvisning = _henvisning(request, pk)
    kraev(regler.kan_omfordele(request.user, henvisning))
    form = OmfordelForm(
        request.POST, prefix="omfordel", modtagere=services.omfordelingsmodtagere(henvisning)
    )
    if form.is_valid():
        try:
            services.omfordel(bruger=request.user, henvisning=henvisning, **form.cleaned_data)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _("Sagen er overdraget til %(navn)s, som har fået besked.")
                % {"navn": form.cleaned_data["ny_sagsbehandler"]},
            )
            return redirect("visitation:detalje", henvisning.pk)
    return detalje(request, pk, rettelse_formularer={"omfordel": form})
