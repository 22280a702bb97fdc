"""Danish days for tests: travel to a date in Copenhagen time with time-machine.

The services read "today" as the Danish date (`timezone.localdate()`), and refuse what cannot
have happened yet (a discharge in the future, a move before the programme began). A journey set
in the past therefore travels to each day it happens on.
"""

import datetime
from zoneinfo import ZoneInfo

import time_machine

KBH = ZoneInfo("Europe/Copenhagen")
DAG = datetime.timedelta(days=1)


def paa(dato: datetime.date, klokken: int = 10):
    """Travel to `dato` at `klokken` Danish time, with the clock standing still."""
    return time_machine.travel(
        datetime.datetime.combine(dato, datetime.time(klokken), KBH), tick=False
    )
