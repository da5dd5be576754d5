"""The booking service: one path for the web, the API and staff."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail

from bookings.models import Appointment, DiscountCode, DiscountRedemption
from bookings.services import (
    AppointmentStatusError,
    DiscountCodeInvalid,
    Patient,
    SlotTaken,
    SlotUnavailable,
    appointment_book,
    appointment_cancel,
)
from clinic.notifications.models import Notification
from tests.bookings.conftest import NOW
from tests.bookings.factories import AppointmentFactory, DiscountCodeFactory, TimeOffFactory

MONDAY_10 = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


def book(clinic, patient, *, start=MONDAY_10, service=None, practitioner=None, **kwargs):
    return appointment_book(
        service=service or clinic.initial,
        practitioner=practitioner,
        start=start,
        patient=patient,
        booked_via=kwargs.pop("booked_via", Appointment.BookedVia.WEB),
        **kwargs,
    )


def test_books_with_price_discount_and_total_stored(
    clinic, patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(
            clinic,
            patient,
            practitioner=clinic.tom,
            discount_code=" save15 ",
            privacy_notice_version="2026-11-25",
        )
    appointment.refresh_from_db()
    assert appointment.practitioner == clinic.tom
    assert appointment.end == MONDAY_10 + timedelta(minutes=45)
    assert appointment.blocked_until == appointment.end
    assert (appointment.price, appointment.discount_amount, appointment.total) == (
        Decimal("60.00"),
        Decimal("9.00"),
        Decimal("51.00"),
    )
    assert appointment.discount_label == "SAVE15, 15% off"
    assert appointment.privacy_notice_version == "2026-11-25"
    assert len(appointment.reference) == 8
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 1
    assert DiscountRedemption.objects.get().email == "ann@example.com"

    patient_mail, staff_mail = sorted(mail.outbox, key=lambda m: m.to != ["ann@example.com"])
    assert patient_mail.to == ["ann@example.com"]
    assert appointment.reference in patient_mail.subject
    assert "Monday 4 January 2027 at 10:00" in patient_mail.body
    assert "\u2212£9.00 (SAVE15, 15% off)" in patient_mail.body
    ((filename, content, mimetype),) = patient_mail.attachments
    assert (filename, mimetype) == ("appointment.ics", "text/calendar")
    assert f"UID:{appointment.reference}@" in content
    assert "DTSTART:20270104T100000Z" in content
    assert staff_mail.to == ["reception@example.com"]
    assert "Ann O'Brien" in staff_mail.body and "07700 900123" in staff_mail.body


def test_emails_are_idempotent_and_only_sent_after_commit(clinic, patient):
    appointment = book(clinic, patient)
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {
        f"booking:{appointment.pk}:confirmation",
        f"booking:{appointment.pk}:staff",
    }
    assert mail.outbox == []  # the test transaction never commits


def test_editing_the_code_or_service_later_changes_no_past_booking(clinic, patient):
    appointment = book(clinic, patient, discount_code="SAVE15")
    DiscountCode.objects.filter(pk=clinic.save15.pk).update(percent_off=50)
    clinic.initial.price = Decimal("99.00")
    clinic.initial.save()
    appointment.refresh_from_db()
    assert (appointment.price, appointment.discount_amount, appointment.total) == (
        Decimal("60.00"),
        Decimal("9.00"),
        Decimal("51.00"),
    )


def test_any_practitioner_takes_the_first_free_one(clinic, patient):
    first = book(clinic, patient)
    second = book(clinic, Patient(name="Bo", email="bo@example.com", phone="07700900124"))
    assert (first.practitioner, second.practitioner) == (clinic.amira, clinic.tom)
    with pytest.raises(SlotTaken):
        book(clinic, Patient(name="Cy", email="cy@example.com", phone="07700900125"))
    assert Appointment.objects.count() == 2


def test_overlapping_start_is_taken_but_back_to_back_is_fine(clinic, patient):
    book(clinic, patient, practitioner=clinic.amira)
    with pytest.raises(SlotTaken):
        book(clinic, patient, practitioner=clinic.amira, start=MONDAY_10 + timedelta(minutes=30))
    later = book(
        clinic, patient, practitioner=clinic.amira, start=MONDAY_10 + timedelta(minutes=45)
    )
    assert later.start == MONDAY_10 + timedelta(minutes=45)


def test_buffer_keeps_the_practitioner_free_after(clinic, patient):
    clinic.initial.buffer_after_minutes = 15
    clinic.initial.save()
    first = book(clinic, patient, practitioner=clinic.amira)
    assert first.blocked_until == MONDAY_10 + timedelta(minutes=60)
    with pytest.raises(SlotTaken):
        book(clinic, patient, practitioner=clinic.amira, start=MONDAY_10 + timedelta(minutes=45))
    book(clinic, patient, practitioner=clinic.amira, start=MONDAY_10 + timedelta(minutes=60))


def test_time_off_makes_the_time_unavailable(clinic, patient):
    TimeOffFactory(practitioner=clinic.amira, start=MONDAY_10, end=MONDAY_10 + timedelta(hours=1))
    TimeOffFactory(
        practitioner=None,
        start=MONDAY_10 + timedelta(days=1),
        end=MONDAY_10 + timedelta(days=1, hours=1),
    )
    with pytest.raises(SlotTaken):
        book(clinic, patient, practitioner=clinic.amira)
    assert book(clinic, patient).practitioner == clinic.tom
    with pytest.raises(SlotTaken):  # the whole clinic is closed
        book(clinic, patient, start=MONDAY_10 + timedelta(days=1))


@pytest.mark.parametrize(
    "start",
    [
        pytest.param(NOW - timedelta(days=1), id="past"),
        pytest.param(NOW + timedelta(hours=1), id="within-minimum-notice"),
        pytest.param(datetime(2027, 1, 4, 13, 0, tzinfo=UTC), id="lunch"),
        pytest.param(datetime(2027, 1, 4, 16, 30, tzinfo=UTC), id="runs-past-closing"),
        pytest.param(datetime(2027, 1, 4, 18, 0, tzinfo=UTC), id="evening"),
        pytest.param(datetime(2027, 1, 10, 10, 0, tzinfo=UTC), id="sunday"),
        pytest.param(datetime(2027, 1, 4, 10, 5, tzinfo=UTC), id="off-the-grid"),
        pytest.param(NOW + timedelta(days=61), id="beyond-horizon"),
    ],
)
def test_start_that_is_not_a_bookable_time_is_refused(clinic, patient, start):
    with pytest.raises(SlotUnavailable):
        book(clinic, patient, start=start)
    assert not Appointment.objects.exists()


def test_naive_start_and_inactive_service_are_refused(clinic, patient):
    with pytest.raises(SlotUnavailable):
        book(clinic, patient, start=MONDAY_10.replace(tzinfo=None))
    clinic.initial.active = False
    clinic.initial.save()
    with pytest.raises(SlotUnavailable):
        book(clinic, patient)
    assert not Appointment.objects.exists()


def test_practitioner_who_does_not_offer_the_service_is_refused(clinic, patient):
    clinic.tom.services.set([clinic.follow_up])
    with pytest.raises(SlotUnavailable):
        book(clinic, patient, practitioner=clinic.tom)


def test_start_in_another_offset_is_the_same_instant(clinic, patient):
    from zoneinfo import ZoneInfo

    start = MONDAY_10.astimezone(ZoneInfo("America/New_York"))
    assert book(clinic, patient, start=start).start == MONDAY_10


@pytest.mark.parametrize(
    ("make_code", "typed", "reason"),
    [
        (None, "NOPE", "unknown"),
        ({"active": False}, None, "inactive"),
        ({"valid_from": NOW + timedelta(days=1)}, None, "not_yet_valid"),
        ({"valid_until": NOW - timedelta(seconds=1)}, None, "expired"),
        ({"max_uses": 3, "times_used": 3}, None, "used_up"),
    ],
)
def test_discount_code_errors_say_why_and_store_nothing(clinic, patient, make_code, typed, reason):
    if make_code is not None:
        DiscountCodeFactory(code="TRYME", **make_code)
    with pytest.raises(DiscountCodeInvalid) as caught:
        book(clinic, patient, discount_code=typed or "tryme")
    assert caught.value.code == reason
    assert caught.value.message
    assert not Appointment.objects.exists()
    assert not DiscountRedemption.objects.exists()


def test_discount_code_for_another_service(clinic, patient):
    with pytest.raises(DiscountCodeInvalid) as caught:
        book(clinic, patient, service=clinic.follow_up, discount_code="SAVE15")
    assert caught.value.code == "wrong_service"
    assert "Initial consultation" in caught.value.message


def test_discount_code_once_per_email_address_in_any_case(clinic, patient):
    book(clinic, patient, discount_code="SAVE15")
    shouting = Patient(name="Ann", email="ANN@Example.com", phone="07700 900123")
    with pytest.raises(DiscountCodeInvalid) as caught:
        book(clinic, shouting, discount_code="save15", start=MONDAY_10 + timedelta(days=1))
    assert caught.value.code == "used_by_email"
    other = Patient(name="Bo", email="bo@example.com", phone="07700 900124")
    book(clinic, other, discount_code="Save15", start=MONDAY_10 + timedelta(days=1))
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 2


def test_unlimited_per_email_allows_repeat_uses(clinic, patient):
    DiscountCodeFactory(code="FRIENDS", max_uses_per_email=None, percent_off=Decimal("10"))
    for day in range(3):
        booked = book(
            clinic, patient, discount_code="friends", start=MONDAY_10 + timedelta(days=day)
        )
        assert booked.discount_amount == Decimal("6.00")
    assert list(
        DiscountRedemption.objects.order_by("sequence").values_list("sequence", flat=True)
    ) == [1, 2, 3]


def test_slot_failure_uses_no_discount(clinic, patient):
    code = DiscountCodeFactory(code="ONCE", max_uses=1)
    AppointmentFactory(practitioner=clinic.amira, service=clinic.initial, start=MONDAY_10)
    with pytest.raises(SlotTaken):
        book(clinic, patient, practitioner=clinic.amira, discount_code="ONCE")
    code.refresh_from_db()
    assert code.times_used == 0
    assert not DiscountRedemption.objects.exists()


def test_max_uses_reached_exactly(clinic):
    code = DiscountCodeFactory(code="TWO", max_uses=2)
    for n in range(2):
        book(
            clinic,
            Patient(name="P", email=f"p{n}@example.com", phone="07700900123"),
            discount_code="TWO",
            start=MONDAY_10 + timedelta(days=n),
        )
    with pytest.raises(DiscountCodeInvalid) as caught:
        book(
            clinic,
            Patient(name="P", email="p9@example.com", phone="07700900123"),
            discount_code="TWO",
            start=MONDAY_10 + timedelta(days=3),
        )
    assert caught.value.code == "used_up"
    code.refresh_from_db()
    assert code.times_used == 2


def test_staff_booking_goes_through_the_same_service(clinic, patient, staff_user):
    appointment = book(clinic, patient, booked_via=Appointment.BookedVia.STAFF, actor=staff_user)
    assert appointment.booked_via == "staff" and appointment.booked_by == staff_user


def test_cancel_frees_the_slot_and_gives_the_discount_back(clinic, patient):
    appointment = book(clinic, patient, practitioner=clinic.amira, discount_code="SAVE15")
    appointment_cancel(appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED_BY_CLINIC and appointment.cancelled_at
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 0
    again = book(clinic, patient, practitioner=clinic.amira, discount_code="SAVE15")
    assert again.discount_amount == Decimal("9.00")
    with pytest.raises(AppointmentStatusError):
        appointment_cancel(appointment=appointment)


def test_the_patients_note_stays_out_of_the_staff_email(clinic, django_capture_on_commit_callbacks):
    note_patient = Patient(
        name="Ann O'Brien",
        email="ann@example.com",
        phone="07700 900123",
        notes="Numb left foot since Tuesday",
    )
    with django_capture_on_commit_callbacks(execute=True):
        book(clinic, note_patient)
    (staff_mail,) = [m for m in mail.outbox if m.to == ["reception@example.com"]]
    assert "Numb left foot" not in staff_mail.body
    assert "Numb left foot" not in staff_mail.alternatives[0][0]
    assert "left a note" in staff_mail.body
