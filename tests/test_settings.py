"""Settings: strict start-up, a clean `check --deploy` in production, Danish defaults.

Start-up is tested in a subprocess with a controlled environment, because settings are read once
per process. The subprocess gets its secrets from that environment; in production the local `.env`
is not read at all, so these tests pass whether or not `make .env` has written one.
"""

import secrets
from datetime import date
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.utils import formats, translation

from tests.byg.proces import DEVELOPMENT_SECRETS, run_python, start_up_error

PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "mikrolaan.example.dk",
    "SITE_URL": "https://mikrolaan.example.dk",
    "CPR_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "CPR_INDEX_KEY": secrets.token_urlsafe(32),
    "EMAIL_URL": "smtp+tls://mikrolaan:hemmeligt@mail.example.dk:587",
    # Never connected to: neither start-up nor `check --deploy` opens a database connection.
    "DATABASE_URL": "postgresql://mikrolaan:hemmeligt@db.invalid:5432/mikrolaan",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}

SETUP = "import django; django.setup()"


def test_development_starts_with_only_the_generated_secrets(tmp_path):
    result = run_python(tmp_path, DEVELOPMENT_SECRETS, "-c", SETUP)

    assert result.returncode == 0, result.stderr


def test_a_database_url_that_is_not_a_url_stops_start_up_naming_database_url(tmp_path):
    result = run_python(tmp_path, DEVELOPMENT_SECRETS | {"DATABASE_URL": "nonsense"}, "-c", SETUP)

    assert start_up_error(result).startswith(
        "django.core.exceptions.ImproperlyConfigured: DATABASE_URL must be a postgresql://"
    )


def test_a_database_url_without_a_database_name_stops_start_up(tmp_path):
    url = "postgresql://mikrolaan:hemmeligt@db:5432/"
    result = run_python(tmp_path, DEVELOPMENT_SECRETS | {"DATABASE_URL": url}, "-c", SETUP)

    assert "DATABASE_URL has no database name" in start_up_error(result)


def test_a_redis_url_that_is_not_a_redis_url_stops_start_up_naming_redis_url(tmp_path):
    result = run_python(tmp_path, DEVELOPMENT_SECRETS | {"REDIS_URL": "nonsense"}, "-c", SETUP)

    assert start_up_error(result).startswith(
        "django.core.exceptions.ImproperlyConfigured: REDIS_URL must start with redis://"
    )


def test_a_wrong_redis_url_is_reported_without_its_password(tmp_path):
    url = "http://:hemmeligt@redis.internal:6379/0"
    result = run_python(tmp_path, DEVELOPMENT_SECRETS | {"REDIS_URL": url}, "-c", SETUP)

    assert "REDIS_URL" in start_up_error(result)
    assert "hemmeligt" not in result.stderr


def test_debug_maybe_stops_start_up_naming_debug(tmp_path):
    result = run_python(tmp_path, DEVELOPMENT_SECRETS | {"DEBUG": "maybe"}, "-c", SETUP)

    assert start_up_error(result).endswith("DEBUG must be a boolean (true/false), not 'maybe'.")


def test_a_number_setting_that_is_not_a_number_stops_start_up_naming_it(tmp_path):
    result = run_python(tmp_path, DEVELOPMENT_SECRETS | {"AXES_FAILURE_LIMIT": "five"}, "-c", SETUP)

    assert "AXES_FAILURE_LIMIT must be a whole number" in start_up_error(result)


def test_an_unknown_django_env_stops_start_up(tmp_path):
    result = run_python(tmp_path, DEVELOPMENT_SECRETS | {"DJANGO_ENV": "staging"}, "-c", SETUP)

    assert "DJANGO_ENV must be 'development' or 'production'" in start_up_error(result)


def test_production_without_secret_key_stops_start_up_naming_secret_key(tmp_path):
    environment = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = run_python(tmp_path, environment, "-c", SETUP)

    # Also shows that production does not fall back to the local `.env`.
    assert start_up_error(result).endswith("SECRET_KEY is not set: set it in the environment.")


@pytest.mark.parametrize(
    "name",
    [
        "ALLOWED_HOSTS",
        "CPR_ENCRYPTION_KEYS",
        "CPR_INDEX_KEY",
        "EMAIL_URL",
        "DATABASE_URL",
        "REDIS_URL",
    ],
)
def test_production_refuses_to_start_without_each_required_variable(tmp_path, name):
    environment = {k: v for k, v in PRODUCTION.items() if k != name}

    result = run_python(tmp_path, environment, "-c", SETUP)

    assert f"{name} is not set" in start_up_error(result)


def test_production_refuses_to_start_with_debug_on(tmp_path):
    result = run_python(tmp_path, PRODUCTION | {"DEBUG": "true"}, "-c", SETUP)

    assert "DEBUG must be off when DJANGO_ENV=production" in start_up_error(result)


def test_production_with_every_required_variable_passes_check_deploy(tmp_path):
    result = run_python(
        tmp_path, PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


HEALTHZ_AND_LOGIN_OVER_HTTP = """
import django
django.setup()
from django.test import Client
from django.urls import reverse
client = Client(HTTP_HOST="mikrolaan.example.dk")
healthz = client.get(reverse("healthz"))
log_ind = client.get(reverse("konti:log_ind"))
print(healthz.status_code, healthz.content.decode(), log_ind.status_code, log_ind["Location"])
"""


def test_production_answers_healthz_over_plain_http_and_sends_everything_else_to_https(
    tmp_path, redis_url
):
    # The container health check calls /healthz over plain HTTP; everything else goes to HTTPS.
    # /healthz asks the database and Redis, so both are real here.
    environment = PRODUCTION | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
    }

    result = run_python(tmp_path, environment, "-c", HEALTHZ_AND_LOGIN_OVER_HTTP)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "200",
        "ok",
        "301",
        "https://mikrolaan.example.dk/konti/log-ind/",
    ]


def test_danish_is_the_default_language_and_copenhagen_the_time_zone():
    assert settings.LANGUAGE_CODE == "da"
    assert settings.TIME_ZONE == "Europe/Copenhagen"
    assert settings.USE_TZ


def test_dates_are_written_day_month_year_with_dots_in_danish():
    with translation.override("da"):
        assert formats.date_format(date(2026, 11, 27)) == "27.11.2026"
        assert formats.date_format(date(2026, 11, 27), "SHORT_DATE_FORMAT") == "27.11.2026"


def test_amounts_are_grouped_with_dots_and_decimals_follow_a_comma_in_danish():
    with translation.override("da"):
        assert formats.number_format(Decimal("50000"), force_grouping=True) == "50.000"
        assert formats.number_format(Decimal("1234.5"), decimal_pos=2) == "1.234,50"


def test_postgresql_connections_run_without_jit_compilation(kraever_postgres):
    # Issue 13: JIT compiled the work lists' correlated subqueries for seconds per request.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
