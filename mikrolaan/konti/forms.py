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
