"""The evaluation report as files: a Danish A4 PDF (tagged PDF/UA, WeasyPrint, as the loan
agreement in laan/gaeldsbrev.py) and an XLSX workbook with one sheet per table.

Both render the same `Evaluering` as the web page, so the three never disagree. In the
spreadsheet counts and amounts are numbers; a suppressed count is the text `<3`.

WeasyPrint needs Pango from the system, so it is imported when a PDF is made.
"""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mikrolaan import eksport
from mikrolaan.eksport import celle

from .evaluering import Evaluering
from .smaa_tal import Tal

PDF_VARIANT = "pdf/ua-1"
KRONER = eksport.XLSX_FORMATER[eksport.KRONER]
PROCENT = eksport.XLSX_FORMATER[eksport.PROCENT]
DATO = eksport.XLSX_FORMATER[eksport.DATO]


def pdf(rapport: Evaluering) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # A report for a Danish committee: Danish whatever language the user reads the app in.
    with translation.override("da"):
        html = render_to_string(
            "oversigt/evaluering_pdf.html", {"rapport": rapport, "udskrevet": timezone.localdate()}
        )
    # Everything is in the template (styles inline, charts as inline SVG): nothing is fetched.
    ingen_hentning = URLFetcher(allowed_protocols=())
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=ingen_hentning).write_pdf(
        pdf_variant=PDF_VARIANT
    )


def _vaerdi(vaerdi):
    """A cell's value: a suppressed count as the text `<3`, a count as a number."""
    if isinstance(vaerdi, Tal):
        return str(vaerdi) if vaerdi.skjult else vaerdi.vaerdi
    if isinstance(vaerdi, Promise):  # a lazily translated label
        return str(vaerdi)
    return vaerdi


def _ark(bog, navn: str, overskrifter: list[str], raekker: list[list], formater=()) -> None:
    ark = bog.create_sheet(navn.translate(str.maketrans("", "", "[]:*?/\\"))[:31])
    for kolonne, overskrift in enumerate(overskrifter, start=1):
        celle(ark, 1, kolonne, str(overskrift)).font = Font(bold=True)
        ark.column_dimensions[get_column_letter(kolonne)].width = 34 if kolonne == 1 else 16
    ark.freeze_panes = "A2"
    for r, raekke in enumerate(raekker, start=2):
        for k, vaerdi in enumerate(raekke, start=1):
            format_ = formater[k - 1] if k - 1 < len(formater) else None
            celle(ark, r, k, _vaerdi(vaerdi), format_)


def xlsx(rapport: Evaluering) -> bytes:
    with translation.override("da"):
        return _xlsx(rapport)


def _xlsx(r: Evaluering) -> bytes:
    bog = Workbook()
    bog.remove(bog.active)
    i_alt = _("I alt")
    _ark(
        bog,
        _("Tragt"),
        [_("Trin"), _("Antal"), _("Andel af trinnet før")],
        [[t.navn, t.antal, t.andel or ""] for t in r.tragt],
    )
    _ark(
        bog,
        _("Pladsmåneder"),
        [_("Pladsaftale"), _("Købt"), _("Brugt"), _("Udnyttelse")],
        [[p.pladsaftale, p.koebt, p.brugt, p.andel] for p in r.pladsmaaneder],
        (None, "0.0", "0.0", PROCENT),
    )
    m = r.maanedstal
    _ark(
        bog,
        _("Ind og ud pr. måned"),
        [_("Måned"), _("Indskrevet"), _("Udskrevet"), i_alt],
        [[dato, *celler, total] for dato, celler, total in m.raekker]
        + [[i_alt, *m.tabel.kolonnetotaler]],
        ("MM.YYYY",),
    )
    _ark(
        bog,
        _("Udskrivningsårsager"),
        [_("Årsag"), _("Antal")],
        [[aarsag, antal] for aarsag, antal in r.udskrivningsaarsager],
    )
    f = r.fremmoede
    _ark(
        bog,
        _("Fremmøde"),
        [_("Aktivitetstype"), *f.statusser, i_alt],
        [[navn, *celler, total] for navn, celler, total in f.raekker]
        + [[i_alt, *f.tabel.kolonnetotaler]],
    )
    u = r.udfald
    _ark(
        bog,
        _("Opfølgning"),
        [_("Tid efter udskrivning"), _("Selvforsørgende"), _("Ikke selvforsørgende"), i_alt],
        [[navn, *celler, total] for navn, celler, total in u.raekker]
        + [[i_alt, *u.tabel.kolonnetotaler]],
    )
    o = r.omkostning
    _ark(
        bog,
        _("Omkostning"),
        [_("Nøgletal"), _("Kroner")],
        [
            [_("Pladser i perioden"), o.i_alt],
            [_("Pr. optaget deltager"), o.pr_optaget],
            [_("Pr. etableret virksomhed"), o.pr_virksomhed],
        ],
        (None, KRONER),
    )
    p = r.portefoelje
    _ark(
        bog,
        _("Mikrolån"),
        [_("Nøgletal"), _("Værdi")],
        [
            [_("Bevilget i alt"), p.bevilget],
            [_("Udbetalt i alt"), p.udbetalt],
            [_("Udestående (restgæld)"), p.restgaeld],
            [_("Tilbagebetalt andel"), p.tilbagebetalt_andel],
            [_("PAR30"), p.par30],
        ],
    )
    for ark in bog.worksheets[-1:]:
        for raekke in range(2, 5):
            ark.cell(row=raekke, column=2).number_format = KRONER
        for raekke in (5, 6):
            ark.cell(row=raekke, column=2).number_format = PROCENT
    ud = io.BytesIO()
    bog.save(ud)
    return ud.getvalue()
