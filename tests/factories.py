"""factory_boy factories shared by all tests. Each issue adds its models' factories here."""

import factory
from django.contrib.auth.models import Group

from mikrolaan.konti.models import Bruger, Organisation, Rolle

TEST_ADGANGSKODE = "korrekt-hest-batteri-haefteklamme"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["navn"]

    navn = factory.Sequence(lambda n: f"Testkommune {n}")
    type = Organisation.Type.KOMMUNE


class BrugerFactory(factory.django.DjangoModelFactory):
    """A user; pass `rolle=Rolle.X` to put them in that role's group."""

    class Meta:
        model = Bruger
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.dk")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(TEST_ADGANGSKODE)

    @factory.post_generation
    def rolle(self, create, rolle: Rolle | None, **kwargs):
        if create and rolle:
            self.groups.add(Group.objects.get(name=rolle))
            if rolle == Rolle.ADMINISTRATOR and not self.is_staff:
                self.is_staff = True
                self.save(update_fields=["is_staff"])
