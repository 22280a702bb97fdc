"""/healthz: the container's liveness check. Public, uncached, and silent about why it fails."""

import logging

import pytest
from django.db import OperationalError
from django.urls import reverse

from mikrolaan import views

# Nothing listens on port 1: connecting is refused at once.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def url():
    return reverse("healthz")


@pytest.mark.django_db
def test_healthz_answers_ok_to_an_anonymous_visitor(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_healthz_is_never_cached(client, url):
    response = client.get(url)

    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "no-cache" in cache_control


@pytest.mark.django_db
def test_healthz_answers_503_fejl_and_nothing_else_when_the_broker_is_unreachable(
    client, url, monkeypatch, caplog
):
    monkeypatch.setattr(views.celery_app.conf, "broker_url", UNREACHABLE_BROKER)

    with caplog.at_level(logging.ERROR, logger="mikrolaan.views"):
        response = client.get(url)

    assert response.status_code == 503
    assert response.content == b"fejl"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    # The reason goes to the log for the operator, not to whoever asked.
    assert any(r.message == "healthz failed" and r.exc_info for r in caplog.records)


@pytest.mark.django_db
def test_healthz_answers_503_fejl_when_the_database_is_unreachable(client, url, monkeypatch):
    def no_database():
        raise OperationalError('could not connect to server at "db.internal" (10.0.0.5)')

    monkeypatch.setattr(views.connection, "cursor", no_database)

    response = client.get(url)

    assert response.status_code == 503
    assert response.content == b"fejl"
