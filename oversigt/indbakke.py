"""The to-do inbox on each person's home page: what is waiting for *me* now (issue 9 point 1).

`opgaver(bruger)` reads every kind of task in a fixed number of queries — at most one per kind,
each scoped by `synlige_for` (or its condition `deltager_i` through a join), which PostgreSQL
checks on the rows the task's own conditions narrow (issue 13) — and returns them most urgent
first: overdue tasks first, then by due date. What makes a row a task is the owning app's rule
wherever one exists (`visitation.regler`, `forloeb.regler`,
`forloeb.services.udskrivning.kan_registreres`, `laan.regler`, `laan.selectors.restanceliste`,
`forloeb.paamindelser.faser_der_slutter`); the queries only narrow the rows so that the
predicates are asked about a few.

Whose task it is:

- a visitation awaiting a signature is every case worker's of the organisation that has not signed
  (they are the ones notified, and any of them may sign);
- a referral to assess is the provider's course staff's and its responsible caseworker's;
- a programme's phase ending within PAAMINDELSE_DAGE days (or passed) is its responsible course
  staff member's (or, while it has no active one, every course staff member's of the provider)
  and its responsible caseworker's; for course staff a qualifying phase ending is the transition
  assessment, a main phase ending the discharge or extension;
- a follow-up that can be recorded (`kan_registreres`) is the responsible caseworker's;
- a session held without registered attendance is its staff member's;
- a freed place with a waiting list is the provider's course staff's;
- a loan application or a write-off proposal is the responsible caseworker's when
  `kan_bevilge`/`kan_afskrive` lets them decide it; a loan in arrears is the case's people's.

A task disappears when its work is done because the rows no longer match; the service that did
the work marks the matching notification handled (`notifikationer.services.marker_haandteret`).

Titles are name-level (never a CPR number). Each kind reads at most MAKS_PR_ART rows, the most
urgent first, so a home page stays fast for an organisation with thousands of cases.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forloeb import regler as forloeb_regler
from forloeb.models import Aktivitet, Fase, Forloeb, Opfoelgning
from forloeb.paamindelser import faser_der_slutter
from forloeb.services.udskrivning import OPFOELGNING_TIDLIGST, kan_registreres
from laan import regler as laan_regler
from laan.models import Laan
from laan.selectors import restanceliste
from mikrolaan.konti.adgang import deltager_i, gennem
from mikrolaan.konti.models import Bruger, Rolle
from mikrolaan.tekst import kort_dato
from visitation import regler as visitation_regler
from visitation.models import Henvisning, Pladsaftale, Underskrift, VentelistePlads, Visitation

# A referral, a signature or a loan decision has no deadline in law; the inbox asks for it within
# a week of its arrival and shows it as overdue after that.
SVARFRIST = datetime.timedelta(days=7)
# At most this many tasks of one kind are read (the most urgent); the page says how many it shows.
MAKS_PR_ART = 100


class Art:
    """The kinds of task, in the order they are listed when equally urgent."""

    UNDERSKRIFT = "underskrift"
    HENVISNING = "henvisning"
    OVERGANG = "overgang"
    FASE = "fase"
    OPFOELGNING = "opfoelgning"
    FREMMOEDE = "fremmoede"
    VENTELISTE = "venteliste"
    LAAN = "laan"
    AFSKRIVNING = "afskrivning"
    RESTANCE = "restance"

    NAVNE = {
        UNDERSKRIFT: gettext_lazy("Visitation afventer underskrift"),
        HENVISNING: gettext_lazy("Henvisning skal visiteres"),
        OVERGANG: gettext_lazy("Overgangsvurdering"),
        FASE: gettext_lazy("Fasen slutter"),
        OPFOELGNING: gettext_lazy("Opfølgning"),
        FREMMOEDE: gettext_lazy("Fremmøde mangler"),
        VENTELISTE: gettext_lazy("Ledig plads"),
        LAAN: gettext_lazy("Lån afventer godkendelse"),
        AFSKRIVNING: gettext_lazy("Afskrivning afventer godkendelse"),
        RESTANCE: gettext_lazy("Afdrag i restance"),
    }
    RAEKKEFOELGE = list(NAVNE)


@dataclass(frozen=True)
class Opgave:
    art: str
    titel: str
    forfald: datetime.date
    # The page where the work is done.
    link: str
    overskredet: bool

    @property
    def art_navn(self) -> str:
        return str(Art.NAVNE[self.art])


def _opgave(art: str, titel: str, forfald: datetime.date, link: str, idag) -> Opgave:
    return Opgave(art=art, titel=titel, forfald=forfald, link=link, overskredet=forfald < idag)


def opgaver(bruger: Bruger, idag: datetime.date | None = None) -> list[Opgave]:
    """The user's tasks, overdue first, then by due date. Case roles only: the Erhvervschef and
    the administrator have no case tasks."""
    idag = idag or timezone.localdate()
    if bruger.organisation_id is None:
        return []
    if bruger.har_rolle(Rolle.SAGSBEHANDLER):
        laesere = (
            _underskrifter,
            _henvisninger,
            _faser,
            _opfoelgninger,
            _laan_til_afgoerelse,
            _restancer,
        )
    elif bruger.har_rolle(Rolle.FORLOEBSMEDARBEJDER):
        laesere = (
            _underskrifter,
            _henvisninger,
            _faser,
            _uregistreret_fremmoede,
            _ledige_pladser,
            _restancer,
        )
    else:
        return []
    alle = [opgave for laeser in laesere for opgave in laeser(bruger, idag)]
    return sorted(
        alle,
        key=lambda o: (not o.overskredet, o.forfald, Art.RAEKKEFOELGE.index(o.art), o.titel),
    )


# --- Whose programme: the responsible caseworker, or the responsible course staff member ------


def _mine_forloeb(bruger: Bruger, sti: str = "") -> Q:
    """The programmes (reached by `sti`, e.g. "forloeb__") that are the user's: as caseworker the
    cases they are responsible for; as course staff the programmes they run, and those of their
    organisation that nobody active runs (as the phase reminders choose their recipients)."""
    if bruger.har_rolle(Rolle.SAGSBEHANDLER):
        return Q(**{f"{sti}henvisning__sagsbehandler": bruger})
    uden_ansvarlig = Q(**{f"{sti}forloebsmedarbejder__isnull": True}) | Q(
        **{f"{sti}forloebsmedarbejder__is_active": False}
    )
    return Q(**{f"{sti}forloebsmedarbejder": bruger}) | (
        uden_ansvarlig & Q(**{f"{sti}pladsaftale__leverandoer_id": bruger.organisation_id})
    )


# --- One reader per kind (one query each) ---------------------------------------------------


def _underskrifter(bruger: Bruger, idag) -> list[Opgave]:
    """Visitations recorded by the other party, awaiting the user's organisation's signature."""
    qs = (
        Visitation.objects.synlige_for(bruger)
        .filter(
            afgjort__isnull=True,
            henvisning__status=Henvisning.Status.AFVENTER_UNDERSKRIFT,
        )
        # Neither the user's organisation nor the user has signed: the rest of
        # `kan_underskrive`, asked of the database so the signatures need no query of their own.
        .exclude(
            Exists(
                Underskrift.objects.filter(visitation=OuterRef("pk")).filter(
                    Q(organisation_id=bruger.organisation_id) | Q(bruger=bruger)
                )
            )
        )
        .select_related("henvisning__borger", "henvisning__pladsaftale")
        .order_by("oprettet", "pk")[:MAKS_PR_ART]
    )
    return [
        _opgave(
            Art.UNDERSKRIFT,
            _("Underskriv visitationen af %(navn)s") % {"navn": v.henvisning.borger.navn},
            timezone.localdate(v.oprettet) + SVARFRIST,
            reverse("visitation:detalje", args=[v.henvisning_id]) + "#visitation-overskrift",
            idag,
        )
        for v in qs
        # The signatures were checked above, hence no list of them here.
        if visitation_regler.kan_underskrive(bruger, v, [])
    ]


def _henvisninger(bruger: Bruger, idag) -> list[Opgave]:
    """Referrals received and not yet visited: the provider's course staff and the responsible
    caseworker record the joint visitation."""
    qs = Henvisning.objects.synlige_for(bruger).filter(status=Henvisning.Status.HENVIST)
    if bruger.har_rolle(Rolle.SAGSBEHANDLER):
        qs = qs.filter(sagsbehandler=bruger)
    else:
        qs = qs.filter(pladsaftale__leverandoer_id=bruger.organisation_id)
    qs = qs.select_related("borger", "pladsaftale").order_by("oprettet", "pk")[:MAKS_PR_ART]
    return [
        _opgave(
            Art.HENVISNING,
            _("Visitér %(navn)s") % {"navn": h.borger.navn},
            timezone.localdate(h.oprettet) + SVARFRIST,
            reverse("visitation:detalje", args=[h.pk]) + "#visitation-overskrift",
            idag,
        )
        for h in qs
        if visitation_regler.kan_visitere(bruger, h)
    ]


def _faser(bruger: Bruger, idag) -> list[Opgave]:
    """Programmes whose current phase ends within PAAMINDELSE_DAGE days or has passed, as the
    daily reminders find them. Course staff assess the transition at the qualifying phase's
    end (the programme is in the qualifying phase exactly while no assessment stands behind a
    move) and discharge or extend at the main phase's; the caseworker follows both."""
    senest = idag + datetime.timedelta(days=settings.PAAMINDELSE_DAGE)
    qs = (
        faser_der_slutter(senest)
        .filter(gennem("forloeb", deltager_i(Forloeb, bruger)), _mine_forloeb(bruger, "forloeb__"))
        .select_related("forloeb__borger", "forloeb__pladsaftale")
        .order_by("planlagt_slut", "pk")[:MAKS_PR_ART]
    )
    forloebsmedarbejder = bruger.har_rolle(Rolle.FORLOEBSMEDARBEJDER)
    resultat = []
    for fase in qs:
        forloeb = fase.forloeb
        if forloebsmedarbejder and not forloeb_regler.kan_styre_forloeb(bruger, forloeb):
            continue
        navn = forloeb.borger.navn
        if forloebsmedarbejder and fase.type == Fase.Type.OPKVALIFICERING:
            art = Art.OVERGANG
            titel = _("Vurdér overgangen til hovedforløbet for %(navn)s") % {"navn": navn}
        else:
            art = Art.FASE
            if fase.planlagt_slut < idag:
                titel = _("%(fase)s for %(navn)s skulle være slut %(dato)s")
            else:
                titel = _("%(fase)s for %(navn)s slutter %(dato)s")
            titel %= {
                "fase": fase.get_type_display(),
                "navn": navn,
                "dato": kort_dato(fase.planlagt_slut),
            }
        link = reverse("forloeb:detalje", args=[forloeb.pk])
        resultat.append(_opgave(art, titel, fase.planlagt_slut, link, idag))
    return resultat


def _opfoelgninger(bruger: Bruger, idag) -> list[Opgave]:
    """Follow-ups after a discharge that the responsible caseworker can record now."""
    qs = (
        Opfoelgning.objects.synlige_for(bruger)
        .filter(
            _mine_forloeb(bruger, "forloeb__"),
            registreret__isnull=True,
            forfalder__lte=idag + OPFOELGNING_TIDLIGST,
        )
        .select_related("forloeb__borger", "forloeb__henvisning")
        .order_by("forfalder", "pk")[:MAKS_PR_ART]
    )
    return [
        _opgave(
            Art.OPFOELGNING,
            _("Opfølgning %(maaneder)s måneder efter udskrivningen af %(navn)s")
            % {"maaneder": o.maaneder, "navn": o.forloeb.borger.navn},
            o.forfalder,
            reverse("forloeb:detalje", args=[o.forloeb_id]),
            idag,
        )
        for o in qs
        if kan_registreres(o, idag) and forloeb_regler.kan_foelge_op(bruger, o.forloeb)
    ]


def _uregistreret_fremmoede(bruger: Bruger, idag) -> list[Opgave]:
    """Sessions the user ran before today whose attendance nobody has registered yet (its rows
    still say what they said when the session was created), and that were not cancelled."""
    qs = (
        Aktivitet.objects.synlige_for(bruger)
        .filter(
            medarbejder=bruger,
            fremmoede_registreret__isnull=True,
            aflyst__isnull=True,
            dato__lt=idag,
        )
        .order_by("dato", "starttid", "pk")[:MAKS_PR_ART]
    )
    return [
        _opgave(
            Art.FREMMOEDE,
            _("Registrér fremmøde: %(aktivitet)s %(dato)s")
            % {"aktivitet": a.get_type_display(), "dato": kort_dato(a.dato)},
            a.dato,
            reverse("forloeb:aktivitet", args=[a.pk]),
            idag,
        )
        for a in qs
        if forloeb_regler.kan_holde_aktiviteter(bruger, a.organisation_id)
    ]


def _ledige_pladser(bruger: Bruger, idag) -> list[Opgave]:
    """The first in line on a running agreement of the user's organisation that has a free place
    (its occupancy as `Pladsaftale.med_belaegning` counts it): a place to fill today."""
    med_ledig_plads = (
        Pladsaftale.objects.aktuelle(idag)
        .filter(leverandoer_id=bruger.organisation_id)
        .med_belaegning()
        .filter(optagne__lt=F("antal_pladser"))
        .values("pk")
    )
    # First in line: no open place on the same agreement came before it. Asked of the whole
    # queue, not of the user's visible part of it, so the position is the agreement's.
    foran = VentelistePlads.objects.filter(
        pladsaftale=OuterRef("pladsaftale"), afsluttet__isnull=True
    ).filter(
        Q(opskrevet__lt=OuterRef("opskrevet"))
        | Q(opskrevet=OuterRef("opskrevet"), pk__lt=OuterRef("pk"))
    )
    qs = (
        VentelistePlads.objects.synlige_for(bruger)
        .filter(
            afsluttet__isnull=True,
            pladsaftale__in=med_ledig_plads,
        )
        .exclude(Exists(foran))
        .select_related("henvisning__borger", "henvisning__pladsaftale", "pladsaftale")
        .order_by("opskrevet", "pk")[:MAKS_PR_ART]
    )
    return [
        _opgave(
            Art.VENTELISTE,
            _("Ledig plads på %(aftale)s: indskriv %(navn)s")
            % {"aftale": p.pladsaftale, "navn": p.henvisning.borger.navn},
            idag,
            reverse("visitation:pladsaftale", args=[p.pladsaftale_id]) + "#venteliste-overskrift",
            idag,
        )
        for p in qs
        if visitation_regler.kan_indskrive(bruger, p.henvisning)
    ]


def _laan_til_afgoerelse(bruger: Bruger, idag) -> list[Opgave]:
    """Applications and write-off proposals on the user's cases that the user may decide (four
    eyes: never one they registered or proposed themselves)."""
    qs = (
        Laan.objects.synlige_for(bruger)
        .filter(_mine_forloeb(bruger, "forloeb__"))
        .filter(
            Q(status=Laan.Status.ANSOEGT)
            | Q(status=Laan.Status.UDBETALT, afskrivning_indstillet__isnull=False)
        )
        .select_related("forloeb__borger", "forloeb__henvisning", "forloeb__pladsaftale")
        .order_by("oprettet", "pk")[:MAKS_PR_ART]
    )
    resultat = []
    for laan in qs:
        navn = laan.forloeb.borger.navn
        link = reverse("laan:detalje", args=[laan.pk])
        if laan.status == Laan.Status.ANSOEGT:
            if laan_regler.kan_bevilge(bruger, laan):
                titel = _("Godkend eller afslå mikrolånet til %(navn)s") % {"navn": navn}
                forfald = timezone.localdate(laan.oprettet) + SVARFRIST
                resultat.append(_opgave(Art.LAAN, titel, forfald, link, idag))
        elif laan_regler.kan_afskrive(bruger, laan):
            titel = _("Godkend afskrivningen af mikrolånet til %(navn)s") % {"navn": navn}
            forfald = timezone.localdate(laan.afskrivning_indstillet) + SVARFRIST
            resultat.append(_opgave(Art.AFSKRIVNING, titel, forfald, link, idag))
    return resultat


def _restancer(bruger: Bruger, idag) -> list[Opgave]:
    """The user's open loans with an instalment past due (`restanceliste`), oldest arrears
    first, due since the oldest unpaid instalment."""
    qs = restanceliste(
        Laan.objects.synlige_for(bruger).filter(_mine_forloeb(bruger, "forloeb__")), idag=idag
    )[:MAKS_PR_ART]
    return [
        _opgave(
            Art.RESTANCE,
            _("Mikrolånet til %(navn)s er i restance") % {"navn": laan.forloeb.borger.navn},
            laan.aeldste_forfald,
            reverse("laan:detalje", args=[laan.pk]),
            idag,
        )
        for laan in qs
    ]
