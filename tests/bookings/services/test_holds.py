"""Bookings held for the patient's email confirmation (BOOKING_REQUIRE_EMAIL_CONFIRMATION).

Monday 4 January 2027, 07:00 in London (the clinic fixture). Holds last 30 minutes, so a hold
made now lapses at 07:30.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction

from bookings.models import Appointment, AppointmentStatusChange, DiscountRedemption
from bookings.selectors import slot_list_available
from bookings.services import (
    BookingLimitReached,
    HoldConfirmation,
    Patient,
    SlotTaken,
    TimeOffClash,
    appointment_book,
    appointment_cancel,
    appointment_hold_confirm,
    appointment_move,
    hold_standing,
    holds_release_lapsed,
    reminders_send_due,
    time_off_add,
    waitlist_join,
    waitlist_offer_book,
)
from bookings.tasks import holds_release_lapsed as holds_release_lapsed_task
from tests.bookings.conftest import NOW
from tests.bookings.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

Status = Appointment.Status
Source = AppointmentStatusChange.Source
MONDAY_10 = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
TUESDAY_10 = datetime(2027, 1, 5, 10, 0, tzinfo=UTC)
LAPSED = NOW + timedelta(minutes=31)


def book(
    clinic,
    *,
    start=TUESDAY_10,
    email="ann@example.com",
    via=Appointment.BookedVia.WEB,
    code="",
    practitioner=None,
    **kwargs,
):
    return appointment_book(
        service=clinic.initial,
        practitioner=practitioner or clinic.amira,
        start=start,
        patient=Patient(name="Ann O'Brien", email=email, phone="07700 900123"),
        booked_via=via,
        discount_code=code,
        **kwargs,
    )


def booked_with_mail(clinic, capture, **kwargs) -> Appointment:
    with capture(execute=True):
        return book(clinic, **kwargs)


def history(appointment) -> list[tuple[str, str, str]]:
    return list(
        appointment.status_changes.order_by("created_at", "pk").values_list(
            "from_status", "to_status", "source"
        )
    )


def test_off_by_default_an_online_booking_is_confirmed_at_once(
    clinic, django_capture_on_commit_callbacks
):
    appointment = booked_with_mail(clinic, django_capture_on_commit_callbacks)
    assert (appointment.status, appointment.hold_expires_at) == (Status.CONFIRMED, None)
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.com", "reception@example.com"]
    assert any(m.attachments for m in mail.outbox)


def test_an_online_booking_is_held_and_only_the_patient_is_asked_to_confirm(
    clinic, holds, django_capture_on_commit_callbacks
):
    appointment = booked_with_mail(clinic, django_capture_on_commit_callbacks, code="SAVE15")
    appointment.refresh_from_db()
    assert appointment.status == Status.HELD
    assert appointment.hold_expires_at == NOW + timedelta(minutes=30)
    assert hold_standing(appointment)
    [change] = appointment.status_changes.all()
    assert (change.from_status, change.to_status, change.source) == ("", Status.HELD, "patient")
    assert "held until Monday 4 January 2027 at 07:30" in change.note
    # The hold uses the code: a confirmation can never find it used up meanwhile.
    assert DiscountRedemption.objects.filter(appointment=appointment).exists()

    [email] = mail.outbox  # the patient only: staff hear of it once it is confirmed
    assert email.to == ["ann@example.com"]
    assert (
        email.subject == f"Not booked yet: please confirm by 07:30 (ref. {appointment.reference})"
    )
    assert "NOT BOOKED YET" in email.body and "until 07:30" in email.body
    assert "/book/manage/" in email.body and "/confirm/" in email.body
    assert email.attachments == []  # nothing to put in a calendar yet
    html = email.alternatives[0][0]
    assert "Confirm my booking" in html and html.count("/confirm/") == 1


@pytest.mark.parametrize("via", [Appointment.BookedVia.WEB, Appointment.BookedVia.API])
def test_every_online_booking_is_held_but_never_a_staff_one(clinic, holds, via):
    assert book(clinic, via=via).status == Status.HELD
    staff = book(clinic, start=TUESDAY_10 + timedelta(hours=1), via=Appointment.BookedVia.STAFF)
    assert (staff.status, staff.hold_expires_at) == (Status.CONFIRMED, None)


def test_a_waitlist_offer_taken_by_its_emailed_link_is_not_held(clinic, holds):
    entry = waitlist_join(
        service=clinic.initial,
        first_day=date(2027, 1, 5),
        last_day=date(2027, 1, 5),
        patient=Patient(name="Bo", email="bo@example.com", phone="07700 900456"),
        privacy_notice_version="2026-11-25",
    )
    appointment = waitlist_offer_book(entry=entry, practitioner=clinic.amira, start=TUESDAY_10)
    assert appointment.status == Status.CONFIRMED


def test_a_hold_never_outlasts_the_appointment(clinic, holds):
    holds.BOOKING_HOLD_MINUTES = 24 * 60
    appointment = book(clinic, start=MONDAY_10)
    assert appointment.hold_expires_at == MONDAY_10


def test_a_hold_keeps_the_time_from_everyone_else(clinic, holds):
    held = book(clinic)
    with pytest.raises(SlotTaken):
        book(clinic, email="bo@example.com")
    starts = {
        s.start
        for s in slot_list_available(
            service=clinic.initial, first_day=date(2027, 1, 5), practitioner=clinic.amira
        )
    }
    assert TUESDAY_10 not in starts
    assert Appointment.objects.get() == held


@pytest.mark.postgres
def test_the_exclusion_constraint_counts_a_hold_and_not_an_expired_one(clinic, holds):
    held = book(clinic)
    with pytest.raises(IntegrityError, match="appointment_no_overlap"), transaction.atomic():
        AppointmentFactory(practitioner=clinic.amira, service=clinic.initial, start=TUESDAY_10)
    with time_machine.travel(LAPSED, tick=False):
        assert holds_release_lapsed() == 1
    held.refresh_from_db()
    assert held.status == Status.EXPIRED
    AppointmentFactory(practitioner=clinic.amira, service=clinic.initial, start=TUESDAY_10)


def test_confirming_sends_what_any_booking_sends_and_works_once(
    clinic, holds, django_capture_on_commit_callbacks
):
    appointment = booked_with_mail(clinic, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = appointment_hold_confirm(appointment=appointment, now=NOW + timedelta(minutes=29))
    assert outcome is HoldConfirmation.CONFIRMED
    appointment.refresh_from_db()
    assert (appointment.status, appointment.hold_expires_at) == (Status.CONFIRMED, None)
    assert appointment.reminder_sent_at is None  # Tuesday's reminder is still to come
    assert history(appointment)[-1] == (Status.HELD, Status.CONFIRMED, "patient")
    patient_email = next(m for m in mail.outbox if m.to == ["ann@example.com"])
    assert patient_email.subject.startswith("Your appointment on Tuesday 5 January 2027")
    assert patient_email.attachments[0][0] == "appointment.ics"
    staff = next(m for m in mail.outbox if m.to == ["reception@example.com"])
    assert staff.subject.startswith("New booking: Initial consultation")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = appointment_hold_confirm(appointment=appointment)
    assert again is HoldConfirmation.ALREADY_CONFIRMED
    assert mail.outbox == []
    assert len(history(appointment)) == 2


def test_a_click_from_an_old_copy_of_the_row_confirms_nothing_twice(clinic, holds):
    """Two clicks that both read the row while it was held: the second UPDATE matches nothing."""
    appointment = book(clinic)
    stale = Appointment.objects.select_related("service", "practitioner").get(pk=appointment.pk)
    assert appointment_hold_confirm(appointment=appointment) is HoldConfirmation.CONFIRMED
    assert appointment_hold_confirm(appointment=stale) is HoldConfirmation.ALREADY_CONFIRMED
    assert len(history(appointment)) == 2


def test_confirming_after_the_hold_lapsed_is_refused_and_releases_the_time(
    clinic, holds, django_capture_on_commit_callbacks
):
    appointment = booked_with_mail(clinic, django_capture_on_commit_callbacks, code="SAVE15")
    mail.outbox.clear()
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 1
    with django_capture_on_commit_callbacks(execute=True):
        outcome = appointment_hold_confirm(appointment=appointment, now=LAPSED)
    assert outcome is HoldConfirmation.LAPSED
    appointment.refresh_from_db()
    assert appointment.status == Status.EXPIRED
    assert appointment.hold_expires_at == NOW + timedelta(minutes=30)  # when it lapsed
    assert history(appointment)[-1] == (Status.HELD, Status.EXPIRED, "system")
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 0
    assert mail.outbox == []  # nobody is told: the address may not even be the booker's
    assert appointment_hold_confirm(appointment=appointment) is HoldConfirmation.LAPSED


def test_the_sweep_releases_lapsed_holds_once_and_offers_their_time(
    clinic, holds, django_capture_on_commit_callbacks
):
    waitlist_join(
        service=clinic.initial,
        first_day=date(2027, 1, 5),
        last_day=date(2027, 1, 5),
        practitioner=clinic.amira,
        patient=Patient(name="Wait Ing", email="wait@example.com", phone="07700 900789"),
        privacy_notice_version="2026-11-25",
    )
    lapsing = book(clinic, code="SAVE15")
    with time_machine.travel(NOW + timedelta(minutes=20), tick=False):
        standing = book(clinic, start=TUESDAY_10 + timedelta(hours=1), email="bo@example.com")
    mail.outbox.clear()
    with (
        time_machine.travel(LAPSED, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert holds_release_lapsed_task.apply().get() == 1
        assert holds_release_lapsed() == 0
    lapsing.refresh_from_db()
    standing.refresh_from_db()
    assert (lapsing.status, standing.status) == (Status.EXPIRED, Status.HELD)
    change = lapsing.status_changes.get(to_status=Status.EXPIRED)
    assert (change.source, change.changed_by, change.created_at) == ("system", None, LAPSED)
    assert change.note == "Not confirmed by Monday 4 January 2027 at 07:30: the time is released."
    assert not DiscountRedemption.objects.filter(appointment=lapsing).exists()
    [offer] = mail.outbox
    assert offer.to == ["wait@example.com"] and "Tuesday 5 January 2027 at 10:00" in offer.subject


def test_the_booking_service_releases_a_lapsed_hold_in_its_way(
    clinic, holds, django_capture_on_commit_callbacks
):
    lapsed = book(clinic, code="SAVE15")
    with (
        time_machine.travel(LAPSED, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        # Beat is late: the hold is still "held" but its time is free, in the slots too.
        starts = {
            s.start
            for s in slot_list_available(
                service=clinic.initial, first_day=date(2027, 1, 5), practitioner=clinic.amira
            )
        }
        assert TUESDAY_10 in starts
        second = book(clinic, email="bo@example.com", code="SAVE15")
    lapsed.refresh_from_db()
    assert lapsed.status == Status.EXPIRED
    assert history(lapsed)[-1] == (Status.HELD, Status.EXPIRED, "system")
    assert second.status == Status.HELD and second.discount_code_text == "SAVE15"
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 1  # the lapsed hold's use came back, the new one counts


def test_rebooking_after_ones_own_hold_lapsed_gets_the_code_back(clinic, holds):
    """SAVE15 is once per address: the lapsed hold's use must not count against its patient."""
    lapsed = book(clinic, code="SAVE15")
    with time_machine.travel(LAPSED, tick=False):
        again = book(clinic, start=TUESDAY_10 + timedelta(hours=1), code="save15")
    lapsed.refresh_from_db()
    assert (lapsed.status, again.discount_code_text) == (Status.EXPIRED, "SAVE15")
    assert DiscountRedemption.objects.get().appointment == again


def test_a_staff_booking_also_releases_a_lapsed_hold_in_its_way(clinic, holds):
    lapsed = book(clinic)
    with time_machine.travel(LAPSED, tick=False):
        staff = book(clinic, via=Appointment.BookedVia.STAFF, email="")
    lapsed.refresh_from_db()
    assert (lapsed.status, staff.status) == (Status.EXPIRED, Status.CONFIRMED)


def test_a_standing_hold_is_not_released_by_a_booking(clinic, holds):
    held = book(clinic)
    with time_machine.travel(NOW + timedelta(minutes=29), tick=False), pytest.raises(SlotTaken):
        book(clinic, email="bo@example.com")
    held.refresh_from_db()
    assert held.status == Status.HELD


def test_the_per_email_cap_counts_holds_until_they_lapse(clinic, holds):
    holds.BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL = 1
    book(clinic)
    with pytest.raises(BookingLimitReached):
        book(clinic, start=TUESDAY_10 + timedelta(hours=1))
    with time_machine.travel(LAPSED, tick=False):
        assert book(clinic, start=TUESDAY_10 + timedelta(hours=1)).status == Status.HELD


def test_the_patient_may_release_a_hold_even_inside_the_cutoff(
    clinic, holds, django_capture_on_commit_callbacks
):
    held = booked_with_mail(clinic, django_capture_on_commit_callbacks, start=MONDAY_10)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=held, source=Source.PATIENT)
    held.refresh_from_db()
    assert (held.status, held.hold_expires_at) == (Status.CANCELLED_BY_PATIENT, None)
    # The patient hears that it is cancelled; staff, who never heard of it, do not.
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]


def test_a_confirmation_inside_the_reminder_window_stands_for_the_reminder(
    clinic, holds, django_capture_on_commit_callbacks
):
    appointment = book(clinic, start=MONDAY_10)
    assert reminders_send_due() == 0  # a hold is never reminded
    appointment_hold_confirm(appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at == NOW
    assert reminders_send_due() == 0


def test_time_off_over_a_hold_clashes_like_a_booking(clinic, holds):
    held = book(clinic)
    with pytest.raises(TimeOffClash) as clash:
        time_off_add(
            practitioner=clinic.amira,
            start=TUESDAY_10 - timedelta(hours=1),
            end=TUESDAY_10 + timedelta(hours=1),
        )
    assert clash.value.appointments == [held]


def test_the_hold_is_priced_like_any_booking(clinic, holds):
    held = book(clinic, code="SAVE15")
    assert (held.price, held.discount_amount, held.total) == (
        Decimal("60.00"),
        Decimal("9.00"),
        Decimal("51.00"),
    )


def test_a_move_onto_a_lapsed_hold_releases_it(clinic, holds, django_capture_on_commit_callbacks):
    staff = book(clinic, start=TUESDAY_10 + timedelta(hours=2), via=Appointment.BookedVia.STAFF)
    lapsed = book(clinic, email="bo@example.com", code="SAVE15")
    with time_machine.travel(LAPSED, tick=False):
        appointment_move(appointment=staff, start=TUESDAY_10, source=Source.STAFF)
    lapsed.refresh_from_db()
    assert (staff.start, lapsed.status) == (TUESDAY_10, Status.EXPIRED)
    assert not DiscountRedemption.objects.filter(appointment=lapsed).exists()
