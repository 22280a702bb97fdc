"""Small helpers every app's views share: one page size, htmx detection, service errors on forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator

# One page size for every list in Mikrolån.
PR_SIDE = 25


def paginer(raekker, side) -> Page:
    """Page `side` (a number or the raw query value) of `raekker`; the last for a too-high one."""
    return Paginator(raekker, PR_SIDE).get_page(side)


def er_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def vis_fejl(form: forms.Form, fejl: ValidationError) -> None:
    """Put a service's ValidationError on the form: by its field when the form has that field."""
    if hasattr(fejl, "error_dict"):
        for felt, fejlliste in fejl.error_dict.items():
            form.add_error(felt if felt in form.fields else None, fejlliste)
    else:
        form.add_error(None, fejl)
