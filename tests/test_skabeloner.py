"""Django's `{# … #}` comment ends at the line's end: a comment over two lines is printed on the
page as text (it happened on the citizen page). Longer comments use {% comment %}."""

from pathlib import Path

from django.conf import settings


def test_no_template_has_a_comment_over_several_lines():
    fejl = [
        f"{sti.relative_to(settings.BASE_DIR)}:{nr}"
        for sti in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.*"))
        for nr, linje in enumerate(sti.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in linje and "#}" not in linje.split("{#", 1)[1]
    ]
    assert fejl == []
