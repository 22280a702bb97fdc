"""Programmes that began before today: Gustav's (discharged, follow-up due) and Anna's (main
phase from today)."""

import datetime

from dateutil.relativedelta import relativedelta

from borgere.models import Forsoergelsesgrundlag
from forloeb.models import (
    FASE_MAANEDER,
    Fase,
    Faseforlaengelse,
    Forloeb,
    Overgangsvurdering,
    Udskrivning,
    planlagte_faser,
)
from forloeb.services.faser import forlaeng_fase, skift_til_hovedforloeb
from forloeb.services.udskrivning import udskriv
from mikrolaan.konti.models import Bruger
from visitation.models import Henvisning, Underskrift, Visitation

from .laan import _gustavs_laan
from .tid import _dateret, _tidspunkt

# The services admit, move and record "today" (time travel is for tests only). These stories are
# made through the services like every other demo case, and then the rows just created are moved
# back to their story's dates with .update(): only those rows, and only their dates.

STARTDATO = {
    "udskrevet": datetime.date(2026, 1, 5),
    "hovedforloeb": datetime.date(2026, 5, 18),
}
GUSTAV_SKIFTE = datetime.date(2026, 7, 6)
# Discharged in August, so the follow-up after 3 months fell due in November.
GUSTAV_UDSKREVET = datetime.date(2026, 8, 14)

OVERGANG = {
    "personlig_vejledning": True,
    "erhvervscoaching": True,
    "finansiel_raadgivning": True,
    "regnskab": True,
    "skat": True,
    "moms": True,
    "forretningsplan_klar": True,
    "anbefaling": "Forretningsplanen og budgettet holder. Klar til at starte virksomheden.",
    # Anna moves on today, which may be before her qualifying phase's planned end (the demo runs
    # on any day): the confirmation the service then asks for. Ignored when not needed.
    "bekraeftet": True,
    "begrundelse": "Alle elementer er gennemført, og budgettet er godkendt før tid.",
}


def _tilbagedater_sag(forloeb: Forloeb, start: datetime.date) -> None:
    """Referral three weeks, visitation a week before `start`; admitted and phases from `start`."""
    uge = datetime.timedelta(days=7)
    Henvisning.objects.filter(pk=forloeb.henvisning_id).update(oprettet=_tidspunkt(start - 3 * uge))
    Visitation.objects.filter(henvisning_id=forloeb.henvisning_id).update(
        oprettet=_tidspunkt(start - uge), afgjort=_tidspunkt(start - uge, 14)
    )
    Underskrift.objects.filter(visitation__henvisning_id=forloeb.henvisning_id).update(
        tidspunkt=_tidspunkt(start - uge, 14)
    )
    Forloeb.objects.filter(pk=forloeb.pk).update(startdato=start, oprettet=_tidspunkt(start))
    for type_, planlagt_start, planlagt_slut in planlagte_faser(start):
        Fase.objects.filter(forloeb=forloeb, type=type_).update(
            planlagt_start=planlagt_start,
            planlagt_slut=planlagt_slut,
            faktisk_start=start if type_ == Fase.Type.OPKVALIFICERING else None,
        )


def _anna_til_hovedforloeb(forloeb: Forloeb, medarbejder: Bruger) -> None:
    """Anna's qualifying phase was extended on 10 November; she moves to the main phase today."""
    fase = Fase.objects.get(forloeb=forloeb, type=Fase.Type.OPKVALIFICERING)
    forlaengelse = forlaeng_fase(
        bruger=medarbejder,
        fase=fase,
        ny_slut=fase.planlagt_slut + datetime.timedelta(days=14),
        begrundelse="Forretningsplanen mangler et budget; der er aftalt ekstra finansiel "
        "rådgivning.",
    )
    Faseforlaengelse.objects.filter(pk=forlaengelse.pk).update(
        oprettet=_tidspunkt(datetime.date(2026, 11, 10))
    )
    skift_til_hovedforloeb(bruger=medarbejder, forloeb=forloeb, **OVERGANG)


def _gustav_udskrives(forloeb: Forloeb, medarbejder: Bruger, sagsbehandler: Bruger) -> None:
    """Gustav moved on in July and was discharged in August with his own business (a valid CVR
    number that is nobody's in this demo); the 3-month follow-up is due. In his main phase he
    applied for four loans (`_gustavs_laan`)."""
    with _dateret(GUSTAV_SKIFTE):
        skift_til_hovedforloeb(bruger=medarbejder, forloeb=forloeb, **OVERGANG)
    Overgangsvurdering.objects.filter(forloeb=forloeb).update(vurderet=_tidspunkt(GUSTAV_SKIFTE))
    Fase.objects.filter(forloeb=forloeb, type=Fase.Type.OPKVALIFICERING).update(
        faktisk_slut=GUSTAV_SKIFTE
    )
    Fase.objects.filter(forloeb=forloeb, type=Fase.Type.HOVEDFORLOEB).update(
        planlagt_start=GUSTAV_SKIFTE,
        planlagt_slut=GUSTAV_SKIFTE + relativedelta(months=FASE_MAANEDER),
        faktisk_start=GUSTAV_SKIFTE,
    )
    _gustavs_laan(forloeb, medarbejder, sagsbehandler)
    # The discharge takes its date; only its notifications' and row's timestamps need moving.
    with _dateret(GUSTAV_UDSKREVET):
        udskrivning = udskriv(
            bruger=medarbejder,
            forloeb=forloeb,
            dato=GUSTAV_UDSKREVET,
            aarsag=Udskrivning.Aarsag.EGEN_VIRKSOMHED,
            cvr="30000005",
            virksomhed_startet=datetime.date(2026, 8, 3),
            forsoergelse_efter=Forsoergelsesgrundlag.objects.get(navn="Selvforsørgende"),
            note="Har startet cykelværksted i Ishøj; første faste kunder er på plads.",
        )
    Udskrivning.objects.filter(pk=udskrivning.pk).update(oprettet=_tidspunkt(GUSTAV_UDSKREVET))
