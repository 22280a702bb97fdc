"""The access-log API that every view showing citizen data calls."""

import re

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AdgangsLog

# A CPR number with or without the dash, or any other run of six or more digits (a partial CPR).
_CPR_CIFRE = re.compile(r"\d{6}-?\d{4}|\d{6,}")


def uden_cpr(vaerdi):
    """The value with every CPR-like run of digits replaced, recursively through dicts and lists."""
    if isinstance(vaerdi, str):
        return _CPR_CIFRE.sub("[CPR]", vaerdi)
    if isinstance(vaerdi, dict):
        return {k: uden_cpr(v) for k, v in vaerdi.items()}
    if isinstance(vaerdi, list | tuple):
        return [uden_cpr(v) for v in vaerdi]
    return vaerdi


def log_adgang(
    *,
    bruger,
    handling: AdgangsLog.Handling,
    objekt: models.Model | None = None,
    kriterier: dict | None = None,
    request=None,
) -> AdgangsLog:
    """Record that `bruger` read `objekt` (or searched with `kriterier`). CPR digits are removed."""
    return AdgangsLog.objects.create(
        bruger=bruger,
        handling=handling,
        objekt_type=ContentType.objects.get_for_model(objekt) if objekt is not None else None,
        objekt_id=str(objekt.pk) if objekt is not None else "",
        kriterier=uden_cpr(kriterier or {}),
        ip_adresse=request.META.get("REMOTE_ADDR") if request is not None else None,
    )
