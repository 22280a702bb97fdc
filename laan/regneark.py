"""The loan portfolio as an XLSX spreadsheet (openpyxl): one row per loan, and the totals.

Amounts are written as numbers with a kroner format and dates as dates, so the receiver can sum,
sort and filter them; only names and texts are text. Every text is written as a string cell, never
a formula: a citizen's name or a reference beginning with "=" must not run in the receiver's
spreadsheet program (CSV/formula injection). The cell writer and the formats are the ones every
list's export uses (mikrolaan/eksport.py); this file has two sheets, the loans and the totals.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from mikrolaan import eksport
from mikrolaan.eksport import skrivecelle

from .models import Laan
from .selectors import Portefoelje

# The kinds of value (mikrolaan/eksport.py), each written with every export's display format;
# TEKST leaves a number in Excel's general format (months, days).
KRONER = eksport.KRONER
DATO = eksport.DATO
PROCENT = eksport.PROCENT
GENERELT = eksport.TEKST

# The fields each loan row needs (`values(*FELTER)` on `selectors.med_saldo`'s queryset): rows as
# dictionaries rather than model objects, since a national portfolio has thousands of loans and
# building three model objects per loan cost more than the query (issue 13).
FELTER = (
    "forloeb__borger_id",
    "forloeb__borger__fornavn",
    "forloeb__borger__efternavn",
    "status",
    "beloeb",
    "oprettet",
    "udbetalt_dato",
    "reference",
    "loebetid",
    "indbetalt",
    "restgaeld",
    "naeste_forfald",
    "forfaldent",
    "dage_i_restance",
)


def _ark(bog: Workbook, titel: str, kolonner: list[tuple[str, int]]):
    """A streamed sheet with its column widths and a bold heading row that stays in view."""
    ark = bog.create_sheet(titel)
    for nummer, (_navn, bredde) in enumerate(kolonner, start=1):
        ark.column_dimensions[get_column_letter(nummer)].width = bredde
    ark.freeze_panes = "A2"
    ark.append([skrivecelle(ark, navn, GENERELT, fed=True) for navn, _b in kolonner])
    return ark


def _loensraekke(et: Mapping) -> list[tuple[object, str]]:
    udbetalt = et["udbetalt_dato"] is not None
    return [
        (f"{et['forloeb__borger__fornavn']} {et['forloeb__borger__efternavn']}", GENERELT),
        (str(Laan.Status(et["status"]).label), GENERELT),
        (et["beloeb"], KRONER),
        (timezone.localdate(et["oprettet"]), DATO),
        (et["udbetalt_dato"], DATO),
        (et["reference"] or "", GENERELT),
        (et["loebetid"], GENERELT),
        (et["indbetalt"] if udbetalt else None, KRONER),
        (et["restgaeld"], KRONER),
        (et["naeste_forfald"], DATO),
        (et["forfaldent"] if udbetalt else None, KRONER),
        (et["dage_i_restance"] if udbetalt else None, GENERELT),
    ]


def portefoelje_regneark(
    *, laan: Iterable[Mapping], noegletal: Portefoelje, idag: datetime.date | None = None
) -> bytes:
    """`laan` are rows of `FELTER` from `selectors.med_saldo`'s queryset. Written with openpyxl's
    write-only workbook: streamed row by row rather than held as cell objects."""
    idag = idag or timezone.localdate()
    bog = Workbook(write_only=True)
    kolonner = [
        (_("Borger"), 28),
        (_("Status"), 14),
        (_("Beløb"), 14),
        (_("Ansøgt"), 12),
        (_("Udbetalt"), 12),
        (_("Betalingsreference"), 18),
        (_("Løbetid (måneder)"), 10),
        (_("Indbetalt"), 14),
        (_("Restgæld"), 14),
        (_("Næste forfald"), 14),
        (_("Forfaldent"), 14),
        (_("Dage i restance"), 10),
    ]
    ark = _ark(bog, _("Lån"), kolonner)
    antal = 0
    for et in laan:
        ark.append([skrivecelle(ark, vaerdi, art) for vaerdi, art in _loensraekke(et)])
        antal += 1
    ark.auto_filter.ref = f"A1:{get_column_letter(len(kolonner))}{antal + 1}"

    tal = _ark(bog, _("Nøgletal"), [(_("Nøgletal"), 40), (_("Værdi"), 18)])
    raekker: list[tuple[str, Decimal | int | None, str]] = [
        (_("Opgjort"), idag, DATO),
        *(
            (_("Antal lån: %(status)s") % {"status": status.label}, antal_, GENERELT)
            for status in Laan.Status
            if (antal_ := noegletal.antal_pr_status.get(status.value, 0))
        ),
        (_("Bevilget"), noegletal.bevilget, KRONER),
        (_("Udbetalt"), noegletal.udbetalt, KRONER),
        (_("Tilbagebetalt"), noegletal.tilbagebetalt, KRONER),
        (_("Tilbagebetalt andel af udbetalt"), noegletal.tilbagebetalt_andel, PROCENT),
        (_("Restgæld"), noegletal.restgaeld, KRONER),
        (_("Lån i restance"), noegletal.antal_i_restance, GENERELT),
        (_("PAR30 (restgæld med afdrag over 30 dage i restance)"), noegletal.par30, PROCENT),
        (_("Afskrevet"), noegletal.afskrevet, KRONER),
    ]
    for navn, vaerdi, art in raekker:
        tal.append([skrivecelle(tal, navn, GENERELT), skrivecelle(tal, vaerdi, art)])

    ud = BytesIO()
    bog.save(ud)
    return ud.getvalue()
