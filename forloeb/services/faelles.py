"""What the programme's services share: the programme's row lock, the transition-table check, the
phase lookup, and who is told. Private to this package (the names keep their underscore): the
modules beside this one import them, nothing outside `forloeb.services` does."""

from django.urls import reverse

from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Haendelse
from mikrolaan.notifikationer.services import marker_haandteret
from mikrolaan.statusmaskine import UlovligOvergang
from visitation import services as visitation_services
from visitation.models import Henvisning

from ..models import Fase, Forloeb


def _laas(forloeb_id: int) -> Forloeb:
    """The programme's row, locked until the transaction ends.

    Every change of a programme's course (phase move, extension, discharge) takes this lock first,
    so two staff members acting on the same programme at the same moment are serialised: the second
    sees the first one's result ("already discharged") instead of both going through.
    """
    return (
        Forloeb.objects.select_for_update(of=("self",))
        .select_related("borger", "pladsaftale", "henvisning")
        .get(pk=forloeb_id)
    )


def _kun_fra(forloeb: Forloeb, fra: str, til: str) -> None:
    """Refuse, with the transition table's message, a service's move from any status but `fra`.

    The table also holds the way back from a discharge (genaabn_forloeb: afsluttet → hovedforløb,
    afbrudt → opkvalificering), so "the table allows it" is not enough for a service that makes
    one particular move: the move to the main phase is made only from the qualifying phase.
    """
    if forloeb.status != fra:
        raise UlovligOvergang(
            Forloeb.ULOVLIG_OVERGANG
            % {"fra": forloeb.get_status_display(), "til": Forloeb.Status(til).label}
        )
    forloeb.tjek_overgang(til)


def _fase(forloeb: Forloeb, type_: str) -> Fase:
    return Fase.objects.get(forloeb=forloeb, type=type_)


def _sagsbehandlere(henvisning: Henvisning) -> set[Bruger]:
    """The caseworkers on the case: the referring jobcenter's people among those working on it."""
    return {
        person
        for person in visitation_services.sagens_personer(henvisning)
        if person.organisation_id == henvisning.jobcenter_id
    }


def _fasepaamindelser_haandteret(forloeb: Forloeb) -> None:
    """The phase's reminders (forloeb.paamindelser: "ends soon", "overdue") are answered: the move
    is made, the phase extended or the citizen discharged. The reminders link to the citizen's
    page, and a citizen has one active programme, so these are this programme's."""
    marker_haandteret(
        link=reverse("borgere:detalje", args=[forloeb.borger_id]),
        haendelser=[Haendelse.PAAMINDELSE],
        noegle_start="paamindelse:fase",
    )
