"""The key pages of issue 13, each with its user and the baseline it is compared with.

A page is one request (method, URL, form data); a POST is repeated as it stands, so it must be
idempotent: the searches read, and the attendance tap sets a participant's attendance to what it
already is (`deltagelse_registrer` then changes nothing but still does the whole tap's work: the
locks, the checks and the row the htmx swap shows).
"""

from dataclasses import dataclass

from django.urls import reverse

from borgere.models import Borger
from forloeb.models import Deltagelse, Forloeb
from laan.models import Laan
from visitation.models import Henvisning, Pladsaftale

from .basis import Basislinje, registrer
from .data import Udvalg

LISTE, DETALJE, FIL, HANDLING = "liste", "detalje", "fil", "handling"


@dataclass(frozen=True)
class Basis:
    """A baseline request: its label, URL and user."""

    titel: str
    url: str
    bruger: str


@dataclass(frozen=True)
class Side:
    navn: str
    bruger: str
    url: str
    art: str = LISTE
    metode: str = "get"
    data: dict | None = None
    htmx: bool = False
    basis: Basis | None = None
    pdf: bool = False


def _listeview(navn: str, titel: str, raekker, bruger: str) -> Basis:
    return Basis(f"ListView {titel}", registrer(navn, Basislinje(titel, raekker)), bruger)


def _detailview(navn: str, titel: str, raekker, pk: int, bruger: str) -> Basis:
    return Basis(f"DetailView {titel}", registrer(navn, Basislinje(titel, raekker, pk)), bruger)


def sider(u: Udvalg) -> list[Side]:
    borger, aktivitet, aftale = u.borger, u.aktivitet, u.pladsaftale
    deltager = u.deltager
    synlige_aftaler = ",".join(
        str(pk)
        for pk in Pladsaftale.objects.synlige_for(u.brugere["sagsbehandler"]).values_list(
            "pk", flat=True
        )
    )

    def borgere(bruger):
        return Borger.objects.synlige_for(bruger).select_related("forsoergelsesgrundlag")

    return [
        Side(
            "borgerliste",
            "sagsbehandler",
            reverse("borgere:liste"),
            basis=_listeview("borgere", "Borger", borgere, "sagsbehandler"),
        ),
        Side(
            "navnesøgning",
            "sagsbehandler",
            reverse("borgere:liste"),
            metode="post",
            data={"q": u.navn},
            basis=_listeview(
                "navn", "Borger (navn)", lambda b: borgere(b).med_navn(u.navn), "sagsbehandler"
            ),
        ),
        Side(
            "cpr-søgning",
            "sagsbehandler",
            reverse("borgere:liste"),
            metode="post",
            data={"q": u.cpr},
            basis=_listeview(
                "cpr", "Borger (CPR)", lambda b: borgere(b).med_cpr(u.cpr), "sagsbehandler"
            ),
        ),
        Side(
            "borgerdetalje",
            "sagsbehandler",
            reverse("borgere:detalje", args=[borger.pk]),
            art=DETALJE,
            basis=_detailview("borger", "Borger", borgere, borger.pk, "sagsbehandler"),
        ),
        Side(
            "tidslinje",
            "sagsbehandler",
            reverse("oversigt:tidslinje", args=[borger.pk]),
            art=DETALJE,
            basis=_detailview("tidslinje", "Borger", borgere, borger.pk, "sagsbehandler"),
        ),
        Side(
            "mine borgere",
            "sagsbehandler",
            reverse("oversigt:mine_borgere"),
            basis=_listeview("mine_borgere", "Borger", borgere, "sagsbehandler"),
        ),
        Side(
            "mine forløb",
            "forloeb",
            reverse("oversigt:mine_forloeb"),
            basis=_listeview(
                "mine_forloeb",
                "Forloeb",
                lambda b: (
                    Forloeb.objects.synlige_for(b)
                    .filter(
                        pladsaftale__leverandoer_id=b.organisation_id, status__in=Forloeb.AKTIVE
                    )
                    .select_related("borger")
                ),
                "forloeb",
            ),
        ),
        Side(
            "henvisninger",
            "sagsbehandler",
            reverse("visitation:henvisninger"),
            basis=_listeview(
                "henvisninger",
                "Henvisning",
                lambda b: Henvisning.objects.synlige_for(b).select_related("borger", "pladsaftale"),
                "sagsbehandler",
            ),
        ),
        Side(
            "pladsaftaler",
            "sagsbehandler",
            reverse("visitation:pladsaftaler"),
            basis=Basis(
                "admin Pladsaftale",
                f"{reverse('admin:visitation_pladsaftale_changelist')}?id__in={synlige_aftaler}",
                "admin",
            ),
        ),
        Side(
            "pladsaftale",
            "sagsbehandler",
            reverse("visitation:pladsaftale", args=[aftale.pk]),
            art=DETALJE,
            basis=Basis(
                "admin Pladsaftale (ret)",
                reverse("admin:visitation_pladsaftale_change", args=[aftale.pk]),
                "admin",
            ),
        ),
        Side(
            "aktivitet",
            "forloeb",
            reverse("forloeb:aktivitet", args=[aktivitet.pk]),
            art=DETALJE,
            basis=_listeview(
                "deltagelser",
                "Deltagelse",
                lambda b: (
                    Deltagelse.objects.synlige_for(b)
                    .filter(aktivitet_id=aktivitet.pk)
                    .select_related("forloeb__borger", "aktivitet")
                    .order_by("pk")
                ),
                "forloeb",
            ),
        ),
        Side(
            "fremmøde POST",
            "forloeb",
            reverse("forloeb:deltagelse", args=[aktivitet.pk, deltager.forloeb_id]),
            art=HANDLING,
            metode="post",
            data={"status": deltager.status},
            htmx=True,
        ),
        Side(
            "forside sagsbeh.",
            "sagsbehandler",
            reverse("forside"),
            art=DETALJE,
        ),
        Side(
            "forside forløb",
            "forloeb",
            reverse("forside"),
            art=DETALJE,
        ),
        Side(
            "låneportefølje",
            "forloeb",
            reverse("laan:portefoelje"),
            basis=_listeview(
                "laan",
                "Laan",
                lambda b: Laan.objects.synlige_for(b).select_related("forloeb__borger"),
                "forloeb",
            ),
        ),
        Side("portefølje XLSX", "forloeb", reverse("laan:portefoelje_xlsx"), art=FIL),
        Side(
            "dashboard (Erhvervschef)",
            "erhvervschef",
            reverse("forside"),
            basis=_listeview(
                "dashboard",
                "Forloeb",
                lambda b: Forloeb.objects.overvaagede_af(b).select_related("borger"),
                "erhvervschef",
            ),
        ),
        Side("evaluering", "erhvervschef", reverse("oversigt:evaluering"), art=DETALJE),
        Side(
            "evaluering PDF",
            "erhvervschef",
            reverse("oversigt:evaluering_pdf"),
            art=FIL,
            pdf=True,
        ),
    ]
