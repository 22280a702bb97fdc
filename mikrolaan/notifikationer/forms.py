from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Haendelse


class EmailValgForm(forms.Form):
    """Which event types the user wants an email for; the in-app notification always comes."""

    med_email = forms.MultipleChoiceField(
        label=_("Send mig en e-mail, når der sker følgende"),
        help_text=_(
            "Du får altid en notifikation i Mikrolån. Her vælger du, hvornår du også vil have en "
            "e-mail."
        ),
        choices=Haendelse.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
