"""The audit trail against the application's own database role (issue 11, point 4).

The application connects as a role that `tildel_rettigheder` set up: neither superuser nor owner,
INSERT and SELECT only on the audit tables. These tests create such a role in the test database,
grant exactly as the command does, connect as it with psycopg, and try every way to erase the
trail that the security review found open.
"""

import uuid

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from mikrolaan.revision.models import AdgangsLog
from mikrolaan.revision.roller import REVISIONSTABELLER
from mikrolaan.revision.services import log_adgang

pytestmark = pytest.mark.django_db(transaction=True)


def _forbind(**ekstra) -> psycopg.Connection:
    indstillinger = connection.settings_dict
    return psycopg.connect(
        dbname=indstillinger["NAME"],
        host=indstillinger["HOST"] or None,
        port=indstillinger["PORT"] or None,
        user=ekstra.pop("user", indstillinger["USER"]),
        password=indstillinger["PASSWORD"] or None,
        autocommit=True,
        **ekstra,
    )


@pytest.fixture
def app_rolle(kraever_postgres):
    """A fresh non-superuser login role with the application's grants, dropped afterwards."""
    rolle = f"mikrolaan_app_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {rolle} LOGIN NOSUPERUSER")
    try:
        call_command("tildel_rettigheder", rolle, stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield rolle
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {rolle}")
            cursor.execute(f"DROP ROLE {rolle}")


@pytest.fixture
def som_app(app_rolle):
    with _forbind(user=app_rolle) as forbindelse:
        yield forbindelse


def _afvist(forbindelse, sql, besked):
    with pytest.raises(psycopg.Error, match=besked), forbindelse.cursor() as cursor:
        cursor.execute(sql)


def test_the_application_role_can_read_and_write_the_audit_log(som_app):
    # Created (committed) here: a transactional test before this one may have emptied the table.
    content_type = ContentType.objects.get_for_model(AdgangsLog).pk
    with som_app.transaction(force_rollback=True), som_app.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auditlog_logentry (content_type_id, object_pk, object_repr, action, "
            "changes_text, timestamp, additional_data, serialized_data, remote_addr, cid, "
            "actor_email) VALUES (%s, '1', 'x', 0, '', now(), NULL, NULL, NULL, NULL, NULL) "
            "RETURNING id",
            [content_type],
        )
        assert cursor.fetchone()[0] > 0
        cursor.execute("SELECT count(*) FROM revision_adgangslog")
        cursor.execute("SELECT count(*) FROM borgere_borger")


@pytest.mark.parametrize("tabel", REVISIONSTABELLER)
def test_the_application_role_cannot_update_delete_or_truncate_audit_rows(som_app, tabel):
    for sql in (
        f"UPDATE {tabel} SET id = id",  # noqa: S608 - fixed table names
        f"DELETE FROM {tabel}",  # noqa: S608
        f"TRUNCATE {tabel}",
    ):
        _afvist(som_app, sql, "permission denied")


@pytest.mark.parametrize("tabel", REVISIONSTABELLER)
def test_the_application_role_cannot_disable_the_trigger(som_app, tabel):
    _afvist(som_app, f"ALTER TABLE {tabel} DISABLE TRIGGER ALL", "must be owner")


def test_the_application_role_cannot_switch_triggers_off_by_replication_role(som_app):
    _afvist(som_app, "SET session_replication_role = replica", "permission denied")


def test_the_application_role_gains_nothing_by_setting_the_retention_variable(som_app):
    with som_app.cursor() as cursor:
        cursor.execute("SET mikrolaan.sletning = 'on'")
    _afvist(som_app, "DELETE FROM revision_adgangslog", "permission denied")


def test_the_retention_function_refuses_to_erase_the_last_year(som_app):
    _afvist(
        som_app,
        "SELECT revision_slet_adgangslog(now() - interval '300 days')",
        "yngre end et år kan ikke slettes",
    )
    with som_app.cursor() as cursor:
        cursor.execute("SELECT revision_slet_adgangslog(now() - interval '2 years')")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT tabel, antal FROM revision_sletningslog")
        assert cursor.fetchall() == [("revision_adgangslog", 0)]


def test_only_the_application_role_is_granted_the_retention_functions(app_rolle):
    andre = f"mikrolaan_andre_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {andre} LOGIN NOSUPERUSER")
    try:
        with _forbind(user=andre) as forbindelse:
            _afvist(
                forbindelse,
                "SELECT revision_slet_adgangslog(now() - interval '2 years')",
                "permission denied for function",
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP ROLE {andre}")


def test_the_grants_refuse_a_superuser_role(kraever_postgres):
    with pytest.raises(CommandError, match="må hverken være superbruger"):
        call_command("tildel_rettigheder", connection.settings_dict["USER"])


def test_the_grants_are_idempotent(app_rolle):
    call_command("tildel_rettigheder", app_rolle, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with _forbind(user=app_rolle) as forbindelse:
        _afvist(forbindelse, "DELETE FROM revision_adgangslog", "permission denied")


@pytest.mark.parametrize("tabel", REVISIONSTABELLER)
def test_truncate_is_refused_by_trigger_even_with_the_privilege(kraever_postgres, tabel):
    # Another role than a superuser with TRUNCATE granted (as an owner has it): the trigger is
    # what refuses, not the missing privilege.
    rolle = f"mikrolaan_trunc_test_{uuid.uuid4().hex[:12]}"
    with (
        pytest.raises(DatabaseError, match="kan ikke ændres eller slettes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"CREATE ROLE {rolle} NOSUPERUSER")
        cursor.execute(f"GRANT TRUNCATE ON {tabel} TO {rolle}")
        cursor.execute(f"SET LOCAL ROLE {rolle}")
        cursor.execute(f"TRUNCATE {tabel}")


def test_the_retention_variable_does_not_open_the_trigger_to_a_role_that_is_not_the_owner(
    kraever_postgres, pilot
):
    log_adgang(bruger=pilot.sagsbehandler, handling=AdgangsLog.Handling.VIS)
    rolle = f"mikrolaan_slet_test_{uuid.uuid4().hex[:12]}"
    with (
        pytest.raises(DatabaseError, match="kan ikke ændres eller slettes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"CREATE ROLE {rolle} NOSUPERUSER")
        cursor.execute(f"GRANT SELECT, DELETE ON revision_adgangslog TO {rolle}")
        cursor.execute(f"SET LOCAL ROLE {rolle}")
        cursor.execute("SELECT set_config('mikrolaan.sletning', 'on', true)")
        cursor.execute("DELETE FROM revision_adgangslog")
