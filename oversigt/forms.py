import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from forloeb.models import Fase
from mikrolaan.formularer import DATO_FORMATER, DatoFelt, DatoInput
from visitation.models import Pladsaftale

from .arbejdslister import (
    SORTERINGER,
    SORTERINGER_BORGERE,
    STANDARD_SORTERING,
    STANDARD_SORTERING_BORGERE,
    Status,
)
from .stadier import Stadie, sagsbehandlere

DATO = DatoInput()
# A longer period adds nothing the evaluation report does not, and keeps the month table short.
MAKS_AAR = 5


def aftalernes_periode(bruger) -> tuple[datetime.date, datetime.date] | None:
    """The period of the place agreements the user follows that run today (from the first's
    start to the last's end), else of the latest one; None when she follows none.

    One aggregate query: the dashboard and the report open on the period the places were bought
    for, which is what the Erhvervschef and the committee account for.
    """
    aftaler = Pladsaftale.objects.overvaagede_af(bruger)
    idag = timezone.localdate()
    periode = aftaler.aggregate(
        fra=Min("gyldig_fra", filter=Q(gyldig_fra__lte=idag, gyldig_til__gte=idag)),
        til=Max("gyldig_til", filter=Q(gyldig_fra__lte=idag, gyldig_til__gte=idag)),
        seneste_fra=Max("gyldig_fra"),
    )
    if periode["fra"] is not None:
        return periode["fra"], periode["til"]
    if periode["seneste_fra"] is not None:
        seneste = aftaler.filter(gyldig_fra=periode["seneste_fra"]).order_by("-gyldig_til")
        return seneste.values_list("gyldig_fra", "gyldig_til")[0]
    return None


class PeriodeForm(forms.Form):
    """The overview's period, both days included. Empty fields mean the period of the place
    agreements the user follows (`aftalernes_periode`), or this calendar year without one."""

    fra = DatoFelt(label=_("Fra og med"), widget=DATO, required=False)
    til = DatoFelt(label=_("Til og med"), widget=DATO, required=False)

    def __init__(self, data=None, *, bruger=None, **kwargs):
        self.bruger = bruger
        # Always bound, so the default period is validated and shown like a chosen one.
        data = data.copy() if data else {}
        for navn in ("fra", "til"):
            if not data.get(navn):
                data[navn] = self.standard[navn].strftime(DATO_FORMATER[0])
        super().__init__(data, **kwargs)

    @cached_property
    def standard(self) -> dict[str, datetime.date]:
        # Read only when needed (a field left empty, an invalid choice): a page asked for a
        # full period costs no query for it.
        periode = aftalernes_periode(self.bruger) if self.bruger is not None else None
        if periode is None or periode[1] > periode[0] + relativedelta(years=MAKS_AAR):
            aar = timezone.localdate().year
            periode = (datetime.date(aar, 1, 1), datetime.date(aar, 12, 31))
        return {"fra": periode[0], "til": periode[1]}

    def clean(self):
        data = super().clean()
        fra, til = data.get("fra"), data.get("til")
        if fra and til:
            if til < fra:
                self.add_error("til", _("Slutdatoen skal ligge efter startdatoen."))
            elif til > fra + relativedelta(years=MAKS_AAR):
                self.add_error("til", _("Perioden må højst være %(aar)d år.") % {"aar": MAKS_AAR})
        return data

    def periode(self) -> tuple[datetime.date, datetime.date, bool]:
        """The chosen period, or the standard one when the chosen one is invalid (the fields
        then show why); the flag says whether the default replaced the choice."""
        if self.is_valid():
            return self.cleaned_data["fra"], self.cleaned_data["til"], False
        return self.standard["fra"], self.standard["til"], True


class ArbejdslisteForm(forms.Form):
    """Filters and sort order of a work list. Invalid values fall back to the defaults."""

    fase = forms.ChoiceField(
        label=_("Fase"),
        choices=[("", _("Alle faser")), *Fase.Type.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Forløb"),
        choices=[
            (Status.AKTIVE, _("Aktive")),
            (Status.AFSLUTTEDE, _("Afsluttede og afbrudte")),
            (Status.ALLE, _("Alle")),
        ],
        required=False,
    )
    i_risiko = forms.BooleanField(label=_("Kun forløb i risiko"), required=False)
    sorter = forms.ChoiceField(
        choices=[(s, s) for s in SORTERINGER], required=False, widget=forms.HiddenInput
    )

    def filtre(self) -> dict:
        """The selector's keyword arguments."""
        self.is_valid()  # an invalid field is left out of cleaned_data: its default applies
        data = self.cleaned_data
        return {
            "fase": data.get("fase") or "",
            "status": data.get("status") or Status.AKTIVE,
            "i_risiko": bool(data.get("i_risiko")),
            "sorter": data.get("sorter") or STANDARD_SORTERING,
        }


class MineForloebForm(ArbejdslisteForm):
    kun_mine = forms.BooleanField(label=_("Kun forløb, jeg er ansvarlig for"), required=False)

    def filtre(self) -> dict:
        return super().filtre() | {"kun_mine": bool(self.cleaned_data.get("kun_mine"))}


class MineBorgereForm(forms.Form):
    """Stage, caseworker and sort order of "Mine borgere". Invalid values fall back to the
    defaults; without a caseworker in the query string the list is the user's own."""

    stadie = forms.TypedChoiceField(
        label=_("Stadie"),
        choices=[("", _("Alle stadier")), *Stadie.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    sagsbehandler = forms.TypedChoiceField(
        label=_("Sagsbehandler"), coerce=int, empty_value=None, required=False
    )
    sorter = forms.ChoiceField(
        choices=[(s, s) for s in SORTERINGER_BORGERE], required=False, widget=forms.HiddenInput
    )

    def __init__(self, data, *, bruger, **kwargs):
        data = data.copy()
        if "sagsbehandler" not in data:
            data["sagsbehandler"] = str(bruger.pk)
        super().__init__(data, **kwargs)
        self.fields["sagsbehandler"].choices = [
            ("", _("Hele jobcentret")),
            *sagsbehandlere(bruger),
        ]

    def filtre(self) -> dict:
        """The selector's keyword arguments."""
        self.is_valid()  # an invalid field is left out of cleaned_data: its default applies
        data = self.cleaned_data
        return {
            "stadie": data.get("stadie"),
            "sagsbehandler": data.get("sagsbehandler"),
            "sorter": data.get("sorter") or STANDARD_SORTERING_BORGERE,
        }
