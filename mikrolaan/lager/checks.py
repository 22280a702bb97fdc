"""A start-up warning when documents were left behind in the local folder.

Before DOKUMENTLAGER, every document lived in DATA_DIR/dokumenter. An installation that upgrades
and now stores in the database or a bucket would answer 404 for those files until they are moved:
say so at every start (runserver, migrate, check) instead of letting users find out.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Warning, register


def _har_filer(mappe: Path) -> bool:
    try:
        return any(sti.is_file() for sti in mappe.rglob("*"))
    except OSError:  # unreadable folder: nothing we can tell
        return False


@register()
def dokumenter_i_mappen(app_configs=None, **kwargs):
    if settings.DOKUMENTLAGER == "fil" or not _har_filer(Path(settings.DOKUMENT_MAPPE)):
        return []
    return [
        Warning(
            f"Der ligger dokumenter i {settings.DOKUMENT_MAPPE}, men "
            f"DOKUMENTLAGER={settings.DOKUMENTLAGER}: de kan ikke hentes, før de er flyttet.",
            hint="Kør `python manage.py flyt_dokumenter` (se README, 'Flere maskiner').",
            id="lager.W001",
        )
    ]
