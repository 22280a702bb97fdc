"""Days as ordinals (ints) while generating, turned into dates and Danish times when written."""

import datetime
from zoneinfo import ZoneInfo

KBH = ZoneInfo("Europe/Copenhagen")
_dato = datetime.date.fromordinal


def dato(dag: int | None) -> datetime.date | None:
    return None if dag is None else _dato(dag)


def tidspunkt(dag: int | None, minut: int = 600) -> datetime.datetime | None:
    """Day `dag` at `minut` minutes after midnight, Danish time (office hours avoid the DST gap)."""
    if dag is None:
        return None
    d = _dato(dag)
    return datetime.datetime(d.year, d.month, d.day, minut // 60, minut % 60, tzinfo=KBH)


def kontortid(rng) -> int:
    """A minute of the working day, 8:00–16:00."""
    return rng.randint(480, 960)


def maaneder_frem(dag: int, maaneder: int) -> int:
    """`maaneder` calendar months after `dag`, clamped to the month's end (as relativedelta)."""
    d = _dato(dag)
    aar, maaned = divmod(d.month - 1 + maaneder, 12)
    aar += d.year
    maaned += 1
    for dagnr in (d.day, 30, 29, 28):
        try:
            return datetime.date(aar, maaned, dagnr).toordinal()
        except ValueError:
            continue
    raise AssertionError("unreachable")
