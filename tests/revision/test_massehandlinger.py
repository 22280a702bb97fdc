"""Bulk updates and deletes bypass save() and delete(): the access log refuses them too."""

import pytest

from mikrolaan.revision.models import AdgangsLog, UforanderligError
from mikrolaan.revision.services import log_adgang


def test_the_access_log_refuses_bulk_update_and_delete(pilot):
    log_adgang(bruger=pilot.sagsbehandler, handling=AdgangsLog.Handling.VIS)

    with pytest.raises(UforanderligError):
        AdgangsLog.objects.filter(bruger=pilot.sagsbehandler).update(kriterier={})
    with pytest.raises(UforanderligError):
        AdgangsLog.objects.all().delete()
    assert AdgangsLog.objects.filter(bruger=pilot.sagsbehandler).count() == 1
