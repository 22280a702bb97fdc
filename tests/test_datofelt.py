"""Dates are typed as 27.11.2026 whatever the browser's language: every date field of every form is
a text box (no browser date picker, which shows mm/dd/yyyy in an English browser) that accepts the
Danish forms and ISO, and answers anything else with a Danish error that shows the format."""

import datetime
import importlib
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

from mikrolaan.formularer import DatoFelt, DatoInput


class Formular(forms.Form):
    dato = DatoFelt(label="Dato")


def _renset(vaerdi: str):
    formular = Formular({"dato": vaerdi})
    formular.is_valid()
    return formular


@pytest.mark.parametrize("vaerdi", ["27.11.2026", "27-11-2026", "2026-11-27", "27.11.2026 "])
def test_danish_and_iso_dates_are_accepted(vaerdi):
    formular = _renset(vaerdi)

    assert formular.errors == {}
    assert formular.cleaned_data["dato"] == datetime.date(2026, 11, 27)


def test_a_day_and_month_without_leading_zero_are_accepted():
    assert _renset("7.1.2026").cleaned_data["dato"] == datetime.date(2026, 1, 7)


@pytest.mark.parametrize("vaerdi", ["11/27/2026", "27/11/2026", "31.02.2026", "27.11.26", "i går"])
def test_other_shapes_get_a_danish_error_showing_the_format(vaerdi):
    formular = _renset(vaerdi)

    assert formular.errors == {"dato": ["Skriv datoen som dd.mm.åååå, fx 27.11.2026."]}


def test_the_danish_format_is_accepted_when_the_page_is_in_english():
    with translation.override("en"):
        formular = _renset("03.04.2026")

    # The 3rd of April, not the 4th of March.
    assert formular.cleaned_data["dato"] == datetime.date(2026, 4, 3)


def test_the_box_is_a_numeric_text_box_showing_the_format_not_the_browsers_date_picker():
    html = str(Formular(initial={"dato": datetime.date(2026, 11, 27)})["dato"])

    assert 'type="text"' in html
    assert 'type="date"' not in html
    assert 'inputmode="numeric"' in html
    assert 'placeholder="dd.mm.åååå"' in html
    assert 'autocomplete="off"' in html
    assert 'pattern="' in html
    assert 'value="27.11.2026"' in html


def test_the_pattern_lets_the_accepted_shapes_through_and_stops_the_english_one():
    import re

    moenster = re.compile(f"^(?:{DatoInput().attrs['pattern']})$")  # as the browser anchors it

    assert all(moenster.match(v) for v in ["27.11.2026", "7-1-2026", "2026-11-27"])
    assert not moenster.match("11/27/2026")


def test_what_was_typed_is_shown_again_with_the_error():
    html = str(Formular({"dato": "27/11/2026"})["dato"])

    assert 'value="27/11/2026"' in html


def _projektets_formularer():
    """Every Form class defined in the project's forms modules (<app>/**/forms.py)."""
    rod = Path(settings.BASE_DIR)
    for sti in sorted(rod.glob("*/**/forms.py")):
        if ".venv" in sti.parts or "node_modules" in sti.parts or "tests" in sti.parts:
            continue
        modul = importlib.import_module(".".join(sti.relative_to(rod).with_suffix("").parts))
        for vaerdi in vars(modul).values():
            if (
                isinstance(vaerdi, type)
                and issubclass(vaerdi, forms.BaseForm)
                and vaerdi.__module__ == modul.__name__
            ):
                yield vaerdi


def test_the_project_has_forms_with_date_fields():
    # The guard below looks at something: the session, discharge, loan and period forms at least.
    datofelter = [
        f"{formular.__name__}.{navn}"
        for formular in _projektets_formularer()
        for navn, felt in formular.base_fields.items()
        if isinstance(felt, forms.DateField)
    ]
    assert len(datofelter) >= 8, datofelter


def test_every_date_field_of_every_form_is_a_danish_date_field():
    forkerte = [
        f"{formular.__module__}.{formular.__name__}.{navn}"
        for formular in _projektets_formularer()
        for navn, felt in formular.base_fields.items()
        if isinstance(felt, forms.DateField | forms.DateTimeField)
        and not (isinstance(felt, DatoFelt) and isinstance(felt.widget, DatoInput))
    ]
    assert forkerte == []
