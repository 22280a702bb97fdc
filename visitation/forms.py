from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstForm
from borgere.models import Forsoergelsesgrundlag
from mikrolaan.datoer import datofejl
from mikrolaan.formularer import DatoFelt, DatoInput
from mikrolaan.indsendelser.services import EngangsFormMixin

from .models import Henvisning, Pladsaftale, Visitation, Vurdering

DATO = DatoInput()


class HenvisningForm(EngangsFormMixin, FritekstForm, forms.ModelForm):
    class Meta:
        model = Henvisning
        fields = [
            "pladsaftale",
            "forsoergelsesgrundlag",
            "forretningsidee",
            "motivation",
            "vurdering",
        ]
        widgets = {
            "forretningsidee": forms.Textarea(attrs={"rows": 4}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "vurdering": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "vurdering": _("Din vurdering af, om borgeren kan gennemføre et iværksætterforløb."),
        }

    def __init__(self, *args, bruger, **kwargs):
        super().__init__(*args, **kwargs)
        # Only agreements the caseworker's organisation takes part in: the referral shares the
        # citizen with the provider (the service refuses any other, too).
        felt = self.fields["pladsaftale"]
        felt.queryset = (
            Pladsaftale.objects.aktuelle().henviselige_for(bruger).select_related("leverandoer")
        )
        felt.empty_label = _("Vælg pladsaftale")
        felt.error_messages["invalid_choice"] = _(
            "Vælg en af de pladsaftaler, der står på listen: din organisation kan kun henvise "
            "til aftaler, den selv er part i."
        )
        self.fields["forsoergelsesgrundlag"].queryset = Forsoergelsesgrundlag.objects.gyldige()


class VisitationForm(EngangsFormMixin, FritekstForm, forms.ModelForm):
    class Meta:
        model = Visitation
        fields = [
            "moededato",
            "deltagere",
            "kan_gennemfoere",
            "kan_gennemfoere_note",
            "motivation",
            "motivation_note",
            "forretningsidee",
            "forretningsidee_note",
            "personlige_forhold",
            "personlige_forhold_note",
            "oekonomiske_forhold",
            "oekonomiske_forhold_note",
            "beslutning",
            "afvisningsgrund",
        ]
        field_classes = {"moededato": DatoFelt}
        widgets = {
            "moededato": DATO,
            "deltagere": forms.Textarea(attrs={"rows": 2}),
            "kan_gennemfoere": forms.RadioSelect,
            "motivation": forms.RadioSelect,
            "forretningsidee": forms.RadioSelect,
            "personlige_forhold": forms.RadioSelect,
            "oekonomiske_forhold": forms.RadioSelect,
            "beslutning": forms.RadioSelect,
            "kan_gennemfoere_note": forms.Textarea(attrs={"rows": 3}),
            "motivation_note": forms.Textarea(attrs={"rows": 2}),
            "forretningsidee_note": forms.Textarea(attrs={"rows": 2}),
            "personlige_forhold_note": forms.Textarea(attrs={"rows": 2}),
            "oekonomiske_forhold_note": forms.Textarea(attrs={"rows": 2}),
            "afvisningsgrund": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, henvisning: Henvisning | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The referral being visited, when the view passes it: the meeting cannot be before it.
        self.henvisning = henvisning
        # Radio buttons without Django's "---------" blank choice: an answer is required anyway.
        for navn in (
            "kan_gennemfoere",
            "motivation",
            "forretningsidee",
            "personlige_forhold",
            "oekonomiske_forhold",
        ):
            self.fields[navn].choices = Vurdering.choices
        self.fields["beslutning"].choices = Visitation.Beslutning.choices

    def clean_moededato(self):
        # A sanity check, not a law: a meeting more than a year ahead is a typo (2062), and one
        # before the referral cannot have been about it.
        dato = self.cleaned_data.get("moededato")
        henvist = timezone.localdate(self.henvisning.oprettet) if self.henvisning else None
        if grund := datofejl(
            dato,
            felt=_("Mødedatoen"),
            tidligst=henvist,
            tidligst_hvad=_("henvisningen"),
        ):
            raise forms.ValidationError(grund)
        return dato

    def clean(self):
        data = super().clean()
        beslutning = data.get("beslutning")
        if (
            beslutning == Visitation.Beslutning.AFVIST
            and not (data.get("afvisningsgrund") or "").strip()
        ):
            self.add_error("afvisningsgrund", _("Skriv en begrundelse for afvisningen."))
        if (
            beslutning in (Visitation.Beslutning.OPTAGET, Visitation.Beslutning.VENTELISTE)
            and data.get("kan_gennemfoere") == Vurdering.NEJ
        ):
            self.add_error(
                "beslutning",
                _(
                    "Borgeren kan ikke optages, når vurderingen er, at borgeren ikke vil kunne "
                    "gennemføre et iværksætterforløb."
                ),
            )
        return data


# --- Corrections: each asks for the reason that goes into the case's history -----------------


class RettelseForm(FritekstForm, forms.Form):
    begrundelse = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Skrives i sagens historik og sendes med beskeden til de berørte."),
        error_messages={"required": _("Skriv en begrundelse.")},
    )

    def __init__(self, *args, prefix: str, **kwargs):
        # A prefix per correction: several of these forms share one page, and the ids of their
        # fields must not collide.
        super().__init__(*args, prefix=prefix, **kwargs)


class FjernFraVentelisteForm(RettelseForm):
    # Where the form was sent from, so an error is shown there and the redirect goes back.
    fra = forms.ChoiceField(
        choices=[("henvisning", "henvisning"), ("pladsaftale", "pladsaftale")],
        widget=forms.HiddenInput,
        initial="henvisning",
        required=False,
    )


class OmfordelForm(RettelseForm):
    ny_sagsbehandler = forms.ModelChoiceField(
        label=_("Ny ansvarlig sagsbehandler"),
        queryset=None,
        empty_label=_("Vælg sagsbehandler"),
        error_messages={"required": _("Vælg den sagsbehandler, der skal overtage sagen.")},
    )

    def __init__(self, *args, modtagere, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ny_sagsbehandler"].queryset = modtagere
