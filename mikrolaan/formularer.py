"""Form fields every app shares. Dates are typed as 27.11.2026, whatever the browser's language.

A browser's own date picker (`type="date"`) shows the date in the *browser's* format: mm/dd/yyyy
in an English Chrome, so a caseworker on an English machine typed 03/04 for the 3rd of April and
got the 4th of March. `DatoFelt` is a text box that says `dd.mm.åååå`, opens the number keyboard on
a tablet, and accepts 27.11.2026, 27-11-2026 and the ISO form links and the form's own defaults
use (2026-11-27). A date in another shape gets a Danish error that shows the format, and a date
outside `mikrolaan.datoer`'s outer bounds (before 2000, more than ten years ahead) one that names
them: no form or link reaches a view with the year 9999.

    fra = DatoFelt(label=_("Fra og med"), required=False)

In a ModelForm: `field_classes = {"dato": DatoFelt}` in Meta.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .datoer import graensefejl

# Day first, as Danes write it; ISO last, for links (?fra=2026-01-01) and the forms' defaults.
DATO_FORMATER = ["%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"]
# What the browser checks before it sends: a day-first date with . or -, or an ISO date.
DATO_MOENSTER = r"\d{1,2}[.\-]\d{1,2}[.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2}"
DATO_PLADSHOLDER = _("dd.mm.åååå")


class DatoInput(forms.DateInput):
    """A text box for a Danish date: shown as 27.11.2026, never the browser's date picker."""

    input_type = "text"

    def __init__(self, attrs=None):
        standard = {
            "inputmode": "numeric",
            "placeholder": DATO_PLADSHOLDER,
            "pattern": DATO_MOENSTER,
            # The browser's message for a mismatch (in the browser's language) ends with this.
            "title": _("Skriv datoen som dd.mm.åååå, fx 27.11.2026"),
            "autocomplete": "off",
            "maxlength": 10,
        }
        super().__init__(attrs={**standard, **(attrs or {})}, format=DATO_FORMATER[0])


class DatoFelt(forms.DateField):
    """A date typed the Danish way; the same formats in every language."""

    widget = DatoInput
    default_error_messages = {
        "invalid": _("Skriv datoen som dd.mm.åååå, fx 27.11.2026."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATO_FORMATER)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and (fejl := graensefejl(value)):
            raise ValidationError(fejl, code="uden_for_graenser")
