"""Moving what the services just wrote back to a story's day (demo/forloeb.py, demo/laan.py).

The services record "today" (time travel is for tests only), so a demo story that happened
before today is made through them and then dated back.
"""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db.models import Max
from django.utils import timezone

from forloeb.models import FASE_MAANEDER
from mikrolaan.notifikationer.models import Notifikation
from mikrolaan.tekst import kort_dato

KBH = ZoneInfo("Europe/Copenhagen")


def _tidspunkt(dato: datetime.date, klokken: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(dato, datetime.time(klokken), tzinfo=KBH)


@contextmanager
def _dateret(dato: datetime.date | None):
    """Notifications the services write inside the block are about `dato`, not today: they get
    its time, are marked read long ago (and never emailed now), and their texts' dates — today,
    or a phase's end six months from today — are moved with them."""
    if dato is None:
        yield
        return
    foer = Notifikation.objects.aggregate(m=Max("pk"))["m"] or 0
    yield
    idag = timezone.localdate()
    flyt = {
        kort_dato(idag): kort_dato(dato),
        kort_dato(idag + relativedelta(months=FASE_MAANEDER)): kort_dato(
            dato + relativedelta(months=FASE_MAANEDER)
        ),
    }
    nye = list(Notifikation.objects.filter(pk__gt=foer))
    for n in nye:
        for fra, til in flyt.items():
            n.tekst = n.tekst.replace(fra, til)
        n.oprettet = n.laest = _tidspunkt(dato)
        n.email_oensket = False
    Notifikation.objects.bulk_update(nye, ["tekst", "oprettet", "laest", "email_oensket"])
