"""The client's address behind the reverse proxy, and the cap on a request's size.

Both guard the app server from what arrives in a request's headers. The address is read in one
place, for the login lockout (django-axes), the access log and the change history alike: an address
that differed between them would make an incident impossible to follow through the logs.
"""

import ipaddress

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings
from django.shortcuts import render


def klient_ip(request) -> str | None:
    """The address the request came from: the TCP peer, or what the trusted proxies say it was.

    Each of the ANTAL_PROXYER proxies appends the address it was reached from to X-Forwarded-For,
    so the client's address is the N-th entry from the right; everything left of it was written by
    the client and proves nothing. (django-ipware counts proxies the other way round — by the
    proxies' own addresses in the header — and answers no address at all when a client sends its
    own header, which would put every such client behind one shared address again.) A header
    shorter than the chain, or an entry that is not an address, means the request did not come
    through the proxies (say, the container's health check), and the TCP peer is the client.
    """
    peer = request.META.get("REMOTE_ADDR") or None
    antal = settings.ANTAL_PROXYER
    if antal == 0:
        return peer
    kaede = [del_.strip() for del_ in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    kaede = [del_ for del_ in kaede if del_]
    if len(kaede) < antal:
        return peer
    try:
        return str(ipaddress.ip_address(kaede[-antal]))
    except ValueError:
        return peer


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware with the change history's address read by `klient_ip`."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return klient_ip(request)

    @staticmethod
    def _get_remote_port(request):
        # The port is the client's own claim (X-Forwarded-Port); nothing is learnt from it.
        return None


class BegraensRequestStoerrelse:
    """Refuse a request body larger than MAKS_REQUEST_BYTES before a byte of it is read.

    Django checks an upload's size only once it has received the whole body (a 300 MB upload was
    read to the end before the form said "at most 10 MB"); Content-Length says it up front. A
    chunked body has no length to check, and Django would not read it either (it reads as many
    bytes as Content-Length says), so it is refused too: browsers always send the length.
    The proxy caps the body as well (deploy/nginx.conf); this holds without it, e.g. on loopback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self._afvis(request, status=411)
        try:
            laengde = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self._afvis(request, status=400)
        if laengde > settings.MAKS_REQUEST_BYTES:
            return self._afvis(request, status=413)
        return self.get_response(request)

    @staticmethod
    def _afvis(request, *, status: int):
        # The authentication middleware has not run yet: the page is the anonymous layout. (The
        # unread body cannot be mistaken for a next request: gunicorn's sync workers close the
        # connection after every answer.)
        return render(
            request,
            "400.html" if status == 400 else "413.html",
            {"maks_mb": settings.MAKS_REQUEST_BYTES // (1024 * 1024), "status": status},
            status=status,
        )
