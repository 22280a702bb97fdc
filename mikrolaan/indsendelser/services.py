"""Create a row once per form key; the helpers every create view calls."""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Indsendelse

FELT = "indsendelse"

T = TypeVar("T", bound=models.Model)


class EngangsFormMixin:
    """A hidden one-time key, new each time an unbound form is rendered.

    Not required: a client that sends no key (an old tab from before the field existed) is served
    as before, without the protection; a browser always sends the key the page was given.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FELT] = forms.UUIDField(
            required=False,
            widget=forms.HiddenInput,
            initial=uuid.uuid4,
            error_messages={"invalid": gettext_lazy("Formularen er ugyldig. Hent siden igen.")},
        )

    def full_clean(self):
        super().full_clean()
        # Kept beside the data, not in it: views pass `**form.cleaned_data` on to their service.
        self.indsendelse: uuid.UUID | None = None
        if hasattr(self, "cleaned_data"):
            self.indsendelse = self.cleaned_data.pop(FELT, None)


class AlleredeSendt(Exception):
    """The form's key was used before; `indsendelse` is what that sending created."""

    def __init__(self, indsendelse: Indsendelse):
        super().__init__(str(indsendelse.noegle))
        self.indsendelse = indsendelse


def _tidligere(noegle: uuid.UUID) -> Indsendelse | None:
    return Indsendelse.objects.filter(noegle=noegle).first()


def opret_en_gang(
    *,
    noegle: uuid.UUID | None,
    bruger,
    opret: Callable[[], T],
    adresse: Callable[[T], str],
) -> T:
    """`opret()` once per `noegle`: the key is stored in the same transaction as the row.

    The key is inserted first, so a parallel request with the same key waits on its unique index
    until the first commits, then fails and is told so, without doing the work; if the first
    rolls back (a validation error), the second proceeds as if it were the first. The service
    inside keeps its own `atomic` (a savepoint here) and its on-commit hooks wait for this one.
    Raises `AlleredeSendt` for a used key; a domain error from `opret` rolls the key back.
    """
    if noegle is None:
        return opret()
    if (tidligere := _tidligere(noegle)) is not None:
        raise AlleredeSendt(tidligere)
    try:
        with transaction.atomic():
            indsendelse = Indsendelse.objects.create(noegle=noegle, bruger=bruger)
            objekt = opret()
            indsendelse.objekt_type = ContentType.objects.get_for_model(objekt)
            indsendelse.objekt_id = str(objekt.pk)
            indsendelse.adresse = adresse(objekt)
            indsendelse.save(update_fields=["objekt_type", "objekt_id", "adresse"])
    except IntegrityError:
        if (tidligere := _tidligere(noegle)) is None:
            raise  # another constraint of the row itself
        raise AlleredeSendt(tidligere) from None
    return objekt


def allerede_sendt(request, sendt: AlleredeSendt, *, ellers: str) -> HttpResponse:
    """The answer to a repeat: what the first sending created, or `ellers` if it is not ours."""
    messages.info(request, _("Formularen er allerede sendt."))
    indsendelse = sendt.indsendelse
    if indsendelse.bruger_id == request.user.pk and indsendelse.adresse:
        return redirect(indsendelse.adresse)
    return redirect(ellers)
