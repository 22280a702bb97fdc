"""The timeline's building blocks: the kinds of entries, an entry, a "what's next" item."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


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
