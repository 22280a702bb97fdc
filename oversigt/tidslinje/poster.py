"""The steps of a case as timeline entries, one function per kind of row.

Each function turns the rows `sagen.hent_sagen` read into entries; none of them queries.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from borgere.models import Borger, Dokument, Journalnotat
from forloeb.models import Deltagelse, Fase, Faseforlaengelse, Forloeb, Opfoelgning
from laan.models import Laan, Sagsgang
from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Notifikation
from mikrolaan.tekst import kort_dato, kroner
from visitation.models import Henvisning, Underskrift

from .faelles import (
    aktivitet_link,
    forkort,
    forloeb_url,
    henvisning_url,
    laan_url,
    post_dato,
    post_tidspunkt,
)
from .typer import Art, Post


def poster_henvisninger(henvisninger: list[Henvisning]) -> list[Post]:
    """Each referral, its joint visitation meeting and the decision."""
    poster = []
    for h in henvisninger:
        url = henvisning_url(h.pk)
        poster.append(
            post_tidspunkt(
                Art.HENVISNING,
                h.oprettet,
                _("Henvist til %(aftale)s af %(bruger)s (%(jobcenter)s)")
                % {"aftale": h.pladsaftale.navn, "bruger": h.oprettet_af, "jobcenter": h.jobcenter},
                url,
            )
        )
        visitation = getattr(h, "visitation", None)
        if visitation is None:
            continue
        poster.append(
            post_dato(
                Art.VISITATION,
                visitation.moededato,
                _("Fælles visitation – indstilling: %(beslutning)s")
                % {"beslutning": visitation.get_beslutning_display()},
                url,
                orden=1,
                registreret=visitation.oprettet,
            )
        )
        if visitation.afgjort:
            tekst = _("Visitationen er afgjort: %(beslutning)s") % {
                "beslutning": visitation.get_beslutning_display()
            }
            if visitation.afvisningsgrund:
                tekst += f" – {forkort(visitation.afvisningsgrund)}"
            poster.append(post_tidspunkt(Art.AFGOERELSE, visitation.afgjort, tekst, url, orden=3))
    return poster


def poster_underskrifter(underskrifter: list[Underskrift]) -> list[Post]:
    return [
        post_tidspunkt(
            Art.UNDERSKRIFT,
            u.tidspunkt,
            _("Underskrevet for %(organisation)s af %(bruger)s")
            % {"organisation": u.organisation, "bruger": u.bruger},
            henvisning_url(u.visitation.henvisning_id),
            orden=2,
        )
        for u in underskrifter
    ]


def poster_forloeb(forloeb: list[Forloeb]) -> list[Post]:
    """Each programme's admission, transition assessment and discharge."""
    poster = []
    for f in forloeb:
        url = forloeb_url(f.pk)
        poster.append(
            post_dato(
                Art.INDSKRIVNING,
                f.startdato,
                _("Indskrevet på %(aftale)s") % {"aftale": f.pladsaftale.navn},
                url,
                orden=4,
                registreret=f.oprettet,
            )
        )
        vurdering = getattr(f, "overgangsvurdering", None)
        if vurdering is not None:
            poster.append(
                post_tidspunkt(
                    Art.OVERGANGSVURDERING,
                    vurdering.vurderet,
                    _("Vurderet til overgang til hovedforløbet: %(anbefaling)s")
                    % {"anbefaling": forkort(vurdering.anbefaling)},
                    url,
                )
            )
        udskrivning = getattr(f, "udskrivning", None)
        if udskrivning is not None:
            poster.append(
                post_dato(
                    Art.UDSKRIVNING,
                    udskrivning.dato,
                    _("Udskrevet: %(aarsag)s") % {"aarsag": udskrivning.get_aarsag_display()},
                    url,
                    orden=7,
                    registreret=udskrivning.oprettet,
                )
            )
    return poster


def poster_faser(faser: list[Fase], forloeb: list[Forloeb]) -> list[Post]:
    """Each phase's actual start and end."""
    indskrevet = {f.pk: f.oprettet for f in forloeb}
    poster = []
    for fase in faser:
        url = forloeb_url(fase.forloeb_id)
        vaerdier = {"fase": fase.get_type_display(), "slut": kort_dato(fase.planlagt_slut)}
        if fase.faktisk_start:
            poster.append(
                post_dato(
                    Art.FASE,
                    fase.faktisk_start,
                    _("%(fase)s startet – planlagt slut %(slut)s") % vaerdier,
                    url,
                    orden=5,
                    # The qualifying phase starts with the admission: right after it that day.
                    registreret=indskrevet[fase.forloeb_id],
                )
            )
        if fase.faktisk_slut:
            poster.append(
                post_dato(
                    Art.FASE,
                    fase.faktisk_slut,
                    _("%(fase)s afsluttet (planlagt slut %(slut)s)") % vaerdier,
                    url,
                    orden=6,
                )
            )
    return poster


def poster_forlaengelser(forlaengelser: list[Faseforlaengelse]) -> list[Post]:
    return [
        post_tidspunkt(
            Art.FORLAENGELSE,
            forlaengelse.oprettet,
            _("%(fase)s forlænget fra %(fra)s til %(til)s: %(begrundelse)s")
            % {
                "fase": forlaengelse.fase.get_type_display(),
                "fra": kort_dato(forlaengelse.tidligere_slut),
                "til": kort_dato(forlaengelse.ny_slut),
                "begrundelse": forkort(forlaengelse.begrundelse),
            },
            forloeb_url(forlaengelse.fase.forloeb_id),
        )
        for forlaengelse in forlaengelser
    ]


def poster_deltagelser(deltagelser: list[Deltagelse], *, bruger: Bruger) -> list[Post]:
    poster = []
    for d in deltagelser:
        aktivitet = d.aktivitet
        link = aktivitet_link(d, bruger=bruger)
        poster.append(
            Post(
                aktivitet.dato,
                aktivitet.starttid,
                Art.AKTIVITET,
                _("%(type)s (%(form)s) med %(medarbejder)s – %(status)s")
                % {
                    "type": aktivitet.get_type_display(),
                    "form": aktivitet.get_form_display().lower(),
                    "medarbejder": aktivitet.medarbejder,
                    # A cancelled session stays on the timeline, without an attendance.
                    "status": _("aflyst") if aktivitet.aflyst else d.get_status_display().lower(),
                },
                link,
            )
        )
    return poster


def poster_notater(notater: list[Journalnotat], *, borger: Borger) -> list[Post]:
    borger_url = reverse("borgere:detalje", args=[borger.pk])
    poster = []
    for notat in notater:
        tekst = forkort(notat.tekst)
        if notat.retter_id:
            tekst = _("Rettelse: %(tekst)s") % {"tekst": tekst}
        poster.append(
            post_tidspunkt(
                Art.JOURNALNOTAT,
                notat.oprettet,
                f"{tekst} ({notat.forfatter})",
                f"{borger_url}#notat-{notat.pk}",
            )
        )
    return poster


def poster_dokumenter(dokumenter: list[Dokument], *, borger: Borger) -> list[Post]:
    link = reverse("borgere:detalje", args=[borger.pk]) + "#dokumenter"
    return [
        post_tidspunkt(
            Art.DOKUMENT,
            dokument.uploadet,
            _("%(fil)s (%(type)s) uploadet af %(bruger)s")
            % {
                "fil": dokument.filnavn,
                "type": dokument.get_type_display().lower(),
                "bruger": dokument.uploadet_af,
            },
            link,
        )
        for dokument in dokumenter
    ]


def poster_opfoelgninger(opfoelgninger: list[Opfoelgning]) -> list[Post]:
    """The registered follow-ups (the ones still due are on "what's next")."""
    poster = []
    for o in opfoelgninger:
        if o.registreret is None:
            continue
        if o.selvforsoergende is None:
            resultat = _("registreret")
        elif o.selvforsoergende:
            resultat = _("selvforsørgende")
        else:
            resultat = _("ikke selvforsørgende")
        poster.append(
            post_tidspunkt(
                Art.OPFOELGNING,
                o.registreret,
                _("Opfølgning %(maaneder)d måneder efter udskrivning: %(resultat)s")
                % {"maaneder": o.maaneder, "resultat": resultat},
                forloeb_url(o.forloeb_id),
            )
        )
    return poster


def laan_tekst(gang: Sagsgang) -> str:
    """One move of a loan in words: what happened to how much, by whom, and why."""
    S = Laan.Status
    vaerdier = {
        "beloeb": kroner(gang.laan.beloeb),
        "bruger": gang.udfoert_af,
        "begrundelse": forkort(gang.begrundelse),
    }
    if gang.fra_status == S.BEVILGET and gang.til_status == S.ANSOEGT:
        tekst = _("Bevillingen af mikrolånet på %(beloeb)s er fortrudt af %(bruger)s") % vaerdier
    elif gang.fra_status == S.INDFRIET and gang.til_status == S.UDBETALT:
        tekst = _("Mikrolånet på %(beloeb)s er åbnet igen af %(bruger)s") % vaerdier
    else:
        tekst = {
            S.ANSOEGT: _("Ansøgning om mikrolån på %(beloeb)s registreret af %(bruger)s"),
            S.BEVILGET: _("Mikrolån på %(beloeb)s bevilget af %(bruger)s"),
            S.AFSLAAET: _("Ansøgning om mikrolån på %(beloeb)s afslået af %(bruger)s"),
            S.TILBAGETRUKKET: _(
                "Ansøgning om mikrolån på %(beloeb)s trukket tilbage af %(bruger)s"
            ),
            S.UDBETALT: _("Mikrolån på %(beloeb)s udbetalt (registreret af %(bruger)s)"),
            S.INDFRIET: _("Mikrolånet på %(beloeb)s er indfriet (registreret af %(bruger)s)"),
            S.AFSKREVET: _("Restgælden på mikrolånet på %(beloeb)s afskrevet af %(bruger)s"),
        }[gang.til_status] % vaerdier
    if gang.begrundelse and gang.til_status != S.INDFRIET:
        tekst += f": {vaerdier['begrundelse']}"
    return tekst


def poster_laan(sagsgange: list[Sagsgang]) -> list[Post]:
    """Each move of each loan (application, decision, undo, disbursement, repaid, written off).

    The disbursement is dated by its disbursement date (registered at the move's moment when that
    is the same day); every other move by its moment."""
    poster = []
    for gang in sagsgange:
        link = laan_url(gang.laan_id)
        tekst = laan_tekst(gang)
        if gang.til_status == Laan.Status.UDBETALT and gang.fra_status == Laan.Status.BEVILGET:
            poster.append(
                post_dato(
                    Art.LAAN,
                    gang.laan.udbetalt_dato,
                    tekst,
                    link,
                    orden=8,
                    registreret=gang.tidspunkt,
                )
            )
        else:
            poster.append(post_tidspunkt(Art.LAAN, gang.tidspunkt, tekst, link, orden=8))
    return poster


def poster_notifikationer(notifikationer: list[Notifikation]) -> list[Post]:
    return [
        post_tidspunkt(
            Art.NOTIFIKATION,
            n.oprettet,
            n.emne,
            reverse("notifikationer:aabn", args=[n.pk]),
            # A notification reports an event of the same moment: it comes after it.
            orden=9,
        )
        for n in notifikationer
    ]
