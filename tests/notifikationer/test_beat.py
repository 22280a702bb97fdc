"""The sweep's beat schedule is data made by a migration, so every environment has it."""

from django.contrib.auth.models import Group
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from mikrolaan.celery import app
from mikrolaan.notifikationer import services


def test_the_sweep_is_scheduled_every_five_minutes_after_migrate(db):
    opgave = PeriodicTask.objects.get(task=services.FEJNING_OPGAVE)
    assert opgave.enabled
    assert opgave.interval.every == 5
    assert opgave.interval.period == IntervalSchedule.MINUTES


def test_the_scheduled_task_name_is_a_registered_celery_task():
    app.loader.import_default_modules()
    assert services.FEJNING_OPGAVE in app.tasks
    assert "notifikationer.send_email" in app.tasks


def test_administrators_may_see_notifications_and_job_runs(db):
    rettigheder = set(
        Group.objects.get(name="Administrator").permissions.values_list("codename", flat=True)
    )
    assert {"view_notifikation", "change_notifikation", "view_koersel"} <= rettigheder
