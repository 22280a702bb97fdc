"""Reads of citizens for the pages: always scoped to what the user may see."""

import datetime
import re
from collections.abc import Callable
from typing import Protocol

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from mikrolaan.konti.models import Bruger
from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.services import log_adgang

from . import cpr
from .models import Borger, Dokument, Journalnotat

# Ten digits, with or without the dash: meant as a CPR number, so a bad one is an error rather
# than a name search that quietly finds nothing.
LIGNER_CPR = re.compile(r"^\d{6}-?\d{4}$")
# Six digits (ddmmåå), perhaps with the dash: the first half of a CPR number.
LIGNER_FOEDSELSDATO = re.compile(r"^(\d{2})(\d{2})(\d{2})-?$")


def ligner_foedselsdato(tekst: str) -> bool:
    """`tekst` is a birth date as the first six digits of a CPR number (ddmmåå).

    Only a full CPR number can be searched (through its keyed hash: the numbers are stored
    encrypted), so the list answers such a search with a hint instead of "no citizens".
    """
    match = LIGNER_FOEDSELSDATO.match((tekst or "").strip())
    if not match:
        return False
    dag, maaned, aar = (int(tal) for tal in match.groups())
    try:
        # 2000 is a leap year, so 29 February is a date whatever the century.
        datetime.date(2000 + aar, maaned, dag)
    except ValueError:
        return False
    return True


class Listeudvidelse(Protocol):
    """What a higher floor adds to the citizen list: filter fields, the rows' annotations and
    the columns that show them.

    A citizen's stage (referred, on the waiting list, in a phase, ...) is made of visitation's and
    forloeb's rows, and those apps are built on this one: borgere cannot compute it without
    importing upwards. So the top floor (`oversigt`, which may read every app) registers an
    extension at start-up (`OversigtConfig.ready`) and the list calls it; every import still
    points down. Without one, the list is the plain one.
    """

    # A template rendering the extra `<th>` cells when `hoved` is true, else the row's `<td>`s.
    kolonner: str

    def felter(self, bruger: Bruger) -> dict[str, forms.Field]: ...

    # The filters only, computing no more than they need (for counting and cutting a page).
    def filtrer(self, borgere: QuerySet, *, bruger: Bruger, filtre: dict) -> QuerySet: ...

    # The columns' annotations (for the rows of one page).
    def annoter(self, borgere: QuerySet, *, bruger: Bruger) -> QuerySet: ...

    # Both: every row filtered and annotated (the export).
    def anvend(self, borgere: QuerySet, *, bruger: Bruger, filtre: dict) -> QuerySet: ...


_listeudvidelse: Listeudvidelse | None = None


def registrer_listeudvidelse(udvidelse: Listeudvidelse | None) -> None:
    global _listeudvidelse  # noqa: PLW0603 - set once at start-up, by an AppConfig.ready
    _listeudvidelse = udvidelse


def listeudvidelse() -> Listeudvidelse | None:
    return _listeudvidelse


class AnnoteretSide:
    """A list that a Paginator counts and cuts on `raekker` (filtered and ordered, without the
    columns' annotations), and whose cut rows alone get `annoter`'s annotations.

    Still one query for the page: `pk IN (the page's ids, ordered and cut)`, annotated and
    ordered again. Annotating every row before the cut made PostgreSQL compute each citizen's
    stage (correlated subqueries) and join the registering user for all visible citizens, and
    the count carried the same joins (issue 13: the citizen list at national scale).
    """

    ordered = True

    def __init__(self, raekker: QuerySet, annoter: Callable[[QuerySet], QuerySet]):
        self.raekker = raekker
        self.annoter = annoter

    def count(self) -> int:
        return self.raekker.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, snit: slice) -> list:
        model = self.raekker.model
        side = self.annoter(model._base_manager.filter(pk__in=self.raekker.values("pk")[snit]))
        orden = self.raekker.query.order_by or model._meta.ordering
        return list(side.order_by(*orden))


def borgere_til_liste(*, bruger: Bruger, filtre: dict | None = None, annoteret: bool = True):
    """The user's visible citizens with what the list shows, in name order; with `filtre`, the
    list extension's filters (stage, caseworker) applied. `annoteret=False` leaves out the list
    extension's columns (for `side_af_listen`, which adds them to one page)."""
    borgere = Borger.objects.synlige_for(bruger)
    if _listeudvidelse is None:
        return borgere.select_related("forsoergelsesgrundlag")
    if not annoteret:
        return _listeudvidelse.filtrer(borgere, bruger=bruger, filtre=filtre or {})
    return _listeudvidelse.anvend(
        borgere.select_related("forsoergelsesgrundlag"), bruger=bruger, filtre=filtre or {}
    )


def side_af_listen(borgere: QuerySet, *, bruger: Bruger) -> AnnoteretSide:
    """`borgere` (from `borgere_soeg(annoteret=False)`) for a Paginator: counted and cut without
    the list's columns, which only the page's rows get."""

    def annoter(side: QuerySet) -> QuerySet:
        side = side.select_related("forsoergelsesgrundlag")
        if _listeudvidelse is None:
            return side
        return _listeudvidelse.annoter(side, bruger=bruger)

    return AnnoteretSide(borgere, annoter)


def borgere_soeg(
    *,
    bruger: Bruger,
    tekst: str,
    side: int = 1,
    request=None,
    filtre: dict | None = None,
    annoteret: bool = True,
):
    """Citizens matching one search box: a full CPR number exactly, anything else by name
    ("Jensen, Anna" as the lists write names, "Anna Jensen", or a part: "jens").

    The search is recorded in the access log with its criteria (and the list's filters); a CPR
    number is recorded as "[CPR]", never its digits. An empty search returns all visible citizens
    and is not logged (it is the plain list). Raises a Danish `ValidationError` for a malformed
    CPR number. A birth date alone (`ligner_foedselsdato`) finds nobody and is not logged: the
    page shows a hint instead.
    """
    tekst = (tekst or "").strip()
    filtre = {navn: vaerdi for navn, vaerdi in (filtre or {}).items() if vaerdi not in (None, "")}
    borgere = borgere_til_liste(bruger=bruger, filtre=filtre, annoteret=annoteret)
    if not tekst:
        return borgere
    if ligner_foedselsdato(tekst):
        return borgere.none()
    if LIGNER_CPR.match(tekst):
        cpr.normaliser(tekst)  # a Danish error for a number that is not a valid CPR number
        kriterier = {"cpr": tekst}
        borgere = borgere.med_cpr(tekst)
    else:
        kriterier = {"navn": tekst}
        borgere = borgere.med_navn(tekst)
    # log_adgang removes CPR-like digits from the criteria before they are stored.
    log_adgang(
        bruger=bruger,
        handling=AdgangsLog.Handling.SOEG,
        kriterier=kriterier | filtre | {"side": side},
        request=request,
    )
    return borgere


def journalnotater(*, borger: Borger) -> list[Journalnotat]:
    """The citizen's notes, newest first, each with `rettet_af`: the notes that correct it.

    One query: corrections are notes of the same citizen, so they are in the same list.
    """
    notater = list(Journalnotat.objects.for_borger(borger))
    for notat in notater:
        notat.rettet_af = []
    efter_id = {notat.pk: notat for notat in notater}
    for notat in notater:
        if notat.retter_id in efter_id:
            efter_id[notat.retter_id].rettet_af.append(notat)
    return notater


def dokumenter(*, borger: Borger):
    return Dokument.objects.filter(borger=borger).select_related("uploadet_af")


# --- The citizen's access log (the caseworker's tab) ------------------------------------------

# The access-log rows about a citizen beyond the reads of the citizen row itself: reads of their
# referrals, programmes, loans and sessions. Those models live on the floors above, so the top
# floor (`databeskyttelse`, whose insight export shows the same rows) registers the condition at
# start-up (`DatabeskyttelseConfig.ready`) and every import still points down.
_adgangslog_udvidelse: Callable[[Borger], Q] | None = None


def registrer_adgangslog_udvidelse(udvidelse: Callable[[Borger], Q] | None) -> None:
    global _adgangslog_udvidelse  # noqa: PLW0603 - set once at start-up, by an AppConfig.ready
    _adgangslog_udvidelse = udvidelse


def adgangslog(*, borger: Borger) -> QuerySet[AdgangsLog]:
    """Who has read the citizen's data, newest first, with each reader's organisation and roles
    (one query for the page, one for the readers' roles)."""
    if _adgangslog_udvidelse is not None:
        betingelse = _adgangslog_udvidelse(borger)
    else:
        betingelse = Q(
            objekt_type=ContentType.objects.get_for_model(Borger), objekt_id=str(borger.pk)
        )
    return (
        AdgangsLog.objects.filter(betingelse)
        .select_related("bruger__organisation")
        .prefetch_related("bruger__groups")
        .order_by("-tidspunkt", "-id")
    )
