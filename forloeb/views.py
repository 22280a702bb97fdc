from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from borgere.models import Forsoergelsesgrundlag
from mikrolaan.konti.adgang import hent_synlig_eller_404, kraev
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang
from mikrolaan.sider import vis_fejl
from mikrolaan.tekst import kort_dato
from visitation.models import Henvisning, VentelistePlads, Visitation

from . import regler, selectors
from .forms import (
    ForlaengForm,
    OmfordelForm,
    OpfoelgningForm,
    OvergangForm,
    RettelseForm,
    UdskrivForm,
)
from .models import Fase, Faseforlaengelse, Forloeb, Forloebsrettelse, Opfoelgning
from .services import faser, indskrivning, rettelser, udskrivning


@require_POST
def underskriv(request, visitation_pk: int):
    """Sign a visitation for the user's organisation (the last signature may admit)."""
    visitation = hent_synlig_eller_404(Visitation.objects, request.user, pk=visitation_pk)
    try:
        forloeb = indskrivning.visitation_underskriv(bruger=request.user, visitation=visitation)
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
        resultat = indskrivning.indskriv(
            bruger=request.user, henvisning=plads.henvisning, fra_venteliste=True
        )
    except ValidationError as fejl:
        messages.error(request, " ".join(fejl.messages))
    else:
        if isinstance(resultat, Forloeb):
            messages.success(request, _("%(navn)s er indskrevet.") % {"navn": resultat.borger.navn})
    return redirect("visitation:pladsaftale", plads.pladsaftale_id)


# --- The programme page: phases, progress, and the actions the user's role allows ------------


def _hent_forloeb(request, pk: int) -> Forloeb:
    """The programme with everything its page shows, if the user may see it (404 otherwise)."""
    return hent_synlig_eller_404(
        Forloeb.objects.select_related(
            "borger",
            "pladsaftale__leverandoer",
            "pladsaftale__koeber",
            "henvisning__jobcenter",
            "overgangsvurdering__vurderet_af",
            "udskrivning__forsoergelse_efter",
            "udskrivning__oprettet_af",
            "forloebsmedarbejder",
        ).prefetch_related(
            Prefetch(
                "faser",
                queryset=Fase.objects.prefetch_related(
                    Prefetch(
                        "forlaengelser",
                        queryset=Faseforlaengelse.objects.select_related("oprettet_af"),
                    )
                ),
            ),
            Prefetch(
                "opfoelgninger",
                queryset=Opfoelgning.objects.select_related(
                    "forsoergelsesgrundlag", "registreret_af"
                ),
            ),
            Prefetch(
                "rettelser",
                queryset=Forloebsrettelse.objects.select_related(
                    "udfoert_af", "fra_medarbejder", "til_medarbejder", "udskrivning"
                ),
            ),
        ),
        request.user,
        pk=pk,
    )


def _aktuel_fase(forloeb: Forloeb) -> Fase | None:
    return next((f for f in forloeb.faser.all() if f.type == forloeb.status), None)


def _vis_detalje(
    request,
    forloeb: Forloeb,
    *,
    overgang_form: OvergangForm | None = None,
    forlaeng_form: ForlaengForm | None = None,
    udskriv_form: UdskrivForm | None = None,
    opfoelgning_form: OpfoelgningForm | None = None,
    fortryd_form: RettelseForm | None = None,
    genaabn_form: RettelseForm | None = None,
    omfordel_form: OmfordelForm | None = None,
):
    log_adgang(
        bruger=request.user, handling=AdgangsLog.Handling.VIS, objekt=forloeb, request=request
    )
    bruger = request.user
    fremdrift = selectors.fremdrift(forloeb)
    aktuel = _aktuel_fase(forloeb)
    styrer = forloeb.er_aktiv and regler.kan_styre_forloeb(bruger, forloeb)

    opfoelgninger = list(forloeb.opfoelgninger.all())
    idag = timezone.localdate()
    aabne = (
        [o for o in opfoelgninger if udskrivning.kan_registreres(o, idag)]
        if regler.kan_foelge_op(bruger, forloeb)
        else []
    )
    # One read of the means of support for every form on the page that offers them.
    grundlag = list(Forsoergelsesgrundlag.objects.gyldige()) if styrer or aabne else []
    for o in aabne:
        if opfoelgning_form is not None and opfoelgning_form.opfoelgning.pk == o.pk:
            o.form = opfoelgning_form
        else:
            o.form = OpfoelgningForm(opfoelgning=o)
        o.form.fields["forsoergelsesgrundlag"].brug_valg(grundlag)

    fortryd_spaerret = None
    if styrer:
        if overgang_form is None and forloeb.status == Forloeb.Status.OPKVALIFICERING:
            # Ticked in advance where the citizen attended that kind of session at least once.
            forhaand = {
                type_: deltog
                for type_, (_label, deltog) in zip(
                    selectors.TJEKLISTE, fremdrift.tjekliste, strict=True
                )
            }
            # The confirmation is asked for at once when the move already needs it (early, or a
            # session type not attended); unticking a box later makes the service ask for it.
            overgang_form = OvergangForm(
                prefix="overgang",
                initial=forhaand,
                advarsler=faser.overgangsadvarsler(forloeb, forhaand, idag),
            )
        forlaeng_form = forlaeng_form or ForlaengForm(prefix="forlaeng")
        udskriv_form = udskriv_form or UdskrivForm(prefix="udskriv")
        udskriv_form.fields["forsoergelse_efter"].brug_valg(grundlag)
        omfordel_form = omfordel_form or OmfordelForm(
            prefix="omfordel", medarbejdere=rettelser.mulige_forloebsmedarbejdere(forloeb)
        )
        if forloeb.status == Forloeb.Status.HOVEDFORLOEB and regler.kan_fortryde_hovedforloeb(
            bruger, forloeb
        ):
            fortryd_spaerret = rettelser.fortryd_hovedforloeb_spaerret(forloeb, idag)
            fortryd_form = fortryd_form or RettelseForm(prefix="fortryd")
    udskrivningen = getattr(forloeb, "udskrivning", None)
    genaabn_spaerret = None
    if udskrivningen is not None and regler.kan_genaabne_udskrivning(bruger, forloeb):
        genaabn_spaerret = rettelser.genaabn_spaerret(forloeb, idag)
        genaabn_form = genaabn_form or RettelseForm(prefix="genaabn")
    else:
        genaabn_form = None

    tjekliste_i_alt = len(fremdrift.tjekliste)
    return render(
        request,
        "forloeb/detalje.html",
        {
            "forloeb": forloeb,
            "borger": forloeb.borger,
            "faser": list(forloeb.faser.all()),
            "aktuel_fase": aktuel,
            "fremdrift": fremdrift,
            "tjekliste_i_alt": tjekliste_i_alt,
            "overgangsvurdering": getattr(forloeb, "overgangsvurdering", None),
            "udskrivning": udskrivningen,
            "rettelser": list(forloeb.rettelser.all()),
            "opfoelgninger": opfoelgninger,
            "idag": idag,
            "styrer": styrer,
            "overgang_form": overgang_form if styrer else None,
            "forlaeng_form": forlaeng_form if styrer else None,
            "udskriv_form": udskriv_form if styrer else None,
            "omfordel_form": omfordel_form if styrer else None,
            "fortryd_form": fortryd_form if styrer else None,
            "fortryd_spaerret": fortryd_spaerret,
            "genaabn_form": genaabn_form,
            "genaabn_spaerret": genaabn_spaerret,
            "rettefrist": Forloeb.RETTEFRIST_DAGE,
        },
    )


@never_cache
@require_GET
def detalje(request, pk: int):
    """One citizen's programme: both phases, progress, and the actions the user's role allows."""
    return _vis_detalje(request, _hent_forloeb(request, pk))


@never_cache
@require_POST
def hovedforloeb(request, pk: int):
    forloeb = _hent_forloeb(request, pk)
    # Visible to both case organisations, but only the provider's course staff run it (403).
    kraev(regler.kan_styre_forloeb(request.user, forloeb))
    form = OvergangForm(request.POST, prefix="overgang")
    if form.is_valid():
        try:
            faser.skift_til_hovedforloeb(bruger=request.user, forloeb=forloeb, **form.cleaned_data)
        except ValidationError as fejl:
            form.advarsler = faser.overgangsadvarsler(forloeb, form.cleaned_data)
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _("%(navn)s er gået over i hovedforløbet. Sagsbehandleren har fået besked.")
                % {"navn": forloeb.borger.navn},
            )
            return redirect("forloeb:detalje", forloeb.pk)
    return _vis_detalje(request, forloeb, overgang_form=form)


@never_cache
@require_POST
def forlaeng(request, pk: int):
    """Extend the programme's current phase."""
    forloeb = _hent_forloeb(request, pk)
    # Visible to both case organisations, but only the provider's course staff run it (403).
    kraev(regler.kan_styre_forloeb(request.user, forloeb))
    form = ForlaengForm(request.POST, prefix="forlaeng")
    if form.is_valid():
        # An ended programme has no current phase; the service then explains why nothing can be
        # extended.
        fase = _aktuel_fase(forloeb) or list(forloeb.faser.all())[-1]
        try:
            forlaengelse = faser.forlaeng_fase(bruger=request.user, fase=fase, **form.cleaned_data)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _("%(fase)s er forlænget til %(dato)s.")
                % {
                    "fase": fase.get_type_display(),
                    "dato": kort_dato(forlaengelse.ny_slut),
                },
            )
            return redirect("forloeb:detalje", forloeb.pk)
    return _vis_detalje(request, forloeb, forlaeng_form=form)


@never_cache
@require_POST
def udskriv(request, pk: int):
    forloeb = _hent_forloeb(request, pk)
    # Visible to both case organisations, but only the provider's course staff run it (403).
    kraev(regler.kan_styre_forloeb(request.user, forloeb))
    form = UdskrivForm(request.POST, prefix="udskriv")
    if form.is_valid():
        try:
            udskrivning.udskriv(bruger=request.user, forloeb=forloeb, **form.cleaned_data)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _("%(navn)s er udskrevet. Erhvervschefen og sagens personer har fået besked.")
                % {"navn": forloeb.borger.navn},
            )
            return redirect("forloeb:detalje", forloeb.pk)
    return _vis_detalje(request, forloeb, udskriv_form=form)


@never_cache
@require_POST
def opfoelgning(request, pk: int):
    """The caseworker records a follow-up after the discharge."""
    opfoelgning = hent_synlig_eller_404(Opfoelgning.objects, request.user, pk=pk)
    forloeb = _hent_forloeb(request, opfoelgning.forloeb_id)
    kraev(regler.kan_foelge_op(request.user, forloeb))
    form = OpfoelgningForm(request.POST, opfoelgning=opfoelgning)
    if form.is_valid():
        try:
            udskrivning.registrer_opfoelgning(
                bruger=request.user, opfoelgning=opfoelgning, **form.cleaned_data
            )
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _("Opfølgningen efter %(maaneder)s måneder er registreret.")
                % {"maaneder": opfoelgning.maaneder},
            )
            return redirect("forloeb:detalje", forloeb.pk)
    return _vis_detalje(request, forloeb, opfoelgning_form=form)


# --- Corrections: each with a reason, kept in the programme's history -----------------------


@never_cache
@require_POST
def fortryd_hovedforloeb(request, pk: int):
    """Undo a move to the main phase registered by mistake."""
    forloeb = _hent_forloeb(request, pk)
    kraev(regler.kan_fortryde_hovedforloeb(request.user, forloeb))
    form = RettelseForm(request.POST, prefix="fortryd")
    if form.is_valid():
        try:
            rettelser.fortryd_hovedforloeb(
                bruger=request.user, forloeb=forloeb, **form.cleaned_data
            )
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _(
                    "Overgangen er fortrudt: %(navn)s er igen i det opkvalificerende forløb. "
                    "Sagsbehandleren har fået besked."
                )
                % {"navn": forloeb.borger.navn},
            )
            return redirect("forloeb:detalje", forloeb.pk)
    return _vis_detalje(request, forloeb, fortryd_form=form)


@never_cache
@require_POST
def genaabn(request, pk: int):
    """Reopen a discharge registered by mistake."""
    forloeb = _hent_forloeb(request, pk)
    kraev(regler.kan_genaabne_udskrivning(request.user, forloeb))
    form = RettelseForm(request.POST, prefix="genaabn")
    if form.is_valid():
        try:
            rettelser.genaabn_forloeb(bruger=request.user, forloeb=forloeb, **form.cleaned_data)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            messages.success(
                request,
                _(
                    "Udskrivningen er annulleret, og %(navn)s er igen i forløbet. "
                    "Erhvervschefen og sagens personer har fået besked."
                )
                % {"navn": forloeb.borger.navn},
            )
            return redirect("forloeb:detalje", forloeb.pk)
    return _vis_detalje(request, forloeb, genaabn_form=form)


@never_cache
@require_POST
def omfordel(request, pk: int):
    """Hand the programme to another course staff member of the provider."""
    forloeb = _hent_forloeb(request, pk)
    kraev(regler.kan_omfordele(request.user, forloeb))
    form = OmfordelForm(
        request.POST,
        prefix="omfordel",
        medarbejdere=rettelser.mulige_forloebsmedarbejdere(forloeb),
    )
    if form.is_valid():
        try:
            rettelser.omfordel_forloeb(bruger=request.user, forloeb=forloeb, **form.cleaned_data)
        except ValidationError as fejl:
            vis_fejl(form, fejl)
        else:
            ny = form.cleaned_data["ny_medarbejder"]
            messages.success(
                request,
                _("Forløbet er overdraget til %(ny)s, som har fået besked.") % {"ny": ny},
            )
            return redirect("forloeb:detalje", forloeb.pk)
    return _vis_detalje(request, forloeb, omfordel_form=form)
