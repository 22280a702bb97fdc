"""The admin: means of support are maintained there; citizens' data never appear there."""

import datetime

from django.contrib import admin
from django.urls import reverse

from borgere.models import Borger, Dokument, Forsoergelsesgrundlag, Journalnotat


def test_citizens_notes_and_documents_are_not_in_the_admin():
    for model in (Borger, Journalnotat, Dokument):
        assert not admin.site.is_registered(model)


def test_the_administrator_lists_means_of_support_with_their_validity(pilot, klient):
    Forsoergelsesgrundlag.objects.create(
        navn="Starthjælp",
        gyldig_fra=datetime.date(2016, 7, 1),
        gyldig_til=datetime.date(2018, 12, 31),
    )
    svar = klient(pilot.administrator).get(
        reverse("admin:borgere_forsoergelsesgrundlag_changelist")
    )
    html = svar.content.decode()
    assert svar.status_code == 200
    assert "Kontanthjælp" in html and "Starthjælp" in html
    assert "31.12.2018" in html


def test_the_administrator_ends_a_means_of_support_with_an_end_date(pilot, klient):
    grundlag = Forsoergelsesgrundlag.objects.get(navn="Uddannelseshjælp")
    svar = klient(pilot.administrator).post(
        reverse("admin:borgere_forsoergelsesgrundlag_change", args=[grundlag.pk]),
        {"navn": grundlag.navn, "gyldig_fra": "01.01.2015", "gyldig_til": "30.06.2026"},
    )
    assert svar.status_code == 302
    grundlag.refresh_from_db()
    assert grundlag.gyldig_til == datetime.date(2026, 6, 30)


def test_an_end_date_before_the_start_date_is_refused_in_danish(pilot, klient):
    grundlag = Forsoergelsesgrundlag.objects.get(navn="Dagpenge")
    svar = klient(pilot.administrator).post(
        reverse("admin:borgere_forsoergelsesgrundlag_change", args=[grundlag.pk]),
        {"navn": grundlag.navn, "gyldig_fra": "01.01.2015", "gyldig_til": "31.12.2014"},
    )
    assert svar.status_code == 200
    assert "Slutdatoen skal ligge efter startdatoen." in svar.content.decode()
    grundlag.refresh_from_db()
    assert grundlag.gyldig_til is None


def test_means_of_support_cannot_be_deleted_in_the_admin(pilot, klient):
    grundlag = Forsoergelsesgrundlag.objects.get(navn="Dagpenge")
    svar = klient(pilot.administrator).post(
        reverse("admin:borgere_forsoergelsesgrundlag_delete", args=[grundlag.pk]), {"post": "yes"}
    )
    assert svar.status_code == 403
    assert Forsoergelsesgrundlag.objects.filter(pk=grundlag.pk).exists()
