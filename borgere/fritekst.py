"""CPR numbers kept out of free text: notes, business ideas, reasons, session descriptions.

Two layers, as with every rule here:

- Forms (`FritekstForm`): a free-text field holding a CPR-shaped number (cpr.find_cpr_i_tekst) is
  refused with a Danish message asking the user to remove it, or to tick "Det er ikke et
  CPR-nummer" beside the field. A confirmed number is saved masked (ddmmåå-xxxx) all the same: the
  rule is that what is saved never holds a valid CPR number in clear, and a number the user
  vouches for may still be one.
- Models (`FritekstModel`): `save()` masks the fields named in `CPR_FRITEKST` before anything is
  written, so a service, the admin or a shell that bypasses the forms stores the masked text, and
  the change history (django-auditlog, which reads the instance during the save) records it
  masked. `QuerySet.update()` and `bulk_create()` bypass `save()`; no code writes free text so.

tests/borgere/test_cpr_i_tekst.py checks that every free-text field of the case apps' models is
listed here, and every free-text field of their forms is checked.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MinLengthValidator,
    ProhibitNullCharactersValidator,
)
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import cpr

IKKE_CPR_ENDELSE = "_ikke_cpr"
IKKE_CPR_ETIKET = _("Det er ikke et CPR-nummer")
_CHARFIELD_VALIDATORER = (MaxLengthValidator, MinLengthValidator, ProhibitNullCharactersValidator)


class FritekstModel:
    """Model mixin: the text fields named in `CPR_FRITEKST` are saved with CPR numbers masked."""

    CPR_FRITEKST: tuple[str, ...] = ()

    def save(self, *args, **kwargs):
        for navn in self.CPR_FRITEKST:
            setattr(self, navn, cpr.masker_cpr_i_tekst(getattr(self, navn)))
        super().save(*args, **kwargs)


class _FritekstWidget:
    """Renders the field's input and, when its value holds a CPR-shaped number, the checkbox that
    confirms it is not one, so every template that renders the field gets the checkbox."""

    bekraeftet = False

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not isinstance(value, str) or not cpr.find_cpr_i_tekst(value):
            return html
        felt_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        return html + format_html(
            '<div class="form-check mt-1">'
            '<input class="form-check-input" type="checkbox" name="{}" id="{}" value="1"{}>'
            '<label class="form-check-label" for="{}">{}</label></div>',
            name + IKKE_CPR_ENDELSE,
            felt_id + IKKE_CPR_ENDELSE,
            " checked" if self.bekraeftet else "",
            felt_id + IKKE_CPR_ENDELSE,
            IKKE_CPR_ETIKET,
        )


class FritekstTextarea(_FritekstWidget, forms.Textarea):
    pass


class FritekstTextInput(_FritekstWidget, forms.TextInput):
    pass


class FritekstFelt(forms.CharField):
    """A text field that refuses a CPR-shaped number unless `bekraeftet`, and then masks it."""

    def __init__(self, *args, bekraeftet: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.bekraeftet = bekraeftet
        self.widget.bekraeftet = bekraeftet

    def clean(self, value):
        value = super().clean(value)
        fund = cpr.find_cpr_i_tekst(value)
        if not fund:
            return value
        if not self.bekraeftet:
            start, slut = fund[0]
            raise ValidationError(
                _(
                    "Teksten ser ud til at indeholde et CPR-nummer (%(nummer)s). Fjern det, "
                    "eller sæt hak i »Det er ikke et CPR-nummer«; så gemmes tallet med de "
                    "sidste fire cifre skjult."
                ),
                code="cpr_i_tekst",
                params={"nummer": cpr.masker_cpr_i_tekst(value[start:slut])},
            )
        return cpr.masker_cpr_i_tekst(value)


class FritekstForm:
    """Form mixin (before forms.Form/ModelForm): every text field with a textarea, plus the ones
    named in `cpr_fritekstfelter`, becomes a `FritekstFelt`."""

    cpr_fritekstfelter: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for navn, felt in list(self.fields.items()):
            if isinstance(felt, FritekstFelt) or not isinstance(felt, forms.CharField):
                continue
            if navn in self.cpr_fritekstfelter or isinstance(felt.widget, forms.Textarea):
                self.fields[navn] = self._fritekstfelt(navn, felt)

    def _fritekstfelt(self, navn: str, felt: forms.CharField) -> FritekstFelt:
        widget_klasse = (
            FritekstTextarea if isinstance(felt.widget, forms.Textarea) else FritekstTextInput
        )
        bekraeftet = self.is_bound and self.data.get(self.add_prefix(navn) + IKKE_CPR_ENDELSE) in (
            "1",
            "on",
            "true",
        )
        return FritekstFelt(
            required=felt.required,
            label=felt.label,
            initial=felt.initial,
            help_text=felt.help_text,
            max_length=felt.max_length,
            min_length=felt.min_length,
            strip=felt.strip,
            empty_value=felt.empty_value,
            error_messages=felt.error_messages,
            # CharField adds its own length and null-character validators again.
            validators=[v for v in felt.validators if not isinstance(v, _CHARFIELD_VALIDATORER)],
            disabled=felt.disabled,
            widget=widget_klasse(attrs=felt.widget.attrs),
            bekraeftet=bekraeftet,
        )
