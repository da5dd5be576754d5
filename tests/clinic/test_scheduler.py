"""Without a broker, `manage.py run_scheduled_tasks` runs beat's schedule: reminders go out."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from celery.schedules import crontab
from django.core import mail
from django.core.management import call_command

from clinic.celery import app
from clinic.scheduler import entries_from, run_due, seconds_to_next
from tests.bookings.factories import AppointmentFactory, PractitionerFactory, ServiceFactory

NOW = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def in_process(settings):
    """As on a machine without REDIS_URL: tasks run here, not on a broker."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.BOOKING_REMINDER_HOURS = 24
    yield
    app.conf.task_always_eager = previous


@pytest.mark.django_db(transaction=True)
def test_the_command_sends_the_day_before_reminder():
    with time_machine.travel(NOW, tick=False):
        appointment = AppointmentFactory(
            practitioner=PractitionerFactory(slug="amira"),
            service=ServiceFactory(slug="follow-up", duration_minutes=30),
            start=NOW + timedelta(hours=23),
        )
        out = io.StringIO()
        call_command("run_scheduled_tasks", "--once", stdout=out)
    assert "bookings-send-reminders" in out.getvalue()
    reminders = [m for m in mail.outbox if m.to == [appointment.patient_email]]
    assert len(reminders) == 1 and reminders[0].subject.startswith("Reminder: ")
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None


def test_each_entry_runs_when_due_and_not_before():
    calls = []

    @app.task(name="tests.scheduler.record")
    def record(label):
        calls.append(label)

    schedule = {
        "every-minute": {"task": "tests.scheduler.record", "schedule": 60.0, "args": ["m"]},
        "nightly": {
            "task": "tests.scheduler.record",
            "schedule": crontab(hour=3, minute=17),
            "args": ["n"],
        },
    }
    entries = entries_from(schedule, app=app)
    with time_machine.travel(NOW, tick=False):
        assert run_due(entries, app=app) == ["every-minute", "nightly"]  # all at start
        assert run_due(entries, app=app) == []
        assert 0 < seconds_to_next(entries, ceiling=600) <= 60
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert run_due(entries, app=app) == ["every-minute"]
    with time_machine.travel(NOW + timedelta(hours=18), tick=False):  # 04:00 next day
        assert run_due(entries, app=app) == ["every-minute", "nightly"]
    assert calls == ["m", "n", "m", "m", "n"]


def test_a_failing_task_does_not_stop_the_others(caplog):
    @app.task(name="tests.scheduler.broken")
    def broken():
        raise RuntimeError("boom")

    @app.task(name="tests.scheduler.fine")
    def fine():
        return "ok"

    schedule = {
        "broken": {"task": "tests.scheduler.broken", "schedule": 60.0},
        "fine": {"task": "tests.scheduler.fine", "schedule": 60.0},
    }
    entries = entries_from(schedule, app=app)
    assert run_due(entries, app=app) == ["broken", "fine"]
    assert "Scheduled task broken failed" in caplog.text
