from django import forms
from django.utils.translation import gettext_lazy as _

from borgere import cpr


class IndsigtSoegeForm(forms.Form):
    """The citizen is found by the full CPR number only (the blind index): POSTed, never in a URL,
    and no partial match that would list other people."""

    cpr = forms.CharField(
        label=_("Borgerens CPR-nummer"),
        max_length=11,
        help_text=_("10 cifre, med eller uden bindestreg, fx 010190-1234."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_cpr(self):
        return cpr.normaliser(self.cleaned_data["cpr"])
