"""The citizen's right of access (GDPR art. 15): everything held about one citizen, for an
administrator who answers the citizen's request (who may, and which citizens: `adgang.py`).

A legitimate cross-organisation read, on purpose: once the citizen is found, the export reads the
citizen's rows in *every* organisation (a second provider's referral and programme included),
with no `synlige_for`, because the answer to the citizen must be complete and the organisations
share the case (the joint visitation). The view access-logs every export before it reads.

What is collected: the personal data (CPR in clear, since the export goes to the citizen), journal
notes, the document list, each referral with its visitation, signatures and corrections, each
programme with its phases, extensions, assessments, attendance, discharges, follow-ups and
corrections, each loan with its plan and payments, the notifications about the citizen, and the
access-log rows about the citizen. Staff are named by organisation only: a colleague's name is
their personal data, not the citizen's. One query per kind of row (`indsigt`'s docstring lists
them), however long the case.

The result is a dict of plain values (dates, amounts, Danish labels): the JSON is that dict, and
the PDF template renders the same dict, so the two never disagree.
"""

import datetime
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from borgere import cpr as cpr_
from borgere import selectors as borger_selectors
from borgere.models import Borger, Journalnotat
from forloeb.models import (
    Deltagelse,
    Fase,
    Faseforlaengelse,
    Forloeb,
    Forloebsrettelse,
    Opfoelgning,
    Overgangsvurdering,
    Udskrivning,
)
from laan.models import Afdrag, Indbetaling, Laan
from mikrolaan.konti.models import Bruger
from mikrolaan.notifikationer.models import Notifikation
from mikrolaan.revision.models import AdgangsLog
from visitation.models import Henvisning, Henvisningsrettelse, Underskrift

from .adgang import adgangslog_om


def _notifikationer(borger: Borger, henvisninger, forloeb, laan) -> QuerySet:
    """Notifications whose link points at one of the citizen's pages, as the timeline finds
    them (the trailing slash keeps /borgere/1/ from matching /borgere/12/). Notifications that
    point at a place agreement (the Erhvervschef's copy of an intake) carry no citizen key and
    are not included: matching them by name could hand the citizen another person's news."""
    stier = [
        reverse("borgere:detalje", args=[borger.pk]),
        reverse("oversigt:tidslinje", args=[borger.pk]),
        *(reverse("visitation:detalje", args=[h.pk]) for h in henvisninger),
        *(reverse("forloeb:detalje", args=[f.pk]) for f in forloeb),
        *(reverse("laan:detalje", args=[l_.pk]) for l_ in laan),
    ]
    betingelse = Q()
    for sti in stier:
        betingelse |= Q(link__startswith=sti)
    return Notifikation.objects.filter(betingelse).select_related("modtager__organisation")


def _organisation(bruger: Bruger | None) -> str:
    if bruger is None or bruger.organisation is None:
        return ""
    return bruger.organisation.navn


def _grupper(raekker, noegle) -> dict:
    grupper = defaultdict(list)
    for raekke in raekker:
        grupper[noegle(raekke)].append(raekke)
    return grupper


def indsigt(*, borger: Borger, dannet: datetime.datetime | None = None) -> dict:
    """Everything held about `borger`, in Danish, as plain values.

    `borger` comes with `forsoergelsesgrundlag` and `jobcenter`. Queries: notes, documents,
    referrals, signatures, referral corrections, programmes, phases, extensions, assessments,
    attendance, discharges, follow-ups, programme corrections, loans, instalments, payments,
    notifications, access log — eighteen, however long the case (the content types of the access
    log's condition are cached after the first use).
    """
    with translation.override("da"):
        return _indsigt(borger, dannet or timezone.now())


def _indsigt(borger: Borger, dannet: datetime.datetime) -> dict:
    notater = list(
        Journalnotat.objects.for_borger(borger).select_related("forfatter__organisation")
    )
    dokumenter = list(borger_selectors.dokumenter(borger=borger))
    henvisninger = list(
        Henvisning.objects.filter(borger=borger)
        .select_related(
            "jobcenter", "pladsaftale__leverandoer", "forsoergelsesgrundlag", "visitation"
        )
        .order_by("oprettet", "id")
    )
    underskrifter = _grupper(
        Underskrift.objects.filter(visitation__henvisning__borger=borger)
        .select_related("organisation", "visitation")
        .order_by("tidspunkt", "id"),
        lambda u: u.visitation.henvisning_id,
    )
    henvisningsrettelser = _grupper(
        Henvisningsrettelse.objects.filter(henvisning__borger=borger)
        .select_related("udfoert_af__organisation")
        .order_by("tidspunkt", "id"),
        lambda r: r.henvisning_id,
    )
    forloeb = list(
        Forloeb.objects.filter(borger=borger)
        .select_related("pladsaftale__leverandoer")
        .order_by("startdato", "id")
    )
    faser = _grupper(
        Fase.objects.filter(forloeb__borger=borger).order_by("planlagt_start", "id"),
        lambda f: f.forloeb_id,
    )
    forlaengelser = _grupper(
        Faseforlaengelse.objects.filter(fase__forloeb__borger=borger).order_by("oprettet", "id"),
        lambda f: f.fase_id,
    )
    vurderinger = _grupper(
        Overgangsvurdering.objects.filter(
            Q(forloeb__borger=borger) | Q(annulleret_forloeb__borger=borger)
        ).order_by("vurderet", "id"),
        lambda v: v.forloeb_id or v.annulleret_forloeb_id,
    )
    deltagelser = _grupper(
        Deltagelse.objects.filter(forloeb__borger=borger)
        .select_related("aktivitet")
        .order_by("aktivitet__dato", "aktivitet__starttid", "id"),
        lambda d: d.forloeb_id,
    )
    udskrivninger = _grupper(
        Udskrivning.objects.filter(Q(forloeb__borger=borger) | Q(annulleret_forloeb__borger=borger))
        .select_related("forsoergelse_efter")
        .order_by("oprettet", "id"),
        lambda u: u.forloeb_id or u.annulleret_forloeb_id,
    )
    opfoelgninger = _grupper(
        Opfoelgning.objects.filter(forloeb__borger=borger)
        .select_related("forsoergelsesgrundlag")
        .order_by("forfalder", "id"),
        lambda o: o.forloeb_id,
    )
    forloebsrettelser = _grupper(
        Forloebsrettelse.objects.filter(forloeb__borger=borger)
        .select_related("udfoert_af__organisation")
        .order_by("tidspunkt", "id"),
        lambda r: r.forloeb_id,
    )
    laan = list(
        Laan.objects.filter(forloeb__borger=borger)
        .select_related("forloeb__pladsaftale__leverandoer")
        .order_by("oprettet", "id")
    )
    afdrag = _grupper(
        Afdrag.objects.filter(laan__forloeb__borger=borger).order_by("nummer", "id"),
        lambda a: a.laan_id,
    )
    indbetalinger = _grupper(
        Indbetaling.objects.filter(laan__forloeb__borger=borger).order_by("dato", "id"),
        lambda i: i.laan_id,
    )
    notifikationer = list(_notifikationer(borger, henvisninger, forloeb, laan))
    # Only the organisation of whoever read the data: `values` never loads the staff's names.
    adgang = list(
        AdgangsLog.objects.filter(adgangslog_om(borger))
        .order_by("-tidspunkt", "-id")
        .values("tidspunkt", "handling", "bruger__organisation__navn")
    )
    handlinger = dict(AdgangsLog.Handling.choices)

    return {
        "dannet": dannet,
        "borger": {
            "navn": borger.navn,
            "cpr": cpr_.formateret(borger.cpr),
            "adresse": borger.adresse,
            "postnummer": borger.postnummer,
            "by": borger.by,
            "telefon": borger.telefon,
            "email": borger.email,
            "forsoergelsesgrundlag": str(borger.forsoergelsesgrundlag),
            "forretningsidee": borger.forretningsidee,
            "jobcenter": borger.jobcenter.navn,
            "oprettet": borger.oprettet,
        },
        "journalnotater": [
            {
                "tidspunkt": n.oprettet,
                "organisation": _organisation(n.forfatter),
                "tekst": n.tekst,
                "retter_notat_fra": n.retter.oprettet if n.retter else None,
            }
            for n in notater
        ],
        "dokumenter": [
            {
                "filnavn": d.filnavn,
                "type": d.get_type_display(),
                "stoerrelse": d.stoerrelse,
                "uploadet": d.uploadet,
            }
            for d in dokumenter
        ],
        "henvisninger": [
            _henvisning(h, underskrifter[h.pk], henvisningsrettelser[h.pk]) for h in henvisninger
        ],
        "forloeb": [
            {
                "pladsaftale": f.pladsaftale.navn,
                "leverandoer": f.pladsaftale.leverandoer.navn,
                "status": f.get_status_display(),
                "startdato": f.startdato,
                "faser": [_fase(fase, forlaengelser[fase.pk]) for fase in faser[f.pk]],
                "overgangsvurderinger": [_vurdering(v) for v in vurderinger[f.pk]],
                "aktiviteter": [_deltagelse(d) for d in deltagelser[f.pk]],
                "udskrivninger": [_udskrivning(u) for u in udskrivninger[f.pk]],
                "opfoelgninger": [_opfoelgning(o) for o in opfoelgninger[f.pk]],
                "rettelser": [_rettelse(r) for r in forloebsrettelser[f.pk]],
            }
            for f in forloeb
        ],
        "laan": [_laan(l_, afdrag[l_.pk], indbetalinger[l_.pk]) for l_ in laan],
        "notifikationer": [
            {
                "oprettet": n.oprettet,
                "haendelse": n.get_haendelse_display(),
                "emne": n.emne,
                "tekst": n.tekst,
                "modtagerens_organisation": _organisation(n.modtager),
            }
            for n in notifikationer
        ],
        "adgangslog": [
            {
                "tidspunkt": a["tidspunkt"],
                "handling": str(handlinger.get(a["handling"], a["handling"])),
                "organisation": a["bruger__organisation__navn"] or "",
            }
            for a in adgang
        ],
    }


def _henvisning(h: Henvisning, underskrifter, rettelser) -> dict:
    visitation = getattr(h, "visitation", None)
    return {
        "henvist": h.oprettet,
        "status": h.get_status_display(),
        "jobcenter": h.jobcenter.navn,
        "pladsaftale": h.pladsaftale.navn,
        "leverandoer": h.pladsaftale.leverandoer.navn,
        "forretningsidee": h.forretningsidee,
        "motivation": h.motivation,
        "forsoergelsesgrundlag": str(h.forsoergelsesgrundlag),
        "vurdering": h.vurdering,
        "visitation": _visitation(visitation, underskrifter) if visitation else None,
        "rettelser": [_rettelse(r) for r in rettelser],
    }


def _visitation(v, underskrifter) -> dict:
    # The meeting's participants (`deltagere`) are staff names and are left out.
    return {
        "moededato": v.moededato,
        "kan_gennemfoere": v.get_kan_gennemfoere_display(),
        "kan_gennemfoere_begrundelse": v.kan_gennemfoere_note,
        "motivation": v.get_motivation_display(),
        "motivation_begrundelse": v.motivation_note,
        "forretningsidee": v.get_forretningsidee_display(),
        "forretningsidee_begrundelse": v.forretningsidee_note,
        "personlige_forhold": v.get_personlige_forhold_display(),
        "personlige_forhold_begrundelse": v.personlige_forhold_note,
        "oekonomiske_forhold": v.get_oekonomiske_forhold_display(),
        "oekonomiske_forhold_begrundelse": v.oekonomiske_forhold_note,
        "beslutning": v.get_beslutning_display(),
        "afvisningsgrund": v.afvisningsgrund,
        "afgjort": v.afgjort,
        "underskrifter": [
            {"organisation": u.organisation.navn, "tidspunkt": u.tidspunkt} for u in underskrifter
        ],
    }


def _rettelse(r) -> dict:
    return {
        "tidspunkt": r.tidspunkt,
        "handling": r.get_handling_display(),
        "fra_status": r.get_fra_status_display(),
        "til_status": r.get_til_status_display(),
        "begrundelse": r.begrundelse,
        "organisation": _organisation(r.udfoert_af),
    }


def _fase(fase: Fase, forlaengelser) -> dict:
    return {
        "fase": fase.get_type_display(),
        "planlagt_start": fase.planlagt_start,
        "planlagt_slut": fase.planlagt_slut,
        "faktisk_start": fase.faktisk_start,
        "faktisk_slut": fase.faktisk_slut,
        "forlaengelser": [
            {
                "tidligere_slut": f.tidligere_slut,
                "ny_slut": f.ny_slut,
                "begrundelse": f.begrundelse,
                "oprettet": f.oprettet,
            }
            for f in forlaengelser
        ],
    }


def _vurdering(v: Overgangsvurdering) -> dict:
    return {
        "vurderet": v.vurderet,
        "anbefaling": v.anbefaling,
        "begrundelse": v.bekraeftelse,
        "annulleret": v.forloeb_id is None,
    }


def _deltagelse(d: Deltagelse) -> dict:
    a = d.aktivitet
    return {
        "dato": a.dato,
        "starttid": a.starttid,
        "type": a.get_type_display(),
        "form": a.get_form_display(),
        "varighed_minutter": a.varighed,
        "sted": a.sted,
        "aflyst": a.aflyst is not None,
        "fremmoede": d.get_status_display(),
        "note": d.note,
    }


def _udskrivning(u: Udskrivning) -> dict:
    return {
        "dato": u.dato,
        "aarsag": u.get_aarsag_display(),
        "cvr": u.cvr,
        "virksomhed_startet": u.virksomhed_startet,
        "forsoergelse_efter": str(u.forsoergelse_efter) if u.forsoergelse_efter else "",
        "bemaerkning": u.note,
        "annulleret": u.forloeb_id is None,
    }


def _opfoelgning(o: Opfoelgning) -> dict:
    return {
        "maaneder": o.maaneder,
        "forfalder": o.forfalder,
        "selvforsoergende": o.selvforsoergende,
        "forsoergelsesgrundlag": str(o.forsoergelsesgrundlag) if o.forsoergelsesgrundlag else "",
        "bemaerkning": o.note,
        "registreret": o.registreret,
    }


def _laan(laan: Laan, afdrag, indbetalinger) -> dict:
    return {
        "laangiver": laan.forloeb.pladsaftale.leverandoer.navn,
        "status": laan.get_status_display(),
        "beloeb": laan.beloeb,
        "formaal": laan.formaal,
        "budget": laan.budget,
        "loebetid_maaneder": laan.loebetid,
        "afdragsfri_maaneder": laan.afdragsfri,
        "rente_procent": laan.rente,
        "ansoegt": laan.oprettet,
        "bevilget": laan.bevilget,
        "udbetalt": laan.udbetalt_dato,
        "betalingsreference": laan.reference or "",
        "afskrivning_begrundelse": laan.afskrivning_begrundelse,
        "afdrag": [
            {"nummer": a.nummer, "forfald": a.forfald, "beloeb": a.beloeb, "betalt": a.betalt}
            for a in afdrag
        ],
        "indbetalinger": [
            {
                "dato": i.dato,
                "beloeb": i.beloeb,
                "reference": i.reference,
                "tilbagefoert": i.tilbagefoert,
                "tilbagefoert_begrundelse": i.tilbagefoert_begrundelse,
            }
            for i in indbetalinger
        ],
    }
