"""The bank import: a CSV statement previewed line by line (matched, unmatched, duplicate,
refused), imported all at once, the same file twice adding nothing, and a malformed line naming its
number with nothing saved.

Two loans, paid out on 20.07.2026 over 4 months: A of 10,000 kr. (2,500 a month) and B of
20,000 kr. (5,000 a month). The statement is read on 01.09.2026.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from laan import plan
from laan.models import Afdrag, Indbetaling, Laan
from laan.services import bankimport
from laan.services.bankimport import Linjestatus
from mikrolaan.konti.models import Rolle
from tests.byg.fabrikker import BrugerFactory
from tests.byg.laan import forloeb_paa_faste_dage, indbetal, udbetalt_laan
from tests.byg.sager import PERIODE_2025_2027, lav_pladsaftale
from tests.byg.tid import paa

UDBETALT = datetime.date(2026, 7, 20)
IDAG = datetime.date(2026, 9, 1)
PLAN = {"loebetid": 4, "afdragsfri": 0}
# A reference with a valid check digit that no loan has.
UKENDT = plan.betalingsreference(9_999_999)


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot, antal_pladser=10, **PERIODE_2025_2027)


@pytest.fixture
def a(pilot, aftale) -> Laan:
    forloeb = forloeb_paa_faste_dage(pilot, aftale)
    return udbetalt_laan(pilot, forloeb, Decimal("10000.00"), dato=UDBETALT, **PLAN)


@pytest.fixture
def b(pilot, aftale) -> Laan:
    forloeb = forloeb_paa_faste_dage(pilot, aftale, "Bo", "Hansen")
    return udbetalt_laan(pilot, forloeb, Decimal("20000.00"), dato=UDBETALT, **PLAN)


def laes(indhold, bruger):
    with paa(IDAG):
        return bankimport.laes(indhold, bruger=bruger)


def importer(indhold, bruger):
    with paa(IDAG):
        return bankimport.importer(bruger=bruger, indhold=indhold)


def statusser(visning) -> list[tuple[int, str]]:
    return [(linje.nummer, linje.status.value) for linje in visning.linjer]


@pytest.fixture
def kontoudtog(a, b) -> str:
    return "\n".join(
        [
            "Dato;Beløb;Tekst",
            f"25.08.2026;2.500,00;Mikrolån {a.reference}",  # 2: A
            f"26-08-2026;1.000,00;{b.reference[:7]} {b.reference[7]}",  # 3: B, typed with a space
            "27.08.2026;500,00;Husleje august",  # 4: no reference
            f"28.08.2026;7.500,01;{a.reference}",  # 5: A owes 7,500 after line 2
            "29.08.2026;-200,00;Gebyr",  # 6: money out
            f"30.08.2026;1.000,00;{UKENDT}",  # 7: no such loan
            "",
        ]
    )


# --- The preview ---------------------------------------------------------------------------


def test_the_preview_shows_each_line_and_saves_nothing(pilot, a, b, kontoudtog):
    visning = laes(kontoudtog, pilot.forloebsmedarbejder)

    assert statusser(visning) == [
        (2, "matched"),
        (3, "matched"),
        (4, "unmatched"),
        (5, "refused"),
        (6, "refused"),
        (7, "unmatched"),
    ]
    assert visning.antal == {"matched": 2, "unmatched": 2, "duplicate": 0, "refused": 2}
    assert visning.matchet_beloeb == Decimal("3500.00")
    assert not visning.gemt
    linje2, linje3, linje4, linje5, linje6, linje7 = visning.linjer
    assert (linje2.dato, linje2.beloeb, linje2.laan) == (datetime.date(2026, 8, 25), 2500, a)
    assert linje2.reference == f"Mikrolån {a.reference}"
    assert (linje3.dato, linje3.beloeb, linje3.laan) == (datetime.date(2026, 8, 26), 1000, b)
    assert linje4.laan is None
    assert linje4.aarsag == "Teksten indeholder ingen gyldig betalingsreference."
    assert linje5.laan == a
    assert linje5.aarsag.startswith(
        "Indbetalingen på 7.500,01 kr. er større end restgælden på 7.500 kr."
    )
    assert linje6.aarsag == "Ikke en indbetaling: beløbet er ikke positivt."
    assert UKENDT in linje7.aarsag
    assert visning.matchede == [linje2, linje3]
    assert visning.umatchede == [linje4, linje7]
    assert visning.afviste == [linje5, linje6]
    assert not Indbetaling.objects.exists()
    assert not Afdrag.objects.filter(betalt__gt=0).exists()


def test_import_registers_the_matched_lines_and_allocates_them(pilot, a, b, kontoudtog):
    visning = importer(kontoudtog, pilot.forloebsmedarbejder)

    assert visning.gemt
    assert visning.antal == {"matched": 2, "unmatched": 2, "duplicate": 0, "refused": 2}
    indbetaling_a, indbetaling_b = (linje.indbetaling for linje in visning.matchede)
    assert (indbetaling_a.laan, indbetaling_a.beloeb, indbetaling_a.dato) == (
        a,
        Decimal("2500.00"),
        datetime.date(2026, 8, 25),
    )
    assert indbetaling_a.reference == f"Mikrolån {a.reference}"
    assert indbetaling_a.registreret_af == pilot.forloebsmedarbejder
    assert len(indbetaling_a.importnoegle) == 64
    assert (indbetaling_b.laan, indbetaling_b.beloeb) == (b, Decimal("1000.00"))
    assert Indbetaling.objects.count() == 2
    assert list(a.afdrag.values_list("betalt", flat=True)) == [2500, 0, 0, 0]
    assert list(b.afdrag.values_list("betalt", flat=True)) == [1000, 0, 0, 0]


def test_importing_the_same_file_twice_adds_nothing(pilot, a, b, kontoudtog):
    importer(kontoudtog, pilot.forloebsmedarbejder)

    igen = laes(kontoudtog, pilot.forloebsmedarbejder)
    assert statusser(igen) == [
        (2, "duplicate"),
        (3, "duplicate"),
        (4, "unmatched"),
        # A now owes 7,500: line 5 would still overpay it.
        (5, "refused"),
        (6, "refused"),
        (7, "unmatched"),
    ]
    assert igen.dubletter[0].laan == a
    assert igen.dubletter[0].aarsag == "Linjen er allerede importeret."

    visning = importer(kontoudtog, pilot.forloebsmedarbejder)
    assert visning.antal["matched"] == 0
    assert Indbetaling.objects.count() == 2
    assert list(a.afdrag.values_list("betalt", flat=True)) == [2500, 0, 0, 0]


def test_identical_lines_are_separate_payments_and_recognised_again(pilot, a):
    linje = f"25.08.2026;500,00;{a.reference}"
    importer(f"{linje}\n{linje}\n", pilot.forloebsmedarbejder)
    assert Indbetaling.objects.filter(laan=a).count() == 2

    # The next statement repeats both and has a third like them: only that one is new.
    visning = importer(f"{linje}\n{linje}\n{linje}\n", pilot.forloebsmedarbejder)

    assert statusser(visning) == [(1, "duplicate"), (2, "duplicate"), (3, "matched")]
    assert Indbetaling.objects.filter(laan=a).count() == 3


def test_the_same_line_written_differently_is_the_same_line(pilot, a):
    importer(f"25.08.2026;1.250,00;{a.reference}", pilot.forloebsmedarbejder)

    visning = laes(f'"25-08-2026";"1250,00";" {a.reference} "', pilot.forloebsmedarbejder)

    assert statusser(visning) == [(1, "duplicate")]


def test_lines_of_one_loan_are_counted_together_against_its_balance(pilot, a):
    indbetal(pilot, a, "6000.00", datetime.date(2026, 8, 1))  # 4,000 owed

    visning = importer(
        f"25.08.2026;3.000,00;{a.reference}\n"
        f"26.08.2026;1.500,00;{a.reference}\n"
        f"27.08.2026;1.000,00;{a.reference}\n",
        pilot.forloebsmedarbejder,
    )

    assert statusser(visning) == [(1, "matched"), (2, "refused"), (3, "matched")]
    assert "restgælden på 1.000 kr." in visning.linjer[1].aarsag
    a.refresh_from_db()
    assert a.status == Laan.Status.INDFRIET
    assert visning.linjer[2].laan.status == Laan.Status.INDFRIET


@pytest.mark.parametrize(
    ("dato", "aarsag"),
    [
        ("19.07.2026", "Datoen er før lånets udbetaling (20.07.2026)."),
        ("02.09.2026", "Datoen ligger i fremtiden."),
    ],
)
def test_a_line_with_an_impossible_date_is_refused(pilot, a, dato, aarsag):
    visning = laes(f"{dato};100,00;{a.reference}", pilot.forloebsmedarbejder)

    (linje,) = visning.linjer
    assert (linje.status, linje.laan, linje.aarsag) == (Linjestatus.REFUSED, a, aarsag)


def test_a_line_for_a_repaid_loan_is_refused(pilot, a):
    indbetal(pilot, a, "10000.00", datetime.date(2026, 8, 1))

    visning = laes(f"25.08.2026;100,00;{a.reference}", pilot.forloebsmedarbejder)

    (linje,) = visning.linjer
    assert linje.status == Linjestatus.REFUSED
    assert linje.aarsag == "Lånet er indfriet; der kan ikke registreres indbetalinger."


# --- Who matches what ----------------------------------------------------------------------


def test_a_course_staff_member_elsewhere_matches_none_of_the_loans(pilot, a, kontoudtog):
    anden_kommune = BrugerFactory(organisation=pilot.ishoej, rolle=Rolle.FORLOEBSMEDARBEJDER)

    visning = laes(kontoudtog, anden_kommune)

    assert visning.antal["matched"] == 0
    assert all(linje.laan is None for linje in visning.linjer)


def test_a_loan_the_user_sees_but_may_not_register_on_is_not_matched(pilot, a):
    # Course staff at the referring jobcenter see its cases, but the provider registers payments.
    jobcenterets = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.FORLOEBSMEDARBEJDER)
    assert Laan.objects.synlige_for(jobcenterets).filter(pk=a.pk).exists()

    visning = laes(f"25.08.2026;100,00;{a.reference}", jobcenterets)

    (linje,) = visning.linjer
    assert (linje.status, linje.laan) == (Linjestatus.UNMATCHED, None)


@pytest.mark.parametrize("hvem", ["sagsbehandler", "erhvervschef", "administrator", "fremmed"])
def test_only_course_staff_import_statements(pilot, a, kontoudtog, hvem):
    with pytest.raises(PermissionDenied):
        laes(kontoudtog, getattr(pilot, hvem))
    with pytest.raises(PermissionDenied):
        importer(kontoudtog, getattr(pilot, hvem))
    assert not Indbetaling.objects.exists()


# --- Malformed files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("linje", "fejl"),
    [
        ("26.08.2026;100,00", "Linje 3: forventede tre felter adskilt af semikolon"),
        ("26.08.2026;100,00;ref;ekstra", "Linje 3: forventede tre felter"),
        ("31.02.2026;100,00;ref", "Linje 3: »31.02.2026« er ikke en dato (dd.mm.åååå)."),
        ("2026-08-26;100,00;ref", "Linje 3: »2026-08-26« er ikke en dato"),
        ("26.08-2026;100,00;ref", "Linje 3: »26.08-2026« er ikke en dato"),
        ("26.08.2026;100.00;ref", "Linje 3: »100.00« er ikke et beløb (fx 1.250,00)."),
        ("26.08.2026;hundrede;ref", "Linje 3: »hundrede« er ikke et beløb"),
    ],
)
def test_a_malformed_line_names_its_number_and_nothing_is_saved(pilot, a, linje, fejl):
    indhold = f"dato;beløb;reference\n25.08.2026;2.500,00;{a.reference}\n{linje}\n"

    for funktion in (laes, importer):
        with pytest.raises(ValidationError) as undtagelse:
            funktion(indhold, pilot.forloebsmedarbejder)
        (besked,) = undtagelse.value.messages
        assert besked.startswith(fejl)

    assert not Indbetaling.objects.exists()
    assert not Afdrag.objects.filter(betalt__gt=0).exists()


def test_every_malformed_line_is_named(pilot, a):
    indhold = "\n".join(
        [
            f"25.08.2026;100,00;{a.reference}",
            "x;100,00;ref",
            "",
            f"26.08.2026;100,00;{a.reference}",
            "27.08.2026;1,2,3;ref",
        ]
    )

    with pytest.raises(ValidationError) as undtagelse:
        importer(indhold, pilot.forloebsmedarbejder)

    assert [m.split(":")[0] for m in undtagelse.value.messages] == ["Linje 2", "Linje 5"]
    assert not Indbetaling.objects.exists()


def test_a_file_without_payments_is_refused(pilot):
    with pytest.raises(ValidationError, match="ingen posteringer"):
        laes("dato;beløb;reference\n\n", pilot.forloebsmedarbejder)


# --- Encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kodning",
    [
        pytest.param(lambda t: t.encode("latin-1"), id="latin-1"),
        pytest.param(lambda t: t.encode("cp1252"), id="windows-1252"),
        pytest.param(lambda t: t.encode("utf-8-sig"), id="utf-8 with BOM"),
        pytest.param(lambda t: t.encode("utf-8"), id="utf-8"),
        pytest.param(lambda t: "\ufeff" + t, id="text with BOM"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("latin-1"), id="CRLF"),
    ],
)
def test_danish_banks_encodings_are_read(pilot, a, kodning):
    tekst = f"Bogført;Beløb;Tekst\n25.08.2026;1.250,00;Afdrag på lån {a.reference} Søren Ærø\n"

    visning = importer(kodning(tekst), pilot.forloebsmedarbejder)

    (linje,) = visning.linjer
    assert (linje.nummer, linje.status, linje.laan) == (2, Linjestatus.MATCHED, a)
    assert linje.beloeb == Decimal("1250.00")
    assert linje.indbetaling.reference == f"Afdrag på lån {a.reference} Søren Ærø"


def test_windows_1252_is_read_with_its_own_characters(pilot, a):
    tekst = f"25.08.2026;100,00;Lån {a.reference} – “august”".encode("cp1252")

    (linje,) = laes(tekst, pilot.forloebsmedarbejder).linjer

    assert linje.reference == f"Lån {a.reference} – “august”"


def test_a_cpr_number_in_the_text_is_not_stored(pilot, a):
    visning = importer(f"25.08.2026;100,00;{a.reference} 010290-1234", pilot.forloebsmedarbejder)

    (linje,) = visning.linjer
    assert linje.reference == f"{a.reference} [CPR]"
    assert linje.indbetaling.reference == f"{a.reference} [CPR]"


# --- The reference -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tekst", "reference"),
    [
        ("00000018", "00000018"),
        ("0000001 8", "00000018"),
        ("0000-0018", "00000018"),
        ("Mikrolån 00000018 aug.", "00000018"),
        ("00000019", None),  # wrong check digit
        ("Lån 00000018 og 00000026", None),  # two loans: not guessed
        ("Husleje", None),
        ("", None),
    ],
)
def test_the_payment_reference_is_found_in_the_transfers_text(tekst, reference):
    assert bankimport.betalingsreference(tekst) == reference


# --- Queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("antal", [2, 12])
def test_matching_costs_the_same_queries_for_any_number_of_lines(
    pilot, a, b, antal, django_assert_num_queries
):
    linjer = [
        f"{1 + i % 28:02d}.08.2026;{10 + i},00;{(a if i % 2 else b).reference}"
        for i in range(antal)
    ]
    linjer.append("30.08.2026;5,00;Husleje")
    bruger = pilot.forloebsmedarbejder
    bruger.roller  # noqa: B018 - the role names are read once per request, before the view

    # 1 SELECT the visible loans with the lines' references and their balances (+ programme,
    # referral, agreement), 2 SELECT the lines' import keys already used.
    with django_assert_num_queries(2):
        visning = laes("\n".join(linjer), bruger)
    assert visning.antal["matched"] == antal


def test_the_example_statement_in_the_docs_can_be_read(pilot, settings):
    # The README's example for trying the import on the demo data: it must stay a file the
    # import reads, with lines that carry a loan's payment reference (which loans is the demo
    # data's business) and one that does not.
    eksempel = settings.BASE_DIR / "docs" / "eksempel-kontoudtog.csv"

    visning = laes(eksempel.read_bytes(), pilot.forloebsmedarbejder)

    referencer = [bankimport.betalingsreference(linje.reference) for linje in visning.linjer]
    assert 3 <= len(visning.linjer) <= 4
    assert None in referencer
    assert any(referencer)
