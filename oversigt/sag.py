"""The case section of the citizen page: the citizen's referrals and programmes, and whether the
user may refer the citizen now.

It lives here, not in `borgere`, because it reads the apps built on top of borgere (visitation and
forloeb); the citizen page loads it with htmx. The rows are scoped by `synlige_for`, so a
provider sees only the referrals and programmes it takes part in — not those of another provider
the citizen was also referred to. Queries: referrals with agreement and visitation, programmes
with agreement, and their phases (only when there is a programme); however many there are.

`oversigt` may read every app (STYLE.md): nothing here writes.
"""

from dataclasses import dataclass

from borgere.models import Borger
from forloeb.models import Forloeb
from mikrolaan.konti.models import Bruger
from visitation import regler as visitation_regler
from visitation.models import Henvisning


@dataclass(frozen=True)
class Sag:
    henvisninger: list[Henvisning]
    # Newest first, each with its phases prefetched (`f.faser.all`).
    forloeb: list[Forloeb]
    kan_henvise: bool


def sag(*, borger: Borger, bruger: Bruger) -> Sag:
    """`borger` has already been checked visible to `bruger`."""
    henvisninger = list(
        Henvisning.objects.synlige_for(bruger)
        .filter(borger=borger)
        .select_related("pladsaftale", "visitation")
        .order_by("-oprettet", "-id")
    )
    forloeb = list(
        Forloeb.objects.synlige_for(bruger)
        .filter(borger=borger)
        .select_related("pladsaftale")
        .prefetch_related("faser")
        .order_by("-startdato", "-id")
    )
    return Sag(
        henvisninger=henvisninger,
        forloeb=forloeb,
        kan_henvise=visitation_regler.kan_henvise(bruger, borger),
    )
