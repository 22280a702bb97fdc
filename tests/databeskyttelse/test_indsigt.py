"""The citizen's insight export (GDPR art. 15): an administrator of the case's organisations finds
the citizen by CPR number (POSTed) and downloads everything held about them as JSON and as a
tagged Danish PDF; the access log in it names organisations, never staff; every search and
export is logged."""

import io
import json
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from mikrolaan.konti.models import Organisation, Rolle
from mikrolaan.revision.models import AdgangsLog
from tests.byg.fabrikker import (
    AktivitetFactory,
    BrugerFactory,
    JournalnotatFactory,
    OrganisationFactory,
)
from tests.byg.indsigt import (
    DOKUMENT,
    FORLAENGELSE,
    FREMMOEDE_NOTE,
    NOTAT,
    OPFOELGNING_NOTE,
    UDSKRIVNING_NOTE,
    borger_med_alt,
    laest_af,
)
from tests.byg.laan import indbetal
from tests.byg.sager import henvis, lav_borger, lav_pladsaftale, registrer_fremmoede

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(pilot):
    """An Administrator of the jobcenter that registered the citizens."""
    return BrugerFactory(
        username="admin_jc",
        first_name="Alma",
        last_name="Administratorsen",
        organisation=pilot.jobcenter,
        rolle=Rolle.ADMINISTRATOR,
    )


@pytest.fixture
def sag(pilot):
    return borger_med_alt(pilot)


def _json(klient, borger) -> dict:
    svar = klient.get(reverse("databeskyttelse:indsigt_json", args=[borger.pk]))
    assert svar.status_code == 200, svar.status_code
    assert svar["Content-Type"] == "application/json"
    return json.loads(svar.content)


def _pdf(klient, borger) -> PdfReader:
    svar = klient.get(reverse("databeskyttelse:indsigt_pdf", args=[borger.pk]))
    assert svar.status_code == 200, svar.status_code
    assert svar["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(svar.content))


def _tekst(laeser: PdfReader) -> str:
    return " ".join(" ".join(side.extract_text().split()) for side in laeser.pages)


def _staff_names(pilot) -> list[str]:
    return [
        navn
        for bruger in (pilot.sagsbehandler, pilot.forloebsmedarbejder, pilot.fremmed)
        for navn in (bruger.get_full_name(), bruger.last_name, bruger.username)
    ]


# --- What the export holds ----------------------------------------------------------------


def test_the_json_holds_every_kind_of_data_about_the_citizen(pilot, admin, sag, klient):
    data = _json(klient(admin), sag.borger)

    assert data["borger"]["navn"] == "Ida Indsigt"
    # In clear: the export is the citizen's own.
    assert data["borger"]["cpr"] == f"{sag.borger.cpr[:6]}-{sag.borger.cpr[6:]}"
    assert data["borger"]["adresse"] == "Kaffevej 7"
    assert [n["tekst"] for n in data["journalnotater"]] == [NOTAT]
    assert data["journalnotater"][0]["organisation"] == "Jobcenter Vallensbæk"
    assert [d["filnavn"] for d in data["dokumenter"]] == [DOKUMENT]
    (henvisning,) = data["henvisninger"]
    assert henvisning["forretningsidee"] == "Cykelværksted i Ishøj"
    assert henvisning["visitation"]["beslutning"] == "Optages"
    assert henvisning["visitation"]["kan_gennemfoere_begrundelse"] == (
        "Stabil, har erfaring fra branchen."
    )
    assert {u["organisation"] for u in henvisning["visitation"]["underskrifter"]} == {
        "Jobcenter Vallensbæk",
        "Næstved Kommune",
    }
    (forloeb,) = data["forloeb"]
    assert forloeb["status"] == "Afsluttet"
    assert [f["fase"] for f in forloeb["faser"]] == ["Opkvalificerende forløb", "Hovedforløb"]
    assert forloeb["faser"][1]["forlaengelser"][0]["begrundelse"] == FORLAENGELSE
    assert forloeb["overgangsvurderinger"][0]["anbefaling"].startswith("Klar til hovedforløbet")
    assert [(a["fremmoede"], a["note"]) for a in forloeb["aktiviteter"]] == [
        ("Deltog", ""),
        ("Udeblev", FREMMOEDE_NOTE),
    ]
    assert forloeb["udskrivninger"][0]["bemaerkning"] == UDSKRIVNING_NOTE
    assert forloeb["udskrivninger"][0]["cvr"] == "30000005"
    assert OPFOELGNING_NOTE in [o["bemaerkning"] for o in forloeb["opfoelgninger"]]
    (laan,) = data["laan"]
    # Amounts as exact decimals, never floats.
    assert laan["beloeb"] == "12000.00"
    assert len(laan["afdrag"]) == 24
    assert [(i["dato"], i["beloeb"]) for i in laan["indbetalinger"]] == [
        (sag.laan.udbetalt_dato.isoformat(), "500.00")
    ]
    assert "Indskrevet: Ida Indsigt" in [n["emne"] for n in data["notifikationer"]]
    assert {n["modtagerens_organisation"] for n in data["notifikationer"]} == {
        "Jobcenter Vallensbæk",
        "Næstved Kommune",
    }


def test_the_pdf_holds_the_same_data_in_danish(pilot, admin, sag, klient):
    indhold = _tekst(_pdf(klient(admin), sag.borger))

    assert "Indsigt i dine oplysninger" in indhold
    assert "Ida Indsigt" in indhold
    assert f"{sag.borger.cpr[:6]}-{sag.borger.cpr[6:]}" in indhold
    for tekst in (
        NOTAT,
        DOKUMENT,
        FORLAENGELSE,
        FREMMOEDE_NOTE,
        UDSKRIVNING_NOTE,
        OPFOELGNING_NOTE,
    ):
        assert tekst in indhold, tekst
    assert "Cykelværksted i Ishøj" in indhold and "Optages" in indhold
    assert "Udeblev" in indhold and "Hovedforløb" in indhold
    assert "12.000 kr." in indhold and "500 kr." in indhold
    assert sag.laan.afdrag.order_by("nummer").last().forfald.strftime("%d.%m.%Y") in indhold
    assert "Indskrevet: Ida Indsigt" in indhold
    assert "Hvem har set dine oplysninger" in indhold


def test_the_pdf_is_tagged_pdf_ua_in_danish_with_a_title(admin, sag, klient):
    laeser = _pdf(klient(admin), sag.borger)
    katalog = laeser.trailer["/Root"]

    assert "/StructTreeRoot" in katalog
    assert katalog["/Lang"] == "da"
    assert katalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert laeser.metadata.title == "Indsigt i oplysninger om Ida Indsigt"
    assert re.search(rb"pdfuaid:part[^0-9]*1", laeser.xmp_metadata.stream.get_data())
    assert laeser.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4


def test_the_files_are_named_by_id_and_date_never_by_name_or_cpr(admin, sag, klient):
    for navn in ("indsigt_pdf", "indsigt_json"):
        svar = klient(admin).get(reverse(f"databeskyttelse:{navn}", args=[sag.borger.pk]))
        assert re.fullmatch(
            rf'attachment; filename="indsigt-{sag.borger.pk}-\d{{4}}-\d{{2}}-\d{{2}}\.(pdf|json)"',
            svar["Content-Disposition"],
        )
        assert "no-store" in svar["Cache-Control"]


# --- The access log in the export -----------------------------------------------------------


def test_the_access_log_holds_reads_of_the_citizens_case_with_organisation_only(
    pilot, admin, sag, klient
):
    laest_af(pilot.sagsbehandler, sag.borger, sag.laan)
    laest_af(pilot.forloebsmedarbejder, sag.forloeb)
    anden = lav_borger(pilot, "Bo", "Andersen")
    laest_af(pilot.sagsbehandler, anden)
    laest_af(pilot.sagsbehandler, anden, handling=AdgangsLog.Handling.VIS_CPR)

    log = _json(klient(admin), sag.borger)["adgangslog"]

    # Newest first: this export (logged before it was read) and its CPR reveal, then the reads.
    assert [(r["handling"], r["organisation"]) for r in log] == [
        ("Visning af CPR-nummer", "Jobcenter Vallensbæk"),
        ("Eksport", "Jobcenter Vallensbæk"),
        ("Visning", "Næstved Kommune"),
        ("Visning", "Jobcenter Vallensbæk"),
        ("Visning", "Jobcenter Vallensbæk"),
    ]
    assert all(set(r) == {"tidspunkt", "handling", "organisation"} for r in log)


def test_the_access_log_names_no_staff_in_the_json_or_the_pdf(pilot, admin, sag, klient):
    laest_af(pilot.sagsbehandler, sag.borger)
    laest_af(pilot.forloebsmedarbejder, sag.forloeb)
    navne = [*_staff_names(pilot), admin.get_full_name(), admin.username]

    log = json.dumps(_json(klient(admin), sag.borger)["adgangslog"], ensure_ascii=False)
    indhold = _tekst(_pdf(klient(admin), sag.borger))
    logdel = indhold[indhold.index("Hvem har set dine oplysninger") :]

    assert "Næstved Kommune" in log and "Næstved Kommune" in logdel
    assert [n for n in navne if n in log] == []
    assert [n for n in navne if n in logdel] == []


def test_sessions_the_citizen_attended_count_but_others_do_not(pilot, admin, sag, klient):
    (deltagelse,) = registrer_fremmoede(pilot, sag.forloeb, "deltog")
    andens = AktivitetFactory(medarbejder=pilot.forloebsmedarbejder)
    laest_af(pilot.forloebsmedarbejder, deltagelse.aktivitet, andens)

    log = _json(klient(admin), sag.borger)["adgangslog"]

    assert [r["organisation"] for r in log if r["handling"] == "Visning"] == ["Næstved Kommune"]


# --- Finding the citizen and who may ------------------------------------------------------


def test_the_search_is_posted_finds_the_citizen_and_logs_without_the_cpr(pilot, admin, sag, klient):
    svar = klient(admin).post(reverse("databeskyttelse:indsigt"), {"cpr": sag.borger.cpr})

    html = svar.content.decode()
    assert svar.status_code == 200
    assert "Ida Indsigt" in html
    assert reverse("databeskyttelse:indsigt_pdf", args=[sag.borger.pk]) in html
    assert reverse("databeskyttelse:indsigt_json", args=[sag.borger.pk]) in html
    log = AdgangsLog.objects.get(handling=AdgangsLog.Handling.SOEG)
    assert log.bruger == admin and log.objekt_id == str(sag.borger.pk)
    assert log.kriterier == {"side": "indsigt", "cpr": "[CPR]"}
    assert "no-store" in svar["Cache-Control"]


def test_an_invalid_cpr_number_gets_a_danish_error_and_no_search(admin, klient):
    svar = klient(admin).post(reverse("databeskyttelse:indsigt"), {"cpr": "320190-1234"})

    assert "CPR-nummeret indeholder ikke en gyldig fødselsdato." in svar.content.decode()
    assert not AdgangsLog.objects.exists()


def test_a_citizen_outside_the_administrators_organisations_is_not_found_nor_exported(
    pilot, sag, klient
):
    # The pilot's Administrator belongs to Ishøj, which buys the places but takes no part in the
    # case: the same answer as for a CPR number nobody has.
    ishoej = klient(pilot.administrator)
    svar = ishoej.post(reverse("databeskyttelse:indsigt"), {"cpr": sag.borger.cpr})

    assert "Der er ingen borger med dette CPR-nummer" in svar.content.decode()
    assert "Ida Indsigt" not in svar.content.decode()
    for navn in ("indsigt_pdf", "indsigt_json"):
        url = reverse(f"databeskyttelse:{navn}", args=[sag.borger.pk])
        assert ishoej.get(url).status_code == 404
    assert not AdgangsLog.objects.filter(handling=AdgangsLog.Handling.EKSPORT).exists()


def test_an_administrator_of_the_provider_may_export(pilot, sag, klient):
    naestveds = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.ADMINISTRATOR)
    assert _json(klient(naestveds), sag.borger)["borger"]["navn"] == "Ida Indsigt"


@pytest.mark.parametrize("rolle", ["sagsbehandler", "forloebsmedarbejder", "erhvervschef"])
def test_case_roles_get_404_on_the_export_even_for_their_own_citizen(pilot, sag, klient, rolle):
    svar = klient(getattr(pilot, rolle)).get(
        reverse("databeskyttelse:indsigt_json", args=[sag.borger.pk])
    )
    assert svar.status_code == 404


# --- Logging and queries ----------------------------------------------------------------------


@pytest.mark.parametrize("format_", ["pdf", "json"])
def test_the_export_is_logged_as_an_export_and_a_cpr_reveal(admin, sag, klient, format_):
    klient(admin).get(
        reverse(f"databeskyttelse:indsigt_{format_}", args=[sag.borger.pk]), REMOTE_ADDR="10.9.8.7"
    )

    rows = AdgangsLog.objects.filter(bruger=admin).order_by("id")
    assert [(r.handling, r.objekt_id, r.kriterier) for r in rows] == [
        (AdgangsLog.Handling.EKSPORT, str(sag.borger.pk), {"indsigt": format_}),
        (AdgangsLog.Handling.VIS_CPR, str(sag.borger.pk), {"indsigt": format_}),
    ]


def test_the_export_takes_the_same_number_of_queries_however_long_the_case(
    pilot, admin, sag, klient, django_assert_num_queries
):
    administrator = klient(admin)
    url = reverse("databeskyttelse:indsigt_json", args=[sag.borger.pk])
    administrator.get(url)  # warm caches (content types)
    # 1 session, 2 user, 3 the user's roles, 4 the citizen (in the administrator's scope), 5-6
    # the export's two access-log rows, then indsigt's eighteen: 7 notes, 8 documents,
    # 9 referrals, 10 signatures, 11 referral corrections, 12 programmes, 13 phases,
    # 14 extensions, 15 assessments, 16 attendance, 17 discharges, 18 follow-ups, 19 programme
    # corrections, 20 loans, 21 instalments, 22 payments, 23 notifications, 24 access log.
    with django_assert_num_queries(24):
        foer = administrator.get(url)

    for _ in range(5):
        JournalnotatFactory(borger=sag.borger, forfatter=pilot.forloebsmedarbejder)
        laest_af(pilot.forloebsmedarbejder, sag.forloeb, sag.laan)
    registrer_fremmoede(pilot, sag.forloeb, "deltog", "afbud", "deltog")
    indbetal(pilot, sag.laan, "100.00")
    with django_assert_num_queries(24):
        efter = administrator.get(url)
    assert len(json.loads(efter.content)["journalnotater"]) == (
        len(json.loads(foer.content)["journalnotater"]) + 5
    )


def test_the_export_reads_the_citizens_rows_in_every_organisation(pilot, admin, sag, klient):
    # A referral to a second provider is the citizen's too: the answer to the citizen is
    # complete, whichever of the case's organisations the administrator belongs to.
    koege = OrganisationFactory(navn="Køge Kommune", type=Organisation.Type.KOMMUNE)
    henvis(pilot, lav_pladsaftale(pilot, navn="Mikrolån Køge", leverandoer=koege), sag.borger)

    henvisninger = _json(klient(admin), sag.borger)["henvisninger"]

    assert [h["leverandoer"] for h in henvisninger] == ["Næstved Kommune", "Køge Kommune"]


def test_the_menu_links_the_insight_page_for_administrators_only(pilot, klient):
    link = f'href="{reverse("databeskyttelse:indsigt")}"'

    assert link in klient(pilot.administrator).get(reverse("forside")).content.decode()
    assert link not in klient(pilot.sagsbehandler).get(reverse("forside")).content.decode()
