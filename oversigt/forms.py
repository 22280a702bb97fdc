import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forloeb.models import Fase

from .arbejdslister import SORTERINGER, STANDARD_SORTERING, Status

# The browser's date picker shows Danish dates (27.11.2026) and sends ISO; typed Danish dates are
# accepted too (DATE_INPUT_FORMATS in mikrolaan/formats/da).
DATO = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A longer period adds nothing the evaluation report does not, and keeps the month table short.
MAKS_AAR = 5


class PeriodeForm(forms.Form):
    """The overview's period, both days included; empty fields mean this calendar year."""

    fra = forms.DateField(label=_("Fra og med"), widget=DATO, required=False)
    til = forms.DateField(label=_("Til og med"), widget=DATO, required=False)

    def __init__(self, data=None, **kwargs):
        aar = timezone.localdate().year
        self.standard = {"fra": datetime.date(aar, 1, 1), "til": datetime.date(aar, 12, 31)}
        # Always bound, so the default period is validated and shown like a chosen one.
        data = data.copy() if data else {}
        for navn, vaerdi in self.standard.items():
            if not data.get(navn):
                data[navn] = vaerdi.isoformat()
        super().__init__(data, **kwargs)

    def clean(self):
        data = super().clean()
        fra, til = data.get("fra"), data.get("til")
        if fra and til:
            if til < fra:
                self.add_error("til", _("Slutdatoen skal ligge efter startdatoen."))
            elif til > fra + relativedelta(years=MAKS_AAR):
                self.add_error("til", _("Perioden må højst være %(aar)d år.") % {"aar": MAKS_AAR})
        return data


class ArbejdslisteForm(forms.Form):
    """Filters and sort order of a work list. Invalid values fall back to the defaults."""

    fase = forms.ChoiceField(
        label=_("Fase"),
        choices=[("", _("Alle faser")), *Fase.Type.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Forløb"),
        choices=[
            (Status.AKTIVE, _("Aktive")),
            (Status.AFSLUTTEDE, _("Afsluttede og afbrudte")),
            (Status.ALLE, _("Alle")),
        ],
        required=False,
    )
    i_risiko = forms.BooleanField(label=_("Kun forløb i risiko"), required=False)
    sorter = forms.ChoiceField(
        choices=[(s, s) for s in SORTERINGER], required=False, widget=forms.HiddenInput
    )

    def filtre(self) -> dict:
        """The selector's keyword arguments."""
        self.is_valid()  # an invalid field is left out of cleaned_data: its default applies
        data = self.cleaned_data
        return {
            "fase": data.get("fase") or "",
            "status": data.get("status") or Status.AKTIVE,
            "i_risiko": bool(data.get("i_risiko")),
            "sorter": data.get("sorter") or STANDARD_SORTERING,
        }


class MineForloebForm(ArbejdslisteForm):
    kun_mine = forms.BooleanField(
        label=_("Kun forløb, hvor jeg har haft aktiviteter"), required=False
    )

    def filtre(self) -> dict:
        return super().filtre() | {"kun_mine": bool(self.cleaned_data.get("kun_mine"))}


class MineBorgereForm(ArbejdslisteForm):
    hele_jobcentret = forms.BooleanField(label=_("Vis hele jobcentrets borgere"), required=False)

    def filtre(self) -> dict:
        return super().filtre() | {
            "hele_jobcentret": bool(self.cleaned_data.get("hele_jobcentret"))
        }
