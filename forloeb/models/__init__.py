"""The programme: Forloeb and its phases, sessions and attendance, discharge and follow-ups, and
corrections.

One module per concern; every name is importable from `forloeb.models` as before. Imported in the
order the models were always defined, so Django registers them in that order.
"""

# isort: off
from .forloeb import RISIKO_FREMMOEDE, RISIKO_MINDST_REGISTRERET, Forloeb, ForloebQuerySet
from .faser import FASE_MAANEDER, Fase, Faseforlaengelse, Overgangsvurdering, planlagte_faser
from .aktiviteter import Aktivitet, Aktivitetsrettelse, Deltagelse
from .udskrivning import Opfoelgning, Udskrivning
from .rettelser import Forloebsrettelse

# The calendar link's table lives in its own module; imported here so Django finds the model.
from ..kalenderlinks import Kalenderlink  # noqa: F401

# isort: on

__all__ = [
    "FASE_MAANEDER",
    "RISIKO_FREMMOEDE",
    "RISIKO_MINDST_REGISTRERET",
    "Aktivitet",
    "Aktivitetsrettelse",
    "Deltagelse",
    "Fase",
    "Faseforlaengelse",
    "Forloeb",
    "ForloebQuerySet",
    "Forloebsrettelse",
    "Opfoelgning",
    "Overgangsvurdering",
    "Udskrivning",
    "planlagte_faser",
]
