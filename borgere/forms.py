from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from mikrolaan.indsendelser.services import EngangsFormMixin

from . import cpr
from .fritekst import FritekstForm
from .models import Borger, Dokument, Forsoergelsesgrundlag
from .selectors import LIGNER_CPR
from .services import BORGER_FELTER, DOKUMENT_MAKS_BYTES

# Nothing typed into these fields should be remembered by the browser's form history.
_INGEN_HISTORIK = {"autocomplete": "off", "spellcheck": "false"}


class BorgerForm(FritekstForm, forms.ModelForm):
    """A citizen's contact data, means of support and business idea (the CPR is set at creation)."""

    class Meta:
        model = Borger
        fields = BORGER_FELTER
        widgets = {
            "forretningsidee": forms.Textarea(attrs={"rows": 4}),
            "postnummer": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "telefon": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "forretningsidee": _("Kort beskrivelse af den virksomhed borgeren vil starte.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only means of support in use today, plus the citizen's current one if it has expired.
        gyldige = Forsoergelsesgrundlag.objects.gyldige()
        if self.instance.forsoergelsesgrundlag_id:
            gyldige = gyldige | Forsoergelsesgrundlag.objects.filter(
                pk=self.instance.forsoergelsesgrundlag_id
            )
        self.fields["forsoergelsesgrundlag"].queryset = gyldige
        self.fields["postnummer"].validators.append(
            RegexValidator(r"^\d{4}$", _("Et postnummer har 4 cifre."))
        )


class BorgerOpretForm(EngangsFormMixin, BorgerForm):
    cpr = forms.CharField(
        label=_("CPR-nummer"),
        max_length=11,
        help_text=_("10 cifre, med eller uden bindestreg, fx 010190-1234."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", **_INGEN_HISTORIK}),
    )

    field_order = ["cpr", *BORGER_FELTER]

    def clean_cpr(self):
        return cpr.normaliser(self.cleaned_data["cpr"])


class SoegeForm(forms.Form):
    """The citizen list's search box and, with `ekstra_felter` from the list extension
    (selectors.Listeudvidelse), its filters. All POSTed: the search may be a CPR number."""

    q = forms.CharField(
        label=_("Søg på navn eller CPR-nummer"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", **_INGEN_HISTORIK}),
    )
    side = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, ekstra_felter: dict[str, forms.Field] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ekstra_navne = list(ekstra_felter or {})
        self.fields.update(ekstra_felter or {})

    @property
    def udvidelsesfelter(self) -> list[forms.BoundField]:
        return [self[navn] for navn in self.ekstra_navne]

    def filtre(self) -> dict:
        """The extension's filters as cleaned (an invalid one is left out)."""
        data = getattr(self, "cleaned_data", {})
        return {navn: data[navn] for navn in self.ekstra_navne if data.get(navn) is not None}

    def clean_q(self):
        tekst = self.cleaned_data["q"].strip()
        if LIGNER_CPR.match(tekst):
            cpr.normaliser(tekst)
        return tekst

    def clean_side(self):
        return self.cleaned_data["side"] or 1


class JournalnotatForm(EngangsFormMixin, FritekstForm, forms.Form):
    tekst = forms.CharField(
        label=_("Notat"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv notatets tekst.")},
    )


class DokumentForm(EngangsFormMixin, forms.Form):
    type = forms.ChoiceField(label=_("Dokumenttype"), choices=Dokument.Type.choices)
    fil = forms.FileField(
        label=_("Fil"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX), PNG eller JPEG. Højst 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
        error_messages={"required": _("Vælg en fil."), "empty": _("Filen er tom.")},
    )

    def clean_fil(self):
        fil = self.cleaned_data["fil"]
        # Checked again by the service; here so a large file gets its message at once.
        if fil.size > DOKUMENT_MAKS_BYTES:
            raise ValidationError(_("Filen er for stor. Den må højst fylde 10 MB."))
        return fil
