"""Course staff on a tablet: a group session for three citizens in one form, then one tap to mark
one of them absent; a course day for ten and three guests with "Alle deltog" and two exceptions —
axe-checked on each page."""

import re

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from forloeb.models import Aktivitet, Deltagelse
from tests.byg.sager import lav_forloeb, lav_pladsaftale, til_hovedforloeb

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DELTAGERE = [("Sofie", "Holm"), ("Mads", "Berg"), ("Ingrid", "Lund")]


@pytest.fixture
def tablet(side):
    side.set_viewport_size({"width": 768, "height": 1024})
    return side


def farveovergange(side) -> list[str]:
    """The colour transitions running on the page now. Halfway through a fade from an outline
    button to a filled one the text has almost no contrast, so buttons change colour at once."""
    return side.evaluate(
        "() => document.getAnimations().map(a => a.transitionProperty || '')"
        ".filter(p => p.includes('color'))"
    )


def typefeltets_svar(side, antal: int):
    """Wait for the type field's htmx answer to the request with all `antal` participants ticked
    (the last tick's), so the journey reads the choices that answer brought."""
    return side.expect_response(
        lambda svar: (
            svar.request.headers.get("hx-request") == "true"
            and svar.url.count("deltagere=") == antal
        ),
        timeout=30_000,
    )


def forvent_ikke_tilbudt(side, type_: str, svar) -> None:
    """The type field no longer offers `type_`. If it still does, say whether the last tick's
    answer offered it too (the server's choice) or was never put in the page (the swap): this
    journey has failed one CI run in several that way, and no local run has reproduced it."""
    try:
        expect(side.locator("#id_type option", has_text=type_)).to_have_count(0)
    except AssertionError as fejl:
        # A page loaded again (the form fresh, nothing ticked) would offer every type too.
        navigationer = side.evaluate(
            "() => performance.getEntriesByType('navigation').map(n => n.type + ' ' + n.name)"
        )
        afkrydset = side.locator("[name=deltagere]:checked").count()
        raise AssertionError(
            f"{fejl}\nThe last tick's answer ({svar.url}) offers {type_!r}: "
            f"{type_ in svar.text()}\nTicked now: {afkrydset}, page {side.url}, loaded by "
            f"{navigationer}\nThe field now:\n{side.locator('#type-felt').inner_html()}"
        ) from fejl


def test_course_staff_log_a_group_session_for_three_and_mark_one_absent_with_one_tap(
    pilot, tablet, log_ind, menu, tjek_tilgaengelighed
):
    aftale = lav_pladsaftale(pilot, antal_pladser=3)
    for fornavn, efternavn in DELTAGERE:
        lav_forloeb(pilot, aftale, fornavn, efternavn)
    log_ind(pilot.forloebsmedarbejder)

    menu("Aktiviteter")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Aktiviteter")
    tjek_tilgaengelighed(tablet)

    # One form: the date is today, the staff member is the user; tick the three citizens.
    tablet.get_by_role("link", name="Ny aktivitet").click()
    tjek_tilgaengelighed(tablet)
    # Each tick re-fetches the type field (htmx): they are in the qualifying phase, so the main
    # phase's course day is no longer offered. Wait for the answer to the last tick itself.
    with typefeltets_svar(tablet, len(DELTAGERE)) as svar:
        for fornavn, efternavn in DELTAGERE:
            tablet.get_by_text(f"{fornavn} {efternavn}").click()
            expect(tablet.get_by_role("checkbox", name=f"{fornavn} {efternavn}")).to_be_checked()
            assert farveovergange(tablet) == []
    assert svar.value.status == 200, svar.value.text()[:500]
    tablet.get_by_label("Starttid").fill("10:00")
    tablet.get_by_label("Sted").fill("Jobhuset, Næstved")
    expect(tablet.locator("#type-felt.htmx-request")).to_have_count(0)
    forvent_ikke_tilbudt(tablet, "Kollektiv kursusdag", svar.value)
    tablet.get_by_label("Type").select_option(label="Undervisning i regnskab")
    expect(tablet.get_by_label("Type")).to_have_value("regnskab")
    tjek_tilgaengelighed(tablet)
    tablet.get_by_role("button", name="Opret aktivitet").click()

    expect(tablet.get_by_text("Aktiviteten er oprettet med 3 deltagere")).to_be_visible()
    aktivitet = Aktivitet.objects.get()
    assert aktivitet.deltagelser.filter(status="deltog").count() == 3
    tjek_tilgaengelighed(tablet)

    # One tap marks Mads as absent; only his row is swapped.
    adresse = tablet.url
    mads = tablet.get_by_role("group", name="Fremmøde for Mads Berg")
    mads.get_by_role("button", name="Udeblev").click()
    expect(mads.get_by_role("button", name="Udeblev")).to_have_attribute("aria-pressed", "true")
    expect(mads.get_by_role("button", name="Deltog")).to_have_attribute("aria-pressed", "false")
    expect(tablet.get_by_text(re.compile(r"^Rettet .* af "))).to_have_count(1)
    assert tablet.url == adresse
    assert Deltagelse.objects.get(forloeb__borger__fornavn="Mads").status == "udeblev"
    assert set(
        Deltagelse.objects.exclude(forloeb__borger__fornavn="Mads").values_list("status", flat=True)
    ) == {"deltog"}
    # htmx settles the new row by moving its buttons from the old classes to the new: they must
    # switch colour at once, so the row has enough contrast at every moment axe may look.
    assert farveovergange(tablet) == []
    tjek_tilgaengelighed(tablet)


KURSISTER = [
    ("Sofie", "Holm"),
    ("Mads", "Berg"),
    ("Ingrid", "Lund"),
    ("Jonas", "Krog"),
    ("Emma", "Dahl"),
    ("Oliver", "Vinther"),
    ("Freja", "Bach"),
    ("Noah", "Skov"),
    ("Alma", "Friis"),
    ("Lukas", "Winther"),
]


def test_course_staff_log_a_course_day_for_ten_and_three_guests_with_alle_deltog_and_two_exceptions(
    pilot, tablet, log_ind, menu, tjek_tilgaengelighed
):
    # Ten citizens admitted seven months ago and moved to the main phase today, where the
    # collective course day belongs.
    aftale = lav_pladsaftale(pilot, antal_pladser=10)
    start = timezone.localdate() - relativedelta(months=7)
    for fornavn, efternavn in KURSISTER:
        til_hovedforloeb(pilot, lav_forloeb(pilot, aftale, fornavn, efternavn, startdato=start))
    log_ind(pilot.forloebsmedarbejder)
    menu("Aktiviteter")
    klik = 0  # taps and fields from the session list on

    tablet.get_by_role("link", name="Ny aktivitet").click()
    klik += 1
    with typefeltets_svar(tablet, len(KURSISTER)) as svar:
        for fornavn, efternavn in KURSISTER:
            tablet.get_by_text(f"{fornavn} {efternavn}").click()
            klik += 1
    assert svar.value.status == 200, svar.value.text()[:500]
    expect(tablet.get_by_role("checkbox", checked=True)).to_have_count(10)
    tablet.get_by_label("Starttid").fill("09:00")
    tablet.get_by_label("Sted").fill("Næstved Erhvervshus, salen")
    tablet.get_by_label("Gæster uden for forløbene").fill("3")
    klik += 3
    # The ticks re-fetch the type field: only the main phase's types are offered now.
    expect(tablet.locator("#type-felt.htmx-request")).to_have_count(0)
    forvent_ikke_tilbudt(tablet, "Undervisning i regnskab", svar.value)
    tablet.get_by_label("Type").select_option(label="Kollektiv kursusdag")
    klik += 1
    tjek_tilgaengelighed(tablet)
    tablet.get_by_role("button", name="Opret aktivitet").click()
    klik += 1

    expect(tablet.get_by_text("Aktiviteten er oprettet med 10 deltagere")).to_be_visible()
    expect(tablet.get_by_text("10 deltagere + 3 gæster")).to_be_visible()
    expect(tablet.get_by_text("Fremmødet er ikke registreret endnu")).to_be_visible()
    tjek_tilgaengelighed(tablet)

    # One tap: everyone present (htmx swaps the attendance list, the page stays).
    adresse = tablet.url
    tablet.get_by_role("button", name="Alle deltog").click()
    klik += 1
    expect(tablet.get_by_text(re.compile(r"Fremmødet er registreret \d"))).to_be_visible()
    expect(tablet.get_by_role("button", name="Alle deltog")).to_have_count(0)
    expect(tablet.get_by_role("status")).to_have_text(re.compile("alle deltog"))

    # Then the two exceptions, one tap each.
    emma = tablet.get_by_role("group", name="Fremmøde for Emma Dahl")
    emma.get_by_role("button", name="Afbud").click()
    expect(emma.get_by_role("button", name="Afbud")).to_have_attribute("aria-pressed", "true")
    lukas = tablet.get_by_role("group", name="Fremmøde for Lukas Winther")
    lukas.get_by_role("button", name="Udeblev").click()
    expect(lukas.get_by_role("button", name="Udeblev")).to_have_attribute("aria-pressed", "true")
    klik += 2
    assert tablet.url == adresse
    assert farveovergange(tablet) == []
    tjek_tilgaengelighed(tablet)

    aktivitet = Aktivitet.objects.get()
    assert (aktivitet.type, aktivitet.gaester) == ("kursusdag", 3)
    assert aktivitet.fremmoede_registreret_af == pilot.forloebsmedarbejder
    assert dict(
        aktivitet.deltagelser.exclude(status="deltog").values_list(
            "forloeb__borger__fornavn", "status"
        )
    ) == {"Emma": "afbud", "Lukas": "udeblev"}
    assert aktivitet.deltagelser.filter(status="deltog").count() == 8
    # From the session list: "Ny aktivitet", ten ticks, time, place, guests, type, "Opret",
    # "Alle deltog" and two exceptions.
    assert klik == 19
