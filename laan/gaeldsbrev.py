"""The loan agreement (gældsbrev): a printable Danish PDF of a granted loan, made by WeasyPrint
from the Django template `laan/gaeldsbrev.html`.

The template includes the same partials as the loan page (`laan/_vilkaar.html`, `laan/_plan.html`)
with the same context (`laan`, `afdrag`), so the page and the paper never disagree. The plan is
the stored `Afdrag` rows made at disbursement, never a recomputation (`plan.py`).

The file is tagged PDF/UA-1 (Danish public-sector documents must be accessible): WeasyPrint tags
the structure from the HTML, takes the document language from `<html lang="da">` and the title
from `<title>`, which the viewer is told to show instead of the file name.

WeasyPrint needs Pango from the system (the Dockerfile installs it; `make` checks for it), so it is
imported here, when a PDF is made, not when Django loads the loan app.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Afdrag, Laan

PDF_VARIANT = "pdf/ua-1"


def filnavn(laan: Laan) -> str:
    """The download's name: the payment reference (or the loan's number before disbursement),
    never the citizen's name or CPR number (DOMAIN.md rule 8)."""
    return f"gaeldsbrev-{laan.reference or laan.pk}.pdf"


def gaeldsbrev_pdf(*, laan: Laan, afdrag: list[Afdrag]) -> bytes:
    """The agreement of `laan` (granted or later) as PDF bytes. `laan` comes with its programme,
    citizen, agreement and provider (`select_related`); nothing here queries the database."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The agreement is a Danish legal document whatever language the user reads the app in:
    # its text, dates and amounts are rendered in Danish, matching <html lang="da">.
    with translation.override("da"):
        html = _html(laan, afdrag)
    # Everything the document needs is in the template (styles inline, no images): no fetch may
    # leave the process, so a stray URL in a text can never make the server call out.
    ingen_hentning = URLFetcher(allowed_protocols=())
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=ingen_hentning).write_pdf(
        pdf_variant=PDF_VARIANT
    )


def _html(laan: Laan, afdrag: list[Afdrag]) -> str:
    return render_to_string(
        "laan/gaeldsbrev.html",
        {
            "laan": laan,
            "afdrag": afdrag,
            "borger": laan.forloeb.borger,
            "laangiver": laan.forloeb.pladsaftale.leverandoer,
            "udstedt": timezone.localdate(),
        },
    )
