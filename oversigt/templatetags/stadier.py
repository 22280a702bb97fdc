"""`{% stadie borger %}`: a citizen's stage as the lists show it, on a row from
`oversigt.stadier.med_stadie` (whose signature is awaited, the waiting-list position, the phase's
planned end, the day the stage was reached)."""

from django import template
from django.utils import timezone

from oversigt.stadier import Stadie

register = template.Library()


@register.inclusion_tag("oversigt/_stadie.html")
def stadie(borger, med_dato: bool = True) -> dict:
    """`med_dato=False` where the list has a column of its own for the day."""
    stadie_ = Stadie(borger.stadie)
    i_fase = stadie_ in (Stadie.OPKVALIFICERING, Stadie.HOVEDFORLOEB)
    return {
        "navn": stadie_.label,
        "dato": borger.stadie_dato if med_dato else None,
        "afventer_fra": borger.afventer_underskrift_fra
        if stadie_ == Stadie.AFVENTER_UNDERSKRIFT
        else None,
        "venteplads": borger.venteplads if stadie_ == Stadie.VENTELISTE else None,
        "fase_slut": borger.fase_slut if i_fase else None,
        "overskredet": i_fase
        and borger.fase_slut is not None
        and borger.fase_slut < timezone.localdate(),
        "opfoelgning": stadie_ == Stadie.OPFOELGNING,
    }
