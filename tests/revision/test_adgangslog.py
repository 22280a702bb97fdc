import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from mikrolaan.konti.models import Organisation
from mikrolaan.revision.models import AdgangsLog, UforanderligError
from mikrolaan.revision.services import log_adgang, uden_cpr

pytestmark = pytest.mark.django_db


def test_search_criteria_are_logged_without_cpr_digits(pilot):
    log = log_adgang(
        bruger=pilot.sagsbehandler,
        handling=AdgangsLog.Handling.SOEG,
        kriterier={"q": "0101901234", "andet": ["010190-1234", "Jensen"], "del": "123456"},
    )
    log.refresh_from_db()
    assert log.kriterier == {"q": "[CPR]", "andet": ["[CPR]", "Jensen"], "del": "[CPR]"}
    assert "1234" not in str(log.kriterier)


def test_an_access_log_names_the_object_read(pilot):
    log = log_adgang(
        bruger=pilot.sagsbehandler, handling=AdgangsLog.Handling.VIS, objekt=pilot.ishoej
    )
    assert (log.objekt_type.model, log.objekt_id) == ("organisation", str(pilot.ishoej.pk))


def test_uden_cpr_leaves_ordinary_text_alone():
    assert uden_cpr("Anna Jensen, 2635 Ishøj") == "Anna Jensen, 2635 Ishøj"


def test_the_application_cannot_change_or_delete_an_access_log(pilot):
    log = log_adgang(bruger=pilot.sagsbehandler, handling=AdgangsLog.Handling.VIS)
    with pytest.raises(UforanderligError):
        log.save()
    with pytest.raises(UforanderligError):
        log.delete()


def test_changes_to_organisations_are_in_the_change_history(pilot):
    pilot.ishoej.email = "erhverv@ishoj.dk"
    pilot.ishoej.save()
    entry = LogEntry.objects.get_for_object(pilot.ishoej).first()
    assert entry.changes_dict["email"] == ["", "erhverv@ishoj.dk"]


@pytest.mark.parametrize("tabel", ["revision_adgangslog", "auditlog_logentry"])
def test_postgresql_refuses_update_and_delete_of_audit_rows(pilot, kraever_postgres, tabel):
    log_adgang(bruger=pilot.sagsbehandler, handling=AdgangsLog.Handling.VIS)
    Organisation.objects.create(navn="Ny kommune", type="kommune")  # an auditlog row
    for sql in (f"UPDATE {tabel} SET id = id", f"DELETE FROM {tabel}"):  # noqa: S608 - fixed names
        with (
            pytest.raises(DatabaseError, match="kan ikke ændres eller slettes"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {tabel}")  # noqa: S608
        assert cursor.fetchone()[0] >= 1
