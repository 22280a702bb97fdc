"""The one set of test builders. Test modules import from here, never from each other.

- `fabrikker`: factory_boy factories for single rows (users, organisations, citizens, notes,
  documents, notifications, sessions) and TEST_ADGANGSKODE.
- `sager`: journeys through the real services, from place agreement and referral to admission,
  the main phase, extensions, discharge and follow-ups; the standard programme's dates
  (START, SKIFTE, SLUT), a fixed agreement period for tests set on them (PERIODE_2025_2027; by
  default an agreement runs from a year before today) and the assessments the forms need.
- `tid`: Danish days (`paa(dato)` travels there with time-machine; DAG).
- `filer`: small but real files of each kind for upload tests.
- `celery`: `celery_broker(url)`, where this process publishes Celery messages for a while.
- `proces`: the project's Python in a subprocess with a controlled environment (start-up tests).

Fixtures (the pilot's organisations and users, `sagsdata`, clients, browser) stay in
tests/conftest.py; they are built from these.
"""
