"""Every list as a file: CSV as Excel in Denmark opens it, and XLSX with numbers and dates as such.

A list's export is its rows and a few `Kolonne`s (a heading, how to read the value off a row, and
its kind). The same columns write both files:

- **CSV**: UTF-8 with a byte-order mark (without it Excel reads æ, ø and å as two characters),
  semicolons between fields (the comma is the Danish decimal sign), CRLF line ends, dates as
  `27.11.2026`, amounts as `12500,50` (a decimal comma and no thousands dot, so Excel reads them
  as numbers), yes/no as `Ja`/`Nej`.
- **XLSX** (openpyxl, write-only, so a long list is streamed to the file rather than held as cell
  objects): amounts and counts as numbers, dates as dates, each with a Danish display format, a
  bold heading row that stays in view, and a filter on every column.

Text is never a formula: a name or a place beginning with `=` must not run in the receiver's
spreadsheet program (CSV/formula injection). In XLSX a text cell is written as a string cell; in
CSV such a text gets a leading apostrophe, as OWASP advises.

The loan portfolio's spreadsheet (laan/regneark.py) uses the same cell writer and formats.

Each app's export view lives in that app: it checks the role and, when CPR numbers are asked for,
the right to see them (borgere's `kan_vise_cpr`), builds the rows with the list page's own
selector and filters, and hands them to `eksporter`, which writes the file and the access log.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import hastighed
from .revision.models import AdgangsLog
from .revision.services import log_adgang, log_adgang_for_hver

# The kinds of value a column holds; each is written the Danish way in CSV and typed in XLSX.
TEKST = "tekst"
HELTAL = "heltal"
KRONER = "kroner"
PROCENT = "procent"  # a share, 0.875 for 87.5 %
DATO = "dato"
TIDSPUNKT = "tidspunkt"  # a date and time, written in Danish local time
KLOKKESLAET = "klokkeslaet"
JA_NEJ = "ja_nej"

# Excel's display formats (the receiver's Excel shows them with its own separators).
XLSX_FORMATER = {
    HELTAL: "0",
    KRONER: '#,##0.00 "kr."',
    PROCENT: "0.0 %",
    DATO: "DD.MM.YYYY",
    TIDSPUNKT: "DD.MM.YYYY HH:MM",
    KLOKKESLAET: "HH:MM",
}

CSV = "csv"
XLSX = "xlsx"
INDHOLDSTYPER = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The first characters with which a spreadsheet program starts a formula.
_FORMELTEGN = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Kolonne:
    navn: str
    vaerdi: Callable[[Any], Any]
    art: str = TEKST
    bredde: int = 16


class EksportForm(forms.Form):
    """The export's own choices: the file format and whether to include CPR numbers.

    Invalid values fall back to the defaults (CSV, no CPR), like the lists' filters.
    """

    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[(CSV, "CSV"), (XLSX, "XLSX")], required=False
    )
    medtag_cpr = forms.BooleanField(label=gettext_lazy("Medtag CPR-nummer"), required=False)

    def valg(self) -> tuple[str, bool]:
        self.is_valid()
        data = self.cleaned_data
        return data.get("format") or CSV, bool(data.get("medtag_cpr"))


def felter(parametre) -> list[tuple[str, str]]:
    """A list page's filters (its GET parameters) as name/value pairs for the export form's hidden
    fields: everything but the page number and the export's own choices."""
    return [
        (navn, vaerdi)
        for navn, vaerdier in parametre.lists()
        if navn not in {"side", "format", "medtag_cpr"}
        for vaerdi in vaerdier
    ]


# --- Values ---------------------------------------------------------------------------------


def _lokal(vaerdi: datetime.datetime) -> datetime.datetime:
    """Danish local time without a time zone (Excel has none; a naive value is a local one)."""
    if timezone.is_aware(vaerdi):
        vaerdi = timezone.localtime(vaerdi)
    return vaerdi.replace(tzinfo=None)


def _som_dato(vaerdi, art: str):
    """A date column shows a moment (a referral's `oprettet`) as its Danish calendar day."""
    if art == DATO and isinstance(vaerdi, datetime.datetime):
        return _lokal(vaerdi).date()
    return vaerdi


def _csv_vaerdi(vaerdi, art: str) -> str:
    vaerdi = _som_dato(vaerdi, art)
    if vaerdi is None or vaerdi == "":
        return ""
    if art == JA_NEJ or isinstance(vaerdi, bool):
        return _("Ja") if vaerdi else _("Nej")
    if isinstance(vaerdi, datetime.datetime):
        return _lokal(vaerdi).strftime("%d.%m.%Y %H:%M")
    if isinstance(vaerdi, datetime.date):
        return vaerdi.strftime("%d.%m.%Y")
    if isinstance(vaerdi, datetime.time):
        return vaerdi.strftime("%H:%M")
    if art == PROCENT:
        return f"{Decimal(str(vaerdi)) * 100:.1f}".replace(".", ",") + "%"
    if art == KRONER:
        return f"{Decimal(vaerdi):.2f}".replace(".", ",")
    if isinstance(vaerdi, int | Decimal | float):
        return str(vaerdi).replace(".", ",")
    tekst = str(vaerdi)
    return f"'{tekst}" if tekst.startswith(_FORMELTEGN) else tekst


def _xlsx_vaerdi(vaerdi, art: str):
    vaerdi = _som_dato(vaerdi, art)
    if art == JA_NEJ or isinstance(vaerdi, bool):
        return None if vaerdi is None else (_("Ja") if vaerdi else _("Nej"))
    if isinstance(vaerdi, datetime.datetime):
        return _lokal(vaerdi)
    if isinstance(vaerdi, datetime.date | datetime.time | int | Decimal | float) or vaerdi is None:
        return vaerdi
    return str(vaerdi)


def celle(ark, raekke: int, kolonne: int, vaerdi, format_: str | None = None):
    """Write one cell of an ordinary worksheet: text as text, never a formula."""
    felt = ark.cell(row=raekke, column=kolonne)
    felt.value = vaerdi
    if isinstance(vaerdi, str):
        felt.data_type = "s"  # never a formula, whatever the text begins with
    if format_ and vaerdi is not None:
        felt.number_format = format_
    return felt


# One font object for every heading cell: openpyxl shares styles by value, but building a Font per
# cell costs time in a long file.
_FED = Font(bold=True)


def skrivecelle(ark, vaerdi, art: str, *, fed: bool = False) -> WriteOnlyCell:
    """One cell of a write-only worksheet (streamed, `Workbook(write_only=True)`): text as text,
    never a formula; a number or date of kind `art` with its Danish display format."""
    felt = WriteOnlyCell(ark, value=_xlsx_vaerdi(vaerdi, art))
    if isinstance(felt.value, str):
        felt.data_type = "s"
    elif felt.value is not None and art in XLSX_FORMATER:
        felt.number_format = XLSX_FORMATER[art]
    if fed:
        felt.font = _FED
    return felt


# --- Files ------------------------------------------------------------------------------------


def csv_fil(raekker: Iterable, kolonner: Sequence[Kolonne]) -> tuple[bytes, int]:
    """The rows as CSV bytes, and how many rows there were."""
    ud = io.StringIO()
    skriver = csv.writer(ud, delimiter=";", lineterminator="\r\n")
    skriver.writerow([_csv_vaerdi(k.navn, TEKST) for k in kolonner])
    antal = 0
    for raekke in raekker:
        skriver.writerow([_csv_vaerdi(k.vaerdi(raekke), k.art) for k in kolonner])
        antal += 1
    return ud.getvalue().encode("utf-8-sig"), antal


def xlsx_fil(raekker: Iterable, kolonner: Sequence[Kolonne], *, arknavn: str) -> tuple[bytes, int]:
    """The rows as an XLSX workbook of one sheet, and how many rows there were."""
    bog = Workbook(write_only=True)
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
    ark = bog.create_sheet(arknavn.translate(str.maketrans("", "", "[]:*?/\\"))[:31])
    for nummer, kolonne in enumerate(kolonner, start=1):
        ark.column_dimensions[get_column_letter(nummer)].width = kolonne.bredde
    ark.freeze_panes = "A2"
    ark.append([skrivecelle(ark, k.navn, TEKST, fed=True) for k in kolonner])
    antal = 0
    for raekke in raekker:
        ark.append([skrivecelle(ark, k.vaerdi(raekke), k.art) for k in kolonner])
        antal += 1
    ark.auto_filter.ref = f"A1:{get_column_letter(len(kolonner))}{antal + 1}"
    ud = io.BytesIO()
    bog.save(ud)
    return ud.getvalue(), antal


def fil(
    raekker: Iterable, kolonner: Sequence[Kolonne], *, format: str, arknavn: str
) -> tuple[bytes, int]:
    if format == XLSX:
        return xlsx_fil(raekker, kolonner, arknavn=arknavn)
    return csv_fil(raekker, kolonner)


def svar(indhold: bytes, *, format: str, navn: str) -> HttpResponse:
    """The file as a download named `mikrolaan-<navn>-<today>.<format>`.

    `navn` names the list ("borgere"), never a person: file names end up in download folders,
    mail attachments and proxy logs.
    """
    svar_ = HttpResponse(indhold, content_type=INDHOLDSTYPER[format])
    filnavn = f"mikrolaan-{navn}-{timezone.localdate().isoformat()}.{format}"
    svar_["Content-Disposition"] = f'attachment; filename="{filnavn}"'
    svar_["X-Content-Type-Options"] = "nosniff"
    return svar_


def eksporter(
    request,
    *,
    raekker: QuerySet,
    kolonner: Sequence[Kolonne],
    valg: tuple[str, bool],
    liste: str,
    arknavn: str,
    kriterier: dict,
    borger: Callable[[Any], Model] | None = None,
) -> HttpResponse:
    """Write `raekker` (already scoped and filtered) as the chosen file, log it, and answer it.

    `valg` is `EksportForm.valg()`: the format and whether the columns include CPR numbers (the
    caller has checked the user's right to them). The export is one access-log row with the list,
    its filters (`kriterier`), the format and the number of rows. With CPR numbers, each citizen
    (`borger(raekke)`) also gets a VIS_CPR row, as a reveal on their page does, once however many
    of their rows the file holds.
    """
    if for_mange := hastighed.begraens(request, hastighed.EKSPORT):
        return for_mange
    format_, medtag_cpr = valg
    viste: dict[int, Model] = {}

    def gennemgaa():
        # In chunks from the database, so a long list is never held in memory as model objects.
        for raekke in raekker.iterator(chunk_size=2000):
            if medtag_cpr and borger is not None:
                objekt = borger(raekke)
                viste[objekt.pk] = objekt
            yield raekke

    indhold, antal = fil(gennemgaa(), kolonner, format=format_, arknavn=arknavn)
    log_adgang(
        bruger=request.user,
        handling=AdgangsLog.Handling.EKSPORT,
        kriterier={
            "liste": liste,
            "format": format_,
            **kriterier,
            "antal": antal,
            "cpr": medtag_cpr,
        },
        request=request,
    )
    if viste:
        log_adgang_for_hver(
            bruger=request.user,
            handling=AdgangsLog.Handling.VIS_CPR,
            objekter=viste.values(),
            kriterier={"eksport": liste, "format": format_},
            request=request,
        )
    return svar(indhold, format=format_, navn=liste)
