from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LogIndForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Forkert brugernavn eller adgangskode. Bemærk at der skelnes mellem store og små "
            "bogstaver."
        ),
        "inactive": _("Brugeren er deaktiveret. Kontakt din administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class KodeForm(forms.Form):
    """A code from the authenticator app, or one of the backup codes."""

    kode = forms.CharField(
        label=_("Kode"),
        max_length=40,
        help_text=_("Seks cifre fra din godkendelses-app, eller en af dine reservekoder."),
        error_messages={"required": _("Skriv koden.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class OpsaetningForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode fra appen"),
        max_length=20,
        help_text=_("De seks cifre, appen viser lige nu."),
        error_messages={"required": _("Skriv koden fra appen.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NulstilForm(forms.Form):
    begrundelse = forms.CharField(
        label=_("Begrundelse"),
        max_length=500,
        help_text=_("Fx at brugeren har mistet sin telefon. Begrundelsen gemmes i adgangsloggen."),
        error_messages={"required": _("Skriv en begrundelse.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
