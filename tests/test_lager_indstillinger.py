"""Settings for more than one node: where documents go (DOKUMENTLAGER), and that with PostgreSQL
and Redis configured no state is left in one process or on one disk. Read in a fresh interpreter,
as settings are read once per process."""

import json

from tests.byg.proces import DEVELOPMENT_SECRETS, run_python, start_up_error

VIS = """
import json, django
django.setup()
from django.conf import settings
from axes.conf import settings as axes
print(json.dumps({
    "dokumenter": settings.STORAGES["default"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessioner": settings.SESSION_ENGINE,
    "axes": axes.AXES_HANDLER,
    "broker": settings.CELERY_BROKER_URL,
    "beat": settings.CELERY_BEAT_SCHEDULER,
    "koe": settings.CELERY_TASK_DEFAULT_QUEUE,
}, default=str))
"""

FLERE_NODER = {
    **DEVELOPMENT_SECRETS,
    # Never connected to: reading settings opens no connection.
    "DATABASE_URL": "postgresql://mikrolaan@db.invalid:5432/mikrolaan",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def _indstillinger(tmp_path, miljoe: dict) -> dict:
    resultat = run_python(tmp_path, miljoe, "-c", VIS)
    assert resultat.returncode == 0, resultat.stderr
    return json.loads(resultat.stdout)


def test_with_postgresql_and_redis_no_state_lives_in_one_process_or_on_one_disk(tmp_path):
    vaerdier = _indstillinger(tmp_path, FLERE_NODER)

    assert vaerdier["dokumenter"] == {"BACKEND": "mikrolaan.lager.database.DatabaseLager"}
    assert vaerdier["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert vaerdier["sessioner"] == "django.contrib.sessions.backends.db"
    assert vaerdier["axes"] == "axes.handlers.database.AxesDatabaseHandler"
    assert vaerdier["broker"] == "redis://redis.invalid:6379/0"
    assert vaerdier["beat"] == "mikrolaan.beat:EnBeatScheduler"
    assert vaerdier["koe"] == "celery"


def test_documents_go_to_the_database_by_default_and_to_the_folder_only_when_asked(tmp_path):
    standard = _indstillinger(tmp_path, DEVELOPMENT_SECRETS)["dokumenter"]
    fil = _indstillinger(tmp_path, {**DEVELOPMENT_SECRETS, "DOKUMENTLAGER": "fil"})["dokumenter"]

    assert standard["BACKEND"] == "mikrolaan.lager.database.DatabaseLager"
    assert fil["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert fil["OPTIONS"]["location"] == str(tmp_path / "data" / "dokumenter")


def test_s3_is_configured_from_the_environment(tmp_path):
    miljoe = {
        **FLERE_NODER,
        "DOKUMENTLAGER": "s3",
        "DOKUMENTLAGER_S3_BUCKET": "kommunens-dokumenter",
        "DOKUMENTLAGER_S3_ENDPOINT_URL": "https://s3.kommune.example.dk",
        "DOKUMENTLAGER_S3_REGION": "eu-north-1",
        "DOKUMENTLAGER_S3_ACCESS_KEY_ID": "noegle-id",
        "DOKUMENTLAGER_S3_SECRET_ACCESS_KEY": "hemmelig",
        "DOKUMENTLAGER_S3_ADRESSERING": "path",
    }

    lager = _indstillinger(tmp_path, miljoe)["dokumenter"]

    assert lager["BACKEND"] == "mikrolaan.lager.s3.S3Lager"
    assert lager["OPTIONS"] == {
        "bucket_name": "kommunens-dokumenter",
        "endpoint_url": "https://s3.kommune.example.dk",
        "region_name": "eu-north-1",
        "addressing_style": "path",
        "access_key": "noegle-id",
        "secret_key": "hemmelig",
        "location": "dokumenter",
    }


def test_s3_without_a_bucket_stops_start_up_naming_the_variable(tmp_path):
    resultat = run_python(tmp_path, {**FLERE_NODER, "DOKUMENTLAGER": "s3"}, "-c", VIS)

    assert "DOKUMENTLAGER_S3_BUCKET is not set" in start_up_error(resultat)


def test_an_unknown_storage_or_a_bad_endpoint_stops_start_up(tmp_path):
    ukendt = run_python(tmp_path, {**FLERE_NODER, "DOKUMENTLAGER": "disk"}, "-c", VIS)
    endpoint = run_python(
        tmp_path,
        {
            **FLERE_NODER,
            "DOKUMENTLAGER": "s3",
            "DOKUMENTLAGER_S3_BUCKET": "b",
            "DOKUMENTLAGER_S3_ENDPOINT_URL": "s3.example.dk",
        },
        "-c",
        VIS,
    )

    assert "DOKUMENTLAGER must be 'database', 's3' or 'fil', not 'disk'" in start_up_error(ukendt)
    assert "DOKUMENTLAGER_S3_ENDPOINT_URL must be an http(s):// URL" in start_up_error(endpoint)


def test_a_beat_lock_shorter_than_two_seconds_stops_start_up(tmp_path):
    resultat = run_python(tmp_path, {**FLERE_NODER, "BEAT_LAAS_SEKUNDER": "1"}, "-c", VIS)

    assert "BEAT_LAAS_SEKUNDER must be at least 2, not 1." in start_up_error(resultat)
