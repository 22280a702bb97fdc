"""The Django admin's forms as a browser posts them, for tests that change users in the admin."""

from django.contrib.auth.models import Group

from mikrolaan.konti.models import Bruger, Rolle


def brugerformular(bruger: Bruger, **aendringer) -> dict:
    """The user change form's fields as the page would post them unchanged, with `aendringer`.

    Pass `roller=[Rolle.X, ...]` for the groups; checkboxes (`is_staff`, `is_superuser`, ...) are
    sent only when true, as a browser does.
    """
    roller = aendringer.pop("roller", None)
    data = {
        "username": bruger.username,
        "first_name": bruger.first_name,
        "last_name": bruger.last_name,
        "email": bruger.email,
        "organisation": bruger.organisation_id or "",
        "groups": [g.pk for g in bruger.groups.all()],
        "is_active": bruger.is_active,
        "is_staff": bruger.is_staff,
    }
    if roller is not None:
        data["groups"] = [Group.objects.get(name=Rolle(r)).pk for r in roller]
    data |= aendringer
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
