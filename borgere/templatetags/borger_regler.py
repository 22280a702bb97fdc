"""borgere's rules for templates of any app built on it: `{{ user|kan_vise_cpr }}`.

The pages that offer CPR numbers (an export's "Medtag CPR-nummer") ask the rule itself, so every
list that names citizens shows the choice by the same rule the export view enforces.
"""

from django import template

from .. import regler

register = template.Library()


@register.filter
def kan_vise_cpr(bruger) -> bool:
    return regler.kan_vise_cpr(bruger)


@register.filter
def kan_se_adgangslog(bruger) -> bool:
    return regler.kan_se_adgangslog(bruger)
