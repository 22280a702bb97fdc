"""Corrections as timeline entries: a withdrawn referral, a removal from the waiting list, a
reassigned case, an undone phase change, a reopened discharge, a cancelled session — each with
who made it, when and why. The history keeps the mistake and its correction."""

from django.utils.translation import gettext as _

from forloeb.models import Deltagelse, Forloebsrettelse
from mikrolaan.konti.models import Bruger
from mikrolaan.tekst import kort_dato
from visitation.models import Henvisningsrettelse

from .faelles import aktivitet_link, forkort, forloeb_url, henvisning_url, lokaltid, post_tidspunkt
from .typer import Art, Post

# --- Corrections: who, when and why -----------------------------------------------------------
# A correction comes after the step it corrects and before the notification about it (`orden`),
# should they share a moment.
RETTELSE_ORDEN = 8


def poster_tilbagetrukne(rettelser: list[Henvisningsrettelse]) -> list[Post]:
    """Referrals withdrawn by the jobcenter."""
    return [
        post_tidspunkt(
            Art.TILBAGETRUKKET,
            r.tidspunkt,
            _("Henvisningen til %(aftale)s er trukket tilbage af %(bruger)s: %(begrundelse)s")
            % {
                "aftale": r.henvisning.pladsaftale.navn,
                "bruger": r.udfoert_af,
                "begrundelse": forkort(r.begrundelse),
            },
            henvisning_url(r.henvisning_id),
            orden=RETTELSE_ORDEN,
        )
        for r in rettelser
        if r.handling == Henvisningsrettelse.Handling.TILBAGETRUKKET
    ]


def poster_fjernet_fra_venteliste(rettelser: list[Henvisningsrettelse]) -> list[Post]:
    return [
        post_tidspunkt(
            Art.FJERNET_FRA_VENTELISTE,
            r.tidspunkt,
            _("Fjernet fra ventelisten til %(aftale)s af %(bruger)s: %(begrundelse)s")
            % {
                "aftale": r.henvisning.pladsaftale.navn,
                "bruger": r.udfoert_af,
                "begrundelse": forkort(r.begrundelse),
            },
            henvisning_url(r.henvisning_id),
            orden=RETTELSE_ORDEN,
        )
        for r in rettelser
        if r.handling == Henvisningsrettelse.Handling.FJERNET_FRA_VENTELISTE
    ]


def poster_omfordelinger(
    henvisningsrettelser: list[Henvisningsrettelse], forloebsrettelser: list[Forloebsrettelse]
) -> list[Post]:
    """The case handed to another caseworker, the programme to another course staff member."""
    poster = [
        post_tidspunkt(
            Art.OMFORDELING,
            r.tidspunkt,
            _("Sagen er omfordelt fra %(fra)s til %(til)s af %(bruger)s: %(begrundelse)s")
            % {
                "fra": r.fra_sagsbehandler,
                "til": r.til_sagsbehandler,
                "bruger": r.udfoert_af,
                "begrundelse": forkort(r.begrundelse),
            },
            henvisning_url(r.henvisning_id),
            orden=RETTELSE_ORDEN,
        )
        for r in henvisningsrettelser
        if r.handling == Henvisningsrettelse.Handling.OMFORDELT
    ]
    for r in forloebsrettelser:
        if r.handling != Forloebsrettelse.Handling.OMFORDELT:
            continue
        vaerdier = {
            "fra": r.fra_medarbejder,
            "til": r.til_medarbejder,
            "bruger": r.udfoert_af,
            "begrundelse": forkort(r.begrundelse),
        }
        if r.fra_medarbejder_id is None:
            # A programme admitted without a responsible course staff member gets its first.
            tekst = _("Forløbet er overdraget til %(til)s af %(bruger)s: %(begrundelse)s")
        else:
            tekst = _(
                "Forløbet er omfordelt fra %(fra)s til %(til)s af %(bruger)s: %(begrundelse)s"
            )
        poster.append(
            post_tidspunkt(
                Art.OMFORDELING,
                r.tidspunkt,
                tekst % vaerdier,
                forloeb_url(r.forloeb_id),
                orden=RETTELSE_ORDEN,
            )
        )
    return poster


def poster_faseskift_fortrudt(rettelser: list[Forloebsrettelse]) -> list[Post]:
    """A move to the main phase undone. The move itself has left the phases (the qualifying phase
    is current again) and its assessment is annulled, so this entry says when it was made."""
    return [
        post_tidspunkt(
            Art.FASESKIFT_FORTRUDT,
            r.tidspunkt,
            _(
                "Overgangen til hovedforløbet %(dato)s er fortrudt af %(bruger)s – tilbage i det "
                "opkvalificerende forløb: %(begrundelse)s"
            )
            % {
                "dato": kort_dato(lokaltid(r.overgangsvurdering.vurderet).date()),
                "bruger": r.udfoert_af,
                "begrundelse": forkort(r.begrundelse),
            },
            forloeb_url(r.forloeb_id),
            orden=RETTELSE_ORDEN,
        )
        for r in rettelser
        if r.handling == Forloebsrettelse.Handling.HOVEDFORLOEB_FORTRUDT
    ]


def poster_udskrivninger_annulleret(rettelser: list[Forloebsrettelse]) -> list[Post]:
    """A discharge reopened as a mistake. The annulled discharge is no longer the programme's, so
    its date and reason are told here."""
    return [
        post_tidspunkt(
            Art.UDSKRIVNING_ANNULLERET,
            r.tidspunkt,
            _(
                "Udskrivningen %(dato)s (%(aarsag)s) er annulleret af %(bruger)s, og forløbet er "
                "genåbnet: %(begrundelse)s"
            )
            % {
                "dato": kort_dato(r.udskrivning.dato),
                "aarsag": r.udskrivning.get_aarsag_display().lower(),
                "bruger": r.udfoert_af,
                "begrundelse": forkort(r.begrundelse),
            },
            forloeb_url(r.forloeb_id),
            orden=RETTELSE_ORDEN,
        )
        for r in rettelser
        if r.handling == Forloebsrettelse.Handling.UDSKRIVNING_ANNULLERET
    ]


def poster_aflysninger(deltagelser: list[Deltagelse], *, bruger: Bruger) -> list[Post]:
    """Sessions cancelled, at the moment they were cancelled (the session itself stays at its own
    time, marked cancelled)."""
    return [
        post_tidspunkt(
            Art.AFLYSNING,
            d.aktivitet.aflyst,
            _("%(type)s %(dato)s kl. %(tid)s er aflyst af %(bruger)s: %(begrundelse)s")
            % {
                "type": d.aktivitet.get_type_display(),
                "dato": kort_dato(d.aktivitet.dato),
                "tid": d.aktivitet.starttid.strftime("%H:%M"),
                "bruger": d.aktivitet.aflyst_af,
                "begrundelse": forkort(d.aktivitet.aflysningsgrund),
            },
            aktivitet_link(d, bruger=bruger),
            orden=RETTELSE_ORDEN,
        )
        for d in deltagelser
        if d.aktivitet.aflyst is not None
    ]
