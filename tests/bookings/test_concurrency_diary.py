"""Races on a real PostgreSQL for the diary work: phone against web, moves, time off, reminders.

Threads are released together at a barrier (see ``test_concurrency.run_together``); each
scenario asserts the exact outcome, so it fails if the exclusion constraint, the row locks or
the conditional update it relies on is removed.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from bookings.models import Appointment, AppointmentStatusChange, TimeOff
from bookings.services import (
    BookingError,
    Patient,
    appointment_book,
    appointment_move,
    reminders_send_due,
    time_off_add,
)
from clinic.notifications.models import Notification

from .factories import AppointmentFactory
from .test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
THURSDAY_11 = datetime(2027, 1, 7, 11, 0, tzinfo=UTC)


def patient(index: int) -> Patient:
    return Patient(name=f"Patient {index}", email=f"p{index}@example.com", phone="07700900123")


def outcome(results) -> Counter:
    return Counter("ok" if kind == "ok" else type(value).__name__ for kind, value in results)


@pytest.mark.parametrize("round_", range(3))
def test_phone_booking_races_web_bookings_for_one_time(clinic, staff_user, round_):
    start = WEDNESDAY_10 + timedelta(days=round_)

    def work(i):
        return appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=start,
            patient=patient(i),
            booked_via=Appointment.BookedVia.STAFF if i % 2 else Appointment.BookedVia.WEB,
            actor=staff_user if i % 2 else None,
        )

    results = run_together(6, work)
    assert outcome(results) == {"ok": 1, "SlotTaken": 5}
    assert Appointment.objects.filter(start=start).count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_move_takes_the_new_time_before_releasing_the_old_under_a_race(clinic, round_):
    """One thread moves an appointment to Thursday 11:00 while others book Thursday 11:00.

    Exactly one of them ends up with Thursday; if the move lost, the patient still holds
    Wednesday 10:00 (never neither, never both).
    """
    moving = AppointmentFactory(
        practitioner=clinic.amira, service=clinic.initial, start=WEDNESDAY_10
    )
    target = THURSDAY_11 + timedelta(days=round_)

    def work(i):
        if i == 0:
            return appointment_move(
                appointment=Appointment.objects.get(pk=moving.pk),
                start=target,
                source=AppointmentStatusChange.Source.PATIENT,
            )
        return appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=target,
            patient=patient(i),
            booked_via=Appointment.BookedVia.WEB,
        )

    results = run_together(5, work)
    assert outcome(results) == {"ok": 1, "SlotTaken": 4}
    holders = Appointment.objects.active().filter(start=target)
    assert holders.count() == 1
    moving.refresh_from_db()
    assert moving.status == Appointment.Status.CONFIRMED
    if results[0][0] == "ok":
        assert moving.start == target and moving.version == 1
    else:
        assert moving.start == WEDNESDAY_10 and moving.version == 0


def test_booking_and_time_off_never_both_win(clinic):
    def work(i):
        if i == 0:
            return time_off_add(
                practitioner=None,
                start=WEDNESDAY_10,
                end=WEDNESDAY_10 + timedelta(hours=2),
                reason="Closed",
            )
        return appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=WEDNESDAY_10,
            patient=patient(i),
            booked_via=Appointment.BookedVia.WEB,
        )

    for _round in range(3):
        Appointment.objects.all().delete()
        TimeOff.objects.all().delete()
        results = run_together(2, work)
        booked = Appointment.objects.active().filter(start=WEDNESDAY_10).exists()
        closed = TimeOff.objects.exists()
        assert booked != closed, results
        assert all(kind == "ok" or isinstance(value, BookingError) for kind, value in results)


def test_reminder_task_running_four_times_at_once_sends_one(clinic):
    appointment = AppointmentFactory(
        practitioner=clinic.amira, service=clinic.initial, start=WEDNESDAY_10
    )
    due = WEDNESDAY_10 - timedelta(hours=20)
    with time_machine.travel(due, tick=False):
        results = run_together(4, lambda i: reminders_send_due(now=due))
    assert sorted(value for _kind, value in results) == [0, 0, 0, 1]
    assert (
        Notification.objects.filter(key__startswith=f"booking:{appointment.pk}:reminder").count()
        == 1
    )
