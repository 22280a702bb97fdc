"""The insight export's two files: JSON for machines, a tagged Danish PDF for the citizen.

Both are made from the one dict `indsigt.indsigt` returns, so they hold the same data. The PDF is
A4, tagged PDF/UA-1 like the loan agreement (`laan/gaeldsbrev.py`): WeasyPrint takes the language
from `<html lang="da">` and the title from `<title>`. Nothing in it is fetched from anywhere.
File names carry the citizen's id and the date, never the name or CPR number (DOMAIN.md rule 8).
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

PDF_VARIANT = "pdf/ua-1"


def filnavn(borger_id: int, endelse: str) -> str:
    return f"indsigt-{borger_id}-{timezone.localdate():%Y-%m-%d}.{endelse}"


def som_json(data: dict) -> bytes:
    # Dates and times as ISO 8601, amounts as exact decimal strings ("30000.00"), never floats.
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def som_pdf(data: dict) -> bytes:
    # WeasyPrint needs Pango from the system: imported when a PDF is made, as in laan.gaeldsbrev.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The answer to the citizen is Danish whatever language the administrator reads the app in.
    with translation.override("da"):
        html = render_to_string("databeskyttelse/indsigt_pdf.html", {"data": data})
    return HTML(
        string=html,
        base_url=str(settings.BASE_DIR),
        url_fetcher=URLFetcher(allowed_protocols=()),
    ).write_pdf(pdf_variant=PDF_VARIANT)
