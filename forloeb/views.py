from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mikrolaan.konti.adgang import hent_synlig_eller_404
from visitation.models import Henvisning, VentelistePlads, Visitation

from . import services
from .models import Forloeb


@require_POST
def underskriv(request, visitation_pk: int):
    """Sign a visitation for the user's organisation (the last signature may admit)."""
    visitation = hent_synlig_eller_404(Visitation.objects, request.user, pk=visitation_pk)
    try:
        forloeb = services.visitation_underskriv(bruger=request.user, visitation=visitation)
    except ValidationError as fejl:
        messages.error(request, " ".join(fejl.messages))
        return redirect("visitation:detalje", visitation.henvisning_id)
    visitation.refresh_from_db()
    henvisning = Henvisning.objects.get(pk=visitation.henvisning_id)
    if forloeb is not None:
        messages.success(request, _("Visitationen er underskrevet, og borgeren er indskrevet."))
    elif henvisning.status == Henvisning.Status.VENTELISTE:
        messages.success(request, _("Visitationen er underskrevet. Borgeren er sat på venteliste."))
    elif henvisning.status == Henvisning.Status.AFVIST:
        messages.success(request, _("Visitationen er underskrevet. Henvisningen er afvist."))
    else:
        messages.success(request, _("Visitationen er underskrevet."))
    return redirect("visitation:detalje", visitation.henvisning_id)


@require_POST
def indskriv_fra_venteliste(request, pk: int):
    """Admit the first citizen on a waiting list to a freed place."""
    plads = hent_synlig_eller_404(
        VentelistePlads.objects.select_related("henvisning"),
        request.user,
        pk=pk,
    )
    try:
        resultat = services.indskriv(
            bruger=request.user, henvisning=plads.henvisning, fra_venteliste=True
        )
    except ValidationError as fejl:
        messages.error(request, " ".join(fejl.messages))
    else:
        if isinstance(resultat, Forloeb):
            messages.success(request, _("%(navn)s er indskrevet.") % {"navn": resultat.borger.navn})
    return redirect("visitation:pladsaftale", plads.pladsaftale_id)
