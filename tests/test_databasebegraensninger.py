"""Every database constraint refuses a raw write that breaks it, on SQLite and PostgreSQL alike.

The services and forms check the same rules with Danish messages; these tests show the database
holds them on its own, for the writes that go around the services (a bulk update, an admin action,
a data migration, a shell). Each write bypasses the model's validation (`update()`, `bulk_create`)
on rows the real services built, and must end in IntegrityError naming the constraint.

A constraint without a test here fails `test_every_constraint_has_a_raw_write_test`, as a URL
without an expectation fails the access matrix: a new constraint gets its test with it.
"""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from borgere.models import Forsoergelsesgrundlag
from forloeb.aktiviteter.services.rettelser import aktivitet_ret
from forloeb.models import (
    Deltagelse,
    Fase,
    Faseforlaengelse,
    Forloebsrettelse,
    Opfoelgning,
    Udskrivning,
)
from forloeb.services.indskrivning import visitation_underskriv
from forloeb.services.rettelser import omfordel_forloeb
from laan.models import Afdrag, Laan, Sagsgang
from laan.services import livsforloeb
from mikrolaan.konti.models import Rolle
from mikrolaan.notifikationer.models import EmailValg, Haendelse, Notifikation
from mikrolaan.notifikationer.services import gem_email_valg
from tests.byg.fabrikker import AktivitetFactory, BrugerFactory, NotifikationFactory
from tests.byg.laan import (
    afskrevet_laan,
    ansoegt_laan,
    bevilget_laan,
    forloeb_i_hovedforloeb,
    indbetal,
    udbetalt_laan,
)
from tests.byg.proces import REPO
from tests.byg.sager import (
    PERIODE_2025_2027,
    SKIFTE,
    START,
    faser,
    forlaeng,
    henvis,
    lav_borger,
    lav_forloeb,
    lav_pladsaftale,
    registrer_fremmoede,
    til_hovedforloeb,
    udskriv,
    visiter,
)
from tests.byg.tid import DAG
from visitation import services as visitation_services
from visitation.models import Henvisning, Henvisningsrettelse, Pladsaftale, Underskrift, Visitation

pytestmark = pytest.mark.django_db


def projektets_begraensninger() -> dict[str, tuple[type[models.Model], models.BaseConstraint]]:
    """Every constraint declared in the project's own apps (not Django's or third parties'), by
    name: the name is unique per database, and it is what the database reports."""
    begraensninger = {}
    for app in apps.get_app_configs():
        sti = Path(app.path)
        if not sti.is_relative_to(REPO) or sti.is_relative_to(REPO / ".venv"):
            continue
        for model in app.get_models():
            for begraensning in model._meta.constraints:
                begraensninger[begraensning.name] = (model, begraensning)
    return begraensninger


def kopi(raekke: models.Model, **felter) -> models.Model:
    """An unsaved copy of `raekke` with `felter` changed (relations by object or id)."""
    meta = raekke._meta
    vaerdier = {f.attname: getattr(raekke, f.attname) for f in meta.concrete_fields}
    vaerdier[meta.pk.attname] = None
    for navn, vaerdi in felter.items():
        felt = meta.get_field(navn)
        if isinstance(vaerdi, models.Model):
            vaerdi = vaerdi.pk
        vaerdier[felt.attname] = vaerdi
    return type(raekke)(**vaerdier)


def indsaet(raekke: models.Model) -> None:
    """Write a row with a plain INSERT: no save(), no validation, no signals."""
    type(raekke).objects.bulk_create([raekke])


def ret(raekke: models.Model, **felter) -> None:
    """Change a saved row with a plain UPDATE: no save(), no validation, no signals."""
    type(raekke).objects.filter(pk=raekke.pk).update(**felter)


# --- The raw writes, one per constraint ----------------------------------------------------
# Each function builds valid rows through the real services (outside the asserted block) and
# returns the write that breaks the constraint.


def _pladsaftale(pilot) -> Pladsaftale:
    return lav_pladsaftale(pilot)


def _forloeb(pilot):
    """The standard programme, admitted on START (so into an agreement of those years)."""
    return lav_forloeb(pilot, lav_pladsaftale(pilot, **PERIODE_2025_2027), startdato=START)


def _underskrevet_visitation(pilot) -> Visitation:
    """A visitation both parties have signed: Næstved by recording it, the jobcenter after."""
    visitation = visiter(pilot, henvis(pilot, _pladsaftale(pilot)))
    visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    return visitation


def _emailvalg_en_pr_haendelse(pilot):
    gem_email_valg(bruger=pilot.erhvervschef, med_email=set(Haendelse) - {Haendelse.INDSKREVET})
    valg = EmailValg.objects.get(bruger=pilot.erhvervschef, haendelse=Haendelse.INDSKREVET)
    return lambda: indsaet(kopi(valg, email=True))


def _notifikation_unik_noegle(pilot):
    noegle = "paamindelse:fase:1:2026-07-15"
    besked = NotifikationFactory(modtager=pilot.sagsbehandler, noegle=noegle)
    return lambda: indsaet(kopi(besked, emne="Samme påmindelse igen"))


def _forsoergelsesgrundlag_periode(pilot):
    grundlag = Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp")
    return lambda: ret(grundlag, gyldig_til=grundlag.gyldig_fra - DAG)


def _pladsaftale_mindst_en_plads(pilot):
    aftale = _pladsaftale(pilot)
    return lambda: ret(aftale, antal_pladser=0)


def _pladsaftale_periode(pilot):
    aftale = _pladsaftale(pilot)
    return lambda: ret(aftale, gyldig_til=aftale.gyldig_fra - DAG)


def _pladsaftale_pris_ikke_negativ(pilot):
    aftale = _pladsaftale(pilot)
    return lambda: ret(aftale, pris_pr_plads=Decimal("-0.01"))


def _organisation_kun_kommune_betjenes(pilot):
    # A jobcenter served by a jobcenter: only a municipality is served.
    return lambda: ret(pilot.jobcenter, betjent_af=pilot.jobcenter)


def _pladsaftale_to_parter(pilot):
    aftale = _pladsaftale(pilot)
    return lambda: ret(aftale, leverandoer=aftale.koeber)


def _henvisning_en_aaben(pilot):
    henvisning = henvis(pilot, _pladsaftale(pilot))
    return lambda: indsaet(kopi(henvisning))


def _visitation_afvisning_kraever_grund(pilot):
    visitation = visiter(
        pilot, henvis(pilot, _pladsaftale(pilot)), "afvist", afvisningsgrund="Ikke klar endnu"
    )
    return lambda: ret(visitation, afvisningsgrund="")


def _visitation_nej_kan_kun_afvises(pilot):
    visitation = _underskrevet_visitation(pilot)
    return lambda: ret(visitation, kan_gennemfoere="nej")


def _omfordeling(pilot) -> Henvisningsrettelse:
    """A case handed from the pilot's caseworker to a colleague, with its history row."""
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)
    return visitation_services.omfordel(
        bruger=pilot.sagsbehandler,
        henvisning=henvis(pilot, _pladsaftale(pilot)),
        ny_sagsbehandler=kollega,
        begrundelse="Barsel",
    )


def _henvisningsrettelse_begrundet(pilot):
    rettelse = _omfordeling(pilot)
    return lambda: indsaet(kopi(rettelse, begrundelse=""))


def _henvisningsrettelse_omfordeling_to_personer(pilot):
    rettelse = _omfordeling(pilot)
    return lambda: indsaet(kopi(rettelse, til_sagsbehandler=rettelse.fra_sagsbehandler))


def _naestveds_underskrift(pilot) -> Underskrift:
    """The one signature on a visitation Næstved has recorded and the jobcenter not yet signed."""
    return visiter(pilot, henvis(pilot, _pladsaftale(pilot))).underskrifter.get()


def _underskrift_en_pr_organisation(pilot):
    underskrift = _naestveds_underskrift(pilot)
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    return lambda: indsaet(kopi(underskrift, bruger=kollega))


def _underskrift_en_pr_person(pilot):
    underskrift = _naestveds_underskrift(pilot)
    # The same person signing again, for the party that has not signed.
    return lambda: indsaet(kopi(underskrift, organisation=pilot.jobcenter))


def _fase_en_pr_type(pilot):
    fase = faser(_forloeb(pilot))[Fase.Type.HOVEDFORLOEB]
    return lambda: indsaet(kopi(fase))


def _fase_planlagt_periode(pilot):
    fase = faser(_forloeb(pilot))[Fase.Type.OPKVALIFICERING]
    return lambda: ret(fase, planlagt_slut=fase.planlagt_start)


def _forlaengelse(pilot) -> Faseforlaengelse:
    fase = faser(_forloeb(pilot))[Fase.Type.OPKVALIFICERING]
    return forlaeng(pilot, fase, SKIFTE + 30 * DAG, dato=SKIFTE - 10 * DAG)


def _forlaengelse_senere_slut(pilot):
    forlaengelse = _forlaengelse(pilot)
    return lambda: ret(forlaengelse, ny_slut=forlaengelse.tidligere_slut)


def _forlaengelse_begrundet(pilot):
    forlaengelse = _forlaengelse(pilot)
    return lambda: ret(forlaengelse, begrundelse="")


def _aktivitet_varighed(pilot):
    aktivitet = AktivitetFactory(medarbejder=pilot.forloebsmedarbejder)
    return lambda: ret(aktivitet, varighed=4)


def _aktivitet_gaester_kun_i_gruppe(pilot):
    aktivitet = AktivitetFactory(medarbejder=pilot.forloebsmedarbejder, form="individuel")
    return lambda: ret(aktivitet, gaester=2)


def _aktivitet_aflysning_begrundet(pilot):
    aktivitet = AktivitetFactory(medarbejder=pilot.forloebsmedarbejder)
    return lambda: ret(aktivitet, aflyst=aktivitet.oprettet)


def _aktivitet_fremmoede_registreret_af(pilot):
    aktivitet = AktivitetFactory(medarbejder=pilot.forloebsmedarbejder)
    return lambda: ret(aktivitet, fremmoede_registreret=aktivitet.oprettet)


def _aktivitetsrettelse_begrundet(pilot):
    (deltagelse,) = registrer_fremmoede(pilot, _forloeb(pilot), Deltagelse.Status.DELTOG)
    aktivitet = deltagelse.aktivitet
    rettelse = aktivitet_ret(
        bruger=pilot.forloebsmedarbejder,
        aktivitet=aktivitet,
        begrundelse="Forkert lokale",
        type=aktivitet.type,
        form=aktivitet.form,
        dato=aktivitet.dato,
        starttid=aktivitet.starttid,
        varighed=aktivitet.varighed,
        sted="Jobhuset, lokale 3",
        medarbejder=aktivitet.medarbejder,
        deltagere=[deltagelse.forloeb],
    )
    return lambda: ret(rettelse, begrundelse="")


def _deltagelse_en_pr_forloeb(pilot):
    (deltagelse,) = registrer_fremmoede(pilot, _forloeb(pilot), Deltagelse.Status.DELTOG)
    return lambda: indsaet(kopi(deltagelse, status=Deltagelse.Status.UDEBLEV))


def _udskrivning_egen_virksomhed_kraever_cvr(pilot):
    forloeb = til_hovedforloeb(pilot, _forloeb(pilot), SKIFTE)
    udskrivning = udskriv(pilot, forloeb, SKIFTE + 10 * DAG, Udskrivning.Aarsag.EGEN_VIRKSOMHED)
    return lambda: ret(udskrivning, cvr="")


def _udskrivning_gaeldende_eller_annulleret(pilot):
    forloeb = _forloeb(pilot)
    udskrivning = udskriv(pilot, forloeb, START + 10 * DAG)
    # Both the programme's discharge and annulled: one or the other.
    return lambda: ret(udskrivning, annulleret_forloeb=forloeb)


def _overgangsvurdering_gaeldende_eller_annulleret(pilot):
    forloeb = til_hovedforloeb(pilot, _forloeb(pilot), SKIFTE)
    return lambda: ret(forloeb.overgangsvurdering, forloeb=None)


def _omfordelt(pilot) -> Forloebsrettelse:
    """A programme handed from the pilot's course staff member to a colleague."""
    forloeb = _forloeb(pilot)
    kollega = BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    omfordel_forloeb(
        bruger=pilot.forloebsmedarbejder,
        forloeb=forloeb,
        ny_medarbejder=kollega,
        begrundelse="Ferie.",
    )
    return Forloebsrettelse.objects.get(forloeb=forloeb)


def _forloebsrettelse_begrundet(pilot):
    rettelse = _omfordelt(pilot)
    return lambda: ret(rettelse, begrundelse="")


def _forloebsrettelse_omfordeling_ny_person(pilot):
    rettelse = _omfordelt(pilot)
    return lambda: ret(rettelse, til_medarbejder=rettelse.fra_medarbejder)


def _opfoelgninger(pilot) -> list[Opfoelgning]:
    forloeb = _forloeb(pilot)
    udskriv(pilot, forloeb, START + 10 * DAG)
    return list(Opfoelgning.objects.filter(forloeb=forloeb).order_by("maaneder"))


def _opfoelgning_en_pr_tidspunkt(pilot):
    tre, _seks, _tolv = _opfoelgninger(pilot)
    return lambda: indsaet(kopi(tre, forfalder=tre.forfalder + DAG))


def _opfoelgning_3_6_12(pilot):
    tre, _seks, _tolv = _opfoelgninger(pilot)
    return lambda: ret(tre, maaneder=4)


# --- Loans ------------------------------------------------------------------------------------


def _ansoegt(pilot) -> Laan:
    return ansoegt_laan(pilot, forloeb_i_hovedforloeb(pilot))


def _bevilget(pilot) -> Laan:
    return bevilget_laan(pilot, forloeb_i_hovedforloeb(pilot))


def _udbetalt(pilot) -> Laan:
    return udbetalt_laan(pilot, forloeb_i_hovedforloeb(pilot))


def _laan_beloeb(pilot):
    laan = _ansoegt(pilot)
    return lambda: ret(laan, beloeb=Decimal("50000.01"))


def _laan_loebetid(pilot):
    laan = _ansoegt(pilot)
    return lambda: ret(laan, loebetid=61)


def _laan_afdragsfri(pilot):
    laan = _ansoegt(pilot)
    return lambda: ret(laan, afdragsfri=13)


def _laan_rentefrit(pilot):
    laan = _ansoegt(pilot)
    return lambda: ret(laan, rente=Decimal("2.50"))


def _laan_fire_oejne_bevilling(pilot):
    laan = _bevilget(pilot)
    return lambda: ret(laan, bevilget_af=laan.oprettet_af)


def _laan_fire_oejne_afskrivning(pilot):
    laan = afskrevet_laan(pilot, forloeb_i_hovedforloeb(pilot))
    return lambda: ret(laan, afskrevet_af=laan.afskrivning_indstillet_af)


def _laan_bevilget_har_bevilger(pilot):
    laan = _bevilget(pilot)
    return lambda: ret(laan, bevilget_af=None)


def _laan_udbetalt_har_dato_og_reference(pilot):
    laan = _udbetalt(pilot)
    return lambda: ret(laan, reference=None)


def _laan_afskrevet_begrundet(pilot):
    laan = afskrevet_laan(pilot, forloeb_i_hovedforloeb(pilot))
    return lambda: ret(laan, afskrivning_begrundelse="")


def _laan_reference_unik(pilot):
    forloeb = forloeb_i_hovedforloeb(pilot)
    foerste = udbetalt_laan(pilot, forloeb, Decimal("20000.00"))
    anden = udbetalt_laan(pilot, forloeb, Decimal("20000.00"))
    return lambda: ret(anden, reference=foerste.reference)


def _sagsgang_afslag_begrundet(pilot):
    laan = _ansoegt(pilot)
    livsforloeb.afslaa(bruger=pilot.sagsbehandler, laan=laan, begrundelse="Budgettet holder ikke.")
    afslag = Sagsgang.objects.get(laan=laan, til_status=Laan.Status.AFSLAAET)
    return lambda: ret(afslag, begrundelse="")


def _sagsgang_fortrydelse_begrundet(pilot):
    laan = _bevilget(pilot)
    livsforloeb.fortryd_bevilling(bruger=pilot.sagsbehandler, laan=laan, begrundelse="Fejl.")
    fortrydelse = Sagsgang.objects.get(laan=laan, fra_status=Laan.Status.BEVILGET)
    return lambda: ret(fortrydelse, begrundelse="")


def _afdrag(pilot) -> Afdrag:
    return _udbetalt(pilot).afdrag.get(nummer=1)


def _afdrag_nummer_unikt(pilot):
    afdrag = _afdrag(pilot)
    return lambda: indsaet(kopi(afdrag, forfald=afdrag.forfald - DAG))


def _afdrag_forfald_unikt(pilot):
    afdrag = _afdrag(pilot)
    return lambda: indsaet(kopi(afdrag, nummer=99))


def _afdrag_beloeb_positivt(pilot):
    afdrag = _afdrag(pilot)
    return lambda: ret(afdrag, beloeb=Decimal("0.00"))


def _afdrag_betalt_hoejst_beloeb(pilot):
    afdrag = _afdrag(pilot)
    return lambda: ret(afdrag, betalt=afdrag.beloeb + Decimal("0.01"))


def _indbetaling_beloeb_positivt(pilot):
    indbetaling = indbetal(pilot, _udbetalt(pilot), "500.00")
    return lambda: ret(indbetaling, beloeb=Decimal("0.00"))


def _indbetaling_tilbagefoersel_begrundet(pilot):
    indbetaling = indbetal(pilot, _udbetalt(pilot), "500.00")
    return lambda: ret(indbetaling, tilbagefoert=indbetaling.registreret)


def _indbetaling_importnoegle_unik(pilot):
    indbetaling = indbetal(pilot, _udbetalt(pilot), "500.00", importnoegle="a1b2c3")
    return lambda: indsaet(kopi(indbetaling, dato=indbetaling.dato - DAG))


RAA_SKRIVNINGER: dict[str, Callable] = {
    "emailvalg_unik_per_bruger_og_haendelse": _emailvalg_en_pr_haendelse,
    "notifikation_unik_noegle_per_modtager": _notifikation_unik_noegle,
    "forsoergelsesgrundlag_periode": _forsoergelsesgrundlag_periode,
    "pladsaftale_mindst_en_plads": _pladsaftale_mindst_en_plads,
    "pladsaftale_periode": _pladsaftale_periode,
    "pladsaftale_pris_ikke_negativ": _pladsaftale_pris_ikke_negativ,
    "pladsaftale_to_parter": _pladsaftale_to_parter,
    "organisation_kun_kommune_betjenes": _organisation_kun_kommune_betjenes,
    "henvisning_en_aaben_pr_borger": _henvisning_en_aaben,
    "visitation_afvisning_kraever_grund": _visitation_afvisning_kraever_grund,
    "visitation_nej_kan_kun_afvises": _visitation_nej_kan_kun_afvises,
    "underskrift_en_pr_organisation": _underskrift_en_pr_organisation,
    "henvisningsrettelse_begrundet": _henvisningsrettelse_begrundet,
    "henvisningsrettelse_omfordeling_to_personer": _henvisningsrettelse_omfordeling_to_personer,
    "underskrift_en_pr_person": _underskrift_en_pr_person,
    "fase_en_pr_type": _fase_en_pr_type,
    "fase_planlagt_periode": _fase_planlagt_periode,
    "forlaengelse_senere_slut": _forlaengelse_senere_slut,
    "forlaengelse_begrundet": _forlaengelse_begrundet,
    "aktivitet_varighed": _aktivitet_varighed,
    "aktivitet_gaester_kun_i_gruppe": _aktivitet_gaester_kun_i_gruppe,
    "aktivitet_aflysning_begrundet": _aktivitet_aflysning_begrundet,
    "aktivitet_fremmoede_registreret_af": _aktivitet_fremmoede_registreret_af,
    "aktivitetsrettelse_begrundet": _aktivitetsrettelse_begrundet,
    "deltagelse_en_pr_forloeb": _deltagelse_en_pr_forloeb,
    "udskrivning_egen_virksomhed_kraever_cvr": _udskrivning_egen_virksomhed_kraever_cvr,
    "udskrivning_gaeldende_eller_annulleret": _udskrivning_gaeldende_eller_annulleret,
    "overgangsvurdering_gaeldende_eller_annulleret": _overgangsvurdering_gaeldende_eller_annulleret,
    "forloebsrettelse_begrundet": _forloebsrettelse_begrundet,
    "forloebsrettelse_omfordeling_ny_person": _forloebsrettelse_omfordeling_ny_person,
    "opfoelgning_en_pr_tidspunkt": _opfoelgning_en_pr_tidspunkt,
    "opfoelgning_3_6_12": _opfoelgning_3_6_12,
    "laan_beloeb_inden_for_graenser": _laan_beloeb,
    "laan_loebetid_1_til_60": _laan_loebetid,
    "laan_afdragsfri_hoejst_12": _laan_afdragsfri,
    "laan_rentefrit": _laan_rentefrit,
    "laan_fire_oejne_bevilling": _laan_fire_oejne_bevilling,
    "laan_fire_oejne_afskrivning": _laan_fire_oejne_afskrivning,
    "laan_bevilget_har_bevilger": _laan_bevilget_har_bevilger,
    "laan_udbetalt_har_dato_og_reference": _laan_udbetalt_har_dato_og_reference,
    "laan_afskrevet_begrundet": _laan_afskrevet_begrundet,
    "laan_reference_unik": _laan_reference_unik,
    "sagsgang_begrundet_afslag_og_afskrivning": _sagsgang_afslag_begrundet,
    "sagsgang_begrundet_fortrydelse": _sagsgang_fortrydelse_begrundet,
    "afdrag_nummer_unikt": _afdrag_nummer_unikt,
    "afdrag_forfald_unikt": _afdrag_forfald_unikt,
    "afdrag_beloeb_positivt": _afdrag_beloeb_positivt,
    "afdrag_betalt_hoejst_beloeb": _afdrag_betalt_hoejst_beloeb,
    "indbetaling_beloeb_positivt": _indbetaling_beloeb_positivt,
    "indbetaling_tilbagefoersel_begrundet": _indbetaling_tilbagefoersel_begrundet,
    "indbetaling_importnoegle_unik": _indbetaling_importnoegle_unik,
}


def uden_test(navne) -> set[str]:
    return set(navne) - set(RAA_SKRIVNINGER)


def test_every_constraint_has_a_raw_write_test():
    assert uden_test(projektets_begraensninger()) == set()


def test_a_new_constraint_without_a_test_is_caught(monkeypatch):
    # A model with one constraint more than the real one, to show the test above would catch it.
    ny = models.CheckConstraint(condition=models.Q(antal_pladser__lte=100), name="ny_begraensning")
    monkeypatch.setattr(Pladsaftale._meta, "constraints", [*Pladsaftale._meta.constraints, ny])

    assert uden_test(projektets_begraensninger()) == {"ny_begraensning"}


def test_every_raw_write_test_is_for_a_constraint_that_exists():
    # A test left behind by a renamed constraint would test nothing.
    assert set(RAA_SKRIVNINGER) - set(projektets_begraensninger()) == set()


def afvist_af(fejl: IntegrityError, model, begraensning) -> bool:
    """Whether the database's error names this constraint (not a NOT NULL or a foreign key).

    PostgreSQL names every constraint; SQLite names a CHECK but reports a unique index by its
    columns.
    """
    besked = str(fejl)
    if connection.vendor == "sqlite" and isinstance(begraensning, models.UniqueConstraint):
        kolonner = ", ".join(
            f"{model._meta.db_table}.{model._meta.get_field(f).column}" for f in begraensning.fields
        )
        return f"UNIQUE constraint failed: {kolonner}" in besked
    return begraensning.name in besked


@pytest.mark.parametrize("navn", sorted(RAA_SKRIVNINGER))
def test_the_database_refuses_a_raw_write_that_breaks_the_constraint(pilot, navn):
    model, begraensning = projektets_begraensninger()[navn]
    skriv = RAA_SKRIVNINGER[navn](pilot)

    with pytest.raises(IntegrityError) as fejl, transaction.atomic():
        skriv()

    assert afvist_af(fejl.value, model, begraensning), str(fejl.value)


# --- The edges of the rules: what each must still refuse, and what it must let through ----


@pytest.mark.parametrize("varighed", [4, 601])
def test_a_session_shorter_than_5_or_longer_than_600_minutes_is_refused(pilot, varighed):
    aktivitet = AktivitetFactory(medarbejder=pilot.forloebsmedarbejder)
    for tilladt in (5, 600):
        ret(aktivitet, varighed=tilladt)

    with pytest.raises(IntegrityError, match="aktivitet_varighed"), transaction.atomic():
        ret(aktivitet, varighed=varighed)


def test_notifications_without_a_key_may_repeat(pilot):
    besked = NotifikationFactory(modtager=pilot.sagsbehandler, noegle="")

    indsaet(kopi(besked))

    assert Notifikation.objects.filter(modtager=pilot.sagsbehandler, noegle="").count() == 2


def test_a_means_of_support_may_be_open_ended_or_valid_for_one_day(pilot):
    grundlag = Forsoergelsesgrundlag.objects.get(navn="Kontanthjælp")
    ret(grundlag, gyldig_til=None)
    ret(grundlag, gyldig_til=grundlag.gyldig_fra)


# The open statuses the partial unique constraint covers. "optaget" joins them when the referral
# holds its place for the whole programme; these three hold whatever it becomes.
AABNE = [
    Henvisning.Status.HENVIST,
    Henvisning.Status.AFVENTER_UNDERSKRIFT,
    Henvisning.Status.VENTELISTE,
]


def _henvisning_i_status(pilot, status: str) -> Henvisning:
    """A referral taken to `status` by the real intake: recorded, or on the waiting list."""
    henvisning = henvis(pilot, _pladsaftale(pilot), lav_borger(pilot))
    if status == Henvisning.Status.AFVENTER_UNDERSKRIFT:
        visiter(pilot, henvisning)
    elif status == Henvisning.Status.VENTELISTE:
        visitation = visiter(pilot, henvisning, "venteliste")
        visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    henvisning.refresh_from_db()
    assert henvisning.status == status
    return henvisning


@pytest.mark.parametrize("aaben", AABNE)
@pytest.mark.parametrize("ny", AABNE)
def test_a_second_open_referral_of_a_citizen_is_refused_whatever_their_statuses(pilot, aaben, ny):
    model, begraensning = projektets_begraensninger()["henvisning_en_aaben_pr_borger"]
    henvisning = _henvisning_i_status(pilot, aaben)

    with pytest.raises(IntegrityError) as fejl, transaction.atomic():
        indsaet(kopi(henvisning, status=ny))

    assert afvist_af(fejl.value, model, begraensning), str(fejl.value)


def test_a_rejected_referral_may_be_followed_by_a_new_one(pilot):
    # The constraint is partial: only open referrals count, so a citizen refused once may be
    # referred again.
    henvisning = henvis(pilot, _pladsaftale(pilot))
    visitation = visiter(pilot, henvisning, "afvist", afvisningsgrund="Ikke klar endnu")
    visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visitation)
    henvisning.refresh_from_db()
    assert henvisning.status == Henvisning.Status.AFVIST

    indsaet(kopi(henvisning, status=Henvisning.Status.HENVIST))

    assert Henvisning.objects.filter(borger=henvisning.borger).count() == 2


def test_a_discharge_for_another_reason_needs_no_cvr_number(pilot):
    forloeb = til_hovedforloeb(pilot, _forloeb(pilot), SKIFTE)
    udskrivning = udskriv(pilot, forloeb, SKIFTE + DAG, Udskrivning.Aarsag.EGEN_VIRKSOMHED)

    ret(udskrivning, aarsag=Udskrivning.Aarsag.UDEN_VIRKSOMHED, cvr="")

    udskrivning.refresh_from_db()
    assert (udskrivning.aarsag, udskrivning.cvr) == ("uden_virksomhed", "")


@pytest.mark.parametrize(
    ("felt", "tilladte", "afvist", "begraensning"),
    [
        ("beloeb", ["1000.00", "50000.00"], "999.99", "laan_beloeb_inden_for_graenser"),
        ("beloeb", ["1000.00", "50000.00"], "50000.01", "laan_beloeb_inden_for_graenser"),
        ("loebetid", [1, 60], 0, "laan_loebetid_1_til_60"),
        ("afdragsfri", [0, 12], 13, "laan_afdragsfri_hoejst_12"),
    ],
)
def test_a_loans_terms_are_held_at_their_bounds(pilot, felt, tilladte, afvist, begraensning):
    laan = _ansoegt(pilot)
    for tilladt in tilladte:
        ret(laan, **{felt: tilladt})

    with pytest.raises(IntegrityError, match=begraensning), transaction.atomic():
        ret(laan, **{felt: afvist})


def test_a_loan_may_be_approved_by_anyone_but_its_maker(pilot):
    laan = _ansoegt(pilot)
    kollega = BrugerFactory(organisation=pilot.jobcenter, rolle=Rolle.SAGSBEHANDLER)

    ret(laan, status=Laan.Status.BEVILGET, bevilget_af=kollega)

    laan.refresh_from_db()
    assert laan.bevilget_af == kollega
