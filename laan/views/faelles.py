"""What the loan pages share: the one way a loan is fetched for a page, and the sentence that tells
the user what happens next with it."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from mikrolaan.konti.adgang import hent_synlig_eller_404
from mikrolaan.konti.models import Bruger
from mikrolaan.tekst import kort_dato, kroner

from .. import regler, selectors
from ..forms import BegrundelseForm, BekraeftForm, IndbetalingForm, TraekTilbageForm, UdbetalForm
from ..models import Laan
from ..services import indbetalinger, livsforloeb


def hent_laan(request, pk: int) -> Laan:
    """The loan with its balance (`selectors.med_saldo`) and what the rules and the page read
    (programme, citizen, referral, agreement, the people of its decisions), in one query; 404 if
    the user may not see it."""
    return hent_synlig_eller_404(
        selectors.med_saldo(
            Laan.objects.select_related(
                "forloeb__borger",
                "forloeb__henvisning",
                "forloeb__pladsaftale",
                "oprettet_af",
                "bevilget_af",
                "afskrivning_indstillet_af",
                "afskrevet_af",
            )
        ),
        request.user,
        pk=pk,
    )


def naeste_skridt(laan: Laan, bruger: Bruger) -> str:
    """One sentence for the user's role: what happens next with the loan, and whose move it is.
    `laan` carries its balance (`selectors.med_saldo`) and its programme's referral and
    agreement."""
    S = Laan.Status
    if laan.status == S.ANSOEGT:
        if regler.kan_bevilge(bruger, laan):
            return _("Ansøgningen afventer din afgørelse: bevilg eller afslå den.")
        if bruger.pk == laan.oprettet_af_id:
            return _(
                "Ansøgningen afventer en sagsbehandlers godkendelse. Du har registreret den, så "
                "en anden skal godkende den."
            )
        return _("Ansøgningen afventer en sagsbehandlers godkendelse.")
    if laan.status == S.BEVILGET:
        if regler.kan_udbetale(bruger, laan):
            return _(
                "Lånet er bevilget. Registrer udbetalingen, når pengene er sendt til borgeren."
            )
        return _("Lånet er bevilget og afventer udbetaling fra forløbsmedarbejderen.")
    if laan.status == S.UDBETALT:
        if laan.afskrivning_indstillet:
            if regler.kan_afskrive(bruger, laan):
                return _(
                    "Der er indstillet til afskrivning. Afskrivningen afventer din godkendelse."
                )
            return _(
                "Der er indstillet til afskrivning. Den afventer godkendelse af en anden "
                "sagsbehandler end den, der indstillede."
            )
        if laan.dage_i_restance:
            tekst = _("%(beloeb)s er forfaldent og ubetalt; ældste afdrag forfaldt %(dato)s.") % {
                "beloeb": kroner(laan.forfaldent),
                "dato": kort_dato(laan.aeldste_forfald),
            }
            if regler.kan_registrere_indbetaling(bruger, laan):
                tekst += " " + _(
                    "Kontakt borgeren, eller registrer indbetalingen, hvis den er kommet."
                )
            else:
                tekst += " " + _("Forløbsmedarbejderen følger op med borgeren.")
            return tekst
        if laan.naeste_forfald:
            return _("Næste afdrag forfalder %(dato)s, og restgælden er %(rest)s") % {
                "dato": kort_dato(laan.naeste_forfald),
                "rest": kroner(laan.restgaeld),
            }
        return _("Lånet er udbetalt.")
    if laan.status == S.INDFRIET:
        return _("Lånet er betalt helt tilbage. Der er ikke mere at gøre.")
    if laan.status == S.AFSKREVET:
        return _("Restgælden er afskrevet. Sagen er afsluttet.")
    if laan.status == S.AFSLAAET:
        return _("Ansøgningen er afslået. Sagen er afsluttet.")
    return _("Ansøgningen er trukket tilbage. Sagen er afsluttet.")


# --- The actions on a loan -------------------------------------------------------------------
# Each is a POST to its own URL (laan/urls.py) with its own form. The page shows an action when
# the loan's status allows it and `regler` lets the user take it; the view enforces the rule with
# `kraev` (403) and the service refuses everything else with a ValidationError, which goes back
# onto the form.


@dataclass(frozen=True)
class Handling:
    navn: str  # the URL name and the form's prefix
    titel: str
    knap: str
    form: type[forms.Form]
    regel: Callable[[Bruger, Laan], bool]
    # Whether the loan's state offers the action at all (the service decides finally).
    tilbydes: Callable[[Laan], bool]
    udfoer: Callable[..., object]
    besked: Callable[[Laan, dict], str]
    forklaring: str = ""
    farlig: bool = False


S = Laan.Status


def _indbetaling_besked(laan: Laan, data: dict) -> str:
    besked = _("Indbetalingen på %(beloeb)s er registreret.") % {"beloeb": kroner(data["beloeb"])}
    if laan.status == S.INDFRIET:
        besked += " " + _("Lånet er nu betalt helt tilbage.")
    return besked


HANDLINGER: dict[str, Handling] = {
    h.navn: h
    for h in (
        Handling(
            navn="bevilg",
            titel=_l("Bevilg lånet"),
            knap=_l("Bevilg"),
            form=BekraeftForm,
            regel=regler.kan_bevilge,
            tilbydes=lambda laan: laan.status == S.ANSOEGT,
            udfoer=lambda bruger, laan, data: livsforloeb.bevilg(bruger=bruger, laan=laan),
            besked=lambda laan, data: _("Lånet er bevilget. Forløbsmedarbejderen har fået besked."),
            forklaring=_l(
                "Du godkender ansøgningen som anden person (fire øjne). Forløbets lån må "
                "tilsammen højst være 50.000 kr."
            ),
        ),
        Handling(
            navn="afslaa",
            titel=_l("Afslå ansøgningen"),
            knap=_l("Afslå"),
            form=BegrundelseForm,
            regel=regler.kan_bevilge,
            tilbydes=lambda laan: laan.status == S.ANSOEGT,
            udfoer=lambda bruger, laan, data: livsforloeb.afslaa(bruger=bruger, laan=laan, **data),
            besked=lambda laan, data: _("Ansøgningen er afslået."),
            farlig=True,
        ),
        Handling(
            navn="fortryd",
            titel=_l("Fortryd bevillingen"),
            knap=_l("Fortryd bevilling"),
            form=BegrundelseForm,
            regel=regler.kan_bevilge,
            tilbydes=lambda laan: laan.status == S.BEVILGET,
            udfoer=lambda bruger, laan, data: livsforloeb.fortryd_bevilling(
                bruger=bruger, laan=laan, **data
            ),
            besked=lambda laan, data: _(
                "Bevillingen er fortrudt. Ansøgningen afventer en ny afgørelse."
            ),
            forklaring=_l("Før udbetalingen: lånet går tilbage til ansøgt og skal afgøres igen."),
            farlig=True,
        ),
        Handling(
            navn="traek_tilbage",
            titel=_l("Træk ansøgningen tilbage"),
            knap=_l("Træk tilbage"),
            form=TraekTilbageForm,
            regel=regler.kan_traekke_tilbage,
            tilbydes=lambda laan: laan.status == S.ANSOEGT,
            udfoer=lambda bruger, laan, data: livsforloeb.traek_tilbage(
                bruger=bruger, laan=laan, **data
            ),
            besked=lambda laan, data: _("Ansøgningen er trukket tilbage."),
            forklaring=_l("Når borgeren ikke længere ønsker lånet."),
            farlig=True,
        ),
        Handling(
            navn="udbetal",
            titel=_l("Registrer udbetaling"),
            knap=_l("Registrer udbetaling"),
            form=UdbetalForm,
            regel=regler.kan_udbetale,
            tilbydes=lambda laan: laan.status == S.BEVILGET,
            udfoer=lambda bruger, laan, data: livsforloeb.udbetal(bruger=bruger, laan=laan, **data),
            besked=lambda laan, data: (
                _("Udbetalingen den %(dato)s er registreret, og afdragsplanen er lavet.")
                % {"dato": kort_dato(data["dato"])}
            ),
        ),
        Handling(
            navn="indbetaling",
            titel=_l("Registrer indbetaling"),
            knap=_l("Registrer indbetaling"),
            form=IndbetalingForm,
            regel=regler.kan_registrere_indbetaling,
            tilbydes=lambda laan: laan.status == S.UDBETALT,
            udfoer=lambda bruger, laan, data: indbetalinger.registrer(
                bruger=bruger, laan=laan, **data
            ),
            besked=_indbetaling_besked,
            forklaring=_l("Indbetalingen fordeles på det ældste forfaldne afdrag først."),
        ),
        Handling(
            navn="indstil_afskrivning",
            titel=_l("Indstil til afskrivning"),
            knap=_l("Indstil til afskrivning"),
            form=BegrundelseForm,
            regel=regler.kan_indstille_afskrivning,
            tilbydes=lambda laan: laan.status == S.UDBETALT and not laan.afskrivning_indstillet,
            udfoer=lambda bruger, laan, data: livsforloeb.indstil_afskrivning(
                bruger=bruger, laan=laan, **data
            ),
            besked=lambda laan, data: _(
                "Afskrivningen er indstillet. En anden sagsbehandler skal godkende den."
            ),
            forklaring=_l(
                "Når restgælden ikke kan inddrives. En sagsbehandler – ikke den, der indstiller – "
                "skal godkende afskrivningen."
            ),
            farlig=True,
        ),
        Handling(
            navn="afskriv",
            titel=_l("Godkend afskrivning"),
            knap=_l("Godkend afskrivning"),
            form=BekraeftForm,
            regel=regler.kan_afskrive,
            tilbydes=lambda laan: laan.status == S.UDBETALT and bool(laan.afskrivning_indstillet),
            udfoer=lambda bruger, laan, data: livsforloeb.afskriv(bruger=bruger, laan=laan),
            besked=lambda laan, data: _("Restgælden er afskrevet."),
            farlig=True,
        ),
    )
}


def tilbudte_handlinger(
    bruger: Bruger, laan: Laan, fejl: tuple[str, forms.Form] | None = None
) -> list[tuple[Handling, forms.Form]]:
    """The actions the page offers the user, each with its form (the refused one bound, with its
    errors)."""
    tilbudte = []
    for handling in HANDLINGER.values():
        if fejl is not None and fejl[0] == handling.navn:
            tilbudte.append((handling, fejl[1]))
        elif handling.tilbydes(laan) and handling.regel(bruger, laan):
            tilbudte.append((handling, handling.form(prefix=handling.navn)))
    return tilbudte
