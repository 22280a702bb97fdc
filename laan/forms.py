"""Forms of the loan pages. They parse input only (Danish amounts, dates, the citizen's
documents); the rules live in the services, whose ValidationErrors are put back on the form by
field (mikrolaan.sider.vis_fejl)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstForm
from borgere.models import Dokument
from mikrolaan.formularer import DatoFelt, DatoInput
from mikrolaan.indsendelser.services import EngangsFormMixin
from mikrolaan.tekst import kort_dato, kroner

from . import kroner as danske_kroner
from .models import MAKS_AFDRAGSFRI, MAKS_LOEBETID, MINDSTE_BELOEB, STOERSTE_BELOEB, Laan

DATO = DatoInput()


class BeloebField(forms.CharField):
    """An amount in kroner as a Dane types it: `12.500`, `12.500,00`, `12500`, `12,5` (12,50 kr.).

    A text field, not a number input: the browser's number field would refuse `12.500,00` or
    read it as twelve and a half. Cleans to a Decimal with two places, never a float."""

    default_error_messages = {
        "invalid": _("Skriv beløbet i kroner, fx 12.500 eller 12.500,50."),
        "positivt": _("Beløbet skal være større end 0 kr."),
    }

    MAKS_TEGN = 30

    def __init__(self, *, mindst: Decimal | None = None, hoejst: Decimal | None = None, **kwargs):
        self.mindst, self.hoejst = mindst, hoejst
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # A phone keyboard with digits and the comma; still a text field (see above).
        return super().widget_attrs(widget) | {
            "inputmode": "decimal",
            "autocomplete": "off",
            "maxlength": str(self.MAKS_TEGN),
        }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > self.MAKS_TEGN:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return danske_kroner.fortolk(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.mindst is not None and self.hoejst is not None:
            if not self.mindst <= value <= self.hoejst:
                raise ValidationError(
                    # No full stop: the amount ends in "kr." ("… og 50.000 kr.").
                    _("Et mikrolån skal være mellem %(min)s og %(max)s")
                    % {"min": kroner(self.mindst), "max": kroner(self.hoejst)},
                    code="graenser",
                )
        elif value <= 0:
            raise ValidationError(self.error_messages["positivt"], code="positivt")


class DokumentValg(forms.ModelChoiceField):
    """One of the citizen's own documents of one type. `brug_valg` hands it the list read once
    for the page (both document fields share one query); validation reads the queryset."""

    def __init__(self, *, type_: str, **kwargs):
        self.type_ = type_
        super().__init__(queryset=Dokument.objects.none(), required=False, **kwargs)
        self.empty_label = _("Intet dokument")

    def label_from_instance(self, obj):
        return f"{obj.filnavn} ({kort_dato(timezone.localdate(obj.uploadet))})"

    def brug_valg(self, dokumenter: list[Dokument]) -> None:
        self.choices = [
            ("", self.empty_label),
            *((d.pk, self.label_from_instance(d)) for d in dokumenter if d.type == self.type_),
        ]


class AnsoegForm(EngangsFormMixin, FritekstForm, forms.Form):
    """The application (course staff, the maker)."""

    cpr_fritekstfelter = ("formaal",)

    beloeb = BeloebField(
        label=_("Beløb"),
        mindst=MINDSTE_BELOEB,
        hoejst=STOERSTE_BELOEB,
        help_text=_("Mellem 1.000 og 50.000 kr., fx 12.500 eller 12.500,50."),
        error_messages={"required": _("Skriv lånets beløb.")},
    )
    formaal = forms.CharField(
        label=_("Formål"),
        max_length=200,
        help_text=_("Hvad lånet skal bruges til, med én sætning."),
        error_messages={"required": _("Skriv, hvad lånet skal bruges til.")},
    )
    budget = forms.CharField(
        label=_("Budget"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hvad pengene skal købe, og hvad det koster."),
        error_messages={"required": _("Skriv et kort budget: hvad pengene skal købe.")},
    )
    loebetid = forms.IntegerField(
        label=_("Løbetid (måneder)"),
        min_value=1,
        max_value=MAKS_LOEBETID,
        initial=24,
        help_text=_("1–60 måneder med afdrag."),
        error_messages={
            "required": _("Angiv løbetiden i måneder."),
            "invalid": _("Skriv løbetiden som et helt antal måneder."),
            "min_value": _("Løbetiden skal være 1-60 måneder."),
            "max_value": _("Løbetiden skal være 1-60 måneder."),
        },
    )
    afdragsfri = forms.IntegerField(
        label=_("Afdragsfrie måneder"),
        min_value=0,
        max_value=MAKS_AFDRAGSFRI,
        initial=0,
        help_text=_("0–12 måneder fra udbetalingen, før første afdrag."),
        error_messages={
            "required": _("Angiv antal afdragsfrie måneder (0, hvis ingen)."),
            "invalid": _("Skriv et helt antal måneder."),
            "min_value": _("Der kan højst være 12 afdragsfrie måneder."),
            "max_value": _("Der kan højst være 12 afdragsfrie måneder."),
        },
    )
    forretningsplan = DokumentValg(
        type_=Dokument.Type.FORRETNINGSPLAN,
        label=_("Forretningsplan"),
        help_text=_("Et af borgerens dokumenter af typen Forretningsplan."),
    )
    budgetdokument = DokumentValg(
        type_=Dokument.Type.BUDGET,
        label=_("Budget (dokument)"),
        help_text=_("Et af borgerens dokumenter af typen Budget."),
    )

    def __init__(self, *args, borger_id: int, dokumenter: list[Dokument] | None = None, **kwargs):
        kwargs.setdefault("prefix", "ansoeg")
        super().__init__(*args, **kwargs)
        for navn in ("forretningsplan", "budgetdokument"):
            felt = self.fields[navn]
            felt.queryset = Dokument.objects.filter(borger_id=borger_id, type=felt.type_)
            if dokumenter is not None:
                felt.brug_valg(dokumenter)


class BekraeftForm(forms.Form):
    """An action without input (approve, withdraw, approve a write-off): the form only carries
    the service's refusal back to the page."""


class BegrundelseForm(FritekstForm, forms.Form):
    begrundelse = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv en begrundelse.")},
    )


class TraekTilbageForm(FritekstForm, forms.Form):
    begrundelse = forms.CharField(
        label=_("Begrundelse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Valgfri, fx borgerens egen begrundelse."),
    )


class UdbetalForm(forms.Form):
    dato = DatoFelt(
        label=_("Udbetalingsdato"),
        widget=DATO,
        help_text=_("Den dag pengene blev sendt til borgeren. Afdragsplanen regnes herfra."),
        error_messages={"required": _("Angiv udbetalingsdatoen."), "invalid": _("Ugyldig dato.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dato"].initial = timezone.localdate


class IndbetalingForm(EngangsFormMixin, forms.Form):
    dato = DatoFelt(
        label=_("Indbetalingsdato"),
        widget=DATO,
        error_messages={"required": _("Angiv indbetalingsdatoen."), "invalid": _("Ugyldig dato.")},
    )
    beloeb = BeloebField(
        label=_("Beløb"),
        help_text=_("Fx 500 eller 1.250,50."),
        error_messages={"required": _("Skriv det indbetalte beløb.")},
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=40,
        required=False,
        help_text=_("Teksten fra bankoverførslen, hvis der er en."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dato"].initial = timezone.localdate


# --- The portfolio's filters and the bank statement upload -----------------------------------


class PortefoeljeForm(forms.Form):
    """Filters of the portfolio list. Invalid values fall back to "all"."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle")), *Laan.Status.choices],
        required=False,
    )
    soeg = forms.CharField(label=_("Borgerens navn"), max_length=100, required=False)

    def filtre(self) -> dict:
        self.is_valid()
        return {
            "status": self.cleaned_data.get("status") or "",
            "soeg": (self.cleaned_data.get("soeg") or "").strip(),
        }


# A statement of a year's payments for a small programme is a few kilobytes; the limit keeps the
# signed copy carried through the preview (and the POST that returns it) small.
MAKS_KONTOUDTOG = 512 * 1024


class KontoudtogForm(forms.Form):
    fil = forms.FileField(
        label=_("Kontoudtog (CSV)"),
        help_text=_(
            "Fra netbanken: én linje pr. indbetaling med dato; beløb; reference, adskilt af "
            "semikolon, fx 27.11.2026;1.250,00;00001271."
        ),
        error_messages={"required": _("Vælg kontoudtoget (en CSV-fil).")},
    )

    def clean_fil(self) -> str:
        """The file as text. Danish banks export UTF-8 or Windows-1252; both are read."""
        fil = self.cleaned_data["fil"]
        if fil.size > MAKS_KONTOUDTOG:
            raise ValidationError(_("Filen er for stor: højst 512 KB."))
        data = fil.read()
        if b"\x00" in data:
            raise ValidationError(_("Filen kan ikke læses som tekst. Gem kontoudtoget som CSV."))
        for kodning in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(kodning)
            except UnicodeDecodeError:
                continue
        raise ValidationError(_("Filen kan ikke læses som tekst. Gem kontoudtoget som CSV."))
