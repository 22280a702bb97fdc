"""The course staff member's calendar link: a random token, stored only as its SHA-256.

Calendar apps fetch the feed without a login, so the token in the URL is the credential. It is
shown once, when made; the table holds its hash, so a copy of the database opens no feed. One
link per user: a new one replaces the old, and deactivation, a role or organisation change and a
password change remove it (forloeb/aktiviteter/kalender.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kalenderlink(models.Model):
    bruger = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        on_delete=models.CASCADE,
        related_name="kalenderlink",
    )
    # Hex SHA-256 of the token: a random 256-bit token needs no salt or slow hash to resist
    # guessing, and an exact, indexed look-up finds it.
    token_hash = models.CharField(_("tokenens SHA-256"), max_length=64, unique=True)
    oprettet = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("kalenderlink")
        verbose_name_plural = _("kalenderlinks")

    def __str__(self):
        return str(self.bruger)
