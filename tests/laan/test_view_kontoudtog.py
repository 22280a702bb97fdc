"""The bank statement import (laan:kontoudtog → laan:kontoudtog_importer): upload, a preview that
saves nothing, and a confirmation that re-reads the file from a signed token instead of trusting
the browser. Importing twice adds nothing; a malformed file names its line and saves nothing.

The loan: 10,000 kr. over 4 months, paid out on 20 July 2026; the statement is read on IDAG.
"""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from laan.models import Indbetaling
from laan.views.kontoudtog import GYLDIG_SEKUNDER, SALT
from mikrolaan.konti.models import Rolle
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import BrugerFactory
from tests.byg.laan import forloeb_paa_faste_dage, udbetalt_laan
from tests.byg.tid import KBH, paa

UDBETALT = datetime.date(2026, 7, 20)
IDAG = datetime.date(2026, 10, 1)


@pytest.fixture
def laan(pilot):
    forloeb = forloeb_paa_faste_dage(pilot, fornavn="Sofie", efternavn="Holm")
    return udbetalt_laan(pilot, forloeb, Decimal(10000), dato=UDBETALT, loebetid=4, afdragsfri=0)


def kontoudtog(laan) -> str:
    return (
        "Dato;Beløb;Tekst\n"
        f"20.08.2026;2.500,00;Mikrolån {laan.reference}\n"
        "21.08.2026;100,00;Husleje august\n"
        f"22.08.2026;20.000,00;{laan.reference}\n"
    )


def upload(klient, bruger, indhold: str, idag=IDAG):
    fil = SimpleUploadedFile("kontoudtog.csv", indhold.encode("cp1252"), content_type="text/csv")
    with paa(idag):
        return klient(bruger).post(reverse("laan:kontoudtog"), {"fil": fil})


def bekraeft(klient, bruger, token: str, idag=IDAG):
    with paa(idag):
        return klient(bruger).post(reverse("laan:kontoudtog_importer"), {"token": token})


def token(svar) -> str:
    return re.search(r'name="token" value="([^"]+)"', svar.content.decode())[1]


def besked(svar) -> list[str]:
    return [str(m) for m in get_messages(svar.wsgi_request)]


def test_course_staff_get_the_upload_form_and_others_are_refused(pilot, klient):
    svar = klient(pilot.forloebsmedarbejder).get(reverse("laan:kontoudtog"))
    assert svar.status_code == 200
    assert 'enctype="multipart/form-data"' in svar.content.decode()
    for rolle in ("sagsbehandler", "erhvervschef", "administrator", "fremmed"):
        assert klient(getattr(pilot, rolle)).get(reverse("laan:kontoudtog")).status_code == 403


def test_the_preview_shows_each_line_with_its_number_and_saves_nothing(pilot, klient, laan):
    svar = upload(klient, pilot.forloebsmedarbejder, kontoudtog(laan))

    assert svar.status_code == 200
    visning = svar.context["visning"]
    assert [(linje.nummer, linje.status.value) for linje in visning.linjer] == [
        (2, "matched"),
        (3, "unmatched"),
        (4, "refused"),
    ]
    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", svar.content.decode()))
    assert "Forhåndsvisning – intet er gemt endnu" in html
    assert "2 20.08.2026 2.500 kr." in html and "Sofie Holm Matchet" in html
    assert "Teksten indeholder ingen gyldig betalingsreference." in html
    assert "er større end restgælden på 7.500 kr." in html
    assert "Importen registrerer 1 indbetaling (i alt 2.500 kr.)." in html
    assert not Indbetaling.objects.exists()
    # The preview names a citizen with an amount: logged with the loans it showed.
    log = AdgangsLog.objects.get()
    assert log.kriterier == {"side": "kontoudtog", "trin": "forhaandsvisning", "laan": [laan.pk]}


def test_confirming_imports_the_matched_lines_and_a_second_time_adds_nothing(pilot, klient, laan):
    signeret = token(upload(klient, pilot.forloebsmedarbejder, kontoudtog(laan)))

    svar = bekraeft(klient, pilot.forloebsmedarbejder, signeret)

    assert svar.status_code == 302 and svar["Location"] == reverse("laan:kontoudtog")
    assert besked(svar) == [
        "1 indbetaling på i alt 2.500 kr. er registreret. 2 linjer blev sprunget over "
        "(allerede importeret, ikke matchet eller afvist)."
    ]
    indbetaling = Indbetaling.objects.get()
    assert (indbetaling.laan, indbetaling.beloeb) == (laan, Decimal("2500.00"))
    assert laan.afdrag.get(nummer=1).betalt == Decimal("2500.00")

    # The same confirmation again (a double click, the back button) and the same file again.
    bekraeft(klient, pilot.forloebsmedarbejder, signeret)
    igen = upload(klient, pilot.forloebsmedarbejder, kontoudtog(laan))
    assert Indbetaling.objects.count() == 1
    assert igen.context["visning"].linjer[0].status.value == "duplicate"


def test_a_malformed_file_names_its_line_and_saves_nothing(pilot, klient, laan):
    indhold = kontoudtog(laan) + f"23.08.2026;et beløb;{laan.reference}\n"

    svar = upload(klient, pilot.forloebsmedarbejder, indhold)

    assert svar.status_code == 200
    assert svar.context["visning"] is None and svar.context["token"] is None
    assert svar.context["form"].errors["fil"] == [
        "Linje 5: »et beløb« er ikke et beløb (fx 1.250,00)."
    ]
    assert 'name="token"' not in svar.content.decode()
    assert not Indbetaling.objects.exists()


def test_the_confirmation_does_not_trust_an_altered_token(pilot, klient, laan):
    signeret = token(upload(klient, pilot.forloebsmedarbejder, kontoudtog(laan)))
    # A forged statement signed with the wrong salt, and a token with one character changed.
    forfalsket = signing.dumps(
        {"bruger": pilot.forloebsmedarbejder.pk, "indhold": kontoudtog(laan)},
        salt="noget.andet",
        compress=True,
    )
    aendret = signeret[:-1] + ("A" if signeret[-1] != "A" else "B")

    for daarlig in (forfalsket, aendret, ""):
        svar = bekraeft(klient, pilot.forloebsmedarbejder, daarlig)
        assert svar.status_code == 302
        assert besked(svar) == ["Forhåndsvisningen kunne ikke genkendes. Indlæs kontoudtoget igen."]
    assert not Indbetaling.objects.exists()


def test_a_preview_left_open_too_long_must_be_read_again(pilot, klient, laan):
    signeret = token(upload(klient, pilot.forloebsmedarbejder, kontoudtog(laan)))
    # The upload happened at 10:00 on IDAG (tests.byg.tid.paa); half an hour and a minute later:
    senere = datetime.datetime.combine(IDAG, datetime.time(10), KBH) + datetime.timedelta(
        seconds=GYLDIG_SEKUNDER + 60
    )

    with time_machine.travel(senere, tick=False):
        svar = klient(pilot.forloebsmedarbejder).post(
            reverse("laan:kontoudtog_importer"), {"token": signeret}
        )

    assert besked(svar) == ["Forhåndsvisningen er for gammel. Indlæs kontoudtoget igen."]
    assert not Indbetaling.objects.exists()


def test_a_preview_is_its_uploaders_only(pilot, klient, laan):
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    signeret = token(upload(klient, pilot.forloebsmedarbejder, kontoudtog(laan)))

    svar = bekraeft(klient, kollega, signeret)

    assert besked(svar) == ["Forhåndsvisningen er ikke din. Indlæs kontoudtoget igen."]
    assert not Indbetaling.objects.exists()


def test_only_course_staff_may_confirm(pilot, klient, laan):
    signeret = signing.dumps(
        {"bruger": pilot.sagsbehandler.pk, "indhold": kontoudtog(laan)}, salt=SALT, compress=True
    )
    assert bekraeft(klient, pilot.sagsbehandler, signeret).status_code == 403
    assert not Indbetaling.objects.exists()
