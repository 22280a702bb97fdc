"""Running the project's Python in a subprocess with a controlled environment.

Settings are read once per process, so start-up behaviour (a bad or missing variable) is tested in
a fresh interpreter: tests/test_settings.py for the settings themselves, and any app test whose
setting stops start-up (tests/forloeb/test_paamindelser.py's PAAMINDELSE_DAGE).
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parent.parent.parent

# What a development start-up needs and nothing more: fresh secrets, generated per test run.
DEVELOPMENT_SECRETS = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "CPR_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "CPR_INDEX_KEY": secrets.token_urlsafe(32),
}


def run_python(tmp_path, environment: dict[str, str], *args: str):
    """Run the project's Python in the repository with exactly `environment` (plus PATH)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "mikrolaan.settings",
        "DATA_DIR": str(tmp_path / "data"),
        **environment,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter, arguments from the tests
        [sys.executable, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def start_up_error(result) -> str:
    """The one-line reason start-up stopped (the last line of the traceback)."""
    assert result.returncode != 0, f"start-up did not fail:\n{result.stdout}{result.stderr}"
    return result.stderr.strip().splitlines()[-1]
