"""`Forloeb.jobcenter`: the referral's jobcenter, copied at admission so that scoping reads it on
the programme's own row (issue 13), and kept equal to the referral's by the database."""

import pytest
from django.db import IntegrityError, transaction

from forloeb.models import Forloeb
from tests.byg.sager import lav_forloeb, lav_pladsaftale
from visitation.models import Henvisning

pytestmark = pytest.mark.django_db


def test_admission_copies_the_referrals_jobcenter(pilot):
    forloeb = lav_forloeb(pilot, lav_pladsaftale(pilot))

    forloeb.refresh_from_db()
    assert forloeb.jobcenter_id == forloeb.henvisning.jobcenter_id == pilot.jobcenter.pk


def test_a_programme_saved_without_it_gets_it_from_its_referral(pilot):
    forloeb = lav_forloeb(pilot, lav_pladsaftale(pilot))
    Forloeb.objects.filter(pk=forloeb.pk).delete()  # its phases go with it
    forloeb.pk = None
    forloeb.jobcenter_id = None

    forloeb.save()

    assert Forloeb.objects.get(pk=forloeb.pk).jobcenter_id == pilot.jobcenter.pk


@pytest.mark.postgres
def test_the_database_refuses_a_jobcenter_other_than_the_referrals(pilot, kraever_postgres):
    forloeb = lav_forloeb(pilot, lav_pladsaftale(pilot))

    andet = pilot.fremmed_org
    afvist = pytest.raises(IntegrityError, match="forloeb_jobcenter_som_henvisningens")
    with afvist, transaction.atomic():
        Forloeb.objects.filter(pk=forloeb.pk).update(jobcenter=andet)
    # ... and a referral whose programme carries its jobcenter cannot change it underneath.
    afvist = pytest.raises(IntegrityError, match="forloeb_jobcenter_som_henvisningens")
    with afvist, transaction.atomic():
        Henvisning.objects.filter(pk=forloeb.henvisning_id).update(jobcenter=andet)
