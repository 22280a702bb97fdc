from django import forms
from django.utils.translation import gettext_lazy as _

from borgere.models import Forsoergelsesgrundlag

from .models import Henvisning, Pladsaftale, Visitation, Vurdering

DATO = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HenvisningForm(forms.ModelForm):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pladsaftale"].queryset = Pladsaftale.objects.aktuelle().select_related(
            "leverandoer"
        )
        self.fields["pladsaftale"].empty_label = _("Vælg pladsaftale")
        self.fields["forsoergelsesgrundlag"].queryset = Forsoergelsesgrundlag.objects.gyldige()


class VisitationForm(forms.ModelForm):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
