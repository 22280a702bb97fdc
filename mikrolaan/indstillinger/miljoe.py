"""Reading the environment: which environment this is, the local `.env`, and the strict parsers.

Every settings module reads its values through these, so a bad value stops start-up with a message
that names the variable, whichever module reads it.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

# The repository root: this file is mikrolaan/indstillinger/miljoe.py.
BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}."
    )
PRODUCTION = DJANGO_ENV == "production"

# Outside production the generated `.env` supplies local secrets. In production everything comes
# from the real environment (docker compose passes `.env` in as environment variables).
if not PRODUCTION:
    env.read_env(BASE_DIR / ".env", overwrite=False)


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        hint = "set it in the environment" if PRODUCTION else "run `make .env` to generate one"
        raise ImproperlyConfigured(f"{name} is not set: {hint}.")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}.")


def _int(name: str, default: int) -> int:
    raw = env.str(name, default=str(default))
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


# Local files (SQLite database, Celery's file broker, uploaded documents, outgoing mail in
# development) live under one git-ignored folder.
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "data"))).resolve()
