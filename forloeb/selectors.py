"""Reads of a programme's progress: sessions by type, attendance, the qualifying checklist."""

from collections import Counter
from dataclasses import dataclass

from .models import Aktivitet, Deltagelse, Fase, Forloeb

# The qualifying phase's checklist: the memo's six elements, each attended at least once.
TJEKLISTE = Aktivitet.TYPER_I_FASE[Fase.Type.OPKVALIFICERING]


@dataclass
class Fremdrift:
    pr_type: list[tuple[str, int, int]]  # (type label, registered, attended)
    tjekliste: list[tuple[str, bool]]  # (type label, attended at least once)
    fremmoedeprocent: int | None
    i_risiko: bool

    @property
    def tjekliste_opfyldt(self) -> int:
        return sum(1 for _label, ok in self.tjekliste if ok)


def fremdrift(forloeb: Forloeb) -> Fremdrift:
    """One query: the programme's attendance grouped by session type."""
    registreret, deltog = Counter(), Counter()
    # A cancelled session's attendance rows are kept but not counted.
    gaeldende = Deltagelse.objects.filter(forloeb=forloeb, aktivitet__aflyst__isnull=True)
    for type_, status in gaeldende.values_list("aktivitet__type", "status"):
        registreret[type_] += 1
        if status == Deltagelse.Status.DELTOG:
            deltog[type_] += 1
    i_alt, i_alt_deltog = sum(registreret.values()), sum(deltog.values())
    noegletal = Forloeb.objects.med_noegletal().get(pk=forloeb.pk)
    return Fremdrift(
        pr_type=[
            (Aktivitet.Type(t).label, registreret[t], deltog[t])
            for t in Aktivitet.Type
            if registreret[t]
        ],
        tjekliste=[(Aktivitet.Type(t).label, deltog[t] > 0) for t in TJEKLISTE],
        fremmoedeprocent=round(100 * i_alt_deltog / i_alt) if i_alt else None,
        i_risiko=noegletal.i_risiko,
    )
