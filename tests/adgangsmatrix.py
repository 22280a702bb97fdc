"""Who may open which URL: the declared expectation for every named URL × every kind of user.

When an issue adds a URL it adds a line here; a URL the resolver knows but this table does not
makes `test_every_url_has_a_declared_expectation` fail. Statuses are for a GET.

Columns: anonym, sagsbehandler, forloebsmedarbejder, erhvervschef, administrator, fremmed
(a caseworker at an organisation that takes part in none of the test's cases).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from forloeb.models import Opfoelgning
from forloeb.services.indskrivning import visitation_underskriv

from .byg.fabrikker import AktivitetFactory, NotifikationFactory
from .byg.laan import ansoegt_laan, bevilget_laan
from .byg.sager import til_hovedforloeb, udskriv, visiter

BRUGERE = (
    "anonym",
    "sagsbehandler",
    "forloebsmedarbejder",
    "erhvervschef",
    "administrator",
    "fremmed",
)

# Shorthands for readability in the table below.
LOGIN = "login"  # anonymous users are redirected to the login page


@dataclass(frozen=True)
class Forventning:
    anonym: int | str
    sagsbehandler: int
    forloebsmedarbejder: int
    erhvervschef: int
    administrator: int
    fremmed: int
    # Builds the URL's kwargs from the `sagsdata` fixture (objects in the pilot's scope).
    kwargs: Callable[[object], dict] = field(default=lambda data: {})

    def for_bruger(self, bruger: str):
        return getattr(self, bruger)


ALLE = {
    "sagsbehandler": 200,
    "forloebsmedarbejder": 200,
    "erhvervschef": 200,
    "administrator": 200,
    "fremmed": 200,
}


def _visitation(data):
    return visiter(data.pilot, data.henvisning)


def _ventelisteplads(data):
    """The `sagsdata` citizen put on the agreement's waiting list by the visitation's decision."""
    visitation = visiter(data.pilot, data.henvisning, "venteliste")
    visitation_underskriv(bruger=data.sagsbehandler, visitation=visitation)
    data.henvisning.refresh_from_db()
    return data.henvisning.ventelisteplads


def _forloeb(data):
    """The `sagsdata` citizen admitted: visited by Næstved, signed by the jobcenter."""
    return visitation_underskriv(bruger=data.sagsbehandler, visitation=_visitation(data))


def _opfoelgning(data):
    """The first follow-up of the `sagsdata` citizen, admitted and discharged today."""
    forloeb = _forloeb(data)
    udskriv(data.pilot, forloeb, forloeb.startdato)
    return Opfoelgning.objects.get(forloeb=forloeb, maaneder=3)


def _forloeb_i_hovedforloeb(data):
    """The `sagsdata` citizen admitted and moved on to the main phase (loans are applied for)."""
    return til_hovedforloeb(data.pilot, _forloeb(data))


def _laan(data) -> dict:
    """An application on the `sagsdata` citizen's programme (course staff's, awaiting approval)."""
    return {"pk": ansoegt_laan(data.pilot, _forloeb_i_hovedforloeb(data)).pk}


def _bevilget_laan(data) -> dict:
    return {"pk": bevilget_laan(data.pilot, _forloeb_i_hovedforloeb(data)).pk}


def _aktivitet(data):
    return AktivitetFactory(medarbejder=data.forloebsmedarbejder)


def _kalender_token(data) -> str:
    from forloeb.aktiviteter.kalender import nyt_kalenderlink

    return nyt_kalenderlink(bruger=data.forloebsmedarbejder)


def _erhvervschefens_notifikation(data) -> int:
    return NotifikationFactory(modtager=data.erhvervschef, link="/").pk


# Pages for the two case roles, whatever their organisation.
SAGSROLLER_SIDE = {
    "sagsbehandler": 200,
    "forloebsmedarbejder": 200,
    "erhvervschef": 403,
    "administrator": 403,
    "fremmed": 200,
}
# A page about the `sagsdata` citizen: the pilot's jobcenter and Næstved (the provider) only.
BORGERENS_SAG = {
    "sagsbehandler": 200,
    "forloebsmedarbejder": 200,
    "erhvervschef": 404,
    "administrator": 404,
    "fremmed": 404,
}


def _borger(data) -> dict:
    return {"pk": data.borger.pk}


FORVENTNINGER: dict[str, Forventning] = {
    "forside": Forventning(anonym=LOGIN, **ALLE),
    "healthz": Forventning(anonym=200, **ALLE),
    # set_language is POST-only; a GET is redirected back.
    "set_language": Forventning(anonym=302, **dict.fromkeys(ALLE, 302)),
    "konti:log_ind": Forventning(anonym=200, **dict.fromkeys(ALLE, 302)),
    "konti:log_ud": Forventning(anonym=LOGIN, **dict.fromkeys(ALLE, 405)),
    "konti:skift_adgangskode": Forventning(anonym=LOGIN, **ALLE),
    "konti:adgangskode_skiftet": Forventning(anonym=LOGIN, **ALLE),
    # Two-factor login (not required in these tests, and nobody has set it up): the code step has
    # nothing to ask and sends the user on; enrolment is everyone's; the reset is the
    # Administrator's, for another user.
    "konti:tofaktor": Forventning(anonym=LOGIN, **dict.fromkeys(ALLE, 302)),
    "konti:tofaktor_opret": Forventning(anonym=LOGIN, **ALLE),
    "konti:tofaktor_reservekoder": Forventning(anonym=LOGIN, **ALLE),
    "konti:tofaktor_brugere": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"administrator": 200}
    ),
    "konti:tofaktor_nulstil": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 403) | {"administrator": 200},
        kwargs=lambda data: {"pk": data.sagsbehandler.pk},
    ),
    # The idle timeout's page is for the logged-out; the status check answers anyone.
    "konti:inaktiv": Forventning(anonym=200, **dict.fromkeys(ALLE, 302)),
    "konti:session_status": Forventning(anonym=200, **ALLE),
    "konti:session_forlaeng": Forventning(anonym=LOGIN, **ALLE),
    # Citizens: the list and registration are pages of the case roles (403 for the others); a
    # citizen's own pages exist only for the case's organisations (404 for everyone else, also
    # the Erhvervschef and the Administrator). POST-only actions answer a GET with 405.
    "borgere:liste": Forventning(anonym=LOGIN, **SAGSROLLER_SIDE),
    "borgere:opret": Forventning(anonym=LOGIN, **SAGSROLLER_SIDE | {"forloebsmedarbejder": 403}),
    # The citizen list's export is POSTed like its search (tests/borgere/test_eksport_borgere.py
    # checks each role with a POST).
    "borgere:eksport": Forventning(anonym=LOGIN, **dict.fromkeys(ALLE, 405)),
    "borgere:detalje": Forventning(anonym=LOGIN, **BORGERENS_SAG, kwargs=_borger),
    "borgere:rediger": Forventning(
        anonym=LOGIN, **BORGERENS_SAG | {"forloebsmedarbejder": 403}, kwargs=_borger
    ),
    "borgere:vis_cpr": Forventning(anonym=LOGIN, **dict.fromkeys(ALLE, 405), kwargs=_borger),
    # The access-log tab is the caseworker's (course staff see the citizen but not the tab).
    "borgere:adgangslog": Forventning(
        anonym=LOGIN, **BORGERENS_SAG | {"forloebsmedarbejder": 403}, kwargs=_borger
    ),
    "borgere:notat_opret": Forventning(anonym=LOGIN, **dict.fromkeys(ALLE, 405), kwargs=_borger),
    "borgere:notat_ret": Forventning(
        anonym=LOGIN,
        **BORGERENS_SAG,
        kwargs=lambda data: {"pk": data.borger.pk, "notat_pk": data.journalnotat.pk},
    ),
    "borgere:dokument_upload": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 405), kwargs=_borger
    ),
    "borgere:dokument_hent": Forventning(
        anonym=LOGIN,
        **BORGERENS_SAG,
        kwargs=lambda data: {"pk": data.borger.pk, "dokument_pk": data.dokument.pk},
    ),
    # Intake: the referral work list is the case roles'; a referral, its visitation and a place
    # agreement exist only for their organisations (the Erhvervschef sees the agreements Ishøj
    # buys). Signing and admitting are POST-only.
    "visitation:henvisninger": Forventning(anonym=LOGIN, **SAGSROLLER_SIDE),
    "visitation:henvisninger_eksport": Forventning(anonym=LOGIN, **SAGSROLLER_SIDE),
    "visitation:henvisning_opret": Forventning(
        anonym=LOGIN,
        **BORGERENS_SAG | {"forloebsmedarbejder": 403},
        kwargs=lambda data: {"borger_pk": data.borger.pk},
    ),
    "visitation:detalje": Forventning(
        anonym=LOGIN, **BORGERENS_SAG, kwargs=lambda data: {"pk": data.henvisning.pk}
    ),
    "visitation:udskrift": Forventning(
        anonym=LOGIN, **BORGERENS_SAG, kwargs=lambda data: {"pk": data.henvisning.pk}
    ),
    "visitation:visitation_opret": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 405), kwargs=lambda data: {"pk": data.henvisning.pk}
    ),
    # Corrections are POSTed from the referral page (tests/visitation/test_view_rettelser.py
    # checks each role with a POST).
    "visitation:traek_tilbage": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 405), kwargs=lambda data: {"pk": data.henvisning.pk}
    ),
    "visitation:fjern_fra_venteliste": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 405), kwargs=lambda data: {"pk": data.henvisning.pk}
    ),
    "visitation:omfordel": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 405), kwargs=lambda data: {"pk": data.henvisning.pk}
    ),
    "visitation:pladsaftaler": Forventning(anonym=LOGIN, **ALLE | {"administrator": 403}),
    "visitation:pladsaftale": Forventning(
        anonym=LOGIN,
        **BORGERENS_SAG | {"erhvervschef": 200},
        kwargs=lambda data: {"pk": data.pladsaftale.pk},
    ),
    "forloeb:underskriv": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 405),
        kwargs=lambda data: {"visitation_pk": _visitation(data).pk},
    ),
    "forloeb:indskriv": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 405),
        kwargs=lambda data: {"pk": _ventelisteplads(data).pk},
    ),
    # A programme is part of its citizen's case (404 outside it, also for the Erhvervschef and the
    # Administrator); its actions are POST-only.
    "forloeb:detalje": Forventning(
        anonym=LOGIN, **BORGERENS_SAG, kwargs=lambda data: {"pk": _forloeb(data).pk}
    ),
    **{
        f"forloeb:{navn}": Forventning(
            anonym=LOGIN,
            **dict.fromkeys(ALLE, 405),
            kwargs=lambda data: {"pk": _forloeb(data).pk},
        )
        for navn in (
            "hovedforloeb",
            "forlaeng",
            "udskriv",
            "fortryd_hovedforloeb",
            "genaabn",
            "omfordel",
        )
    },
    "forloeb:opfoelgning": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 405),
        kwargs=lambda data: {"pk": _opfoelgning(data).pk},
    ),
    # Overview: a citizen's timeline is part of their case (404 outside it); the work lists are
    # each one case role's (a caseworker elsewhere gets an empty "Mine borgere"); the intake and
    # discharge overview is the Erhvervschef's and the Administrator's (403 for the rest).
    "oversigt:tidslinje": Forventning(
        anonym=LOGIN, **BORGERENS_SAG, kwargs=lambda data: {"borger_pk": data.borger.pk}
    ),
    "oversigt:sag": Forventning(
        anonym=LOGIN, **BORGERENS_SAG, kwargs=lambda data: {"borger_pk": data.borger.pk}
    ),
    "oversigt:sag_udskrift": Forventning(
        anonym=LOGIN, **BORGERENS_SAG, kwargs=lambda data: {"borger_pk": data.borger.pk}
    ),
    "oversigt:mine_forloeb": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"forloebsmedarbejder": 200}
    ),
    "oversigt:mine_forloeb_eksport": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"forloebsmedarbejder": 200}
    ),
    "oversigt:mine_borgere": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"sagsbehandler": 200, "fremmed": 200}
    ),
    # From a referral to its programme: a redirect for those who may see the programme.
    "oversigt:henvisningens_forloeb": Forventning(
        anonym=LOGIN,
        **BORGERENS_SAG | {"sagsbehandler": 302, "forloebsmedarbejder": 302},
        kwargs=lambda data: {"henvisning_pk": _forloeb(data).henvisning_id},
    ),
    "oversigt:ind_og_udskrivning": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"erhvervschef": 200, "administrator": 200}
    ),
    # The committee's evaluation report and its two downloads (counts and amounts only).
    "oversigt:evaluering": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"erhvervschef": 200, "administrator": 200}
    ),
    "oversigt:evaluering_pdf": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"erhvervschef": 200, "administrator": 200}
    ),
    "oversigt:evaluering_xlsx": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"erhvervschef": 200, "administrator": 200}
    ),
    # Notifications: everyone has their own list and choices; one notification is its
    # recipient's only (the Erhvervschef's here): opening it redirects to its object, for
    # everyone else it does not exist. Marking read is POST-only.
    # Sessions are the Forløbsmedarbejder's pages (403 for other roles); a session exists only for
    # the organisation running it (Næstved here: 404 for everyone else). Attendance is POST-only.
    # The calendar feed needs no login: its signed token (the pilot's course staff's) is the key.
    "forloeb:aktiviteter": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"forloebsmedarbejder": 200}
    ),
    "forloeb:aktiviteter_eksport": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"forloebsmedarbejder": 200}
    ),
    "forloeb:aktivitet_opret": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"forloebsmedarbejder": 200}
    ),
    "forloeb:aktivitet": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 404) | {"forloebsmedarbejder": 200},
        kwargs=lambda data: {"pk": _aktivitet(data).pk},
    ),
    "forloeb:deltagelse": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 405),
        # A GET is refused before the programme is looked up, so any id will do.
        kwargs=lambda data: {"pk": _aktivitet(data).pk, "forloeb_pk": 0},
    ),
    # Correcting and cancelling a session: the running organisation's course staff (a form page
    # each); "Alle deltog" is POST-only.
    "forloeb:aktivitet_ret": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 404) | {"forloebsmedarbejder": 200},
        kwargs=lambda data: {"pk": _aktivitet(data).pk},
    ),
    "forloeb:aktivitet_aflys": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 404) | {"forloebsmedarbejder": 200},
        kwargs=lambda data: {"pk": _aktivitet(data).pk},
    ),
    "forloeb:alle_deltog": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 405),
        kwargs=lambda data: {"pk": _aktivitet(data).pk},
    ),
    "forloeb:kalender": Forventning(
        anonym=200, **ALLE, kwargs=lambda data: {"token": _kalender_token(data)}
    ),
    # A new calendar link for the user who asks: POST-only (a link to it cannot revoke a feed).
    "forloeb:nyt_kalenderlink": Forventning(anonym=LOGIN, **dict.fromkeys(ALLE, 405)),
    # Loans are part of their citizen's case (404 outside it, also for the Erhvervschef and the
    # Administrator): the programme's loan section, the loan page and its agreement (from the
    # approval on). Applying and every action on a loan are POST-only. The portfolio and its
    # spreadsheet are the case roles' (a caseworker elsewhere sees an empty portfolio; the
    # Erhvervschef has her totals on her dashboard, the Administrator configures): 403 for the
    # rest. The bank statement import is course staff's.
    "laan:forloeb": Forventning(
        anonym=LOGIN,
        **BORGERENS_SAG,
        kwargs=lambda data: {"forloeb_pk": _forloeb_i_hovedforloeb(data).pk},
    ),
    "laan:ansoeg": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 405),
        # A GET is refused before the programme is looked up, so any id will do.
        kwargs=lambda data: {"forloeb_pk": 0},
    ),
    "laan:detalje": Forventning(anonym=LOGIN, **BORGERENS_SAG, kwargs=_laan),
    "laan:gaeldsbrev": Forventning(anonym=LOGIN, **BORGERENS_SAG, kwargs=_bevilget_laan),
    **{
        f"laan:{navn}": Forventning(
            anonym=LOGIN, **dict.fromkeys(ALLE, 405), kwargs=lambda data: {"pk": 0}
        )
        for navn in (
            "bevilg",
            "afslaa",
            "fortryd",
            "traek_tilbage",
            "udbetal",
            "indbetaling",
            "indstil_afskrivning",
            "afskriv",
        )
    },
    "laan:tilbagefoer": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 405),
        kwargs=lambda data: {"pk": 0, "indbetaling_pk": 0},
    ),
    "laan:portefoelje": Forventning(anonym=LOGIN, **SAGSROLLER_SIDE),
    "laan:portefoelje_xlsx": Forventning(anonym=LOGIN, **SAGSROLLER_SIDE),
    "laan:kontoudtog": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"forloebsmedarbejder": 200}
    ),
    "laan:kontoudtog_importer": Forventning(anonym=LOGIN, **dict.fromkeys(ALLE, 405)),
    # The citizen's insight export (GDPR art. 15): the search page is the Administrator's; the
    # downloads exist only for an Administrator of the case's organisations (the jobcenter or the
    # provider). The pilot's Administrator belongs to Ishøj, the buyer, so 404 for every column
    # here; tests/databeskyttelse/test_indsigt.py downloads as the jobcenter's and Næstved's.
    "databeskyttelse:indsigt": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 403) | {"administrator": 200}
    ),
    "databeskyttelse:indsigt_pdf": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 404), kwargs=_borger
    ),
    "databeskyttelse:indsigt_json": Forventning(
        anonym=LOGIN, **dict.fromkeys(ALLE, 404), kwargs=_borger
    ),
    "notifikationer:liste": Forventning(anonym=LOGIN, **ALLE),
    "notifikationer:valg": Forventning(anonym=LOGIN, **ALLE),
    "notifikationer:aabn": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 404) | {"erhvervschef": 302},
        kwargs=lambda data: {"pk": _erhvervschefens_notifikation(data)},
    ),
    "notifikationer:marker_laest": Forventning(
        anonym=LOGIN,
        **dict.fromkeys(ALLE, 405),
        kwargs=lambda data: {"pk": _erhvervschefens_notifikation(data)},
    ),
    "notifikationer:marker_alle_laest": Forventning(anonym=LOGIN, **dict.fromkeys(ALLE, 405)),
}

# --- Django's admin -----------------------------------------------------------------------
# The admin is for the Administrator role only (is_staff): everyone else is redirected to the
# admin's login, except on the login and logout pages themselves (ADMIN_UNDTAGELSER).
ADMIN_IKKE_PERSONALE = 302
ADMIN_UNDTAGELSER: dict[str, Forventning] = {
    "admin:login": Forventning(anonym=200, **dict.fromkeys(ALLE, 200) | {"administrator": 302}),
    # Logout is POST-only; non-staff users are sent to the admin's login before that matters.
    "admin:logout": Forventning(anonym=302, **dict.fromkeys(ALLE, 302) | {"administrator": 405}),
}

# The administrator's status on the admin's many generated URLs (`admin:<app>_<model>_<view>`)
# follows one rule: what the Administrator group may do with the model, by the kind of view. An
# admin URL whose model is not declared here fails `test_every_admin_url_has_a_declared_...`.
OPRETTE = "oprette"  # view, add and change (the pilot's own settings)
SE = "se"  # view (and change some) but not add: logs, notifications, the beat schedule
INTET = "intet"  # a third-party app's model that is not the Administrator's

ADMIN_MODELLER: dict[str, str] = {
    "konti_organisation": OPRETTE,
    "konti_bruger": OPRETTE,
    "borgere_forsoergelsesgrundlag": OPRETTE,
    "visitation_pladsaftale": OPRETTE,
    "revision_adgangslog": SE,
    "notifikationer_notifikation": SE,
    "notifikationer_koersel": SE,
    "notifikationer_emailvalg": SE,
    "auditlog_logentry": SE,
    "auth_group": SE,
    "django_celery_beat_periodictask": SE,
    "django_celery_beat_crontabschedule": SE,
    "django_celery_beat_intervalschedule": SE,
    "django_celery_beat_clockedschedule": INTET,
    "django_celery_beat_solarschedule": INTET,
    "axes_accessattempt": INTET,
    "axes_accessfailurelog": INTET,
    "axes_accesslog": INTET,
}

# The URLs are reversed with the placeholder object id 0, which exists nowhere.
ADMIN_VISNINGER: dict[str, dict[str, int]] = {
    "changelist": {OPRETTE: 200, SE: 200, INTET: 403},
    "add": {OPRETTE: 200, SE: 403, INTET: 403},
    # A missing object: Django sends a user who may view the model back to the admin's index
    # ("does not exist"), and refuses one who may not.
    "change": {OPRETTE: 302, SE: 302, INTET: 403},
    # Django asks for the delete permission before it looks the object up, and the Administrator
    # has none: the case rows are protected and the audit rows cannot be changed.
    "delete": {OPRETTE: 403, SE: 403, INTET: 403},
    # The history looks the object up first, whoever asks: back to the index.
    "history": {OPRETTE: 302, SE: 302, INTET: 302},
    # The reasoned look-up of hidden content (mikrolaan/revision/admin.py), on the audit models
    # only: like the change page, a missing object sends the administrator back to the index.
    "opslag": {OPRETTE: 302, SE: 302, INTET: 403},
}

# Admin URLs that belong to no model view above: the administrator's status on each.
ADMIN_SIDER: dict[str, int] = {
    "admin:index": 200,
    "admin:app_list": 200,
    "admin:jsi18n": 200,
    "admin:password_change": 200,
    "admin:password_change_done": 200,
    # Without its query parameters (which field asks) the autocomplete endpoint refuses.
    "admin:autocomplete": 403,
    # The placeholder content type 0 and user 0 do not exist.
    "admin:view_on_site": 404,
    "admin:auth_user_password_change": 404,
}


def admin_forventning(navn: str) -> int | None:
    """The administrator's status on the admin URL `navn`, or None when nothing declares it."""
    if navn in ADMIN_UNDTAGELSER:
        return ADMIN_UNDTAGELSER[navn].administrator
    if navn in ADMIN_SIDER:
        return ADMIN_SIDER[navn]
    model, _, visning = navn.removeprefix("admin:").rpartition("_")
    if model in ADMIN_MODELLER and visning in ADMIN_VISNINGER:
        return ADMIN_VISNINGER[visning][ADMIN_MODELLER[model]]
    return None
