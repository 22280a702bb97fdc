import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .celery import app as celery_app

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
def healthz(request):
    """Public liveness check for the container: database and broker reachable.

    Answers only "ok" or "fejl" so nothing about the installation leaks; the reason is logged.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("healthz failed")
        return HttpResponse("fejl", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@never_cache
def csrf_fejl(request, reason=""):
    """CSRF_FAILURE_VIEW: a Danish page in the layout instead of Django's English one.

    Mostly an honest user's old tab (the token changed at the last login or logout), so it says
    what to do; the technical reason is not shown.
    """
    return render(
        request,
        "403_csrf.html",
        {"cookies": reason != REASON_NO_CSRF_COOKIE},
        status=403,
    )
