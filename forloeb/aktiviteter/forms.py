"""Forms for sessions and attendance. The rules themselves live in services/."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borgere.fritekst import FritekstForm
from mikrolaan.formularer import DatoFelt, DatoInput
from mikrolaan.indsendelser.services import EngangsFormMixin
from mikrolaan.konti.models import Bruger

from ..models import Aktivitet, Deltagelse, Fase, Forloeb
from . import selectors

DATO = DatoInput()
TID = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _typer_grupperet(typer) -> list:
    """Select choices grouped by the phase that offers them, with a blank first choice."""
    valg: list = [("", _("Vælg type"))]
    for fase, fasens in Aktivitet.TYPER_I_FASE.items():
        tilbudt = [(t.value, t.label) for t in fasens if t in typer]
        if tilbudt:
            valg.append((Fase.Type(fase).label, tilbudt))
    return valg


class DeltagerFelt(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Forloeb) -> str:
        return obj.borger.navn


class AktivitetForm(EngangsFormMixin, FritekstForm, forms.ModelForm):
    """A session with its participants, on one page (group sessions are logged in one go).

    The type choices follow the chosen participants and date: only the types their phases offer
    are shown. When no type fits them all (participants in different phases), the type field
    says who is in which phase and which types that phase offers, instead of a bare "required".
    Every type stays valid for the field itself, so a mismatch reaches the service, which says in
    Danish which participant is in which phase.

    With `aktivitet` it corrects that session: its current participants stay selectable even if
    their programme has ended since.
    """

    cpr_fritekstfelter = ("sted",)
    deltagere = DeltagerFelt(
        label=_("Deltagere"),
        queryset=Forloeb.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vælg mindst én deltager.")},
    )

    class Meta:
        model = Aktivitet
        fields = [
            "dato",
            "starttid",
            "varighed",
            "form",
            "type",
            "sted",
            "medarbejder",
            "beskrivelse",
            "gaester",
        ]
        field_classes = {"dato": DatoFelt}
        widgets = {
            "dato": DATO,
            "starttid": TID,
            "varighed": forms.NumberInput(attrs={"min": 5, "max": 600, "step": 5}),
            "gaester": forms.NumberInput(attrs={"min": 0, "max": 500, "inputmode": "numeric"}),
            "form": forms.RadioSelect,
            "beskrivelse": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "beskrivelse": _(
                "Vises kun her – ikke i kalenderen. Skriv ikke CPR-numre eller helbredsoplysninger."
            ),
            "gaester": _(
                "Kun ved gruppeaktiviteter: deltagere, der ikke er i et mikrolånsforløb, fx en "
                "partner. Kun antallet – ingen navne."
            ),
        }
        labels = {"gaester": _("Gæster uden for forløbene")}

    field_order = ["dato", "starttid", "varighed", "deltagere", "form", "type"]

    def __init__(self, *args, bruger: Bruger, aktivitet: Aktivitet | None = None, **kwargs):
        if aktivitet is None:
            kwargs.setdefault(
                "initial",
                {
                    "dato": timezone.localdate(),
                    "varighed": 60,
                    "form": Aktivitet.Form.GRUPPE,
                    "medarbejder": bruger.pk,
                },
            )
        else:
            kwargs["instance"] = aktivitet
            kwargs.setdefault(
                "initial",
                {"deltagere": [d.forloeb_id for d in aktivitet.deltagelser.all()]},
            )
        super().__init__(*args, **kwargs)
        self.bruger = bruger
        self.aktivitet = aktivitet
        deltagere = selectors.mulige_deltagere(bruger=bruger, aktivitet=aktivitet)
        # The programmes are read once: the checkboxes and the type choices both use the list.
        self.mulige_deltagere = list(deltagere)
        self.fields["deltagere"].queryset = deltagere
        self.fields["medarbejder"].queryset = selectors.kursusmedarbejdere(bruger=bruger)
        self.fields["medarbejder"].empty_label = None
        self.fields["form"].choices = Aktivitet.Form.choices
        self.fields["form"].initial = Aktivitet.Form.GRUPPE
        self.fields["gaester"].required = False
        self.tilladte_typer, forklaring = self._tilladte_typer()
        self.fields["type"].widget.choices = _typer_grupperet(self.tilladte_typer)
        self.fields["type"].error_messages["required"] = forklaring or _("Vælg en type.")
        if not self.tilladte_typer:
            self.fields["type"].help_text = forklaring or _(
                "De valgte deltagere er ikke i en fase, der tilbyder samme type den dato."
            )
            if self.is_bound and forklaring:
                # A sent form shows the explanation as the field's error: not twice.
                self.fields["type"].help_text = ""
        elif len(self.tilladte_typer) < len(Aktivitet.Type):
            self.fields["type"].help_text = _(
                "Viser kun de typer, som de valgte deltageres fase tilbyder den dato."
            )

    def _raa(self, navn: str):
        """A field's submitted value (bound) or initial value (unbound), not yet cleaned."""
        felt = self.fields[navn]
        if self.is_bound:
            return felt.widget.value_from_datadict(self.data, self.files, self.add_prefix(navn))
        return self.get_initial_for_field(felt, navn)

    def _tilladte_typer(self) -> tuple[list[Aktivitet.Type], str | None]:
        """The types the chosen participants' phases offer on the chosen date, and, when none
        fits them all, the explanation of who is in which phase."""
        try:
            dato = self.fields["dato"].to_python(self._raa("dato"))
        except forms.ValidationError:
            dato = None
        valgte = {str(v) for v in self._raa("deltagere") or []}
        deltagere = [f for f in self.mulige_deltagere if str(f.pk) in valgte]
        if not isinstance(dato, datetime.date) or not deltagere:
            return list(Aktivitet.Type), None
        typer = selectors.tilladte_typer(deltagere=deltagere, dato=dato)
        if typer:
            return typer, None
        return typer, selectors.faseforklaring(deltagere=deltagere, dato=dato)

    def valgte_deltagere(self) -> set[str]:
        """The ids of the ticked participants, for re-rendering the checkboxes."""
        return {str(v) for v in self._raa("deltagere") or []}

    def clean_gaester(self) -> int:
        return self.cleaned_data.get("gaester") or 0

    def _post_clean(self):
        # The service validates the session (model rules included) and reports by field; running
        # the model's validation here too would only show the same messages twice.
        pass


class AktivitetRetForm(AktivitetForm):
    """The session form for a correction: the same fields and rules, and why."""

    begrundelse = forms.CharField(
        label=_("Hvorfor rettes aktiviteten?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Gemmes i aktivitetens historik. Skriv ikke CPR-numre."),
        error_messages={"required": _("Skriv, hvorfor aktiviteten rettes.")},
    )


class AflysForm(FritekstForm, forms.Form):
    begrundelse = forms.CharField(
        label=_("Hvorfor aflyses aktiviteten?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Gemmes i aktivitetens historik og sendes til deltagernes forløbsmedarbejdere. "
            "Skriv ikke CPR-numre."
        ),
        error_messages={"required": _("Skriv, hvorfor aktiviteten aflyses.")},
    )


class DeltagelseForm(FritekstForm, forms.Form):
    """One tap on deltog / afbud / udeblev, with the row's note."""

    cpr_fritekstfelter = ("note",)

    status = forms.ChoiceField(choices=Deltagelse.Status.choices)
    note = forms.CharField(required=False, max_length=500)

    def clean_note(self):
        # An absent note field (a client that sends only the status) keeps the note as it is.
        return self.cleaned_data["note"] if "note" in self.data else None


class AktivitetFilterForm(forms.Form):
    """The list's filters: type and a date range (both ends included)."""

    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Alle typer")), *Aktivitet.Type.choices]
    )
    fra = DatoFelt(label=_("Fra og med"), required=False, widget=DATO)
    til = DatoFelt(label=_("Til og med"), required=False, widget=DATO)

    def clean(self):
        data = super().clean()
        fra, til = data.get("fra"), data.get("til")
        if fra and til and fra > til:
            self.add_error("til", _("Slutdatoen skal ligge efter startdatoen."))
        return data
