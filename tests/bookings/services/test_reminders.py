"""Reminders: once per appointment, never for a cancelled one, on time across clock changes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from bookings.models import Appointment
from bookings.services import appointment_book, appointment_cancel, reminder_due_at
from bookings.tasks import reminders_send_due
from clinic.notifications.models import Notification
from tests.bookings.factories import AppointmentFactory, PractitionerFactory, ServiceFactory

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


@pytest.fixture
def reminder_settings(booking_settings):
    booking_settings.BOOKING_REMINDER_HOURS = 24
    return booking_settings


def appointment_at(start: datetime, **kwargs) -> Appointment:
    service = ServiceFactory(slug="follow-up", duration_minutes=30)
    return AppointmentFactory(
        practitioner=PractitionerFactory(slug="amira"), service=service, start=start, **kwargs
    )


def run_at(moment: datetime, django_capture_on_commit_callbacks) -> int:
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        return reminders_send_due.apply().get()


@pytest.mark.parametrize(
    ("start_local", "due_utc", "elapsed_utc"),
    [
        # Sunday 29 March 2026: clocks go forward at 01:00 UTC. Reminder on Saturday at 10:00
        # GMT, not at 09:00 (24 elapsed hours before 10:00 BST).
        (datetime(2026, 3, 29, 10, 0), datetime(2026, 3, 28, 10, 0), datetime(2026, 3, 28, 9, 0)),
        # Sunday 25 October 2026: clocks go back. Reminder on Saturday at 10:00 BST (09:00
        # UTC), not at 11:00 BST.
        (
            datetime(2026, 10, 25, 10, 0),
            datetime(2026, 10, 24, 9, 0),
            datetime(2026, 10, 24, 10, 0),
        ),
        # An ordinary day for comparison: both rules agree.
        (datetime(2026, 6, 10, 10, 0), datetime(2026, 6, 9, 9, 0), datetime(2026, 6, 9, 9, 0)),
    ],
)
def test_due_at_the_same_wall_clock_time_the_day_before(
    start_local, due_utc, elapsed_utc, reminder_settings, django_capture_on_commit_callbacks
):
    start = start_local.replace(tzinfo=LONDON)
    due = due_utc.replace(tzinfo=UTC)
    assert reminder_due_at(start) == due
    assert start.astimezone(UTC) - timedelta(hours=24) == elapsed_utc.replace(tzinfo=UTC)
    assert due.astimezone(LONDON).time() == start.time()
    appointment = appointment_at(start)
    assert run_at(due - timedelta(minutes=1), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert run_at(due, django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Reminder: your appointment on ")
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at == due


def test_a_wall_time_the_clocks_skip_is_due_just_after_the_jump():
    start = datetime(2026, 3, 30, 1, 30, tzinfo=LONDON)  # 01:30 BST on the Monday
    # 01:30 on Sunday 29 March never happens: the reminder is due as the clocks jump to 02:30.
    assert reminder_due_at(start).astimezone(LONDON) == datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)


def test_twice_or_late_sends_once(reminder_settings, django_capture_on_commit_callbacks):
    start = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
    appointment = appointment_at(start)
    late = start - timedelta(hours=5)  # beat was down for most of a day
    assert run_at(late, django_capture_on_commit_callbacks) == 1
    assert run_at(late, django_capture_on_commit_callbacks) == 0
    assert run_at(late + timedelta(minutes=10), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(key=f"booking:{appointment.pk}:reminder:0").count() == 1


def test_never_after_the_start_or_for_a_cancelled_appointment(
    reminder_settings, django_capture_on_commit_callbacks
):
    start = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
    cancelled = appointment_at(start)
    appointment_cancel(appointment=cancelled, notify_patient=False)
    mail.outbox.clear()
    missed = AppointmentFactory(
        practitioner=cancelled.practitioner,
        service=cancelled.service,
        start=start + timedelta(hours=2),
    )
    assert run_at(start - timedelta(hours=1), django_capture_on_commit_callbacks) == 1  # missed
    assert run_at(missed.start + timedelta(minutes=1), django_capture_on_commit_callbacks) == 0
    assert [m.subject for m in mail.outbox] == [mail.outbox[0].subject]
    cancelled.refresh_from_db()
    assert cancelled.reminder_sent_at is None


def test_a_booking_made_inside_the_window_needs_no_reminder(
    reminder_settings, django_capture_on_commit_callbacks, patient
):
    now = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)
    service = ServiceFactory(slug="follow-up", duration_minutes=30)
    practitioner = PractitionerFactory(slug="amira", services=[service])
    with time_machine.travel(now, tick=False):
        appointment = appointment_book(
            service=service,
            practitioner=practitioner,
            start=datetime(2027, 1, 4, 15, 0, tzinfo=UTC),
            patient=patient,
            booked_via=Appointment.BookedVia.WEB,
        )
    assert appointment.reminder_sent_at == now
    mail.outbox.clear()
    assert run_at(now + timedelta(hours=1), django_capture_on_commit_callbacks) == 0
