"""The page benchmark of issue 13: `python scripts/benchmark.py --help`.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mikrolaan_national \\
        REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python scripts/benchmark.py --gentag 20 --plaene

Speed is measured here, not asserted in tests (the tests pin query counts instead); the CI smoke
(tests/test_benchmark.py) runs it at `--skala lille`. The code is in scripts/sidemaaling/.
"""

import os
import sys
import warnings
from pathlib import Path

_SCRIPTS = Path(__file__).resolve().parent
sys.path[:0] = [str(_SCRIPTS.parent), str(_SCRIPTS)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mikrolaan.settings")
# Measured as production runs: no DEBUG cursor, no template debugging.
os.environ["DEBUG"] = "false"
# Without DEBUG, WhiteNoise notes there is no collectstatic output; the finders serve the files.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

import django  # noqa: E402

django.setup()

from sidemaaling.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
