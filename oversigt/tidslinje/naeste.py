"""What needs doing next in a case, for the top of the timeline: most urgent first."""

import datetime

from django.utils.translation import gettext as _

from forloeb.models import Fase, Forloeb, Opfoelgning
from laan.models import Laan, Sagsgang
from mikrolaan.konti.models import Bruger
from mikrolaan.tekst import kort_dato, kroner
from visitation.models import Henvisning, Underskrift

from .faelles import antal_dage, forloeb_url, henvisning_url, laan_url
from .typer import Naeste

# A follow-up is flagged on "what's next" this many days before it falls due.
OPFOELGNING_VARSEL_DAGE = 30


def naeste_laan(sagsgange: list[Sagsgang]) -> list[Naeste]:
    """A loan awaiting the checker's decision, or granted and awaiting its disbursement. (Arrears
    are the loan page's and the daily arrears run's: they need the instalments.)"""
    laan = {g.laan_id: g.laan for g in sagsgange}
    naeste = []
    for pk in sorted(laan):
        vaerdier = {"beloeb": kroner(laan[pk].beloeb)}
        if laan[pk].status == Laan.Status.ANSOEGT:
            tekst = _("Ansøgningen om et mikrolån på %(beloeb)s afventer godkendelse.") % vaerdier
        elif laan[pk].status == Laan.Status.BEVILGET:
            tekst = _("Mikrolånet på %(beloeb)s er bevilget og afventer udbetaling.") % vaerdier
        else:
            continue
        naeste.append(Naeste("info", tekst, laan_url(pk)))
    return naeste


def naeste_henvisninger(
    henvisninger: list[Henvisning], underskrifter: list[Underskrift], *, bruger: Bruger
) -> list[Naeste]:
    """A referral awaiting its visitation, a visitation awaiting signatures, a waiting list."""
    underskrevet: dict[int, set[int]] = {}
    for u in underskrifter:
        underskrevet.setdefault(u.visitation.henvisning_id, set()).add(u.organisation_id)
    naeste = []
    for h in henvisninger:
        url = henvisning_url(h.pk)
        visitation = getattr(h, "visitation", None)
        if h.status == Henvisning.Status.HENVIST and visitation is None:
            naeste.append(Naeste("info", _("Henvisningen afventer den fælles visitation."), url))
        elif visitation is not None and visitation.afgjort is None:
            mangler = [
                org
                for org in (h.jobcenter, h.pladsaftale.leverandoer)
                if org.pk not in underskrevet.get(h.pk, set())
            ]
            for org in mangler:
                if org.pk == bruger.organisation_id:
                    tekst = _("Visitationen afventer din underskrift for %(org)s.") % {"org": org}
                    niveau = "warning"
                else:
                    tekst = _("Visitationen afventer underskrift fra %(org)s.") % {"org": org}
                    niveau = "info"
                naeste.append(Naeste(niveau, tekst, url))
        elif h.status == Henvisning.Status.VENTELISTE:
            naeste.append(
                Naeste(
                    "info",
                    _("Borgeren er på venteliste til %(aftale)s.") % {"aftale": h.pladsaftale.navn},
                    url,
                )
            )
    return naeste


def naeste_faser(faser: list[Fase], forloeb: list[Forloeb], *, idag: datetime.date) -> list[Naeste]:
    """The current phase of each active programme: its days left, or how long it is overdue."""
    aktive = {f.pk: f for f in forloeb if f.er_aktiv}
    naeste = []
    for fase in faser:
        f = aktive.get(fase.forloeb_id)
        if f is None or fase.type != f.status:
            continue
        dage = (fase.planlagt_slut - idag).days
        vaerdier = {
            "fase": fase.get_type_display(),
            "slut": kort_dato(fase.planlagt_slut),
            "dage": antal_dage(abs(dage)),
        }
        if dage < 0:
            niveau = "danger"
            tekst = (
                _("%(fase)s er overskredet: planlagt slut %(slut)s (for %(dage)s siden).")
                % vaerdier
            )
        elif dage == 0:
            niveau = "warning"
            tekst = _("%(fase)s slutter i dag.") % vaerdier
        else:
            niveau = "info"
            tekst = _("%(fase)s slutter %(slut)s (om %(dage)s).") % vaerdier
        naeste.append(Naeste(niveau, tekst, forloeb_url(f.pk)))
    return naeste


def naeste_opfoelgninger(opfoelgninger: list[Opfoelgning], *, idag: datetime.date) -> list[Naeste]:
    """Follow-ups overdue, due today, or due within OPFOELGNING_VARSEL_DAGE."""
    naeste = []
    for o in opfoelgninger:
        if o.registreret is not None:
            continue
        dage = (o.forfalder - idag).days
        vaerdier = {
            "maaneder": o.maaneder,
            "dato": kort_dato(o.forfalder),
            "dage": antal_dage(abs(dage)),
        }
        if dage < 0:
            niveau = "danger"
            tekst = (
                _(
                    "Opfølgningen %(maaneder)d måneder efter udskrivning er forfalden "
                    "siden %(dato)s."
                )
                % vaerdier
            )
        elif dage == 0:
            niveau = "warning"
            tekst = (
                _("Opfølgningen %(maaneder)d måneder efter udskrivning forfalder i dag.") % vaerdier
            )
        elif dage <= OPFOELGNING_VARSEL_DAGE:
            niveau = "info"
            tekst = (
                _(
                    "Opfølgningen %(maaneder)d måneder efter udskrivning forfalder %(dato)s "
                    "(om %(dage)s)."
                )
                % vaerdier
            )
        else:
            continue
        naeste.append(Naeste(niveau, tekst, forloeb_url(o.forloeb_id)))
    return naeste
