from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Rolle(models.TextChoices):
    """The four roles of DOMAIN.md. Each is a Django group with exactly this name."""

    SAGSBEHANDLER = "Sagsbehandler", _("Sagsbehandler")
    FORLOEBSMEDARBEJDER = "Forløbsmedarbejder", _("Forløbsmedarbejder")
    ERHVERVSCHEF = "Erhvervschef", _("Erhvervschef")
    ADMINISTRATOR = "Administrator", _("Administrator")


class Organisation(models.Model):
    """A municipality or jobcenter taking part in the programme. Nothing assumes exactly three."""

    class Type(models.TextChoices):
        KOMMUNE = "kommune", _("Kommune")
        JOBCENTER = "jobcenter", _("Jobcenter")

    navn = models.CharField(_("navn"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    email = models.EmailField(_("fælles e-mail"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["navn"]

    def __str__(self):
        return self.navn


class BrugerQuerySet(models.QuerySet):
    def med_rolle(self, *roller: "Rolle", organisation_id: int | None = None):
        """Active users in one of the roles, optionally of one organisation (notification lists)."""
        qs = self.filter(is_active=True, groups__name__in=[r.value for r in roller])
        if organisation_id is not None:
            qs = qs.filter(organisation_id=organisation_id)
        return qs.distinct()


class BrugerManager(UserManager.from_queryset(BrugerQuerySet)):
    pass


class Bruger(AbstractUser):
    """A user of Mikrolån. Belongs to one organisation; its role is its group."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="brugere",
        # Only a superuser made with `createsuperuser` may lack one; such a user sees no cases.
        null=True,
        blank=True,
    )

    objects = BrugerManager()

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def roller(self) -> frozenset[str]:
        """The user's role names (normally exactly one). Cached for the request."""
        if not self.pk:
            return frozenset()
        return frozenset(self.groups.filter(name__in=Rolle.values).values_list("name", flat=True))

    @property
    def rolle(self) -> Rolle | None:
        """The user's role for the navigation and home page; the first in DOMAIN.md's order."""
        for rolle in Rolle:
            if rolle.value in self.roller:
                return rolle
        return None

    def har_rolle(self, *roller: Rolle) -> bool:
        return any(r.value in self.roller for r in roller)


# Change history for who was given which organisation, role and status (never password hashes).
auditlog.register(Organisation)
auditlog.register(Bruger, exclude_fields=["password", "last_login"], m2m_fields={"groups"})
