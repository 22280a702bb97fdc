"""Settings for Mikrolån, read from the environment.

One module on purpose: every value that differs between a laptop, CI and production comes from an
environment variable (or, outside production, from the git-ignored `.env` that `make .env` writes).
Parsing is strict — a bad value stops start-up with a message that names the variable — because a
typo that silently falls back to a default is how a production system ends up on SQLite.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}."
    )
PRODUCTION = DJANGO_ENV == "production"

# Outside production the generated `.env` supplies local secrets. In production everything comes
# from the real environment (docker compose passes `.env` in as environment variables).
if not PRODUCTION:
    env.read_env(BASE_DIR / ".env", overwrite=False)


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        hint = "set it in the environment" if PRODUCTION else "run `make .env` to generate one"
        raise ImproperlyConfigured(f"{name} is not set: {hint}.")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}.")


def _int(name: str, default: int) -> int:
    raw = env.str(name, default=str(default))
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


SECRET_KEY = _required("SECRET_KEY")
DEBUG = _bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: set it in the environment.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address users reach the application at, for links in emails (no request to derive it from).
SITE_URL = env.str("SITE_URL", default="" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the https:// address of the application.")

# Local files (SQLite database, Celery's file broker, uploaded documents, outgoing mail in
# development) live under one git-ignored folder.
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "data"))).resolve()

# --- CPR encryption keys (used by borgere.cpr) ----------------------------------------------
# Comma-separated Fernet keys, newest first, so old keys can still decrypt while rows are
# re-encrypted; and a separate key for the keyed hash (blind index) used for exact search.
CPR_ENCRYPTION_KEYS = [k.strip() for k in _required("CPR_ENCRYPTION_KEYS").split(",") if k.strip()]
CPR_INDEX_KEY = _required("CPR_INDEX_KEY")

# --- Applications ---------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "auditlog",
    "axes",
    # Two-factor login: TOTP apps and one-time backup codes (mikrolaan/konti/tofaktor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Project: the ground floor every app calls, then the domain in dependency order.
    "mikrolaan.konti",
    "mikrolaan.revision",
    "mikrolaan.notifikationer",
    # Where documents are stored: database, S3 or a folder (DOKUMENTLAGER, below).
    "mikrolaan.lager",
    # One-time keys of create forms: a double click creates one row (mikrolaan/indsendelser).
    "mikrolaan.indsendelser",
    "borgere",
    "visitation",
    "forloeb",
    "laan",
    # The top floor: overviews that read every app, and the demo data.
    "oversigt",
    "databeskyttelse",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that could read the body, after those that add headers to every answer (the
    # 413 page gets them too).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "mikrolaan.sikkerhed.BegraensRequestStoerrelse",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mikrolaan.sprog.DanskFoerstMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has the user given a second factor in this session?
    "django_otp.middleware.OTPMiddleware",
    # An idle session ends (and its user sees why) before anything else looks at the user; then a
    # user who must give a code is sent to that step before any page (the admin included).
    "mikrolaan.konti.sessioner.InaktivitetMiddleware",
    "mikrolaan.konti.tofaktor.KraevTofaktorMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-auditlog's own middleware trusts the left-most X-Forwarded-For, the client's to write.
    "mikrolaan.sikkerhed.AuditlogMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mikrolaan.urls"
WSGI_APPLICATION = "mikrolaan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The layout's one pattern for wide tables ({% rulleomraade %}), in every template.
            "builtins": ["mikrolaan.layout"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mikrolaan.konti.context_processors.rolle",
                "mikrolaan.konti.sessioner.inaktivitet",
                "mikrolaan.notifikationer.context_processors.notifikationer",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

_database_url = env.str("DATABASE_URL", default="")
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://", "sqlite:")):
        raise ImproperlyConfigured(
            "DATABASE_URL must be a postgresql://user:password@host:port/name URL "
            f"(or sqlite:///path), not {_database_url.split('@')[-1]!r}."
        )
    try:
        _db = env.db_url_config(_database_url)
    except Exception as exc:  # environ raises assorted errors for malformed URLs
        raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed: {exc}") from None
    if _db["ENGINE"].endswith("postgresql") and not _db.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL has no database name.")
    if _db["ENGINE"].endswith("postgresql"):
        # No JIT compilation: the planner's cost estimates for the work lists' correlated
        # subqueries pass jit_above_cost, and compiling cost 1-4.5 s per query for queries that
        # run in well under a second (issue 13, "Mine borgere" at national scale: 4.85 s with
        # JIT, 0.5-0.8 s without). The usual choice for a transactional application.
        _db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    _db["CONN_MAX_AGE"] = _int("DATABASE_CONN_MAX_AGE", 60)
    _db["CONN_HEALTH_CHECKS"] = True
    DATABASES = {"default": _db}
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL is not set: production runs on PostgreSQL.")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "mikrolaan.sqlite3",
            # Web, worker and beat share the file: wait for a lock instead of failing at once.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------------------------

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
    # per-process memory cache: the hourly limits below count there (mikrolaan/hastighed.py).
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

# The daily reminder (forloeb.paamindelser) warns course staff and the caseworker this many days
# before a phase's planned end, in time to assess the transition or extend the phase.
PAAMINDELSE_DAGE = _int("PAAMINDELSE_DAGE", 14)
if PAAMINDELSE_DAGE < 1:
    raise ImproperlyConfigured(f"PAAMINDELSE_DAGE must be at least 1, not {PAAMINDELSE_DAGE}.")

# The nightly clean-up (mikrolaan/notifikationer/oprydning.py) deletes notifications read or
# handled and created more than NOTIFIKATIONER_SLET_EFTER_DAGE days ago, and every notification
# older than NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE days, read or not; never one whose email is
# still to be sent. The unread limit is the later one: an unread notification stays longest.
NOTIFIKATIONER_SLET_EFTER_DAGE = _int("NOTIFIKATIONER_SLET_EFTER_DAGE", 180)
NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE = _int("NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE", 365)
if NOTIFIKATIONER_SLET_EFTER_DAGE < 1:
    raise ImproperlyConfigured(
        f"NOTIFIKATIONER_SLET_EFTER_DAGE must be at least 1, not {NOTIFIKATIONER_SLET_EFTER_DAGE}."
    )
if NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE < NOTIFIKATIONER_SLET_EFTER_DAGE:
    raise ImproperlyConfigured(
        "NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE must be at least NOTIFIKATIONER_SLET_EFTER_DAGE "
        f"({NOTIFIKATIONER_SLET_EFTER_DAGE}), not {NOTIFIKATIONER_ULAESTE_SLET_EFTER_DAGE}."
    )

# Retention (databeskyttelse.sletning, nightly): a citizen whose every case closed this many years
# ago is anonymised; the access log is kept for its own number of years. The database refuses to
# erase audit rows younger than one year whatever these say (revision migration 0003), so a
# smaller value is refused here rather than failing every night.
SLETNING_EFTER_AAR = _int("SLETNING_EFTER_AAR", 5)
ADGANGSLOG_OPBEVARING_AAR = _int("ADGANGSLOG_OPBEVARING_AAR", 5)
for _navn, _aar in (
    ("SLETNING_EFTER_AAR", SLETNING_EFTER_AAR),
    ("ADGANGSLOG_OPBEVARING_AAR", ADGANGSLOG_OPBEVARING_AAR),
):
    if _aar < 1:
        raise ImproperlyConfigured(f"{_navn} must be at least 1, not {_aar}.")

# Per user per hour (mikrolaan/hastighed.py): CPR numbers shown, searches made, lists exported.
# A caseworker's busy day stays far below; a script harvesting citizens does not.
HASTIGHEDSGRAENSER = {
    "vis_cpr": _int("GRAENSE_VIS_CPR_PR_TIME", 60),
    "soeg": _int("GRAENSE_SOEGNINGER_PR_TIME", 300),
    "eksport": _int("GRAENSE_EKSPORTER_PR_TIME", 30),
}
for _navn, _graense in HASTIGHEDSGRAENSER.items():
    if _graense < 1:
        raise ImproperlyConfigured(f"The hourly limit for {_navn} must be at least 1.")
# django-ratelimit's own cache-key prefix; tests give each test its own.
RATELIMIT_CACHE_PREFIX = "mikrolaan:graense:"

# --- Authentication -------------------------------------------------------------------------

AUTH_USER_MODEL = "konti.Bruger"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mikrolaan.konti.backends.BrugerBackend",
]
LOGIN_URL = "konti:log_ind"
LOGIN_REDIRECT_URL = "forside"
LOGOUT_REDIRECT_URL = "konti:log_ind"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Five wrong passwords for one user from one address lock that pair out for an hour.
AXES_FAILURE_LIMIT = _int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The hour runs from the attempt that locked: wrong passwords during the lockout are not counted,
# so nobody can keep a colleague locked out by trying again every few minutes (issue 12). 429 Too
# Many Requests, as axes answers by default.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The lockout is per user *and address*: behind the reverse proxy the address must be the client's,
# or five wrong passwords from anyone would lock a user out for everyone.
AXES_CLIENT_IP_CALLABLE = "mikrolaan.sikkerhed.klient_ip"
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "mikrolaan.konti.spaerring.spaerret"
AXES_ENABLED = _bool("AXES_ENABLED", default=True)

# Sessions end when the browser closes and after 8 hours at the latest (a working day).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# ... and after this long without a request from the user (mikrolaan/konti/sessioner.py). The
# browser warns SESSION_ADVARSEL_SEKUNDER before and lets the user stay.
SESSION_INAKTIV_SEKUNDER = _int("SESSION_INAKTIV_MINUTTER", 30) * 60
SESSION_ADVARSEL_SEKUNDER = 60
if not 0 < SESSION_INAKTIV_SEKUNDER <= SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("SESSION_INAKTIV_MINUTTER must be between 1 and 480.")

# Two-factor login (TOTP app, backup codes). Always required in production; in development a user
# who has set it up is asked for a code, and KRAEV_TOFAKTOR=true asks everyone, as production does.
KRAEV_TOFAKTOR = _bool("KRAEV_TOFAKTOR", default=PRODUCTION)
if PRODUCTION and not KRAEV_TOFAKTOR:
    raise ImproperlyConfigured("KRAEV_TOFAKTOR cannot be turned off when DJANGO_ENV=production.")
OTP_TOTP_ISSUER = "Mikrolån"

# --- Language, time and formats -------------------------------------------------------------

LANGUAGE_CODE = "da"
# The language switch's cookie, hardened like the session cookie (JavaScript never reads it).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGES = [("da", _("Dansk")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Our own Danish formats (27.11.2026, 50.000 kr.) override Django's long-form defaults.
FORMAT_MODULE_PATH = ["mikrolaan.formats"]

# --- Static files and uploads ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Third-party assets come from npm (`npm ci`), served from node_modules under a vendor prefix.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # The dashboard's month chart (static/js/diagram.js draws it from the table beside it).
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
# Files a browser asks for at the site's root (/favicon.ico), served by WhiteNoise before any view
# (so before the login requirement). Drawn by scripts/favicon.py.
WHITENOISE_ROOT = BASE_DIR / "static" / "rod"

# Citizens' documents (borgere.lager.KrypteretLager encrypts on top of this storage): outside
# STATIC/MEDIA URLs, only reachable through a view that checks access; deliberately no MEDIA_URL.
# `database` (the default) keeps them in PostgreSQL beside the rows that point to them, so every
# node reaches them and one backup holds both; `s3` in an S3-compatible bucket (for very many
# documents); `fil` in DOKUMENT_MAPPE, for one machine only. `manage.py flyt_dokumenter` copies the
# folder's files into the database or bucket (README, "Flere maskiner").
DOKUMENT_MAPPE = DATA_DIR / "dokumenter"
DOKUMENTLAGER = env.str("DOKUMENTLAGER", default="database")
if DOKUMENTLAGER == "database":
    _dokumentlager = {"BACKEND": "mikrolaan.lager.database.DatabaseLager"}
elif DOKUMENTLAGER == "fil":
    _dokumentlager = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOKUMENT_MAPPE, "base_url": None},
    }
elif DOKUMENTLAGER == "s3":
    _s3_endpoint = env.str("DOKUMENTLAGER_S3_ENDPOINT_URL", default="")
    if _s3_endpoint and not _s3_endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"DOKUMENTLAGER_S3_ENDPOINT_URL must be an http(s):// URL, not {_s3_endpoint!r}."
        )
    _s3_adressering = env.str("DOKUMENTLAGER_S3_ADRESSERING", default="") or None
    if _s3_adressering not in {None, "path", "virtual", "auto"}:
        raise ImproperlyConfigured(
            f"DOKUMENTLAGER_S3_ADRESSERING must be path, virtual or auto, not {_s3_adressering!r}."
        )
    _dokumentlager = {
        "BACKEND": "mikrolaan.lager.s3.S3Lager",
        "OPTIONS": {
            "bucket_name": _required("DOKUMENTLAGER_S3_BUCKET"),
            # Empty: AWS itself; set for MinIO, Ceph or another S3-compatible store.
            "endpoint_url": _s3_endpoint or None,
            "region_name": env.str("DOKUMENTLAGER_S3_REGION", default="") or None,
            "addressing_style": _s3_adressering,
            # Empty: boto3 finds credentials itself (AWS_* variables, an instance role).
            "access_key": env.str("DOKUMENTLAGER_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("DOKUMENTLAGER_S3_SECRET_ACCESS_KEY", default="") or None,
            # A key prefix inside the bucket, so the bucket may hold other things too.
            "location": env.str("DOKUMENTLAGER_S3_PRAEFIKS", default="dokumenter"),
        },
    }
else:
    raise ImproperlyConfigured(
        f"DOKUMENTLAGER must be 'database', 's3' or 'fil', not {DOKUMENTLAGER!r}."
    )

STORAGES = {
    "default": _dokumentlager,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ----------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="mikrolaan@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    try:
        vars().update(env.email_url_config(EMAIL_URL))
    except Exception as exc:
        raise ImproperlyConfigured(f"EMAIL_URL cannot be parsed: {exc}") from None
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_URL is not set: e.g. smtp+tls://user:password@host:587.")
else:
    # Development: every email becomes a file under data/mails/ (see README).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    # EMAIL_FILE_PATH lets a separate process (a test's Celery worker) write to a folder of its own.
    EMAIL_FILE_PATH = Path(env.str("EMAIL_FILE_PATH", default=str(DATA_DIR / "mails"))).resolve()

# --- Security -------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "mikrolaan.views.csrf_fejl"

# Content-Security-Policy (django-csp): everything from our own origin, nothing inline — no
# <script> or <style> blocks, no style="" attributes, no eval — so an injected tag cannot run.
# data: images are Bootstrap's SVG icons inside its CSS (select arrows, the menu button).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}
# No page needs a camera, a microphone or a position; deny them to any script that gets in.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
}

# How many reverse proxies stand in front of the app server, each appending the address it was
# reached from to X-Forwarded-For (docker-compose.yml: one, nginx). 0 trusts no header at all:
# the address is the TCP peer's. mikrolaan.sikkerhed.klient_ip reads it for lockout and logs.
ANTAL_PROXYER = _int("ANTAL_PROXYER", 0)
if ANTAL_PROXYER < 0:
    raise ImproperlyConfigured(f"ANTAL_PROXYER must be 0 or more, not {ANTAL_PROXYER}.")
# The largest request body the app accepts, refused by its Content-Length before it is read:
# a little over the 10 MB document upload, for the multipart framing and the form's other fields.
MAKS_REQUEST_BYTES = _int("MAKS_REQUEST_BYTES", 11 * 1024 * 1024)
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=True)
    # The container health check calls /healthz over plain HTTP from inside the container.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging --------------------------------------------------------------------------------
# Plain logs to stderr; nothing here logs request bodies or query strings, so CPR numbers typed
# into forms never reach a log line.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One record, one line (mikrolaan/logning.py): a line break in a username or a path is
    # written as \n, so it cannot forge a log line.
    "formatters": {
        "plain": {
            "()": "mikrolaan.logning.EnLinjeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    # The calendar feed's token never reaches a log line (mikrolaan/logning.py).
    "filters": {"skjul_hemmeligheder": {"()": "mikrolaan.logning.SkjulHemmeligheder"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["skjul_hemmeligheder"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # runserver's request lines: through our handler (Django's own would print the token).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django logs the full request path of 4xx/5xx responses; our URLs never carry CPR.
        "django.db.backends": {"level": "WARNING"},
        # Lockouts are warnings; every successful login at INFO is noise.
        "axes": {"level": "WARNING"},
        # WeasyPrint (the loan agreement PDF) logs every font and CSS rule it skips at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- django-auditlog ------------------------------------------------------------------------

# Change history records who changed what; the fields holding CPR are excluded per model.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
AXES_VERBOSE = False
