"""Wide tables scroll inside a region a keyboard can reach ({% rulleomraade %}, mikrolaan/layout),
and every table of every template uses it, so no page scrolls sideways on a phone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

SKABELONER = Path(settings.BASE_DIR) / "templates"
# Tables that are not on a screen page of their own: the repayment plan is wrapped where the loan
# page includes it, and the loan agreement is a PDF (WeasyPrint), which has no scrolling.
UNDTAGET = {
    "laan/_plan.html": "wrapped by laan/detalje.html",
    "laan/gaeldsbrev.html": "a PDF",
    "databeskyttelse/indsigt_pdf.html": "a PDF",
    "databeskyttelse/_rettelser_pdf.html": "a PDF (part of indsigt_pdf.html)",
}


def _render(kilde: str, **kontekst) -> str:
    return Template(kilde).render(Context(kontekst))


def test_the_region_is_focusable_and_named_by_its_label():
    html = _render('{% rulleomraade "Borgere" %}<table></table>{% endrulleomraade %}')

    assert html == (
        '<div class="table-responsive rulleomraade" tabindex="0" role="region" '
        'aria-label="Borgere"><table></table></div>'
    )


def test_the_label_is_translated_and_escaped():
    html = _render(
        '{% rulleomraade _("Faser") %}{% endrulleomraade %}{% rulleomraade navn %}'
        "{% endrulleomraade %}",
        navn='"><script>',
    )

    assert 'aria-label="Faser"' in html
    assert 'aria-label="&quot;&gt;&lt;script&gt;"' in html


def test_the_region_can_be_named_by_a_heading_also_one_with_a_variable_id():
    html = _render(
        '{% rulleomraade overskrift="plan-overskrift" %}{% endrulleomraade %}'
        '{% rulleomraade overskrift="forloeb-{{ pk }}-overskrift" %}{% endrulleomraade %}',
        pk=7,
    )

    assert 'aria-labelledby="plan-overskrift"' in html
    assert 'aria-labelledby="forloeb-7-overskrift"' in html
    assert "aria-label=" not in html


@pytest.mark.parametrize(
    "kilde",
    [
        "{% rulleomraade %}{% endrulleomraade %}",
        '{% rulleomraade "a" overskrift="b" %}{% endrulleomraade %}',
        '{% rulleomraade "a" "b" %}{% endrulleomraade %}',
    ],
)
def test_a_region_needs_exactly_one_name(kilde):
    with pytest.raises(TemplateSyntaxError):
        Template(kilde)


def _tabeller_uden_rulleomraade(tekst: str) -> int:
    """How many <table> elements of a template are outside {% rulleomraade %}."""
    uden = 0
    for match in re.finditer(r"<table\b", tekst):
        foer = tekst[: match.start()]
        if foer.count("{% rulleomraade") <= foer.count("{% endrulleomraade %}"):
            uden += 1
    return uden


def test_the_guard_finds_a_bare_table():
    assert _tabeller_uden_rulleomraade('<div class="table-responsive"><table></table></div>') == 1
    assert _tabeller_uden_rulleomraade('{% rulleomraade "x" %}<table>{% endrulleomraade %}') == 0


def test_every_table_of_every_template_scrolls_in_a_focusable_region():
    uden = {
        str(sti.relative_to(SKABELONER)): antal
        for sti in sorted(SKABELONER.rglob("*.html"))
        if str(sti.relative_to(SKABELONER)) not in UNDTAGET
        and (antal := _tabeller_uden_rulleomraade(sti.read_text(encoding="utf-8")))
    }
    assert uden == {}


def test_the_exceptions_still_exist():
    assert all((SKABELONER / navn).exists() for navn in UNDTAGET)
