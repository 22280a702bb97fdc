from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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
    # Which jobcenter refers the citizens of a buying municipality (Jobcenter Vallensbæk serves
    # Ishøj Kommune). A caseworker may refer only to the agreements their jobcenter's
    # municipalities buy: a referral shares the citizen with the provider, so the choice of
    # provider is not free. A jobcenter may serve several municipalities; a municipality has one.
    betjent_af = models.ForeignKey(
        "self",
        verbose_name=_("betjenes af jobcenter"),
        on_delete=models.PROTECT,
        related_name="betjener",
        null=True,
        blank=True,
        # Also validated (Model.full_clean, the admin): a serving organisation is a jobcenter.
        limit_choices_to={"type": Type.JOBCENTER},
        error_messages={"invalid": _("Vælg et jobcenter.")},
        help_text=_("Det jobcenter, der henviser kommunens borgere til de pladser, den køber."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["navn"]
        constraints = [
            # Only a municipality is served. That the one serving it is a jobcenter is a fact
            # about another row: on PostgreSQL a trigger keeps it (migration 0004_betjening).
            models.CheckConstraint(
                condition=Q(betjent_af__isnull=True) | Q(type="kommune"),
                name="organisation_kun_kommune_betjenes",
                violation_error_message=_("Kun en kommune kan betjenes af et jobcenter."),
            ),
        ]

    def __str__(self):
        return self.navn

    def clean(self):
        super().clean()
        if (
            self.pk is not None
            and self.type != self.Type.JOBCENTER
            and Organisation.objects.filter(betjent_af=self.pk).exists()
        ):
            raise ValidationError(
                {"type": _("Organisationen betjener kommuner og skal derfor være et jobcenter.")}
            )


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
