import pytest

from mikrolaan.notifikationer import tasks
from tests.byg.celery import celery_broker


@pytest.fixture
def koe(monkeypatch) -> list[int]:
    """The notification ids whose email task was published, instead of publishing them."""
    lagt_i_koe: list[int] = []
    monkeypatch.setattr(tasks.send_email, "delay", lagt_i_koe.append)
    return lagt_i_koe


@pytest.fixture
def broker_nede():
    """A broker that refuses connections (nothing listens on port 1), as when Redis is down."""
    with celery_broker("redis://127.0.0.1:1/0"):
        yield
