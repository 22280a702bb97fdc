"""Security headers (CSP, permissions policy), the reverse proxies in front, the request size limit
and HTTPS in production."""

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .miljoe import PRODUCTION, _bool, _int

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
