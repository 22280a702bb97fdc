"""The CSP allows no inline script or style, so no template a browser renders may hold one: a
<script> with code in it, a <style> block, a style="" attribute or an on…="" handler would
simply not work (and the Playwright journeys fail on the violation)."""

import re
from pathlib import Path

from django.conf import settings

# Rendered to PDF by WeasyPrint, never sent to a browser: *_pdf.html, and the loan agreement.
PDF_SKABELONER = {"laan/gaeldsbrev.html"}


def _til_pdf(navn: str) -> bool:
    return navn in PDF_SKABELONER or navn.endswith("_pdf.html")


INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
        "<script>",
    ),
    (re.compile(r"<style\b", re.I), "<style>"),
    (re.compile(r"\sstyle\s*=", re.I), 'style=""'),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), 'on…=""'),
    (re.compile(r"javascript:", re.I), "javascript:"),
]


def test_no_template_a_browser_renders_holds_inline_script_or_style():
    rod = Path(settings.BASE_DIR) / "templates"
    fund = [
        f"{sti.relative_to(rod)}:{nr}: {navn}"
        for sti in sorted(rod.rglob("*.html"))
        if not _til_pdf(str(sti.relative_to(rod)))
        for nr, linje in enumerate(sti.read_text(encoding="utf-8").splitlines(), start=1)
        for moenster, navn in INLINE
        if moenster.search(linje)
    ]

    assert fund == []
