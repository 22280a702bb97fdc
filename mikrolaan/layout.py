"""Template tags for the layout every page shares; a builtin (settings.TEMPLATES), so no {% load %}.

`{% rulleomraade _("Borgere") %}<table>…</table>{% endrulleomraade %}` wraps a table that may be
wider than a phone in a region that scrolls sideways on its own, so the page itself never does.
A keyboard user can reach it (tabindex="0") and scroll it with the arrow keys, and a screen reader
announces it by its name (role="region" with aria-label, or aria-labelledby naming the id of the
section's heading: `{% rulleomraade overskrift="plan-overskrift" %}`, which may hold a variable:
`overskrift="forloeb-{{ f.pk }}-overskrift"`) — axe's
scrollable-region-focusable rule. One tag, so every table follows the one pattern.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


class _Skabelon:
    def __init__(self, skabelon):
        self.skabelon = skabelon

    def resolve(self, context):
        return self.skabelon.render(context)


class Rulleomraade(template.Node):
    def __init__(self, indhold, navn, overskrift):
        self.indhold = indhold
        self.navn = navn
        self.overskrift = overskrift

    def render(self, context):
        if self.overskrift is not None:
            etiket = format_html('aria-labelledby="{}"', self.overskrift.resolve(context))
        else:
            etiket = format_html('aria-label="{}"', self.navn.resolve(context))
        return format_html(
            '<div class="table-responsive rulleomraade" tabindex="0" role="region" {}>{}</div>',
            etiket,
            self.indhold.render(context),
        )


@register.tag
def rulleomraade(parser, token):
    argumenter = token.split_contents()[1:]
    navn = overskrift = None
    for argument in argumenter:
        if argument.startswith("overskrift="):
            vaerdi = argument.removeprefix("overskrift=")
            if "{{" in vaerdi:
                # An id built from a variable, as the heading's own id is: a small template.
                overskrift = _Skabelon(template.Template(vaerdi.strip("\"'")))
            else:
                overskrift = parser.compile_filter(vaerdi)
        elif navn is None:
            navn = parser.compile_filter(argument)
        else:
            raise template.TemplateSyntaxError(f"rulleomraade: uventet argument {argument!r}")
    if (navn is None) == (overskrift is None):
        raise template.TemplateSyntaxError(
            'rulleomraade kræver enten et navn ({% rulleomraade _("Borgere") %}) '
            'eller overskrift="id"'
        )
    indhold = parser.parse(("endrulleomraade",))
    parser.delete_first_token()
    return Rulleomraade(indhold, navn, overskrift)
