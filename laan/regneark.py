"""The loan portfolio as an XLSX spreadsheet (openpyxl): one row per loan, and the totals.

Amounts are written as numbers with a kroner format and dates as dates, so the receiver can sum,
sort and filter them; only names and texts are text. Every text is written as a string cell, never
a formula: a citizen's name or a reference beginning with "=" must not run in the receiver's
spreadsheet program (CSV/formula injection). The cell writer and the formats are the ones every
list's export uses (mikrolaan/eksport.py); this file has two sheets, the loans and the totals.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mikrolaan import eksport
from mikrolaan.eksport import celle as _celle

from .models import Laan
from .selectors import Portefoelje

# The display formats every export of Mikrolån uses (mikrolaan/eksport.py).
KRONER = eksport.XLSX_FORMATER[eksport.KRONER]
DATO = eksport.XLSX_FORMATER[eksport.DATO]
PROCENT = eksport.XLSX_FORMATER[eksport.PROCENT]


def _overskrifter(ark, navne: list[str]) -> None:
    for kolonne, navn in enumerate(navne, start=1):
        _celle(ark, 1, kolonne, navn).font = Font(bold=True)
    ark.freeze_panes = "A2"


def portefoelje_regneark(
    *, laan: Iterable[Laan], noegletal: Portefoelje, idag: datetime.date | None = None
) -> bytes:
    """`laan` carry `selectors.med_saldo`'s figures and their programme's citizen."""
    idag = idag or timezone.localdate()
    bog = Workbook()
    ark = bog.active
    ark.title = _("Lån")
    kolonner = [
        (_("Borger"), None, 28),
        (_("Status"), None, 14),
        (_("Beløb"), KRONER, 14),
        (_("Ansøgt"), DATO, 12),
        (_("Udbetalt"), DATO, 12),
        (_("Betalingsreference"), None, 18),
        (_("Løbetid (måneder)"), None, 10),
        (_("Indbetalt"), KRONER, 14),
        (_("Restgæld"), KRONER, 14),
        (_("Næste forfald"), DATO, 14),
        (_("Forfaldent"), KRONER, 14),
        (_("Dage i restance"), None, 10),
    ]
    _overskrifter(ark, [navn for navn, _f, _b in kolonner])
    for kolonne, (_navn, _format, bredde) in enumerate(kolonner, start=1):
        ark.column_dimensions[get_column_letter(kolonne)].width = bredde
    for raekke, et in enumerate(laan, start=2):
        vaerdier = [
            et.forloeb.borger.navn,
            et.get_status_display(),
            et.beloeb,
            timezone.localdate(et.oprettet),
            et.udbetalt_dato,
            et.reference or "",
            et.loebetid,
            et.indbetalt if et.udbetalt_dato else None,
            et.restgaeld,
            et.naeste_forfald,
            et.forfaldent if et.udbetalt_dato else None,
            et.dage_i_restance if et.udbetalt_dato else None,
        ]
        for kolonne, (vaerdi, (_navn, format_, _b)) in enumerate(
            zip(vaerdier, kolonner, strict=True), start=1
        ):
            _celle(ark, raekke, kolonne, vaerdi, format_)
    ark.auto_filter.ref = ark.dimensions

    tal = bog.create_sheet(_("Nøgletal"))
    _overskrifter(tal, [_("Nøgletal"), _("Værdi")])
    tal.column_dimensions["A"].width = 40
    tal.column_dimensions["B"].width = 18
    raekker: list[tuple[str, Decimal | int | None, str | None]] = [
        (_("Opgjort"), idag, DATO),
        *(
            (_("Antal lån: %(status)s") % {"status": status.label}, antal, None)
            for status in Laan.Status
            if (antal := noegletal.antal_pr_status.get(status.value, 0))
        ),
        (_("Bevilget"), noegletal.bevilget, KRONER),
        (_("Udbetalt"), noegletal.udbetalt, KRONER),
        (_("Tilbagebetalt"), noegletal.tilbagebetalt, KRONER),
        (_("Tilbagebetalt andel af udbetalt"), noegletal.tilbagebetalt_andel, PROCENT),
        (_("Restgæld"), noegletal.restgaeld, KRONER),
        (_("Lån i restance"), noegletal.antal_i_restance, None),
        (_("PAR30 (restgæld med afdrag over 30 dage i restance)"), noegletal.par30, PROCENT),
        (_("Afskrevet"), noegletal.afskrevet, KRONER),
    ]
    for raekke, (navn, vaerdi, format_) in enumerate(raekker, start=2):
        _celle(tal, raekke, 1, navn)
        _celle(tal, raekke, 2, vaerdi, format_)

    ud = BytesIO()
    bog.save(ud)
    return ud.getvalue()
