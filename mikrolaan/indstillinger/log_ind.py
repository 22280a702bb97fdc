"""Authentication: the user model, passwords, lockout (django-axes), sessions and two-factor
login."""

from django.core.exceptions import ImproperlyConfigured

from .miljoe import PRODUCTION, _bool, _int

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
