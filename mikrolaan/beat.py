"""Celery beat that sends each due task once, however many beat processes run.

django-celery-beat's DatabaseScheduler keeps the schedule in the database but takes no lock: two
beats (one per machine, or `docker compose up --scale beat=2`) would each send every due task. This
scheduler sends only while it holds a lock in Redis — a key with this process's id and a time to
live of BEAT_LAAS_SEKUNDER, renewed on every tick. Another beat finds the key taken and stands by,
asking again every third of that time; when the holder stops (its key is deleted) or dies (its key
runs out), the next to ask takes over. Takeover reloads the schedule from the database, where the
holder writes each entry's last run right after sending it, so the new holder does not send again
what the old one sent.

A holder that dies between sending and writing the last run can leave one task sent twice at
takeover. That is harmless by design: every task is idempotent (the outbox's compare-and-swap,
notification keys, Koersel), which is also what keeps a task redelivered by Redis from acting twice.

Without REDIS_URL (one machine, the file broker) there is nothing to share a lock through and
this is DatabaseScheduler as it is.
"""

import contextlib
import logging
import os
import socket
import uuid

import redis
from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

log = logging.getLogger(__name__)

# Take the lock if it is free, renew it if it is ours; 0 = someone else's, 1 = renewed, 2 = taken.
# One script, so the check and the write cannot be split by another beat's.
_TAG_ELLER_FORNY = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return 1
end
if not holder then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return 2
end
return 0
"""
# Delete the lock only if it is still ours (it may have run out and been taken meanwhile).
_SLIP = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


def laasenoegle() -> str:
    # Named after the database: two installations (or test databases) on one Redis each have a
    # beat of their own.
    return f"mikrolaan:beat:{settings.DATABASES['default']['NAME']}"


class EnBeatScheduler(DatabaseScheduler):
    def __init__(self, *args, **kwargs):
        self.laas_sekunder = settings.BEAT_LAAS_SEKUNDER
        self.mit_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.holder_laasen = False
        self._standby_meldt = False
        self._redis = redis.Redis.from_url(settings.REDIS_URL) if settings.REDIS_URL else None
        super().__init__(*args, **kwargs)

    def _har_laasen(self) -> bool:
        """Take or renew the lock; True while this beat may send."""
        try:
            svar = self._redis.eval(
                _TAG_ELLER_FORNY, 1, laasenoegle(), self.mit_id, self.laas_sekunder * 1000
            )
        except redis.RedisError as fejl:
            # Cannot tell whether the lock is still ours: stop sending. Another beat takes over
            # when the key runs out; this one resumes when Redis answers and the key is free.
            if self.holder_laasen:
                log.warning("Beat %s: Redis svarer ikke (%s); sender ikke.", self.mit_id, fejl)
            self.holder_laasen = False
            return False
        if svar == 2:
            log.info("Beat %s har låsen og sender planlagte opgaver.", self.mit_id)
            if self._standby_meldt:
                # The schedule in memory is stale: the old holder has sent tasks since this beat
                # read it. Read it again from the database and rebuild the heap.
                self._initial_read = True
                self._heap = None
        elif svar == 0 and self.holder_laasen:
            log.warning("Beat %s har mistet låsen; står på standby.", self.mit_id)
        elif svar == 0 and not self._standby_meldt:
            log.info("Beat %s står på standby: en anden beat har låsen.", self.mit_id)
            self._standby_meldt = True
        self.holder_laasen = svar != 0
        return self.holder_laasen

    def reserve(self, entry):
        new_entry = super().reserve(entry)
        # DatabaseScheduler leaves the entry as it was before sending in its schedule. When it
        # notices a "Schedule changed" (another beat starting writes its default entries) in the
        # tick that first fills the heap, the next tick rebuilds the heap from that stale entry
        # and sends the same run again. Keep the sent entry, as celery's own Scheduler does.
        if self._schedule is not None and entry.name in self._schedule:
            self._schedule[entry.name] = new_entry
        return new_entry

    def tick(self, *args, **kwargs):
        if self._redis is None:
            return super().tick(*args, **kwargs)
        forny_om = self.laas_sekunder / 3
        if not self._har_laasen():
            return forny_om
        interval = super().tick(*args, **kwargs)
        if self._dirty:
            # Write each sent entry's last run now, not every few minutes (DatabaseScheduler's
            # default): a beat taking over reads it and does not send the same run again.
            self.sync()
        # Wake up in time to renew the lock before it runs out.
        return min(interval, forny_om)

    def close(self):
        try:
            super().close()
        finally:
            if self._redis is not None:
                # Hand over at once on a clean stop, instead of after the lock's time to live.
                # If Redis does not answer, the lock runs out by itself.
                with contextlib.suppress(redis.RedisError):
                    self._redis.eval(_SLIP, 1, laasenoegle(), self.mit_id)
                self._redis.close()
