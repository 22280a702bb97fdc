"""What the loan services share: the locks, the status move with its record, and who to tell."""

from django.db.models import Sum

from forloeb.models import Forloeb
from mikrolaan.konti.models import Bruger, Rolle
from visitation import services as visitation_services

from ..models import Laan, Sagsgang


def laas_laan(laan_id: int) -> Laan:
    """The loan's row, locked until the transaction ends: two people acting on the same loan (two
    disbursements, a payment and a reversal) are serialised, and the second sees the first's
    result instead of both going through."""
    return (
        Laan.objects.select_for_update(of=("self",))
        .select_related("forloeb__borger", "forloeb__henvisning", "forloeb__pladsaftale")
        .get(pk=laan_id)
    )


def laas_forloeb(forloeb_id: int) -> Forloeb:
    """The programme's row, locked: every approval of one programme's loans takes this lock first,
    so two approvals at the same moment cannot both pass the 50,000 kr. ceiling (like the last
    place on a place agreement)."""
    return (
        Forloeb.objects.select_for_update(of=("self",))
        .select_related("borger", "henvisning", "pladsaftale")
        .get(pk=forloeb_id)
    )


def bevilget_i_alt(forloeb: Forloeb, undtagen: Laan | None = None):
    """The programme's granted loans together (refused, withdrawn and applied-for do not count)."""
    laan = Laan.objects.filter(forloeb=forloeb).bevilgede()
    if undtagen is not None:
        laan = laan.exclude(pk=undtagen.pk)
    return laan.aggregate(i_alt=Sum("beloeb"))["i_alt"] or 0


def skift(laan: Laan, ny: str, *, bruger: Bruger, begrundelse: str = "") -> Sagsgang:
    """Move the loan (refused by the transition table before anything is written) and record who,
    when and why. The caller saves the loan's other fields; this saves its status."""
    fra = laan.status
    laan.skift_status(ny)
    laan.save()
    return Sagsgang.objects.create(
        laan=laan, fra_status=fra, til_status=ny, begrundelse=begrundelse, udfoert_af=bruger
    )


def sagsbehandlere(forloeb: Forloeb) -> set[Bruger]:
    """The caseworkers who decide on the loan: the referring jobcenter's people on the case, or
    every caseworker of the jobcenter when none of them is active (someone must be told)."""
    personer = {
        p
        for p in visitation_services.sagens_personer(forloeb.henvisning)
        if p.organisation_id == forloeb.henvisning.jobcenter_id and p.is_active
    }
    return personer or set(
        Bruger.objects.med_rolle(
            Rolle.SAGSBEHANDLER, organisation_id=forloeb.henvisning.jobcenter_id
        )
    )


def forloebsfolk(forloeb: Forloeb) -> set[Bruger]:
    """The provider's course staff, who run the programme and the loan's money side."""
    return set(
        Bruger.objects.med_rolle(
            Rolle.FORLOEBSMEDARBEJDER, organisation_id=forloeb.pladsaftale.leverandoer_id
        )
    )
