"""Settings for Mikrolån, read from the environment.

One settings module for Django (DJANGO_SETTINGS_MODULE=mikrolaan.settings): every value that
differs between a laptop, CI and production comes from an environment variable (or, outside
production, from the git-ignored `.env` that `make .env` writes). Parsing is strict — a bad value
stops start-up with a message that names the variable — because a typo that silently falls back to
a default is how a production system ends up on SQLite.

The larger self-contained sections live in mikrolaan/indstillinger/, one concern per module, and
are imported below where the section stood, so values are read in the same order as before.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The environment is read once, in miljoe; the section modules below read it the same way.
from .indstillinger.miljoe import (
    BASE_DIR,
    DATA_DIR,
    DJANGO_ENV,  # noqa: F401 - a setting in its own right
    PRODUCTION,
    _bool,
    _int,
    _required,
    env,
)

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
    # Where documents are stored: database, S3 or a folder (DOKUMENTLAGER: indstillinger/).
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

# Each section module is imported where its section stood (hence not at the top), with `import *`
# as Django's own split settings do: every upper-case name it defines is a setting, and a list
# repeated here could silently drop a new one.
from .indstillinger.redis_celery import *  # noqa: E402, F403

# --- Reminders, clean-up, retention and hourly limits ---------------------------------------

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

from .indstillinger.log_ind import *  # noqa: E402, F403

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

from .indstillinger.dokumentlager import *  # noqa: E402, F403

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

from .indstillinger.sikkerhed import *  # noqa: E402, F403

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
