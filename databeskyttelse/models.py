from django.db import models
from django.utils.translation import gettext_lazy as _

from borgere.models import Borger


class Anonymisering(models.Model):
    """A citizen anonymised by the retention job (`sletning.py`): that it happened, when, and what
    went with it, in counts only. The row also keeps the job from taking the citizen again."""

    borger = models.OneToOneField(
        Borger, on_delete=models.PROTECT, related_name="anonymisering", verbose_name=_("borger")
    )
    tidspunkt = models.DateTimeField(_("anonymiseret"), auto_now_add=True)
    # The retention limit the citizen's last case activity was older than.
    graense = models.DateTimeField(_("sidste aktivitet før"))
    journalnotater = models.PositiveIntegerField(_("slettede journalnotater"), default=0)
    dokumenter = models.PositiveIntegerField(_("slettede dokumenter"), default=0)
    logposter = models.PositiveIntegerField(_("slettede ændringshistorikposter"), default=0)

    class Meta:
        verbose_name = _("anonymisering")
        verbose_name_plural = _("anonymiseringer")
        ordering = ["-tidspunkt", "-id"]

    def __str__(self):
        return f"{self.borger_id} {self.tidspunkt:%d.%m.%Y}"
