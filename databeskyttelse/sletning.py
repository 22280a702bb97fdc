"""Retention (DOMAIN.md rule 10, issue 11 point 7): what is no longer needed goes.

- **Cases.** A citizen whose every case is closed — each referral rejected, withdrawn, taken off
  the waiting list or ended by a discharge; no programme running; every loan settled (repaid,
  written off, refused or withdrawn) — and whose last case activity is older than
  `SLETNING_EFTER_AAR` years is *anonymised*: name, CPR (encrypted value and blind index),
  address, phone, email and every free-text field of the case are blanked; journal notes and
  documents (files on disk too) are deleted; the change-history rows about those objects, which
  quote the old values, are deleted. The rows that carry no one's identity stay (dates, statuses,
  amounts, attendance), so the committee's figures for past years do not change. "Last activity"
  is the latest of the dates the case records, so a loan repaid after the discharge, a follow-up or
  a journal note written later each start the clock again; an open referral never expires.
- **Notifications** older than the same limit are deleted: they quote names.
- **The access log** is kept for `ADGANGSLOG_OPBEVARING_AAR` years, then deleted.
- **Expired login sessions** are deleted (they name the user; Django leaves them to
  `clearsessions`, which nothing else runs).

Audit rows are removed only through `revision.services.slet_*`: on PostgreSQL the owner's
SECURITY DEFINER functions, which refuse anything younger than a year and log every use. The
anonymisation writes no change history of its own (it would quote what it removes); the
`Anonymisering` row and the job's `Koersel` are its record.
"""

import datetime
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from borgere import cpr
from borgere.models import Borger, Dokument, Journalnotat
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
from laan.models import Afdrag, Indbetaling, Laan, Sagsgang
from mikrolaan.notifikationer.models import Koersel, Notifikation
from mikrolaan.notifikationer.oprydning import slet_i_portioner
from mikrolaan.revision import services as revision
from mikrolaan.revision.models import AdgangsLog
from visitation.models import (
    Henvisning,
    Henvisningsrettelse,
    Underskrift,
    VentelistePlads,
    Visitation,
)

from .models import Anonymisering

OPGAVE = "databeskyttelse.sletning"

# What a blanked text field holds: several fields must not be empty (a reason is required by a
# database constraint), and a reader should see that the text was removed, not that none was given.
FJERNET = "[anonymiseret]"
# Udskrivning.cvr is required for "egen virksomhed" and is at most 8 characters.
FJERNET_CVR = "anonym"

LUKKEDE_HENVISNINGER = {
    Henvisning.Status.AFVIST,
    Henvisning.Status.AFSLUTTET,
    Henvisning.Status.TILBAGETRUKKET,
    Henvisning.Status.FJERNET_FRA_VENTELISTE,
}
AABNE_FORLOEB = {Forloeb.Status.OPKVALIFICERING, Forloeb.Status.HOVEDFORLOEB}
AFVIKLEDE_LAAN = {
    Laan.Status.AFSLAAET,
    Laan.Status.TILBAGETRUKKET,
    Laan.Status.INDFRIET,
    Laan.Status.AFSKREVET,
}


def graense(aar: int, nu: datetime.datetime | None = None) -> datetime.datetime:
    """`aar` calendar years before `nu` (29 February falls back to the 28th)."""
    return (nu or timezone.now()) - relativedelta(years=aar)


def udloebne_borgere(graense: datetime.datetime) -> QuerySet[Borger]:
    """Citizens with every case closed and nothing recorded on them since `graense`."""
    dato = timezone.localtime(graense).date()
    aabne_henvisninger = [s for s in Henvisning.Status.values if s not in LUKKEDE_HENVISNINGER]
    aabne_laan = [s for s in Laan.Status.values if s not in AFVIKLEDE_LAAN]
    qs = Borger.objects.filter(oprettet__lt=graense, anonymisering__isnull=True)
    # Each exclude over a many-relation is a NOT EXISTS of its own: "no such row", as meant.
    for senere in (
        Q(henvisninger__status__in=aabne_henvisninger),
        Q(forloeb__status__in=AABNE_FORLOEB),
        Q(forloeb__laan__status__in=aabne_laan),
        Q(henvisninger__oprettet__gte=graense),
        Q(henvisninger__rettelser__tidspunkt__gte=graense),
        Q(henvisninger__visitation__oprettet__gte=graense),
        Q(henvisninger__visitation__afgjort__gte=graense),
        Q(forloeb__udskrivning__dato__gte=dato),
        Q(forloeb__opfoelgninger__registreret__gte=graense),
        Q(forloeb__rettelser__tidspunkt__gte=graense),
        Q(forloeb__laan__sagsgange__tidspunkt__gte=graense),
        Q(forloeb__laan__indbetalinger__dato__gte=dato),
        Q(journalnotater__oprettet__gte=graense),
        Q(dokumenter__uploadet__gte=graense),
    ):
        qs = qs.exclude(senere)
    return qs.order_by("pk")


@dataclass
class Plan:
    """What a run removes (with --dry-run: would remove); counts and ids, never a name or CPR."""

    sagsgraense: datetime.datetime
    adgangslog_graense: datetime.datetime
    borgere: list[int] = field(default_factory=list)
    notifikationer: int = 0
    adgangslog: int = 0
    sessioner: int = 0


def planlaeg(*, nu: datetime.datetime | None = None) -> Plan:
    sagsgraense = graense(settings.SLETNING_EFTER_AAR, nu)
    adgangslog_graense = graense(settings.ADGANGSLOG_OPBEVARING_AAR, nu)
    return Plan(
        sagsgraense=sagsgraense,
        adgangslog_graense=adgangslog_graense,
        borgere=list(udloebne_borgere(sagsgraense).values_list("pk", flat=True)),
        notifikationer=Notifikation.objects.filter(oprettet__lt=sagsgraense).count(),
        adgangslog=AdgangsLog.objects.filter(tidspunkt__lt=adgangslog_graense).count(),
        sessioner=_udloebne_sessioner(nu).count(),
    )


def _udloebne_sessioner(nu: datetime.datetime | None) -> QuerySet[Session]:
    return Session.objects.filter(expire_date__lt=nu or timezone.now())


def slet_udloebne(*, nu: datetime.datetime | None = None) -> Plan:
    """The nightly job: anonymise each expired citizen (one transaction each), delete old
    notifications and access-log rows; the plan carried out. Safe to run twice: an anonymised
    citizen is never taken again, and what is deleted is gone."""
    koersel = Koersel.objects.create(opgave=OPGAVE)
    plan = planlaeg(nu=nu)
    udfoert = []
    for borger_id in plan.borgere:
        if anonymiser(borger_id=borger_id, graense=plan.sagsgraense):
            udfoert.append(borger_id)
    plan.borgere = udfoert
    # In batches, as the nightly clean-up deletes: short statements on the table every page's
    # bell reads (only a residue reaches this limit; the clean-up's own limits are shorter).
    plan.notifikationer = slet_i_portioner(
        Notifikation.objects.filter(oprettet__lt=plan.sagsgraense)
    )
    plan.adgangslog = revision.slet_adgangslog_foer(foer=plan.adgangslog_graense)
    plan.sessioner, _ = _udloebne_sessioner(nu).delete()
    Koersel.objects.filter(pk=koersel.pk).update(
        afsluttet=timezone.now(),
        antal=len(udfoert) + plan.notifikationer + plan.adgangslog + plan.sessioner,
    )
    return plan


def _ider(qs: QuerySet) -> list[int]:
    return list(qs.values_list("pk", flat=True))


@transaction.atomic
def anonymiser(*, borger_id: int, graense: datetime.datetime) -> bool:
    """Anonymise one citizen whose cases expired before `graense`; False if no longer expired
    (a note written since the plan was made, another run got there first)."""
    # The row lock settles a race with a second run; the check again under it, with a user who
    # may have written on the case since the plan was made.
    laast = udloebne_borgere(graense).select_for_update(of=("self",)).filter(pk=borger_id)
    if not list(laast.values_list("pk", flat=True)):
        return False
    henvisninger = Henvisning.objects.filter(borger_id=borger_id)
    forloeb = Forloeb.objects.filter(borger_id=borger_id)
    annullerbar = Q(forloeb__in=forloeb) | Q(annulleret_forloeb__in=forloeb)
    laan = Laan.objects.filter(forloeb__in=forloeb)
    dokumenter = list(Dokument.objects.filter(borger_id=borger_id).values_list("pk", "fil"))
    notater = _ider(Journalnotat.objects.filter(borger_id=borger_id))

    # Every object whose change history may quote the citizen, by model.
    objekter = {
        Borger: [borger_id],
        Journalnotat: notater,
        Dokument: [pk for pk, _ in dokumenter],
        Henvisning: _ider(henvisninger),
        Henvisningsrettelse: _ider(Henvisningsrettelse.objects.filter(henvisning__in=henvisninger)),
        Visitation: _ider(Visitation.objects.filter(henvisning__in=henvisninger)),
        Underskrift: _ider(Underskrift.objects.filter(visitation__henvisning__in=henvisninger)),
        VentelistePlads: _ider(VentelistePlads.objects.filter(henvisning__in=henvisninger)),
        Forloeb: _ider(forloeb),
        Fase: _ider(Fase.objects.filter(forloeb__in=forloeb)),
        Faseforlaengelse: _ider(Faseforlaengelse.objects.filter(fase__forloeb__in=forloeb)),
        Overgangsvurdering: _ider(Overgangsvurdering.objects.filter(annullerbar)),
        Deltagelse: _ider(Deltagelse.objects.filter(forloeb__in=forloeb)),
        Udskrivning: _ider(Udskrivning.objects.filter(annullerbar)),
        Opfoelgning: _ider(Opfoelgning.objects.filter(forloeb__in=forloeb)),
        Forloebsrettelse: _ider(Forloebsrettelse.objects.filter(forloeb__in=forloeb)),
        Laan: _ider(laan),
        Sagsgang: _ider(Sagsgang.objects.filter(laan__in=laan)),
        Afdrag: _ider(Afdrag.objects.filter(laan__in=laan)),
        Indbetaling: _ider(Indbetaling.objects.filter(laan__in=laan)),
    }

    # .update() sends no signals, so none of this writes change history quoting the old values;
    # disable_auditlog covers the document delete, which would.
    with disable_auditlog():
        laan.update(
            formaal=FJERNET,
            budget=FJERNET,
            afskrivning_begrundelse="",
            forretningsplan=None,
            budgetdokument=None,
        )
        Sagsgang.objects.filter(laan__in=laan).exclude(begrundelse="").update(begrundelse=FJERNET)
        Indbetaling.objects.filter(laan__in=laan).exclude(tilbagefoert_begrundelse="").update(
            tilbagefoert_begrundelse=FJERNET
        )
        Forloebsrettelse.objects.filter(forloeb__in=forloeb).update(begrundelse=FJERNET)
        Opfoelgning.objects.filter(forloeb__in=forloeb).update(note="")
        Udskrivning.objects.filter(annullerbar).update(note="")
        Udskrivning.objects.filter(annullerbar).exclude(cvr="").update(cvr=FJERNET_CVR)
        Deltagelse.objects.filter(forloeb__in=forloeb).update(note="")
        Overgangsvurdering.objects.filter(annullerbar).update(anbefaling=FJERNET, bekraeftelse="")
        Faseforlaengelse.objects.filter(fase__forloeb__in=forloeb).update(begrundelse=FJERNET)
        visitationer = Visitation.objects.filter(henvisning__in=henvisninger)
        visitationer.update(
            deltagere=FJERNET,
            kan_gennemfoere_note=FJERNET,
            motivation_note="",
            forretningsidee_note="",
            personlige_forhold_note="",
            oekonomiske_forhold_note="",
        )
        visitationer.exclude(afvisningsgrund="").update(afvisningsgrund=FJERNET)
        Henvisningsrettelse.objects.filter(henvisning__in=henvisninger).update(begrundelse=FJERNET)
        henvisninger.update(forretningsidee=FJERNET, motivation=FJERNET, vurdering=FJERNET)

        # Journal notes are append-only for the application (the model refuses a delete); this
        # is the one deliberate exception, so it is a plain statement and not the model's API.
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {Journalnotat._meta.db_table} WHERE borger_id = %s",  # noqa: S608
                [borger_id],
            )
        Dokument.objects.filter(borger_id=borger_id).delete()
        Borger.objects.filter(pk=borger_id).update(
            fornavn="Anonymiseret",
            efternavn="borger",
            soegenavn="anonymiseret borger",
            # No CPR is kept, not even encrypted; the index stays unique and matches no search.
            cpr_krypteret=cpr.krypter(""),
            cpr_indeks=f"anonymiseret:{borger_id}",
            adresse="",
            postnummer="",
            by="",
            telefon="",
            email="",
            forretningsidee="",
        )

    logposter = []
    for model, ider in objekter.items():
        if ider:
            logposter += _ider(
                LogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(model),
                    object_pk__in=[str(pk) for pk in ider],
                )
            )
    slettede_logposter = revision.slet_logposter(ids=logposter) if logposter else 0

    # The files go only when the rows' deletion is committed; a rollback keeps both.
    lager = Dokument._meta.get_field("fil").storage
    for _pk, navn in dokumenter:
        transaction.on_commit(lambda navn=navn: lager.delete(navn))

    Anonymisering.objects.create(
        borger_id=borger_id,
        graense=graense,
        journalnotater=len(notater),
        dokumenter=len(dokumenter),
        logposter=slettede_logposter,
    )
    return True
