"""Redis, the cache, sessions and Celery (broker, worker limits, beat, queue): where state is shared
between processes and nodes."""

from django.core.exceptions import ImproperlyConfigured

from .miljoe import DATA_DIR, PRODUCTION, _int, env

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        # Only the part after any credentials: the message ends up in logs.
        f"REDIS_URL must start with redis:// or rediss://, not {REDIS_URL.split('@')[-1]!r}."
    )
if PRODUCTION and not REDIS_URL:
    # Without it the cache (the hourly limits) and the broker are files on this machine's disk:
    # a second web node would count its own limits and never see the first one's tasks.
    raise ImproperlyConfigured("REDIS_URL is not set: production runs on Redis.")

# Every node must see the same state (README, "Flere maskiner"): sessions are rows in the database
# (also django-axes' lockouts, the one-time form keys and the calendar tokens), the cache (the
# hourly limits) and the broker are Redis when REDIS_URL is set. Without it the cache and broker
# are files under DATA_DIR: right for one machine only.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Shared by every process on the machine (web workers, runserver's reloader), unlike the
    # per-process memory cache: the hourly limits (HASTIGHEDSGRAENSER in mikrolaan/settings.py)
    # count there (mikrolaan/hastighed.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
        }
    }

CELERY_BROKER_DIR = DATA_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task that is not acknowledged within this time is given to another worker. Longer than
        # any task's hard time limit below, so a slow task is never run twice in parallel.
        "visibility_timeout": 3600,
    }
else:
    # No server needed for `make run`: kombu's file-system transport, one folder in and out.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Broadcast (control) messages; kombu's default is a "control" folder in the working dir.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The transport fails on folders that do not exist; make them here, before web, worker or
    # beat publishes (DATA_DIR may point anywhere).
    for _mappe in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _mappe).mkdir(parents=True, exist_ok=True)
# Our tasks are idempotent (outbox rows, compare-and-swap), so acknowledge *after* the work: a
# worker killed mid-task leaves the message to be redelivered instead of losing it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# With late acks, prefetching many messages would hold them hostage on one busy worker.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Hard and soft limits so a hung SMTP connection cannot block a worker forever.
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Publishing happens on commit of a user's request: if the broker is down, give up quickly rather
# than hang the request; the outbox sweep delivers what was not enqueued.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Copenhagen"
# The schedule lives in the database (django-celery-beat); mikrolaan/beat.py lets only the beat
# holding a Redis lock send due tasks, so a second beat on another machine stands by and takes
# over within BEAT_LAAS_SEKUNDER when the first stops.
CELERY_BEAT_SCHEDULER = "mikrolaan.beat:EnBeatScheduler"
BEAT_LAAS_SEKUNDER = _int("BEAT_LAAS_SEKUNDER", 30)
if BEAT_LAAS_SEKUNDER < 2:
    raise ImproperlyConfigured(f"BEAT_LAAS_SEKUNDER must be at least 2, not {BEAT_LAAS_SEKUNDER}.")
# The queue every task is published to and workers consume: another name lets two installations
# (or a test's own web, worker and beat processes) share one Redis without taking each other's.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_KOE", default="celery")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
