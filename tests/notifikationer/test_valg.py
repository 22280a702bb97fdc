"""The settings page "Mine notifikationsvalg": email per event type, on by default."""

from django.urls import reverse

from mikrolaan.notifikationer.models import EmailValg, Haendelse
from mikrolaan.notifikationer.services import email_valg

VALG = reverse("notifikationer:valg")


def test_every_event_type_is_a_labelled_checkbox_and_all_are_on_by_default(client, pilot):
    client.force_login(pilot.erhvervschef)

    svar = client.get(VALG)

    assert svar.status_code == 200
    indhold = svar.content.decode()
    assert "Mine notifikationsvalg" in indhold
    for haendelse in Haendelse:
        assert str(haendelse.label) in indhold
    assert indhold.count('type="checkbox"') == len(Haendelse)
    assert indhold.count("checked") == len(Haendelse)
    # The group of checkboxes has a legend, each checkbox a label.
    assert "<legend" in indhold
    assert indhold.count("<label") >= len(Haendelse)


def test_saving_the_form_stores_the_choices(client, pilot):
    client.force_login(pilot.erhvervschef)

    valgt = [Haendelse.INDSKREVET, Haendelse.UDSKREVET]
    svar = client.post(VALG, {"med_email": valgt}, follow=True)

    assert "Dine notifikationsvalg er gemt." in svar.content.decode()
    assert email_valg(bruger=pilot.erhvervschef) == {Haendelse.INDSKREVET, Haendelse.UDSKREVET}
    # The page shows what was saved.
    assert svar.content.decode().count("checked") == 2


def test_turning_everything_off_and_on_again(client, pilot):
    client.force_login(pilot.erhvervschef)
    client.post(VALG, {})
    assert email_valg(bruger=pilot.erhvervschef) == set()

    client.post(VALG, {"med_email": Haendelse.values})
    assert email_valg(bruger=pilot.erhvervschef) == set(Haendelse)
    assert not EmailValg.objects.filter(bruger=pilot.erhvervschef).exists()


def test_a_users_choices_do_not_touch_anyone_elses(client, pilot):
    client.force_login(pilot.erhvervschef)
    client.post(VALG, {})
    assert email_valg(bruger=pilot.sagsbehandler) == set(Haendelse)


def test_an_unknown_event_type_is_refused_with_a_danish_error(client, pilot):
    client.force_login(pilot.erhvervschef)
    svar = client.post(VALG, {"med_email": ["ukendt"]})
    assert svar.status_code == 200
    assert "Marker en gyldig valgmulighed" in svar.content.decode()
    assert email_valg(bruger=pilot.erhvervschef) == set(Haendelse)


def test_the_preferences_page_uses_a_fixed_number_of_queries(
    client, pilot, django_assert_num_queries
):
    client.force_login(pilot.erhvervschef)
    # 1. the session
    # 2. the user with their organisation
    # 3. the user's email choices
    # 4. the user's role groups (navigation)
    # 5. the bell's unread count
    with django_assert_num_queries(5):
        client.get(VALG)
