"""The service that reveals a CPR number: borgere.services.vis_cpr."""

import json

from django.test import RequestFactory

from borgere.services import vis_cpr
from mikrolaan.revision.models import AdgangsLog


def test_revealing_a_cpr_number_returns_it_and_writes_the_access_log(sagsdata):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    vist = vis_cpr(borger=sagsdata.borger, bruger=sagsdata.sagsbehandler, request=request)

    cifre = sagsdata.borger.cpr
    assert vist == f"{cifre[:6]}-{cifre[6:]}"
    log = AdgangsLog.objects.get()
    assert log.handling == AdgangsLog.Handling.VIS_CPR
    assert log.bruger == sagsdata.sagsbehandler
    assert log.objekt_id == str(sagsdata.borger.pk)
    assert log.objekt_type.model == "borger"
    assert log.ip_adresse == "10.0.0.7"
    # The log records that the number was seen, never the number itself.
    assert cifre not in json.dumps(log.kriterier)
