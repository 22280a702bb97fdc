"""The intake: place agreements, referrals, the joint visitation, the waiting list and corrections.

One module per concern; every model is importable from `visitation.models` as before. Imported in
the order the models were always defined, so Django registers them in that order.
"""

# isort: off
from .pladsaftale import Pladsaftale, PladsaftaleQuerySet
from .henvisning import Henvisning
from .visitation import Underskrift, Visitation, Vurdering
from .venteliste import VentelisteQuerySet, VentelistePlads
from .rettelser import Henvisningsrettelse

# isort: on

__all__ = [
    "Henvisning",
    "Henvisningsrettelse",
    "Pladsaftale",
    "PladsaftaleQuerySet",
    "Underskrift",
    "VentelisteQuerySet",
    "VentelistePlads",
    "Visitation",
    "Vurdering",
]
