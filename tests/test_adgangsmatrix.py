"""Every URL the resolver knows × every kind of user answers as tests/adgangsmatrix.py says."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from .adgangsmatrix import (
    ADMIN_IKKE_PERSONALE,
    ADMIN_MODELLER,
    ADMIN_SIDER,
    ADMIN_UNDTAGELSER,
    BRUGERE,
    FORVENTNINGER,
    LOGIN,
    admin_forventning,
)


def alle_url_navne(resolver=None, navnerum: str = "") -> dict[str, URLPattern]:
    """Every named URL pattern, by its namespaced name ("konti:log_ind")."""
    resolver = resolver or get_resolver()
    navne = {}
    for moenster in resolver.url_patterns:
        if isinstance(moenster, URLResolver):
            rum = navnerum
            if moenster.namespace:
                rum = f"{navnerum}{moenster.namespace}:"
            navne |= alle_url_navne(moenster, rum)
        elif moenster.name:
            navne[f"{navnerum}{moenster.name}"] = moenster
    return navne


def mangler_forventning(navne) -> set[str]:
    return {navn for navn in navne if navn not in FORVENTNINGER and not navn.startswith("admin:")}


def test_every_url_has_a_declared_expectation():
    assert mangler_forventning(alle_url_navne()) == set()


# A URL configuration with one page more than the real one, to show the test above would catch it.
urlpatterns = [*get_resolver().url_patterns, path("ny-side/", lambda r: None, name="ny_side")]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_url_without_expectation_is_caught():
    assert mangler_forventning(alle_url_navne(get_resolver(__name__))) == {"ny_side"}


def _klient(pilot, bruger: str) -> Client:
    klient = Client()
    if bruger != "anonym":
        klient.force_login(getattr(pilot, bruger))
    return klient


def _tjek(svar, forventet, url):
    if forventet == LOGIN:
        assert svar.status_code == 302, url
        assert svar["Location"].startswith(reverse("konti:log_ind")), url
    else:
        assert svar.status_code == forventet, (url, svar.status_code)


@pytest.mark.parametrize("bruger", BRUGERE)
@pytest.mark.parametrize("navn", sorted(FORVENTNINGER))
def test_access_matrix(pilot, sagsdata, navn, bruger):
    forventning = FORVENTNINGER[navn]
    url = reverse(navn, kwargs=forventning.kwargs(sagsdata))
    _tjek(_klient(pilot, bruger).get(url), forventning.for_bruger(bruger), url)


def _admin_url(navn: str, moenster: URLPattern) -> str:
    """Reverse an admin URL, filling each argument with a placeholder that matches its pattern."""
    argumenter = {}
    for argument in moenster.pattern.regex.groupindex:
        argumenter[argument] = "0"
    if "app_label" in argumenter:
        match = re.search(r"\(\?P<app_label>([^)]*)\)", moenster.pattern.regex.pattern)
        argumenter["app_label"] = match.group(1).split("|")[0] if match else "konti"
    return reverse(navn, kwargs=argumenter)


ADMIN_NAVNE = sorted(n for n in alle_url_navne() if n.startswith("admin:"))


def test_every_admin_url_has_a_declared_expectation():
    assert {navn for navn in ADMIN_NAVNE if admin_forventning(navn) is None} == set()


def test_a_newly_registered_admin_model_without_expectation_is_caught():
    # The loan app's admin, say: its URLs have no expectation until its model is declared.
    assert admin_forventning("admin:laan_laan_changelist") is None


def test_the_admin_declarations_name_only_what_the_admin_has():
    # A declaration left behind by a removed admin would hide a typo in a new one.
    modeller = {navn.removeprefix("admin:").rpartition("_")[0] for navn in ADMIN_NAVNE}
    assert set(ADMIN_MODELLER) - modeller == set()
    assert set(ADMIN_SIDER) - set(ADMIN_NAVNE) == set()


@pytest.mark.parametrize("bruger", BRUGERE)
@pytest.mark.parametrize("navn", ADMIN_NAVNE)
def test_admin_is_only_for_administrators(pilot, navn, bruger):
    url = _admin_url(navn, alle_url_navne()[navn])
    svar = _klient(pilot, bruger).get(url)
    if navn in ADMIN_UNDTAGELSER:
        _tjek(svar, ADMIN_UNDTAGELSER[navn].for_bruger(bruger), url)
    elif bruger == "administrator":
        forventet = admin_forventning(navn)
        assert svar.status_code == forventet, (url, svar.status_code)
        if forventet == 302:
            # "Does not exist" sends the administrator back to the admin's index.
            assert svar["Location"] == reverse("admin:index"), url
    else:
        assert svar.status_code == ADMIN_IKKE_PERSONALE, (url, svar.status_code)
        assert "/login/" in svar["Location"] or "/log-ind/" in svar["Location"], url
