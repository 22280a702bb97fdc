"""Forms of the programme page. They parse input only; the rules live in forloeb.services, whose
ValidationErrors are put back on the form by field (mikrolaan.sider.vis_fejl)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstForm
from borgere.models import Forsoergelsesgrundlag
from mikrolaan.formularer import DatoFelt, DatoInput

from .models import Opfoelgning, Overgangsvurdering, Udskrivning
from .services.faser import TJEKPUNKTER

DATO = DatoInput()


class GrundlagValg(forms.ModelChoiceField):
    """The means of support valid today. `brug_valg` hands it a list read once for the page, so
    several forms on one page do not each query the table when rendered."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Forsoergelsesgrundlag.objects.gyldige(), **kwargs)
        self.empty_label = _("Vælg forsørgelsesgrundlag")

    def brug_valg(self, grundlag: list[Forsoergelsesgrundlag]) -> None:
        self.choices = [("", self.empty_label), *((g.pk, str(g)) for g in grundlag)]


class OvergangForm(FritekstForm, forms.ModelForm):
    """The course staff's assessment for the move to the main phase.

    `bekraeftet` and `begrundelse` are the confirmation a move before the qualifying phase's
    planned end or with the checklist incomplete needs (services.overgangsadvarsler); the page
    shows them, with the reasons, only then (`advarsler`)."""

    bekraeftet = forms.BooleanField(
        label=_("Jeg bekræfter, at borgeren skal gå videre til hovedforløbet alligevel"),
        required=False,
    )
    begrundelse = forms.CharField(
        label=_("Begrundelse for at gå videre nu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, advarsler: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.advarsler = advarsler or []

    @property
    def vurderingsfelter(self):
        return [self[navn] for navn in (*TJEKPUNKTER, "anbefaling")]

    @property
    def bekraeftelsesfelter(self):
        return [self["bekraeftet"], self["begrundelse"]]

    @property
    def vis_bekraeftelse(self) -> bool:
        return bool(self.advarsler or self["bekraeftet"].errors or self["begrundelse"].errors)

    class Meta:
        model = Overgangsvurdering
        fields = [*TJEKPUNKTER, "anbefaling"]
        widgets = {"anbefaling": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "anbefaling": _("Din anbefaling: er borgeren klar til hovedforløbet, og hvorfor?"),
        }
        error_messages = {"anbefaling": {"required": _("Skriv en anbefaling.")}}


class ForlaengForm(FritekstForm, forms.Form):
    ny_slut = DatoFelt(
        label=_("Ny planlagt slutdato"),
        widget=DATO,
        error_messages={"required": _("Angiv den nye planlagte slutdato.")},
    )
    begrundelse = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv en begrundelse for forlængelsen.")},
    )


class UdskrivForm(FritekstForm, forms.Form):
    dato = DatoFelt(
        label=_("Udskrivningsdato"),
        widget=DATO,
        error_messages={"required": _("Angiv udskrivningsdatoen.")},
    )
    aarsag = forms.ChoiceField(
        label=_("Årsag"),
        choices=[("", _("Vælg årsag")), *Udskrivning.Aarsag.choices],
        error_messages={"required": _("Vælg en årsag til udskrivningen.")},
        help_text=_("Et forløb kan kun udskrives som gennemført fra hovedforløbet."),
    )
    cvr = forms.CharField(
        label=_("CVR-nummer"),
        required=False,
        max_length=20,
        help_text=_("Kun ved udskrivning med egen virksomhed."),
    )
    virksomhed_startet = DatoFelt(
        label=_("Virksomhedens startdato"),
        required=False,
        widget=DATO,
        help_text=_("Kun ved udskrivning med egen virksomhed. Ikke før indskrivningen."),
    )
    forsoergelse_efter = GrundlagValg(
        label=_("Forsørgelsesgrundlag efter udskrivning"),
        error_messages={"required": _("Vælg borgerens forsørgelsesgrundlag efter udskrivningen.")},
    )
    note = forms.CharField(
        label=_("Bemærkning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Til sagen. Bemærkningen sendes ikke med i beskeden til erhvervschefen."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dato"].initial = timezone.localdate


class OpfoelgningForm(FritekstForm, forms.Form):
    selvforsoergende = forms.TypedChoiceField(
        label=_("Er borgeren selvforsørgende?"),
        choices=[("ja", _("Ja")), ("nej", _("Nej"))],
        coerce=lambda svar: svar == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Angiv, om borgeren er selvforsørgende.")},
    )
    forsoergelsesgrundlag = GrundlagValg(
        label=_("Forsørgelsesgrundlag"),
        error_messages={"required": _("Vælg borgerens forsørgelsesgrundlag.")},
    )
    note = forms.CharField(
        label=_("Bemærkning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, opfoelgning: Opfoelgning, **kwargs):
        kwargs.setdefault("prefix", f"opfoelgning-{opfoelgning.pk}")
        super().__init__(*args, **kwargs)
        self.opfoelgning = opfoelgning


class RettelseForm(FritekstForm, forms.Form):
    """A correction of the programme's course: always with a reason (undo the main phase, reopen
    the discharge)."""

    begrundelse = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv en begrundelse for rettelsen.")},
    )


class OmfordelForm(FritekstForm, forms.Form):
    """Hand the programme to another course staff member of the provider."""

    ny_medarbejder = forms.ModelChoiceField(
        label=_("Ny forløbsmedarbejder"),
        queryset=None,
        empty_label=_("Vælg forløbsmedarbejder"),
        error_messages={
            "required": _("Vælg den forløbsmedarbejder, der skal overtage forløbet."),
            "invalid_choice": _("Vælg en forløbsmedarbejder fra listen."),
        },
    )
    begrundelse = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv en begrundelse for rettelsen.")},
    )

    def __init__(self, *args, medarbejdere, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ny_medarbejder"].queryset = medarbejdere
        self.fields["ny_medarbejder"].label_from_instance = lambda b: (
            b.get_full_name() or b.username
        )
