"""Reads for the overview pages: a citizen's case timeline, the work lists, and the Erhvervschef's
intake and discharge overview.

Each page runs a fixed number of queries, whatever the number of rows: the timeline one query per
kind of entry (each with the `select_related` its text needs), merged and sorted in Python; a work
list one count and one page; the overview one query each for agreements, intakes and discharges.

`oversigt` may read every app (STYLE.md): nothing here writes.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Lower
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from borgere.models import Borger, Dokument, Journalnotat
from forloeb.models import (
    RISIKO_FREMMOEDE,
    RISIKO_MINDST_REGISTRERET,
    Deltagelse,
    Fase,
    Faseforlaengelse,
    Forloeb,
    Opfoelgning,
    Udskrivning,
)
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.notifikationer.models import Notifikation
from mikrolaan.tekst import kort_dato
from visitation.models import Henvisning, Pladsaftale, Underskrift

# A follow-up is flagged on "what's next" this many days before it falls due.
OPFOELGNING_VARSEL_DAGE = 30
# Short texts on the timeline: the entry links to the whole thing.
KORT_TEKST = 120


def _lokal(tidspunkt: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(tidspunkt)


def _kort(tekst: str) -> str:
    return Truncator(" ".join(tekst.split())).chars(KORT_TEKST)


def _url(navn: str, *args, anker: str = "") -> str | None:
    try:
        return reverse(navn, args=args) + anker
    except NoReverseMatch:
        return None


def _forloeb_url(forloeb_id: int, borger_id: int) -> str:
    # The programme page belongs to the lifecycle work; until it exists, the citizen's case
    # section is the place that shows the programme.
    return (
        _url("forloeb:detalje", forloeb_id) or reverse("borgere:detalje", args=[borger_id]) + "#sag"
    )


def _dage(antal: int) -> str:
    return ngettext("%(antal)d dag", "%(antal)d dage", antal) % {"antal": antal}


# --- The case timeline ------------------------------------------------------------------------


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
    NOTIFIKATION = "notifikation"

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
            Art.NOTIFIKATION: _("Notifikation"),
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


def _post_tidspunkt(art, tidspunkt: datetime.datetime, tekst, link, orden=0) -> Post:
    lokal = _lokal(tidspunkt)
    return Post(lokal.date(), lokal.time(), art, tekst, link, orden)


def _post_dato(art, dato, tekst, link, orden=0, *, registreret=None) -> Post:
    """A date-only event; `registreret` (when it was recorded) gives its time if the same day."""
    klokken = None
    if registreret is not None and _lokal(registreret).date() == dato:
        klokken = _lokal(registreret).time()
    return Post(dato, klokken, art, tekst, link, orden)


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


def tidslinje(*, borger: Borger, bruger: Bruger) -> Tidslinje:
    """The whole case of one citizen, newest first, and what needs doing next.

    `borger` has already been checked visible to `bruger`. The referrals and programmes are read
    through `synlige_for` too, so a provider sees only its own programmes of a citizen who was also
    referred elsewhere; notes and documents are the citizen's (as on the citizen page).
    Queries: referrals, signatures, programmes, phases, extensions, attendance, notes, documents,
    follow-ups, notifications — ten, however long the case.
    """
    idag = timezone.localdate()
    henvisninger_qs = Henvisning.objects.synlige_for(bruger).filter(borger=borger)
    forloeb_qs = Forloeb.objects.synlige_for(bruger).filter(borger=borger)

    henvisninger = list(
        henvisninger_qs.select_related(
            "pladsaftale__leverandoer", "jobcenter", "oprettet_af", "visitation"
        )
    )
    underskrifter = list(
        Underskrift.objects.filter(visitation__henvisning__in=henvisninger_qs).select_related(
            "organisation", "bruger", "visitation"
        )
    )
    forloeb = list(forloeb_qs.select_related("pladsaftale", "udskrivning", "overgangsvurdering"))
    faser = list(Fase.objects.filter(forloeb__in=forloeb_qs))
    forlaengelser = list(
        Faseforlaengelse.objects.filter(fase__forloeb__in=forloeb_qs).select_related("fase")
    )
    deltagelser = list(
        Deltagelse.objects.filter(forloeb__in=forloeb_qs).select_related("aktivitet__medarbejder")
    )
    notater = list(Journalnotat.objects.for_borger(borger))
    dokumenter = list(Dokument.objects.filter(borger=borger).select_related("uploadet_af"))
    opfoelgninger = list(Opfoelgning.objects.filter(forloeb__in=forloeb_qs))
    notifikationer = list(
        _sagens_notifikationer(
            bruger=bruger, borger=borger, henvisninger=henvisninger, forloeb=forloeb
        )
    )

    poster: list[Post] = []
    borger_url = reverse("borgere:detalje", args=[borger.pk])
    forloeb_url = {f.pk: _forloeb_url(f.pk, borger.pk) for f in forloeb}

    for h in henvisninger:
        url = reverse("visitation:detalje", args=[h.pk])
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

    henvisning_url = {h.pk: reverse("visitation:detalje", args=[h.pk]) for h in henvisninger}
    for u in underskrifter:
        poster.append(
            _post_tidspunkt(
                Art.UNDERSKRIFT,
                u.tidspunkt,
                _("Underskrevet for %(organisation)s af %(bruger)s")
                % {"organisation": u.organisation, "bruger": u.bruger},
                henvisning_url[u.visitation.henvisning_id],
                orden=2,
            )
        )

    for f in forloeb:
        url = forloeb_url[f.pk]
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

    indskrevet = {f.pk: f.oprettet for f in forloeb}
    for fase in faser:
        url = forloeb_url[fase.forloeb_id]
        if fase.faktisk_start:
            poster.append(
                _post_dato(
                    Art.FASE,
                    fase.faktisk_start,
                    _("%(fase)s startet – planlagt slut %(slut)s")
                    % {"fase": fase.get_type_display(), "slut": kort_dato(fase.planlagt_slut)},
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
                    _("%(fase)s afsluttet (planlagt slut %(slut)s)")
                    % {"fase": fase.get_type_display(), "slut": kort_dato(fase.planlagt_slut)},
                    url,
                    orden=6,
                )
            )

    fase_forloeb = {fase.pk: fase.forloeb_id for fase in faser}
    for forlaengelse in forlaengelser:
        poster.append(
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
                forloeb_url[fase_forloeb[forlaengelse.fase_id]],
            )
        )

    for d in deltagelser:
        aktivitet = d.aktivitet
        # The session page is the running organisation's (its staff); others see the programme.
        link = None
        if aktivitet.organisation_id == bruger.organisation_id:
            link = _url("forloeb:aktivitet", aktivitet.pk)
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
                    "status": d.get_status_display().lower(),
                },
                link or forloeb_url[d.forloeb_id],
            )
        )

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

    for dokument in dokumenter:
        poster.append(
            _post_tidspunkt(
                Art.DOKUMENT,
                dokument.uploadet,
                _("%(fil)s (%(type)s) uploadet af %(bruger)s")
                % {
                    "fil": dokument.filnavn,
                    "type": dokument.get_type_display().lower(),
                    "bruger": dokument.uploadet_af,
                },
                f"{borger_url}#dokumenter",
            )
        )

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
                forloeb_url[o.forloeb_id],
            )
        )

    for n in notifikationer:
        poster.append(
            _post_tidspunkt(
                Art.NOTIFIKATION,
                n.oprettet,
                n.emne,
                reverse("notifikationer:aabn", args=[n.pk]),
                # A notification reports an event of the same moment: it comes after it.
                orden=9,
            )
        )

    poster.sort(key=lambda p: p.sortering, reverse=True)
    naeste = _naeste(
        bruger=bruger,
        idag=idag,
        henvisninger=henvisninger,
        underskrifter=underskrifter,
        forloeb=forloeb,
        faser=faser,
        opfoelgninger=opfoelgninger,
        forloeb_url=forloeb_url,
    )
    return Tidslinje(poster=poster, naeste=naeste)


def _sagens_notifikationer(*, bruger, borger, henvisninger, forloeb) -> QuerySet:
    """The user's own notifications whose link points at one of this citizen's pages.

    A link is a path inside Mikrolån; matching by prefix with the trailing slash keeps
    "/borgere/1/" from matching "/borgere/12/".
    """
    stier = [
        reverse("borgere:detalje", args=[borger.pk]),
        reverse("oversigt:tidslinje", args=[borger.pk]),
        *(reverse("visitation:detalje", args=[h.pk]) for h in henvisninger),
        *(url for f in forloeb if (url := _url("forloeb:detalje", f.pk))),
    ]
    betingelse = Q()
    for sti in stier:
        betingelse |= Q(link__startswith=sti)
    return Notifikation.objects.til(bruger).filter(betingelse)


def _naeste(
    *, bruger, idag, henvisninger, underskrifter, forloeb, faser, opfoelgninger, forloeb_url
) -> list[Naeste]:
    naeste: list[Naeste] = []

    underskrevet: dict[int, set[int]] = {}
    for u in underskrifter:
        underskrevet.setdefault(u.visitation.henvisning_id, set()).add(u.organisation_id)
    for h in henvisninger:
        url = reverse("visitation:detalje", args=[h.pk])
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

    aktive = {f.pk: f for f in forloeb if f.er_aktiv}
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
            naeste.append(
                Naeste(
                    "danger",
                    _("%(fase)s er overskredet: planlagt slut %(slut)s (for %(dage)s siden).")
                    % vaerdier,
                    forloeb_url[f.pk],
                )
            )
        elif dage == 0:
            naeste.append(
                Naeste("warning", _("%(fase)s slutter i dag.") % vaerdier, forloeb_url[f.pk])
            )
        else:
            naeste.append(
                Naeste(
                    "info",
                    _("%(fase)s slutter %(slut)s (om %(dage)s).") % vaerdier,
                    forloeb_url[f.pk],
                )
            )

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
        naeste.append(Naeste(niveau, tekst, forloeb_url[o.forloeb_id]))

    naeste.sort(key=lambda n: n.vigtighed)
    return naeste


# --- Work lists -------------------------------------------------------------------------------

# Sort keys of the work lists: URL value → ordering (ties broken by id, so pages are stable).
SORTERINGER = {
    "navn": [Lower("borger__fornavn"), Lower("borger__efternavn"), "id"],
    "-navn": [Lower("borger__fornavn").desc(), Lower("borger__efternavn").desc(), "-id"],
    "dage": [F("fase_slut").asc(nulls_last=True), "id"],
    "-dage": [F("fase_slut").desc(nulls_last=True), "-id"],
    "fremmoede": [F("fremmoede_andel").asc(nulls_last=True), "id"],
    "-fremmoede": [F("fremmoede_andel").desc(nulls_last=True), "-id"],
}
STANDARD_SORTERING = "dage"


class Status:
    AKTIVE = "aktive"
    AFSLUTTEDE = "afsluttede"
    ALLE = "alle"


def _arbejdsliste(
    qs: QuerySet,
    *,
    fase: str = "",
    i_risiko: bool = False,
    status: str = Status.AKTIVE,
    sorter: str = STANDARD_SORTERING,
) -> QuerySet:
    """Key figures, flags, filters and ordering shared by both work lists (still one query)."""
    idag = timezone.localdate()
    qs = (
        qs.med_noegletal()
        .annotate(
            # The share attended, for sorting and the at-risk filter (None before any session).
            fremmoede_andel=Case(
                When(antal_registreret=0, then=Value(None)),
                default=ExpressionWrapper(
                    Cast("antal_deltog", FloatField()) / Cast("antal_registreret", FloatField()),
                    output_field=FloatField(),
                ),
                output_field=FloatField(),
            ),
            opfoelgning_forfalden=Exists(
                Opfoelgning.objects.filter(
                    forloeb=OuterRef("pk"), registreret__isnull=True, forfalder__lte=idag
                )
            ),
        )
        .select_related("borger", "pladsaftale", "henvisning__oprettet_af")
    )
    if status == Status.AKTIVE:
        qs = qs.aktive()
    elif status == Status.AFSLUTTEDE:
        qs = qs.exclude(status__in=Forloeb.AKTIVE)
    if fase:
        qs = qs.filter(status=fase)
    if i_risiko:
        # The database's version of Forloeb.i_risiko, so the filter works before pagination.
        qs = qs.filter(
            Q(
                antal_registreret__gte=RISIKO_MINDST_REGISTRERET,
                fremmoede_andel__lt=RISIKO_FREMMOEDE,
            )
            | Q(status__in=Forloeb.AKTIVE, fase_slut__lt=idag)
        )
    return qs.order_by(*SORTERINGER.get(sorter, SORTERINGER[STANDARD_SORTERING]))


def mine_forloeb(*, bruger: Bruger, kun_mine: bool = False, **filtre) -> QuerySet:
    """Course staff's programmes: those at their organisation as provider; `kun_mine` keeps the
    ones with a session the user ran."""
    qs = Forloeb.objects.synlige_for(bruger).filter(
        pladsaftale__leverandoer_id=bruger.organisation_id
    )
    if kun_mine:
        # A subquery: a join to the sessions would also narrow the attendance counts.
        qs = qs.filter(
            pk__in=Deltagelse.objects.filter(aktivitet__medarbejder=bruger).values("forloeb_id")
        )
    return _arbejdsliste(qs, **filtre)


def mine_borgere(*, bruger: Bruger, hele_jobcentret: bool = False, **filtre) -> QuerySet:
    """A caseworker's programmes: those they referred, or their whole jobcenter's."""
    qs = Forloeb.objects.synlige_for(bruger)
    if hele_jobcentret:
        qs = qs.filter(henvisning__jobcenter_id=bruger.organisation_id)
    else:
        qs = qs.filter(henvisning__oprettet_af=bruger)
    return _arbejdsliste(qs, **filtre)


# --- The Erhvervschef's intake and discharge overview ----------------------------------------


@dataclass(frozen=True)
class Bevaegelse:
    """One intake or discharge: name-level only, never CPR, never notes."""

    dato: datetime.date
    navn: str
    pladsaftale: str
    aarsag: str = ""


@dataclass(frozen=True)
class Maaned:
    maaned: datetime.date  # the first of the month
    indskrevet: int
    udskrevet: int


@dataclass
class IndOgUdskrivning:
    fra: datetime.date
    til: datetime.date
    indskrivninger: list[Bevaegelse]
    udskrivninger: list[Bevaegelse]
    pr_maaned: list[Maaned]
    belaegning: list[dict]
    # The citizens named on the page, for the access log.
    borger_ids: list[int]

    @property
    def indskrevet_i_alt(self) -> int:
        return len(self.indskrivninger)

    @property
    def udskrevet_i_alt(self) -> int:
        return len(self.udskrivninger)


def overvaagede_aftaler(bruger: Bruger) -> QuerySet:
    """The place agreements the overview covers: those the Erhvervschef's organisation buys.

    An Administrator, who configures every agreement, sees them all.
    """
    if bruger.har_rolle(Rolle.ADMINISTRATOR):
        return Pladsaftale.objects.all()
    if bruger.har_rolle(Rolle.ERHVERVSCHEF) and bruger.organisation_id is not None:
        return Pladsaftale.objects.filter(koeber_id=bruger.organisation_id)
    return Pladsaftale.objects.none()


def belaegning(*, bruger: Bruger) -> list[dict]:
    """Each covered agreement's places bought vs. used and waiting-list length (one query)."""
    aftaler = list(
        overvaagede_aftaler(bruger)
        .med_belaegning()
        .order_by("-gyldig_fra", "navn")
        .values(
            "pk",
            "navn",
            "leverandoer__navn",
            "gyldig_fra",
            "gyldig_til",
            "antal_pladser",
            "optagne",
            "ventende",
        )
    )
    for aftale in aftaler:
        aftale["ledige"] = max(aftale["antal_pladser"] - aftale["optagne"], 0)
    return aftaler


def _maaneder(fra: datetime.date, til: datetime.date) -> list[datetime.date]:
    maaned = fra.replace(day=1)
    ud = []
    while maaned <= til:
        ud.append(maaned)
        maaned = (maaned + datetime.timedelta(days=32)).replace(day=1)
    return ud


def ind_og_udskrivning(
    *, bruger: Bruger, fra: datetime.date | None, til: datetime.date | None
) -> IndOgUdskrivning:
    """Intakes and discharges in [fra, til] (both days included) on the covered agreements.

    Reads only the fields shown — dates, names, agreement, reason — with `.values()`, so neither a
    CPR number nor a note is ever loaded. Without a period (an invalid form) only the occupancy
    is read. Queries: agreements with occupancy, intakes, discharges.
    """
    aftaler = overvaagede_aftaler(bruger)
    indskrivninger, udskrivninger = [], []
    borger_ids: set[int] = set()
    if fra is not None and til is not None:
        for r in (
            Forloeb.objects.filter(pladsaftale__in=aftaler, startdato__range=(fra, til))
            .order_by("startdato", "oprettet", "id")
            .values(
                "startdato",
                "borger_id",
                "borger__fornavn",
                "borger__efternavn",
                "pladsaftale__navn",
            )
        ):
            borger_ids.add(r["borger_id"])
            indskrivninger.append(
                Bevaegelse(
                    dato=r["startdato"],
                    navn=f"{r['borger__fornavn']} {r['borger__efternavn']}",
                    pladsaftale=r["pladsaftale__navn"],
                )
            )
        for r in (
            Udskrivning.objects.filter(forloeb__pladsaftale__in=aftaler, dato__range=(fra, til))
            .order_by("dato", "id")
            .values(
                "dato",
                "aarsag",
                "forloeb__borger_id",
                "forloeb__borger__fornavn",
                "forloeb__borger__efternavn",
                "forloeb__pladsaftale__navn",
            )
        ):
            borger_ids.add(r["forloeb__borger_id"])
            udskrivninger.append(
                Bevaegelse(
                    dato=r["dato"],
                    navn=f"{r['forloeb__borger__fornavn']} {r['forloeb__borger__efternavn']}",
                    pladsaftale=r["forloeb__pladsaftale__navn"],
                    aarsag=Udskrivning.Aarsag(r["aarsag"]).label,
                )
            )
    pr_maaned = []
    if fra is not None and til is not None:
        ind = _taelling(b.dato for b in indskrivninger)
        ud = _taelling(b.dato for b in udskrivninger)
        pr_maaned = [
            Maaned(maaned=m, indskrevet=ind.get(m, 0), udskrevet=ud.get(m, 0))
            for m in _maaneder(fra, til)
        ]
    return IndOgUdskrivning(
        fra=fra,
        til=til,
        indskrivninger=indskrivninger,
        udskrivninger=udskrivninger,
        pr_maaned=pr_maaned,
        belaegning=belaegning(bruger=bruger),
        borger_ids=sorted(borger_ids),
    )


def _taelling(datoer) -> dict[datetime.date, int]:
    antal: dict[datetime.date, int] = {}
    for dato in datoer:
        maaned = dato.replace(day=1)
        antal[maaned] = antal.get(maaned, 0) + 1
    return antal
