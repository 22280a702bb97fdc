"""The Celery app. Settings are the CELERY_* names in mikrolaan/indstillinger/redis_celery.py,
where each reliability choice (late acks, visibility timeout, time limits, publish retry) is
explained."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mikrolaan.settings")

app = Celery("mikrolaan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
