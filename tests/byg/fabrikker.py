"""factory_boy factories: single rows with defaults, for tests that need a row, not a story.

A row that a service would write with rules attached (a referral, a programme, a discharge) is not
made here: build it with the journeys in `tests.byg.sager`, which go through the services.
Each issue adds its models' factories here.
"""

import datetime

import factory
from django.contrib.auth.models import Group

from borgere import cpr
from borgere.models import Borger, Dokument, Forsoergelsesgrundlag, Journalnotat
from mikrolaan.konti.models import Bruger, Organisation, Rolle
from mikrolaan.notifikationer.models import Haendelse, Notifikation

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


class NotifikationFactory(factory.django.DjangoModelFactory):
    """An in-app notification for `modtager=`; pass `email_oensket=True` for an email too."""

    class Meta:
        model = Notifikation

    modtager = factory.SubFactory(BrugerFactory)
    haendelse = Haendelse.INDSKREVET
    emne = factory.Sequence(lambda n: f"Borger indskrevet nr. {n}")
    tekst = "Anna Hansen er indskrevet i mikrolånsforløbet."


# A minimal but real PDF: content sniffing (filetype) recognises it by its "%PDF" header.
PDF_INDHOLD = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _cpr(n: int) -> str:
    """A valid, unique CPR number per n: birth dates from 1 Jan 1960 on, serials 3000-3999.

    Serials starting with 3 put the birth year in the 1900s. Modulus 11 is not enforced.
    """
    foedt = datetime.date(1960, 1, 1) + datetime.timedelta(days=n)
    return f"{foedt:%d%m%y}-{3000 + n % 1000:04d}"


class BorgerFactory(factory.django.DjangoModelFactory):
    """A citizen; pass `cpr="010190-1234"` for a given number, `jobcenter=` and `oprettet_af=`."""

    class Meta:
        model = Borger

    class Params:
        cpr = factory.Sequence(_cpr)

    fornavn = factory.Faker("first_name", locale="da_DK")
    efternavn = factory.Faker("last_name", locale="da_DK")
    forsoergelsesgrundlag = factory.LazyFunction(
        lambda: Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp")
    )
    forretningsidee = "Cykelværksted"
    jobcenter = factory.SubFactory(OrganisationFactory, type=Organisation.Type.JOBCENTER)
    oprettet_af = factory.SubFactory(
        BrugerFactory, organisation=factory.SelfAttribute("..jobcenter"), rolle=Rolle.SAGSBEHANDLER
    )
    cpr_krypteret = factory.LazyAttribute(lambda o: cpr.krypter(cpr.normaliser(o.cpr)))
    cpr_indeks = factory.LazyAttribute(lambda o: cpr.blindindeks(cpr.normaliser(o.cpr)))


class JournalnotatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journalnotat

    borger = factory.SubFactory(BorgerFactory)
    tekst = factory.Faker("paragraph", locale="da_DK")
    forfatter = factory.SelfAttribute("borger.oprettet_af")


class DokumentFactory(factory.django.DjangoModelFactory):
    """A stored PDF document (tests put the storage in a temporary folder)."""

    class Meta:
        model = Dokument

    borger = factory.SubFactory(BorgerFactory)
    type = Dokument.Type.FORRETNINGSPLAN
    fil = factory.django.FileField(data=PDF_INDHOLD, filename="dokument")
    filnavn = "forretningsplan.pdf"
    indholdstype = "application/pdf"
    stoerrelse = len(PDF_INDHOLD)
    uploadet_af = factory.SelfAttribute("borger.oprettet_af")


class AktivitetFactory(factory.django.DjangoModelFactory):
    """A session without participants, run by course staff at their organisation."""

    class Meta:
        model = "forloeb.Aktivitet"

    type = "personlig_vejledning"
    form = "individuel"
    dato = datetime.date(2026, 3, 2)
    starttid = datetime.time(10, 0)
    varighed = 60
    sted = "Jobhuset, Næstved"
    medarbejder = factory.SubFactory(BrugerFactory, rolle=Rolle.FORLOEBSMEDARBEJDER)
    organisation = factory.SelfAttribute("medarbejder.organisation")
