"""A citizen's case timeline: every step of the case, newest first, and what needs doing next.

One query per kind of row (`sagen`; a programme's phases, extensions and follow-ups and a
referral's signatures come with it), nine however long the case; each kind of entry is then
written by its own small function (`poster`, `rettelser`), and the entries are merged and sorted
in Python. Corrections (a withdrawn referral, a reassigned case, an undone phase change, a
reopened discharge, a cancelled session) are entries of their own, with who made them, when and
why: the history keeps the mistake and its correction. `naeste` says what needs doing next.

`oversigt` may read every app (STYLE.md): nothing here writes.
"""

from django.utils import timezone

from borgere.models import Borger
from mikrolaan.konti.models import Bruger

from .naeste import (
    OPFOELGNING_VARSEL_DAGE,
    naeste_faser,
    naeste_henvisninger,
    naeste_laan,
    naeste_opfoelgninger,
)
from .poster import (
    poster_deltagelser,
    poster_dokumenter,
    poster_faser,
    poster_forlaengelser,
    poster_forloeb,
    poster_henvisninger,
    poster_laan,
    poster_notater,
    poster_notifikationer,
    poster_opfoelgninger,
    poster_underskrifter,
)
from .rettelser import (
    poster_aflysninger,
    poster_faseskift_fortrudt,
    poster_fjernet_fra_venteliste,
    poster_omfordelinger,
    poster_tilbagetrukne,
    poster_udskrivninger_annulleret,
)
from .sagen import hent_sagen
from .typer import Tidslinje

__all__ = ["OPFOELGNING_VARSEL_DAGE", "tidslinje"]


def tidslinje(*, borger: Borger, bruger: Bruger) -> Tidslinje:
    """The whole case of one citizen, newest first, and what needs doing next.

    `borger` has already been checked visible to `bruger`. The referrals and programmes are read
    through `synlige_for` too, so a provider sees only its own programmes of a citizen who was also
    referred elsewhere; notes and documents are the citizen's (as on the citizen page).
    Queries: referrals (with their signatures), programmes (with their phases, extensions and
    follow-ups), attendance (with the sessions' cancellations), notes, documents, loan moves,
    notifications, the referrals' corrections, the programmes' corrections — nine, however long
    the case.
    """
    sagen = hent_sagen(borger=borger, bruger=bruger)
    # The order of the kinds matters only for entries at the very same moment and `orden` (the
    # sort is stable): it is the order the case happens in.
    poster = [
        *poster_henvisninger(sagen.henvisninger),
        *poster_underskrifter(sagen.underskrifter),
        *poster_forloeb(sagen.forloeb),
        *poster_faser(sagen.faser, sagen.forloeb),
        *poster_forlaengelser(sagen.forlaengelser),
        *poster_deltagelser(sagen.deltagelser, bruger=bruger),
        *poster_notater(sagen.notater, borger=borger),
        *poster_dokumenter(sagen.dokumenter, borger=borger),
        *poster_opfoelgninger(sagen.opfoelgninger),
        *poster_laan(sagen.sagsgange),
        *poster_tilbagetrukne(sagen.henvisningsrettelser),
        *poster_fjernet_fra_venteliste(sagen.henvisningsrettelser),
        *poster_omfordelinger(sagen.henvisningsrettelser, sagen.forloebsrettelser),
        *poster_faseskift_fortrudt(sagen.forloebsrettelser),
        *poster_udskrivninger_annulleret(sagen.forloebsrettelser),
        *poster_aflysninger(sagen.deltagelser, bruger=bruger),
        *poster_notifikationer(sagen.notifikationer),
    ]
    poster.sort(key=lambda p: p.sortering, reverse=True)
    idag = timezone.localdate()
    naeste = [
        *naeste_henvisninger(sagen.henvisninger, sagen.underskrifter, bruger=bruger),
        *naeste_faser(sagen.faser, sagen.forloeb, idag=idag),
        *naeste_opfoelgninger(sagen.opfoelgninger, idag=idag),
        *naeste_laan(sagen.sagsgange),
    ]
    naeste.sort(key=lambda n: n.vigtighed)
    return Tidslinje(poster=poster, naeste=naeste)
