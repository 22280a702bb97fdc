"""Where this test process publishes Celery messages: `celery_broker(url)` switches for a while.

tests/conftest.py keeps every test on an in-memory broker with it; a test that needs a broker that
is down (notifikationer) or a real Redis with a worker (test_rigtig_worker) switches again inside.
"""

from contextlib import contextmanager

from kombu import pools

from mikrolaan.celery import app as celery_app


def _nulstil_celery_forbindelser() -> None:
    # The app caches its broker connection pool and producer pool; drop both so the next publish
    # connects to whatever broker_url says now.
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps producer pools per connection in process-wide groups, and celery takes its
    # producer pool from there: switching back to a URL used before got the old pool, whose
    # connections the line above had closed ("Acquire on closed pool", seen in CI).
    pools.reset()


@contextmanager
def celery_broker(url: str, *, koe: str | None = None):
    """Publish from this test process to `url` (and queue `koe`) for a while, then switch back."""
    navne = ("broker_url", "broker_transport_options", "task_default_queue")
    foer = {navn: celery_app.conf[navn] for navn in navne}
    _nulstil_celery_forbindelser()
    celery_app.conf.update(broker_url=url, broker_transport_options={})
    if koe:
        celery_app.conf.update(task_default_queue=koe)
    try:
        yield
    finally:
        _nulstil_celery_forbindelser()
        celery_app.conf.update(foer)
