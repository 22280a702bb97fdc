"""A citizen's case timeline: every step of the case, newest first, and what needs doing next.

One query per kind of row (each with the `select_related` its text needs), thirteen however long
the case; each kind of entry is then written by its own small `_poster_<art>` function, and the
entries are merged and sorted in Python. Corrections (a withdrawn referral, a reassigned case, an
undone phase change, a reopened discharge, a cancelled session) are entries of their own, with who
made them, when and why: the history keeps the mistake and its correction.

`oversigt` may read every app (STYLE.md): nothing here writes.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from borgere.models import Borger, Dokument, Journalnotat
from forloeb.models import (
    Deltagelse,
    Fase,
    Faseforlaengelse,
    Forloeb,
    Forloebsrettelse,
    Opfoelgning,
)
from laan.models import Laan, Sagsgang
from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Notifikation
from mikrolaan.tekst import kort_dato, kroner
from visitation.models import Henvisning, Henvisningsrettelse, Underskrift

# A follow-up is flagged on "what's next" this many days before it falls due.
OPFOELGNING_VARSEL_DAGE = 30
# Short texts on the timeline: the entry links to the whole thing.
KORT_TEKST = 120


class Art:
    """The kinds of timeline entries: a key for the template and a Danish label."""

    HENVISNING = "henvisning"
    VISITATION = "visitation"
    UNDERSKRIFT = "underskrift"
    AFGOERELSE = "afgoerelse"
    INDSKRIVNING = "indskrivning"
    FASE = "fase"
    FORLAENGELSE = "forlaengelse"
    OVERGANGSVURDERING = "overgangsvurdering"
    AKTIVITET = "aktivitet"
    JOURNALNOTAT = "journalnotat"
    DOKUMENT = "dokument"
    UDSKRIVNING = "udskrivning"
    OPFOELGNING = "opfoelgning"
    LAAN = "laan"
    NOTIFIKATION = "notifikation"
    # Corrections, each with who, when and why.
    TILBAGETRUKKET = "tilbagetrukket"
    FJERNET_FRA_VENTELISTE = "fjernet_fra_venteliste"
    OMFORDELING = "omfordeling"
    FASESKIFT_FORTRUDT = "faseskift_fortrudt"
    UDSKRIVNING_ANNULLERET = "udskrivning_annulleret"
    AFLYSNING = "aflysning"

    @staticmethod
    def navn(art: str) -> str:
        return {
            Art.HENVISNING: _("Henvisning"),
            Art.VISITATION: _("Visitationsmøde"),
            Art.UNDERSKRIFT: _("Underskrift"),
            Art.AFGOERELSE: _("Afgørelse"),
            Art.INDSKRIVNING: _("Indskrivning"),
            Art.FASE: _("Fase"),
            Art.FORLAENGELSE: _("Forlængelse"),
            Art.OVERGANGSVURDERING: _("Overgangsvurdering"),
            Art.AKTIVITET: _("Aktivitet"),
            Art.JOURNALNOTAT: _("Journalnotat"),
            Art.DOKUMENT: _("Dokument"),
            Art.UDSKRIVNING: _("Udskrivning"),
            Art.OPFOELGNING: _("Opfølgning"),
            Art.LAAN: _("Mikrolån"),
            Art.NOTIFIKATION: _("Notifikation"),
            Art.TILBAGETRUKKET: _("Tilbagetrukket"),
            Art.FJERNET_FRA_VENTELISTE: _("Fjernet fra venteliste"),
            Art.OMFORDELING: _("Omfordeling"),
            Art.FASESKIFT_FORTRUDT: _("Fortrudt faseskift"),
            Art.UDSKRIVNING_ANNULLERET: _("Annulleret udskrivning"),
            Art.AFLYSNING: _("Aflysning"),
        }[art]


@dataclass(frozen=True)
class Post:
    """One entry on the timeline."""

    dato: datetime.date
    # The time of day when it is known (a signature, a note); None for date-only events.
    klokken: datetime.time | None
    art: str
    tekst: str
    link: str
    # Breaks ties between entries at the same moment: later steps of the case sort as later.
    orden: int = 0

    @property
    def art_navn(self) -> str:
        return Art.navn(self.art)

    @property
    def sortering(self) -> tuple:
        return (self.dato, self.klokken or datetime.time.min, self.orden)


@dataclass(frozen=True)
class Naeste:
    """One thing that needs doing, for the top of the timeline."""

    # Bootstrap contextual class: "danger" (overdue), "warning" (due now), "info" (coming up).
    niveau: str
    tekst: str
    link: str

    @property
    def vigtighed(self) -> int:
        return {"danger": 0, "warning": 1, "info": 2}[self.niveau]


@dataclass
class Tidslinje:
    poster: list[Post] = field(default_factory=list)
    naeste: list[Naeste] = field(default_factory=list)


@dataclass(frozen=True)
class _Sagen:
    """The case's rows the user may see: one query each."""

    henvisninger: list[Henvisning]
    underskrifter: list[Underskrift]
    forloeb: list[Forloeb]
    faser: list[Fase]
    forlaengelser: list[Faseforlaengelse]
    deltagelser: list[Deltagelse]
    notater: list[Journalnotat]
    dokumenter: list[Dokument]
    opfoelgninger: list[Opfoelgning]
    sagsgange: list[Sagsgang]
    notifikationer: list[Notifikation]
    henvisningsrettelser: list[Henvisningsrettelse]
    forloebsrettelser: list[Forloebsrettelse]


def tidslinje(*, borger: Borger, bruger: Bruger) -> Tidslinje:
    """The whole case of one citizen, newest first, and what needs doing next.

    `borger` has already been checked visible to `bruger`. The referrals and programmes are read
    through `synlige_for` too, so a provider sees only its own programmes of a citizen who was also
    referred elsewhere; notes and documents are the citizen's (as on the citizen page).
    Queries: referrals, signatures, programmes, phases, extensions, attendance (with the sessions'
    cancellations), notes, documents, follow-ups, loan moves, notifications, the referrals'
    corrections, the programmes' corrections — thirteen, however long the case.
    """
    sagen = _hent_sagen(borger=borger, bruger=bruger)
    # The order of the kinds matters only for entries at the very same moment and `orden` (the
    # sort is stable): it is the order the case happens in.
    poster = [
        *_poster_henvisninger(sagen.henvisninger),
        *_poster_underskrifter(sagen.underskrifter),
        *_poster_forloeb(sagen.forloeb),
        *_poster_faser(sagen.faser, sagen.forloeb),
        *_poster_forlaengelser(sagen.forlaengelser),
        *_poster_deltagelser(sagen.deltagelser, bruger=bruger),
        *_poster_notater(sagen.notater, borger=borger),
        *_poster_dokumenter(sagen.dokumenter, borger=borger),
        *_poster_opfoelgninger(sagen.opfoelgninger),
        *_poster_laan(sagen.sagsgange),
        *_poster_tilbagetrukne(sagen.henvisningsrettelser),
        *_poster_fjernet_fra_venteliste(sagen.henvisningsrettelser),
        *_poster_omfordelinger(sagen.henvisningsrettelser, sagen.forloebsrettelser),
        *_poster_faseskift_fortrudt(sagen.forloebsrettelser),
        *_poster_udskrivninger_annulleret(sagen.forloebsrettelser),
        *_poster_aflysninger(sagen.deltagelser, bruger=bruger),
        *_poster_notifikationer(sagen.notifikationer),
    ]
    poster.sort(key=lambda p: p.sortering, reverse=True)
    idag = timezone.localdate()
    naeste = [
        *_naeste_henvisninger(sagen.henvisninger, sagen.underskrifter, bruger=bruger),
        *_naeste_faser(sagen.faser, sagen.forloeb, idag=idag),
        *_naeste_opfoelgninger(sagen.opfoelgninger, idag=idag),
        *_naeste_laan(sagen.sagsgange),
    ]
    naeste.sort(key=lambda n: n.vigtighed)
    return Tidslinje(poster=poster, naeste=naeste)


def _hent_sagen(*, borger: Borger, bruger: Bruger) -> _Sagen:
    henvisninger_qs = Henvisning.objects.synlige_for(bruger).filter(borger=borger)
    forloeb_qs = Forloeb.objects.synlige_for(bruger).filter(borger=borger)
    henvisninger = list(
        henvisninger_qs.select_related(
            "pladsaftale__leverandoer", "jobcenter", "oprettet_af", "visitation"
        )
    )
    forloeb = list(forloeb_qs.select_related("pladsaftale", "udskrivning", "overgangsvurdering"))
    # The loans through their own scoping, never through the programme's reverse relation: a loan
    # is seen by the organisations taking part in it (Laan.DELTAGENDE_ORGANISATIONER), and another
    # provider that also sees the citizen must not see this provider's loans.
    laan_qs = Laan.objects.synlige_for(bruger).filter(forloeb__borger=borger)
    sagsgange = list(Sagsgang.objects.filter(laan__in=laan_qs).select_related("laan", "udfoert_af"))
    return _Sagen(
        henvisninger=henvisninger,
        underskrifter=list(
            Underskrift.objects.filter(visitation__henvisning__in=henvisninger_qs).select_related(
                "organisation", "bruger", "visitation"
            )
        ),
        forloeb=forloeb,
        faser=list(Fase.objects.filter(forloeb__in=forloeb_qs)),
        forlaengelser=list(
            Faseforlaengelse.objects.filter(fase__forloeb__in=forloeb_qs).select_related("fase")
        ),
        deltagelser=list(
            Deltagelse.objects.filter(forloeb__in=forloeb_qs).select_related(
                "aktivitet__medarbejder", "aktivitet__aflyst_af"
            )
        ),
        notater=list(Journalnotat.objects.for_borger(borger)),
        dokumenter=list(Dokument.objects.filter(borger=borger).select_related("uploadet_af")),
        opfoelgninger=list(Opfoelgning.objects.filter(forloeb__in=forloeb_qs)),
        sagsgange=sagsgange,
        notifikationer=list(
            _sagens_notifikationer(
                bruger=bruger,
                borger=borger,
                henvisninger=henvisninger,
                forloeb=forloeb,
                laan_ids={g.laan_id for g in sagsgange},
            )
        ),
        # The corrections through their own scoping (the referral's and the programme's
        # organisations), never through a reverse relation: a provider that also sees the citizen
        # does not see another provider's referral or programme corrected.
        henvisningsrettelser=list(
            Henvisningsrettelse.objects.synlige_for(bruger)
            .filter(henvisning__borger=borger)
            .select_related(
                "henvisning__pladsaftale", "udfoert_af", "fra_sagsbehandler", "til_sagsbehandler"
            )
        ),
        forloebsrettelser=list(
            Forloebsrettelse.objects.synlige_for(bruger)
            .filter(forloeb__borger=borger)
            .select_related(
                "overgangsvurdering",
                "udskrivning",
                "udfoert_af",
                "fra_medarbejder",
                "til_medarbejder",
            )
        ),
    )


def _sagens_notifikationer(*, bruger, borger, henvisninger, forloeb, laan_ids) -> QuerySet:
    """The user's own notifications whose link points at one of this citizen's pages.

    A link is a path inside Mikrolån; matching by prefix with the trailing slash keeps
    "/borgere/1/" from matching "/borgere/12/".
    """
    stier = [
        reverse("borgere:detalje", args=[borger.pk]),
        reverse("oversigt:tidslinje", args=[borger.pk]),
        *(_henvisning_url(h.pk) for h in henvisninger),
        *(_forloeb_url(f.pk) for f in forloeb),
        *(_laan_url(pk) for pk in sorted(laan_ids)),
    ]
    betingelse = Q()
    for sti in stier:
        betingelse |= Q(link__startswith=sti)
    return Notifikation.objects.til(bruger).filter(betingelse)


# --- Small helpers ----------------------------------------------------------------------------


def _henvisning_url(henvisning_id: int) -> str:
    return reverse("visitation:detalje", args=[henvisning_id])


def _forloeb_url(forloeb_id: int) -> str:
    return reverse("forloeb:detalje", args=[forloeb_id])


def _laan_url(laan_id: int) -> str:
    return reverse("laan:detalje", args=[laan_id])


def _aktivitet_link(deltagelse: Deltagelse, *, bruger: Bruger) -> str:
    """The session page is the running organisation's (its staff); others see the programme."""
    if deltagelse.aktivitet.organisation_id == bruger.organisation_id:
        return reverse("forloeb:aktivitet", args=[deltagelse.aktivitet_id])
    return _forloeb_url(deltagelse.forloeb_id)


def _lokal(tidspunkt: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(tidspunkt)


def _kort(tekst: str) -> str:
    return Truncator(" ".join(tekst.split())).chars(KORT_TEKST)


def _dage(antal: int) -> str:
    return ngettext("%(antal)d dag", "%(antal)d dage", antal) % {"antal": antal}


def _post_tidspunkt(art, tidspunkt: datetime.datetime, tekst, link, orden=0) -> Post:
    lokal = _lokal(tidspunkt)
    return Post(lokal.date(), lokal.time(), art, tekst, link, orden)


def _post_dato(art, dato, tekst, link, orden=0, *, registreret=None) -> Post:
    """A date-only event; `registreret` (when it was recorded) gives its time if the same day."""
    klokken = None
    if registreret is not None and _lokal(registreret).date() == dato:
        klokken = _lokal(registreret).time()
    return Post(dato, klokken, art, tekst, link, orden)


# --- The entries, one function per kind -------------------------------------------------------


def _poster_henvisninger(henvisninger: list[Henvisning]) -> list[Post]:
    """Each referral, its joint visitation meeting and the decision."""
    poster = []
    for h in henvisninger:
        url = _henvisning_url(h.pk)
        poster.append(
            _post_tidspunkt(
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
            _post_dato(
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
                tekst += f" – {_kort(visitation.afvisningsgrund)}"
            poster.append(_post_tidspunkt(Art.AFGOERELSE, visitation.afgjort, tekst, url, orden=3))
    return poster


def _poster_underskrifter(underskrifter: list[Underskrift]) -> list[Post]:
    return [
        _post_tidspunkt(
            Art.UNDERSKRIFT,
            u.tidspunkt,
            _("Underskrevet for %(organisation)s af %(bruger)s")
            % {"organisation": u.organisation, "bruger": u.bruger},
            _henvisning_url(u.visitation.henvisning_id),
            orden=2,
        )
        for u in underskrifter
    ]


def _poster_forloeb(forloeb: list[Forloeb]) -> list[Post]:
    """Each programme's admission, transition assessment and discharge."""
    poster = []
    for f in forloeb:
        url = _forloeb_url(f.pk)
        poster.append(
            _post_dato(
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
                _post_tidspunkt(
                    Art.OVERGANGSVURDERING,
                    vurdering.vurderet,
                    _("Vurderet til overgang til hovedforløbet: %(anbefaling)s")
                    % {"anbefaling": _kort(vurdering.anbefaling)},
                    url,
                )
            )
        udskrivning = getattr(f, "udskrivning", None)
        if udskrivning is not None:
            poster.append(
                _post_dato(
                    Art.UDSKRIVNING,
                    udskrivning.dato,
                    _("Udskrevet: %(aarsag)s") % {"aarsag": udskrivning.get_aarsag_display()},
                    url,
                    orden=7,
                    registreret=udskrivning.oprettet,
                )
            )
    return poster


def _poster_faser(faser: list[Fase], forloeb: list[Forloeb]) -> list[Post]:
    """Each phase's actual start and end."""
    indskrevet = {f.pk: f.oprettet for f in forloeb}
    poster = []
    for fase in faser:
        url = _forloeb_url(fase.forloeb_id)
        vaerdier = {"fase": fase.get_type_display(), "slut": kort_dato(fase.planlagt_slut)}
        if fase.faktisk_start:
            poster.append(
                _post_dato(
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
                _post_dato(
                    Art.FASE,
                    fase.faktisk_slut,
                    _("%(fase)s afsluttet (planlagt slut %(slut)s)") % vaerdier,
                    url,
                    orden=6,
                )
            )
    return poster


def _poster_forlaengelser(forlaengelser: list[Faseforlaengelse]) -> list[Post]:
    return [
        _post_tidspunkt(
            Art.FORLAENGELSE,
            forlaengelse.oprettet,
            _("%(fase)s forlænget fra %(fra)s til %(til)s: %(begrundelse)s")
            % {
                "fase": forlaengelse.fase.get_type_display(),
                "fra": kort_dato(forlaengelse.tidligere_slut),
                "til": kort_dato(forlaengelse.ny_slut),
                "begrundelse": _kort(forlaengelse.begrundelse),
            },
            _forloeb_url(forlaengelse.fase.forloeb_id),
        )
        for forlaengelse in forlaengelser
    ]


def _poster_deltagelser(deltagelser: list[Deltagelse], *, bruger: Bruger) -> list[Post]:
    poster = []
    for d in deltagelser:
        aktivitet = d.aktivitet
        link = _aktivitet_link(d, bruger=bruger)
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


def _poster_notater(notater: list[Journalnotat], *, borger: Borger) -> list[Post]:
    borger_url = reverse("borgere:detalje", args=[borger.pk])
    poster = []
    for notat in notater:
        tekst = _kort(notat.tekst)
        if notat.retter_id:
            tekst = _("Rettelse: %(tekst)s") % {"tekst": tekst}
        poster.append(
            _post_tidspunkt(
                Art.JOURNALNOTAT,
                notat.oprettet,
                f"{tekst} ({notat.forfatter})",
                f"{borger_url}#notat-{notat.pk}",
            )
        )
    return poster


def _poster_dokumenter(dokumenter: list[Dokument], *, borger: Borger) -> list[Post]:
    link = reverse("borgere:detalje", args=[borger.pk]) + "#dokumenter"
    return [
        _post_tidspunkt(
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


def _poster_opfoelgninger(opfoelgninger: list[Opfoelgning]) -> list[Post]:
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
            _post_tidspunkt(
                Art.OPFOELGNING,
                o.registreret,
                _("Opfølgning %(maaneder)d måneder efter udskrivning: %(resultat)s")
                % {"maaneder": o.maaneder, "resultat": resultat},
                _forloeb_url(o.forloeb_id),
            )
        )
    return poster


def _laan_tekst(gang: Sagsgang) -> str:
    """One move of a loan in words: what happened to how much, by whom, and why."""
    S = Laan.Status
    vaerdier = {
        "beloeb": kroner(gang.laan.beloeb),
        "bruger": gang.udfoert_af,
        "begrundelse": _kort(gang.begrundelse),
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


def _poster_laan(sagsgange: list[Sagsgang]) -> list[Post]:
    """Each move of each loan (application, decision, undo, disbursement, repaid, written off).

    The disbursement is dated by its disbursement date (registered at the move's moment when that
    is the same day); every other move by its moment."""
    poster = []
    for gang in sagsgange:
        link = _laan_url(gang.laan_id)
        tekst = _laan_tekst(gang)
        if gang.til_status == Laan.Status.UDBETALT and gang.fra_status == Laan.Status.BEVILGET:
            poster.append(
                _post_dato(
                    Art.LAAN,
                    gang.laan.udbetalt_dato,
                    tekst,
                    link,
                    orden=8,
                    registreret=gang.tidspunkt,
                )
            )
        else:
            poster.append(_post_tidspunkt(Art.LAAN, gang.tidspunkt, tekst, link, orden=8))
    return poster


# --- Corrections: who, when and why -----------------------------------------------------------
# A correction comes after the step it corrects and before the notification about it (`orden`),
# should they share a moment.
RETTELSE_ORDEN = 8


def _poster_tilbagetrukne(rettelser: list[Henvisningsrettelse]) -> list[Post]:
    """Referrals withdrawn by the jobcenter."""
    return [
        _post_tidspunkt(
            Art.TILBAGETRUKKET,
            r.tidspunkt,
            _("Henvisningen til %(aftale)s er trukket tilbage af %(bruger)s: %(begrundelse)s")
            % {
                "aftale": r.henvisning.pladsaftale.navn,
                "bruger": r.udfoert_af,
                "begrundelse": _kort(r.begrundelse),
            },
            _henvisning_url(r.henvisning_id),
            orden=RETTELSE_ORDEN,
        )
        for r in rettelser
        if r.handling == Henvisningsrettelse.Handling.TILBAGETRUKKET
    ]


def _poster_fjernet_fra_venteliste(rettelser: list[Henvisningsrettelse]) -> list[Post]:
    return [
        _post_tidspunkt(
            Art.FJERNET_FRA_VENTELISTE,
            r.tidspunkt,
            _("Fjernet fra ventelisten til %(aftale)s af %(bruger)s: %(begrundelse)s")
            % {
                "aftale": r.henvisning.pladsaftale.navn,
                "bruger": r.udfoert_af,
                "begrundelse": _kort(r.begrundelse),
            },
            _henvisning_url(r.henvisning_id),
            orden=RETTELSE_ORDEN,
        )
        for r in rettelser
        if r.handling == Henvisningsrettelse.Handling.FJERNET_FRA_VENTELISTE
    ]


def _poster_omfordelinger(
    henvisningsrettelser: list[Henvisningsrettelse], forloebsrettelser: list[Forloebsrettelse]
) -> list[Post]:
    """The case handed to another caseworker, the programme to another course staff member."""
    poster = [
        _post_tidspunkt(
            Art.OMFORDELING,
            r.tidspunkt,
            _("Sagen er omfordelt fra %(fra)s til %(til)s af %(bruger)s: %(begrundelse)s")
            % {
                "fra": r.fra_sagsbehandler,
                "til": r.til_sagsbehandler,
                "bruger": r.udfoert_af,
                "begrundelse": _kort(r.begrundelse),
            },
            _henvisning_url(r.henvisning_id),
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
            "begrundelse": _kort(r.begrundelse),
        }
        if r.fra_medarbejder_id is None:
            # A programme admitted without a responsible course staff member gets its first.
            tekst = _("Forløbet er overdraget til %(til)s af %(bruger)s: %(begrundelse)s")
        else:
            tekst = _(
                "Forløbet er omfordelt fra %(fra)s til %(til)s af %(bruger)s: %(begrundelse)s"
            )
        poster.append(
            _post_tidspunkt(
                Art.OMFORDELING,
                r.tidspunkt,
                tekst % vaerdier,
                _forloeb_url(r.forloeb_id),
                orden=RETTELSE_ORDEN,
            )
        )
    return poster


def _poster_faseskift_fortrudt(rettelser: list[Forloebsrettelse]) -> list[Post]:
    """A move to the main phase undone. The move itself has left the phases (the qualifying phase
    is current again) and its assessment is annulled, so this entry says when it was made."""
    return [
        _post_tidspunkt(
            Art.FASESKIFT_FORTRUDT,
            r.tidspunkt,
            _(
                "Overgangen til hovedforløbet %(dato)s er fortrudt af %(bruger)s – tilbage i det "
                "opkvalificerende forløb: %(begrundelse)s"
            )
            % {
                "dato": kort_dato(_lokal(r.overgangsvurdering.vurderet).date()),
                "bruger": r.udfoert_af,
                "begrundelse": _kort(r.begrundelse),
            },
            _forloeb_url(r.forloeb_id),
            orden=RETTELSE_ORDEN,
        )
        for r in rettelser
        if r.handling == Forloebsrettelse.Handling.HOVEDFORLOEB_FORTRUDT
    ]


def _poster_udskrivninger_annulleret(rettelser: list[Forloebsrettelse]) -> list[Post]:
    """A discharge reopened as a mistake. The annulled discharge is no longer the programme's, so
    its date and reason are told here."""
    return [
        _post_tidspunkt(
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
                "begrundelse": _kort(r.begrundelse),
            },
            _forloeb_url(r.forloeb_id),
            orden=RETTELSE_ORDEN,
        )
        for r in rettelser
        if r.handling == Forloebsrettelse.Handling.UDSKRIVNING_ANNULLERET
    ]


def _poster_aflysninger(deltagelser: list[Deltagelse], *, bruger: Bruger) -> list[Post]:
    """Sessions cancelled, at the moment they were cancelled (the session itself stays at its own
    time, marked cancelled)."""
    return [
        _post_tidspunkt(
            Art.AFLYSNING,
            d.aktivitet.aflyst,
            _("%(type)s %(dato)s kl. %(tid)s er aflyst af %(bruger)s: %(begrundelse)s")
            % {
                "type": d.aktivitet.get_type_display(),
                "dato": kort_dato(d.aktivitet.dato),
                "tid": d.aktivitet.starttid.strftime("%H:%M"),
                "bruger": d.aktivitet.aflyst_af,
                "begrundelse": _kort(d.aktivitet.aflysningsgrund),
            },
            _aktivitet_link(d, bruger=bruger),
            orden=RETTELSE_ORDEN,
        )
        for d in deltagelser
        if d.aktivitet.aflyst is not None
    ]


def _poster_notifikationer(notifikationer: list[Notifikation]) -> list[Post]:
    return [
        _post_tidspunkt(
            Art.NOTIFIKATION,
            n.oprettet,
            n.emne,
            reverse("notifikationer:aabn", args=[n.pk]),
            # A notification reports an event of the same moment: it comes after it.
            orden=9,
        )
        for n in notifikationer
    ]


# --- What's next ------------------------------------------------------------------------------


def _naeste_laan(sagsgange: list[Sagsgang]) -> list[Naeste]:
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
        naeste.append(Naeste("info", tekst, _laan_url(pk)))
    return naeste


def _naeste_henvisninger(
    henvisninger: list[Henvisning], underskrifter: list[Underskrift], *, bruger: Bruger
) -> list[Naeste]:
    """A referral awaiting its visitation, a visitation awaiting signatures, a waiting list."""
    underskrevet: dict[int, set[int]] = {}
    for u in underskrifter:
        underskrevet.setdefault(u.visitation.henvisning_id, set()).add(u.organisation_id)
    naeste = []
    for h in henvisninger:
        url = _henvisning_url(h.pk)
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


def _naeste_faser(
    faser: list[Fase], forloeb: list[Forloeb], *, idag: datetime.date
) -> list[Naeste]:
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
            "dage": _dage(abs(dage)),
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
        naeste.append(Naeste(niveau, tekst, _forloeb_url(f.pk)))
    return naeste


def _naeste_opfoelgninger(opfoelgninger: list[Opfoelgning], *, idag: datetime.date) -> list[Naeste]:
    """Follow-ups overdue, due today, or due within OPFOELGNING_VARSEL_DAGE."""
    naeste = []
    for o in opfoelgninger:
        if o.registreret is not None:
            continue
        dage = (o.forfalder - idag).days
        vaerdier = {
            "maaneder": o.maaneder,
            "dato": kort_dato(o.forfalder),
            "dage": _dage(abs(dage)),
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
        naeste.append(Naeste(niveau, tekst, _forloeb_url(o.forloeb_id)))
    return naeste
