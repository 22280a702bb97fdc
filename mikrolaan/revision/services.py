"""The access-log API that every view showing citizen data calls."""

import datetime
import re
from collections.abc import Iterable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from mikrolaan.sikkerhed import klient_ip

from .models import AdgangsLog, Sletningslog, UforanderligError

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
        ip_adresse=klient_ip(request) if request is not None else None,
    )


def log_adgang_for_hver(
    *,
    bruger,
    handling: AdgangsLog.Handling,
    objekter: Iterable[models.Model],
    kriterier: dict | None = None,
    request=None,
) -> int:
    """One row per object, as `log_adgang` would write them, in one bulk insert; the number written.

    For a read of many citizens at once that each citizen's right of access must show, such as the
    CPR numbers in an export: a row per citizen is found by the same indexed look-up as a reveal
    on the citizen's page, where one row listing every id would be neither (issue 13's finding
    about one huge log row). Bulk inserts are allowed: the log refuses only changes and deletes.
    """
    kriterier = uden_cpr(kriterier or {})
    ip_adresse = klient_ip(request) if request is not None else None
    typer: dict[type, ContentType] = {}
    raekker = []
    for objekt in objekter:
        if type(objekt) not in typer:
            typer[type(objekt)] = ContentType.objects.get_for_model(objekt)
        raekker.append(
            AdgangsLog(
                bruger=bruger,
                handling=handling,
                objekt_type=typer[type(objekt)],
                objekt_id=str(objekt.pk),
                kriterier=kriterier,
                ip_adresse=ip_adresse,
            )
        )
    AdgangsLog.objects.bulk_create(raekker, batch_size=2000)
    return len(raekker)


# --- Retention: the one path that removes audit rows ------------------------------------------
#
# On PostgreSQL both go through the owner's SECURITY DEFINER functions (migration 0003), which
# refuse rows younger than a year and log each use in Sletningslog themselves; the application role
# has no DELETE on these tables. SQLite (development) has no such functions: the same rules are
# applied here, and the model's own refusal is bypassed by a raw delete, deliberately.

MINDSTE_ALDER = datetime.timedelta(days=365)


def slet_adgangslog_foer(*, foer: datetime.datetime) -> int:
    """Remove access-log rows older than `foer`; the number removed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT revision_slet_adgangslog(%s)", [foer])
            return cursor.fetchone()[0]
    if foer > timezone.now() - MINDSTE_ALDER:
        raise UforanderligError("Adgangslog yngre end et år kan ikke slettes")
    raekker = AdgangsLog.objects.filter(tidspunkt__lt=foer)
    antal = raekker._raw_delete(raekker.db)
    Sletningslog.objects.create(
        tabel=AdgangsLog._meta.db_table, graense=foer, antal=antal, databasebruger="sqlite"
    )
    return antal


def slet_logposter(*, ids: list[int]) -> int:
    """Remove these change-history rows if older than a year; the number removed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT revision_slet_logposter(%s)", [list(ids)])
            return cursor.fetchone()[0]
    raekker = LogEntry.objects.filter(id__in=ids, timestamp__lt=timezone.now() - MINDSTE_ALDER)
    antal = raekker._raw_delete(raekker.db)
    Sletningslog.objects.create(
        tabel=LogEntry._meta.db_table, graense=None, antal=antal, databasebruger="sqlite"
    )
    return antal
