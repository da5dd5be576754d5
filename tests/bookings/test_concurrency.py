"""Races on a real PostgreSQL: many bookings released at the same instant.

Each thread has its own database connection (Django's are per thread), opens it, then waits at
a barrier so that all start their transactions together. Without the exclusion constraint
``appointment_no_overlap`` every thread would pass the service's overlap check before any of
them committed, and several bookings would be stored; without the conditional ``UPDATE`` on
``times_used`` the discount count would run past ``max_uses`` (and the check constraint would
turn the overrun into IntegrityErrors instead of clean "used up" answers). These tests assert
the exact outcome, so they fail if either safeguard is removed.
"""

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from bookings.models import Appointment, DiscountRedemption
from bookings.selectors import slot_list_available
from bookings.services import (
    DiscountCodeInvalid,
    Patient,
    SlotTaken,
    appointment_book,
    appointment_cancel,
    appointment_hold_confirm,
    holds_release_lapsed,
)
from clinic.notifications.models import Notification

from .factories import AppointmentFactory, DiscountCodeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MONDAY_10 = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


def run_together(count: int, work) -> list[tuple[str, object]]:
    """Run ``work(i)`` in ``count`` threads released together; return ("ok"|"error", value)."""
    barrier = threading.Barrier(count, timeout=30)
    results: list[tuple[str, object]] = [("missing", None)] * count

    def worker(index: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            results[index] = ("ok", work(index))
        except Exception as exc:  # the test inspects every outcome
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def patient(index: int) -> Patient:
    return Patient(name=f"Patient {index}", email=f"p{index}@example.com", phone="07700900123")


def separate_slots(clinic, count: int):
    """``count`` free slots that do not overlap one another, over the first days."""
    taken: dict = {}
    chosen = []
    for slot in slot_list_available(
        service=clinic.initial,
        first_day=MONDAY_10.date(),
        last_day=MONDAY_10.date() + timedelta(days=13),
    ):
        if slot.start >= taken.get(slot.practitioner, slot.start):
            chosen.append(slot)
            taken[slot.practitioner] = slot.end
        if len(chosen) == count:
            return chosen
    raise AssertionError("not enough free slots for the test")


def book_tom(clinic, index: int, *, start=MONDAY_10, via=Appointment.BookedVia.API):
    return appointment_book(
        service=clinic.initial,
        practitioner=clinic.tom,
        start=start,
        patient=patient(index),
        booked_via=via,
    )


def outcome(results) -> Counter:
    return Counter("booked" if kind == "ok" else type(value).__name__ for kind, value in results)


@pytest.mark.parametrize("round_", range(3))
def test_many_at_one_slot_exactly_one_booking(clinic, round_):
    start = MONDAY_10 + timedelta(days=round_)
    results = run_together(8, lambda i: book_tom(clinic, i, start=start))
    assert outcome(results) == {"booked": 1, "SlotTaken": 7}
    assert Appointment.objects.filter(start=start).count() == 1


def test_any_practitioner_fills_each_practitioner_once(clinic):
    results = run_together(
        8,
        lambda i: appointment_book(
            service=clinic.initial,
            start=MONDAY_10,
            patient=patient(i),
            booked_via=Appointment.BookedVia.WEB,
        ),
    )
    assert outcome(results) == {"booked": 2, "SlotTaken": 6}
    assert set(Appointment.objects.values_list("practitioner__slug", flat=True)) == {
        "amira-shah",
        "tom-wheeler",
    }


def test_overlapping_but_not_identical_starts(clinic):
    starts = [MONDAY_10 + timedelta(minutes=15 * (i % 3)) for i in range(9)]  # 10:00-10:30
    results = run_together(
        9,
        lambda i: appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=starts[i],
            patient=patient(i),
            booked_via=Appointment.BookedVia.WEB,
        ),
    )
    assert outcome(results) == {"booked": 1, "SlotTaken": 8}


def test_cancelled_appointment_frees_its_slot(clinic):
    old = AppointmentFactory(practitioner=clinic.tom, service=clinic.initial, start=MONDAY_10)
    appointment_cancel(appointment=old)
    results = run_together(
        6,
        lambda i: appointment_book(
            service=clinic.initial,
            practitioner=clinic.tom,
            start=MONDAY_10,
            patient=patient(i),
            booked_via=Appointment.BookedVia.WEB,
        ),
    )
    assert outcome(results) == {"booked": 1, "SlotTaken": 5}
    assert Appointment.objects.active().filter(start=MONDAY_10).count() == 1


def test_max_uses_holds_under_fifty_concurrent_bookings(clinic):
    code = DiscountCodeFactory(code="FIVE", max_uses=5, max_uses_per_email=None)
    slots = separate_slots(clinic, 50)
    results = run_together(
        50,
        lambda i: appointment_book(
            service=clinic.initial,
            practitioner=slots[i].practitioner,
            start=slots[i].start,
            patient=patient(i),
            discount_code="five",
            booked_via=Appointment.BookedVia.API,
        ),
    )
    assert outcome(results) == {"booked": 5, "DiscountCodeInvalid": 45}
    assert {value.code for kind, value in results if kind == "error"} == {"used_up"}
    code.refresh_from_db()
    assert code.times_used == 5
    assert Appointment.objects.filter(discount_code=code).count() == 5
    assert Appointment.objects.count() == 5  # a refused code books nothing
    assert DiscountRedemption.objects.count() == 5


def test_once_per_email_holds_under_concurrency(clinic):
    slots = separate_slots(clinic, 10)
    same = Patient(name="Ann", email="ann@example.com", phone="07700900123")
    results = run_together(
        10,
        lambda i: appointment_book(
            service=clinic.initial,
            practitioner=slots[i].practitioner,
            start=slots[i].start,
            patient=same,
            discount_code="SAVE15",
            booked_via=Appointment.BookedVia.WEB,
        ),
    )
    assert outcome(results) == {"booked": 1, "DiscountCodeInvalid": 9}
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 1


def test_the_constraint_itself_refuses_overlaps(clinic):
    """Even a write that skips the service cannot double-book on PostgreSQL."""
    AppointmentFactory(practitioner=clinic.amira, service=clinic.initial, start=MONDAY_10)
    with pytest.raises(IntegrityError, match="appointment_no_overlap"), transaction.atomic():
        AppointmentFactory(
            practitioner=clinic.amira,
            service=clinic.initial,
            start=MONDAY_10 + timedelta(minutes=44),
        )
    # Back to back is fine, as is another practitioner, as is a cancelled overlap.
    AppointmentFactory(
        practitioner=clinic.amira, service=clinic.initial, start=MONDAY_10 + timedelta(minutes=45)
    )
    AppointmentFactory(practitioner=clinic.tom, service=clinic.initial, start=MONDAY_10)
    AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.initial,
        start=MONDAY_10,
        status=Appointment.Status.CANCELLED_BY_CLINIC,
    )


def test_slot_taken_error_is_clean_not_a_500(clinic):
    """The losing side of a race gets SlotTaken (mapped to 409), never an IntegrityError."""
    results = run_together(
        4,
        lambda i: appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=MONDAY_10,
            patient=patient(i),
            booked_via=Appointment.BookedVia.WEB,
        ),
    )
    errors = [value for kind, value in results if kind == "error"]
    assert errors and all(isinstance(error, SlotTaken | DiscountCodeInvalid) for error in errors)


# --- Holds awaiting email confirmation ------------------------------------------------------


def test_a_held_time_is_taken_once_under_concurrent_bookings(clinic, holds):
    results = run_together(8, lambda i: book_tom(clinic, i))
    assert outcome(results) == {"booked": 1, "SlotTaken": 7}
    assert list(Appointment.objects.values_list("status", flat=True)) == ["held"]


def fresh_copy(appointment: Appointment) -> Appointment:
    """The row as another request would load it."""
    return Appointment.objects.select_related("service", "practitioner").get(pk=appointment.pk)


def test_concurrent_clicks_confirm_once(clinic, holds):
    held = book_tom(clinic, 0, via=Appointment.BookedVia.WEB)
    copies = [fresh_copy(held) for _ in range(6)]
    results = run_together(6, lambda i: appointment_hold_confirm(appointment=copies[i]).value)
    assert Counter(value for _kind, value in results) == {
        "confirmed": 1,
        "already_confirmed": 5,
    }
    assert held.status_changes.filter(to_status="confirmed").count() == 1
    assert Notification.objects.filter(key=f"booking:{held.pk}:confirmation").count() == 1


def test_a_click_racing_the_sweep_at_the_deadline_ends_one_way(clinic, holds):
    held = book_tom(clinic, 0, via=Appointment.BookedVia.WEB)
    deadline = held.hold_expires_at
    copy = fresh_copy(held)
    work = [
        lambda: appointment_hold_confirm(appointment=copy, now=deadline - timedelta(seconds=1)),
        lambda: holds_release_lapsed(now=deadline),
    ]
    results = run_together(2, lambda i: work[i]())
    assert [kind for kind, _value in results] == ["ok", "ok"]
    held.refresh_from_db()
    confirmed, released = results[0][1], results[1][1]
    assert (confirmed.value, released) in {("confirmed", 0), ("lapsed", 1)}
    assert held.status == ("confirmed" if released == 0 else "expired")
    assert held.status_changes.count() == 2  # booked, then exactly one ending
