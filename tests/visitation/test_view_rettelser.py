"""The intake's corrections through the pages: the confirmation forms on the referral page and the
agreement's waiting list, their POST endpoints (redirect after success, Danish errors on the form,
403 for a role that may not, 404 outside the user's cases) and the history on the referral page."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from forloeb.services.indskrivning import visitation_underskriv
from mikrolaan.konti.models import Rolle
from tests.byg.fabrikker import BrugerFactory
from tests.byg.sager import henvis, lav_borger, lav_forloeb, lav_pladsaftale, optag, visiter
from visitation import services
from visitation.models import Henvisning, Henvisningsrettelse

pytestmark = pytest.mark.django_db

S = Henvisning.Status
GRUND = "Borgeren har fået job."


@pytest.fixture
def aftale(pilot):
    return lav_pladsaftale(pilot)


@pytest.fixture
def kollega(pilot):
    return BrugerFactory(
        organisation=pilot.jobcenter,
        rolle=Rolle.SAGSBEHANDLER,
        first_name="Karin",
        last_name="Kollega",
    )


def _url(navn, henvisning):
    return reverse(f"visitation:{navn}", args=[henvisning.pk])


def _ventende(pilot, *navne):
    """A one-place agreement, taken; the named citizens wait in that order."""
    aftale = lav_pladsaftale(pilot, antal_pladser=1)
    lav_forloeb(pilot, aftale, "Anna")
    for navn in navne:
        optag(pilot, aftale, lav_borger(pilot, navn))
    return aftale, list(Henvisning.objects.filter(status=S.VENTELISTE).order_by("pk"))


# --- Withdraw -----------------------------------------------------------------------------


def test_the_caseworker_withdraws_through_the_referral_page_and_sees_it_done(klient, pilot, aftale):
    henvisning = henvis(pilot, aftale)
    sagsbehandler = klient(pilot.sagsbehandler)
    side = sagsbehandler.get(_url("detalje", henvisning))
    assert side.context["tilbage_form"] is not None
    assert f'action="{_url("traek_tilbage", henvisning)}"' in side.content.decode()

    svar = sagsbehandler.post(
        _url("traek_tilbage", henvisning), {"tilbage-begrundelse": GRUND}, follow=True
    )

    assert svar.redirect_chain == [(_url("detalje", henvisning), 302)]
    html = svar.content.decode()
    assert (
        "Henvisningen er trukket tilbage. Forløbsmedarbejderne har fået besked, og borgeren kan "
        "henvises igen." in html
    )
    henvisning.refresh_from_db()
    assert henvisning.status == S.TILBAGETRUKKET
    # The history shows the correction with its reason, and the form is gone.
    (rettelse,) = svar.context["rettelser"]
    assert rettelse.begrundelse == GRUND
    assert f"<td>{GRUND}</td>" in html
    assert "tilbage_form" not in svar.context


def test_course_staff_are_not_offered_the_withdrawal_and_are_refused_it(klient, pilot, aftale):
    henvisning = henvis(pilot, aftale)
    forloeb = klient(pilot.forloebsmedarbejder)

    assert "tilbage_form" not in forloeb.get(_url("detalje", henvisning)).context
    svar = forloeb.post(_url("traek_tilbage", henvisning), {"tilbage-begrundelse": GRUND})

    assert svar.status_code == 403
    henvisning.refresh_from_db()
    assert henvisning.status == S.HENVIST


@pytest.mark.parametrize("rolle", ["fremmed", "erhvervschef", "administrator"])
@pytest.mark.parametrize("handling", ["traek_tilbage", "fjern_fra_venteliste", "omfordel"])
def test_a_correction_of_a_case_outside_the_users_organisation_is_404(
    klient, pilot, aftale, rolle, handling
):
    henvisning = henvis(pilot, aftale)

    svar = klient(getattr(pilot, rolle)).post(
        _url(handling, henvisning), {"tilbage-begrundelse": GRUND}
    )

    assert svar.status_code == 404
    assert not Henvisningsrettelse.objects.exists()


def test_a_withdrawal_without_a_reason_is_shown_as_a_danish_form_error(klient, pilot, aftale):
    henvisning = henvis(pilot, aftale)

    svar = klient(pilot.sagsbehandler).post(
        _url("traek_tilbage", henvisning), {"tilbage-begrundelse": " "}
    )

    assert svar.status_code == 200
    assert svar.context["tilbage_form"].errors == {"begrundelse": ["Skriv en begrundelse."]}
    # The form is open so the error is seen.
    assert '<details class="card mb-3" id="traek-tilbage" open>' in svar.content.decode()
    henvisning.refresh_from_db()
    assert henvisning.status == S.HENVIST


def test_withdrawing_an_admitted_referral_shows_why_on_the_form(klient, pilot, aftale):
    henvisning = henvis(pilot, aftale)
    visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visiter(pilot, henvisning))

    svar = klient(pilot.sagsbehandler).post(
        _url("traek_tilbage", henvisning), {"tilbage-begrundelse": GRUND}
    )

    assert svar.status_code == 200
    assert svar.context["tilbage_form"].non_field_errors() == [
        "Henvisningen kan ikke længere trækkes tilbage (status: Optaget). "
        "Et forløb afsluttes med en udskrivning."
    ]
    assert not Henvisningsrettelse.objects.exists()


def test_an_admitted_referral_offers_no_withdrawal(klient, pilot, aftale):
    henvisning = henvis(pilot, aftale)
    visitation_underskriv(bruger=pilot.sagsbehandler, visitation=visiter(pilot, henvisning))

    side = klient(pilot.sagsbehandler).get(_url("detalje", henvisning))

    assert "tilbage_form" not in side.context


def test_a_withdrawn_referral_offers_neither_visitation_nor_signature(klient, pilot, aftale):
    henvisning = henvis(pilot, aftale)
    services.traek_henvisning_tilbage(
        bruger=pilot.sagsbehandler, henvisning=henvisning, begrundelse=GRUND
    )

    side = klient(pilot.forloebsmedarbejder).get(_url("detalje", henvisning))

    assert side.context["visitation_form"] is None
    assert "Der blev ikke registreret en visitation." in side.content.decode()


# --- Remove from the waiting list ---------------------------------------------------------


def test_course_staff_remove_a_citizen_from_the_agreements_waiting_list(klient, pilot):
    aftale, (bo, carl) = _ventende(pilot, "Bo", "Carl")
    forloeb = klient(pilot.forloebsmedarbejder)
    aftaleside = reverse("visitation:pladsaftale", args=[aftale.pk])
    side = forloeb.get(aftaleside)
    html = side.content.decode()
    assert f'action="{_url("fjern_fra_venteliste", bo)}"' in html
    assert f'name="fjern-{bo.pk}-begrundelse"' in html

    svar = forloeb.post(
        _url("fjern_fra_venteliste", bo),
        {f"fjern-{bo.pk}-begrundelse": GRUND, f"fjern-{bo.pk}-fra": "pladsaftale"},
        follow=True,
    )

    assert svar.redirect_chain == [(aftaleside, 302)]
    assert (
        "Bo Jensen er fjernet fra ventelisten, og de næste er rykket op. Den anden part har fået "
        "besked." in svar.content.decode()
    )
    assert [(p.henvisning_id, p.nummer) for p in svar.context["venteliste"]] == [(carl.pk, 1)]


def test_a_removal_without_a_reason_is_shown_on_its_row_of_the_waiting_list(klient, pilot):
    aftale, (bo, carl) = _ventende(pilot, "Bo", "Carl")

    svar = klient(pilot.forloebsmedarbejder).post(
        _url("fjern_fra_venteliste", carl),
        {f"fjern-{carl.pk}-begrundelse": "", f"fjern-{carl.pk}-fra": "pladsaftale"},
    )

    assert svar.status_code == 200
    raekker = {p.henvisning_id: p for p in svar.context["venteliste"]}
    assert raekker[carl.pk].fjern_form.errors == {"begrundelse": ["Skriv en begrundelse."]}
    assert not raekker[bo.pk].fjern_form.is_bound
    carl.refresh_from_db()
    assert carl.status == S.VENTELISTE


def test_the_caseworker_removes_from_the_referral_page_and_returns_there(klient, pilot):
    _aftale, (bo,) = _ventende(pilot, "Bo")
    sagsbehandler = klient(pilot.sagsbehandler)
    assert sagsbehandler.get(_url("detalje", bo)).context["fjern_form"] is not None

    svar = sagsbehandler.post(
        _url("fjern_fra_venteliste", bo), {f"fjern-{bo.pk}-begrundelse": GRUND}, follow=True
    )

    assert svar.redirect_chain == [(_url("detalje", bo), 302)]
    bo.refresh_from_db()
    assert bo.status == S.FJERNET_FRA_VENTELISTE
    assert "fjern_form" not in svar.context


def test_the_erhvervschef_sees_the_waiting_list_without_removal_forms(klient, pilot):
    aftale, _ventere = _ventende(pilot, "Bo")

    side = klient(pilot.erhvervschef).get(reverse("visitation:pladsaftale", args=[aftale.pk]))

    assert not any(hasattr(p, "fjern_form") for p in side.context["venteliste"])
    assert "Fjern fra ventelisten" not in side.content.decode()


# --- Reassign -----------------------------------------------------------------------------


def test_the_caseworker_hands_the_case_to_a_colleague_through_the_form(
    klient, pilot, aftale, kollega
):
    henvisning = henvis(pilot, aftale)
    BrugerFactory(organisation=pilot.naestved, rolle=Rolle.FORLOEBSMEDARBEJDER)
    sagsbehandler = klient(pilot.sagsbehandler)
    form = sagsbehandler.get(_url("detalje", henvisning)).context["omfordel_form"]
    # Only the other active caseworkers of the jobcenter are offered.
    assert list(form.fields["ny_sagsbehandler"].queryset) == [kollega]

    svar = sagsbehandler.post(
        _url("omfordel", henvisning),
        {"omfordel-ny_sagsbehandler": kollega.pk, "omfordel-begrundelse": "Barsel"},
        follow=True,
    )

    assert svar.redirect_chain == [(_url("detalje", henvisning), 302)]
    html = svar.content.decode()
    assert "Sagen er overdraget til Karin Kollega, som har fået besked." in html
    assert "fra" in html and "til Karin Kollega" in html
    henvisning.refresh_from_db()
    assert henvisning.sagsbehandler == kollega


def test_a_reassignment_without_a_colleague_or_reason_gives_danish_errors(
    klient, pilot, aftale, kollega
):
    henvisning = henvis(pilot, aftale)

    svar = klient(pilot.sagsbehandler).post(_url("omfordel", henvisning), {})

    assert svar.status_code == 200
    assert svar.context["omfordel_form"].errors == {
        "ny_sagsbehandler": ["Vælg den sagsbehandler, der skal overtage sagen."],
        "begrundelse": ["Skriv en begrundelse."],
    }
    henvisning.refresh_from_db()
    assert henvisning.sagsbehandler == pilot.sagsbehandler


def test_a_caseworker_of_another_jobcenter_cannot_be_chosen_by_posting_their_id(
    klient, pilot, aftale, kollega
):
    henvisning = henvis(pilot, aftale)

    svar = klient(pilot.sagsbehandler).post(
        _url("omfordel", henvisning),
        {"omfordel-ny_sagsbehandler": pilot.fremmed.pk, "omfordel-begrundelse": "Barsel"},
    )

    assert svar.status_code == 200
    assert "ny_sagsbehandler" in svar.context["omfordel_form"].errors
    henvisning.refresh_from_db()
    assert henvisning.sagsbehandler == pilot.sagsbehandler


def test_course_staff_cannot_reassign_the_jobcenters_case(klient, pilot, aftale, kollega):
    henvisning = henvis(pilot, aftale)

    svar = klient(pilot.forloebsmedarbejder).post(
        _url("omfordel", henvisning),
        {"omfordel-ny_sagsbehandler": kollega.pk, "omfordel-begrundelse": "Barsel"},
    )

    assert svar.status_code == 403


def test_a_jobcenter_with_one_caseworker_is_told_there_is_no_one_to_hand_over_to(
    klient, pilot, aftale
):
    henvisning = henvis(pilot, aftale)

    html = klient(pilot.sagsbehandler).get(_url("detalje", henvisning)).content.decode()

    assert "Der er ingen andre aktive sagsbehandlere i jobcentret at overdrage sagen til." in html
    assert f'action="{_url("omfordel", henvisning)}"' not in html


# --- Query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("antal", [1, 4])
def test_the_referral_page_with_its_history_takes_the_same_queries_however_many_corrections(
    klient, pilot, aftale, kollega, antal, django_assert_num_queries
):
    henvisning = henvis(pilot, aftale)
    for i in range(antal):
        fra, til = (pilot.sagsbehandler, kollega) if i % 2 == 0 else (kollega, pilot.sagsbehandler)
        services.omfordel(bruger=fra, henvisning=henvisning, ny_sagsbehandler=til, begrundelse="x")
    sagsbehandler = klient(pilot.sagsbehandler)
    ContentType.objects.get_for_model(Henvisning)  # cached per process; warm it for a fixed count
    # 1 session, 2 user with organisation, 3 roles, 4 referral with everything joined (also the
    # responsible caseworker), 5 access log insert, 6 the corrections with their three users,
    # 7 whether there is a colleague to hand the case to, 8 the colleagues for the form's list,
    # 9 bell.
    with django_assert_num_queries(9):
        svar = sagsbehandler.get(_url("detalje", henvisning))
    assert len(svar.context["rettelser"]) == antal


@pytest.mark.parametrize("antal", [1, 5])
def test_the_agreement_page_with_removal_forms_takes_the_same_queries_however_many_wait(
    klient, pilot, antal, django_assert_num_queries
):
    aftale, ventende = _ventende(pilot, *(f"Borger{i}" for i in range(antal)))
    forloeb = klient(pilot.forloebsmedarbejder)
    # 1 session, 2 user with organisation, 3 roles, 4 agreement with occupancy, 5 waiting list
    # with positions, referrals, agreement (for the rule) and names, 6 the referrals holding the
    # places, 7 bell. The removal forms and their rule ask nothing more.
    with django_assert_num_queries(7):
        svar = forloeb.get(reverse("visitation:pladsaftale", args=[aftale.pk]))
    assert sum(hasattr(p, "fjern_form") for p in svar.context["venteliste"]) == len(ventende)
