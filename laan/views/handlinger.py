"""The loan's actions, each a POST to its own URL: the application (from the programme's loan
section) and the moves of a loan's life (approve, refuse, undo, withdraw, disburse, payments,
write-off).

POST-redirect-GET: a done action redirects to the loan page with a Danish success message; a
refused one renders the page again with the service's error on the action's form. The rule is
enforced here with `kraev` (403) before the form is read, and again in the service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mikrolaan.indsendelser.services import AlleredeSendt, allerede_sendt, opret_en_gang
from mikrolaan.konti.adgang import kraev
from mikrolaan.sider import vis_fejl
from mikrolaan.tekst import kroner

from .. import regler
from ..forms import AnsoegForm, BegrundelseForm
from ..services import indbetalinger, livsforloeb
from .faelles import HANDLINGER, hent_laan
from .sider import hent_forloeb, vis_detalje, vis_forloeb


@never_cache
@require_POST
def ansoeg(request, forloeb_pk: int):
    """Course staff register the application; the caseworkers are told it awaits approval."""
    forloeb = hent_forloeb(request, forloeb_pk)
    kraev(regler.kan_ansoege(request.user, forloeb))
    form = AnsoegForm(request.POST, borger_id=forloeb.borger_id)
    if form.is_valid():
        try:
            laan = opret_en_gang(
                noegle=form.indsendelse,
                bruger=request.user,
                opret=lambda: livsforloeb.ansoeg(
                    bruger=request.user, forloeb=forloeb, **form.cleaned_data
                ),
                adresse=lambda laan: reverse("laan:detalje", args=[laan.pk]),
            )
        except AlleredeSendt as sendt:
            return allerede_sendt(
                request, sendt, ellers=reverse("forloeb:detalje", args=[forloeb.pk])
            )
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _(
                    "Ansøgningen om %(beloeb)s er registreret. En sagsbehandler har fået besked og "
                    "skal godkende den."
                )
                % {"beloeb": kroner(laan.beloeb)},
            )
            return redirect("laan:detalje", laan.pk)
    return vis_forloeb(request, forloeb, form=form, side=True)


@never_cache
@require_POST
def udfoer(request, pk: int, navn: str):
    """One of the actions in `faelles.HANDLINGER`, named by the URL."""
    handling = HANDLINGER[navn]
    laan = hent_laan(request, pk)
    kraev(handling.regel(request.user, laan))
    form = handling.form(request.POST, prefix=handling.navn)
    if form.is_valid():
        tilbage = reverse("laan:detalje", args=[laan.pk])
        try:
            # A payment's form carries a one-time key: a resent payment is registered once.
            opret_en_gang(
                noegle=getattr(form, "indsendelse", None),
                bruger=request.user,
                opret=lambda: handling.udfoer(request.user, laan, form.cleaned_data),
                adresse=lambda _raekke: tilbage,
            )
        except AlleredeSendt as sendt:
            return allerede_sendt(request, sendt, ellers=tilbage)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            laan.refresh_from_db(fields=["status"])  # a payment may have repaid it
            messages.success(request, handling.besked(laan, form.cleaned_data))
            return redirect("laan:detalje", laan.pk)
    return vis_detalje(request, laan, fejl=(handling.navn, form))


@never_cache
@require_POST
def tilbagefoer(request, pk: int, indbetaling_pk: int):
    """Reverse a wrong payment, with a reason; it stays on the page, marked as reversed."""
    laan = hent_laan(request, pk)
    kraev(regler.kan_registrere_indbetaling(request.user, laan))
    indbetaling = get_object_or_404(laan.indbetalinger, pk=indbetaling_pk)
    form = BegrundelseForm(request.POST, prefix=f"tilbagefoer-{indbetaling.pk}")
    if form.is_valid():
        try:
            indbetalinger.tilbagefoer(
                bruger=request.user, indbetaling=indbetaling, **form.cleaned_data
            )
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _(
                    "Indbetalingen på %(beloeb)s er tilbageført, og fordelingen på afdragene er "
                    "regnet om."
                )
                % {"beloeb": kroner(indbetaling.beloeb)},
            )
            return redirect("laan:detalje", laan.pk)
    return vis_detalje(request, laan, tilbagefoer_fejl=(indbetaling.pk, form))
