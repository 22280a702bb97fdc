"""The baselines: what plain Django gives for the same rows, served in the same run.

Where the model has a Django admin, the baseline is its changelist (or change page) for the same
rows. Otherwise it is a generic `ListView` (or `DetailView`) over the same rows the page shows —
the model's `synlige_for` queryset with the page's filter, the related rows its `__str__` needs,
paginated by the page size of our lists — rendered in the site's own layout (`base.html`: menu,
notification bell, language form), so our page and its baseline differ only in the page's own work.

The baselines are served through the same middleware as our pages (sessions, login, CSP, access
control), from a URLconf that adds `/__basis__/<name>/` in front of the project's URLs; the
benchmark switches ROOT_URLCONF to it while it measures. No project URL is added.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import path
from django.views.generic import DetailView, ListView

from mikrolaan.sider import PR_SIDE
from mikrolaan.urls import urlpatterns as projektets_urlpatterns

_LISTE = """{% extends "base.html" %}{% block content %}
<h1>{{ titel }}</h1>
<table class="table">{% for raekke in object_list %}
<tr><td>{{ raekke.pk }}</td><td>{{ raekke }}</td></tr>{% endfor %}</table>
{% if page_obj %}<p>{{ page_obj.number }} / {{ page_obj.paginator.num_pages }}
({{ page_obj.paginator.count }})</p>{% endif %}
{% endblock %}"""

_DETALJE = """{% extends "base.html" %}{% block content %}
<h1>{{ titel }}</h1><p>{{ object.pk }}: {{ object }}</p>
{% endblock %}"""


@dataclass(frozen=True)
class Basislinje:
    """A generic view over `raekker(user)`: a paginated list, or with `pk` that one object."""

    titel: str
    raekker: Callable[..., QuerySet]
    pk: int | None = None


_REGISTER: dict[str, Basislinje] = {}


def registrer(navn: str, basislinje: Basislinje) -> str:
    """Serve `basislinje` at /__basis__/<navn>/ and return that path."""
    _REGISTER[navn] = basislinje
    return f"/__basis__/{navn}/"


class _MedSkabelon:
    skabelon = ""

    def render_to_response(self, context, **response_kwargs):
        context["titel"] = self.basislinje.titel
        return self.response_class(
            request=self.request,
            template=_skabelon(self.skabelon),
            context=context,
            **response_kwargs,
        )


@cache
def _skabelon(kilde: str):
    # Compiled once, as the project's templates are by the cached loader.
    return engines["django"].from_string(kilde)


class _Liste(_MedSkabelon, ListView):
    basislinje: Basislinje = None
    paginate_by = PR_SIDE
    page_kwarg = "side"
    skabelon = _LISTE

    def get_queryset(self):
        return self.basislinje.raekker(self.request.user)


class _Detalje(_MedSkabelon, DetailView):
    basislinje: Basislinje = None
    skabelon = _DETALJE

    def get_object(self, queryset=None):
        return get_object_or_404(self.basislinje.raekker(self.request.user), pk=self.basislinje.pk)


def _basis(request, navn: str):
    basislinje = _REGISTER.get(navn)
    if basislinje is None:
        raise Http404
    visning = _Liste if basislinje.pk is None else _Detalje
    return visning.as_view(basislinje=basislinje)(request)


urlpatterns = [path("__basis__/<str:navn>/", _basis), *projektets_urlpatterns]
