"""The service that changes a citizen's data: borgere.services.borger_opdater."""

import pytest
from django.core.exceptions import ValidationError

from borgere.models import Forsoergelsesgrundlag
from borgere.services import borger_opdater


def test_contact_data_means_of_support_and_business_idea_can_be_changed(sagsdata):
    dagpenge = Forsoergelsesgrundlag.objects.get(navn="Dagpenge")
    borger_opdater(
        borger=sagsdata.borger,
        bruger=sagsdata.sagsbehandler,
        efternavn="Sørensen",
        telefon="12345678",
        forsoergelsesgrundlag=dagpenge,
        forretningsidee="Bageri",
    )
    sagsdata.borger.refresh_from_db()
    assert sagsdata.borger.efternavn == "Sørensen"
    assert sagsdata.borger.soegenavn == "anna sørensen"
    assert sagsdata.borger.forsoergelsesgrundlag == dagpenge
    assert sagsdata.borger.forretningsidee == "Bageri"


def test_the_cpr_number_cannot_be_changed(sagsdata):
    for felt in ("cpr", "cpr_krypteret", "cpr_indeks", "jobcenter"):
        with pytest.raises(TypeError):
            borger_opdater(borger=sagsdata.borger, bruger=sagsdata.sagsbehandler, **{felt: "x"})


def test_an_invalid_email_is_refused_in_danish_and_nothing_is_saved(sagsdata):
    with pytest.raises(ValidationError) as fejl:
        borger_opdater(
            borger=sagsdata.borger, bruger=sagsdata.sagsbehandler, email="ikke-en-adresse"
        )
    assert fejl.value.message_dict == {"email": ["Indtast en gyldig e-mail-adresse."]}
    sagsdata.borger.refresh_from_db()
    assert sagsdata.borger.email == ""
