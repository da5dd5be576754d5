"""Clinic closures: bank holidays and staff-added days offer patients nothing at any layer.

The pure core is pinned in ``test_availability_closures``; here the selector, the booking
service (online refused, staff allowed and warned), the JSON API, the journey, the waitlist
offers, the diary and the admin.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from bookings.closures import bank_holidays_between, closures_between
from bookings.models import Appointment, ClinicClosure, WaitlistEntry
from bookings.selectors import closure_on, slot_list_available
from bookings.services import (
    BookingPolicy,
    OverrideNeeded,
    SlotTaken,
    appointment_book,
    waitlist_join,
    waitlist_offers_queue,
)
from tests.bookings.factories import PractitionerFactory

# Monday 21 December 2026, 07:00 GMT: the holidays are inside the 60-day horizon.
CHRISTMAS_WEEK = datetime(2026, 12, 21, 7, 0, tzinfo=UTC)
BANK_HOLIDAYS = [date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 28), date(2027, 1, 1)]
OPEN_DAYS = [date(2026, 12, 24), date(2026, 12, 29), date(2026, 12, 31), date(2027, 1, 2)]


@pytest.fixture
def christmas(clinic):
    # Saturday hours for Tom too, so Boxing Day (a Saturday) would have plenty to offer.
    clinic.tom.working_hours.create(weekday=5, start=time(9), end=time(17))
    with time_machine.travel(CHRISTMAS_WEEK, tick=False):
        yield clinic


def test_the_library_knows_england_and_wales_bank_holidays():
    found = bank_holidays_between(date(2026, 12, 20), date(2027, 1, 3))
    assert list(found) == BANK_HOLIDAYS
    assert found[date(2026, 12, 28)] == "Boxing Day (observed)"


def test_bank_holidays_can_be_switched_off(settings):
    settings.CLINIC_BANK_HOLIDAYS = ""
    assert bank_holidays_between(date(2026, 12, 20), date(2027, 1, 3)) == {}


@pytest.mark.parametrize("day", BANK_HOLIDAYS)
def test_bank_holidays_offer_nothing(christmas, day):
    assert slot_list_available(service=christmas.initial, first_day=day) == []
    assert closure_on(day)


@pytest.mark.parametrize("day", OPEN_DAYS)
def test_the_days_around_them_are_open(christmas, day):
    assert slot_list_available(service=christmas.initial, first_day=day)
    assert closure_on(day) is None


def test_a_range_skips_exactly_the_closed_days(christmas):
    slots = slot_list_available(
        service=christmas.initial, first_day=date(2026, 12, 21), last_day=date(2027, 1, 8)
    )
    days = {slot.start.astimezone(UTC).date() for slot in slots}
    assert not days & set(BANK_HOLIDAYS)
    assert set(OPEN_DAYS) <= days


def test_a_staff_closure_offers_nothing_and_its_reason_wins(clinic):
    monday = date(2027, 1, 4)
    assert slot_list_available(service=clinic.initial, first_day=monday)
    ClinicClosure.objects.create(date=monday, reason="Staff training")
    assert slot_list_available(service=clinic.initial, first_day=monday) == []
    assert closure_on(monday) == "Staff training"
    assert closures_between(monday, monday + timedelta(days=1)) == {monday: "Staff training"}
    # Staff still see the day's times when they ask for them.
    assert slot_list_available(service=clinic.initial, first_day=monday, closures=False)


def test_online_booking_on_a_closure_is_refused_and_staff_may_book_it(christmas, patient):
    start = datetime(2026, 12, 28, 10, 0, tzinfo=UTC)
    for via in (Appointment.BookedVia.WEB, Appointment.BookedVia.API):
        with pytest.raises(SlotTaken):
            appointment_book(
                service=christmas.initial,
                practitioner=christmas.tom,
                start=start,
                patient=patient,
                booked_via=via,
            )
    assert not Appointment.objects.exists()
    staff_booking = {
        "service": christmas.initial,
        "practitioner": christmas.tom,
        "start": start,
        "patient": patient,
        "booked_via": Appointment.BookedVia.STAFF,
    }
    # Staff are warned first, and may book once they confirm.
    with pytest.raises(OverrideNeeded) as warned:
        appointment_book(**staff_booking, policy=BookingPolicy.STAFF)
    assert any("closed" in warning for warning in warned.value.warnings)
    assert not Appointment.objects.exists()
    appointment = appointment_book(**staff_booking, policy=BookingPolicy.STAFF_CONFIRMED)
    assert appointment.start == start


def test_the_api_offers_nothing_on_a_bank_holiday(christmas, client):
    for day, expected in (("2026-12-25", False), ("2026-12-29", True)):
        response = client.get("/api/slots/", {"service": "initial-consultation", "date": day})
        assert response.status_code == 200
        assert bool(response.json()["slots"]) is expected


def test_the_journey_offers_no_time_on_a_bank_holiday(christmas, client):
    page = client.get("/book/initial-consultation/", {"date": "2026-12-28"})
    assert page.status_code == 200
    assert "2026-12-28T" not in page.content.decode()


def test_waitlist_offers_skip_closed_days(christmas, patient):
    entry = waitlist_join(
        service=christmas.initial,
        first_day=date(2026, 12, 25),
        last_day=date(2026, 12, 28),
        patient=patient,
        privacy_notice_version="2026-11-25",
    )
    offered = waitlist_offers_queue(
        practitioner=christmas.tom,
        start=datetime(2026, 12, 25, 9, 0, tzinfo=UTC),
        end=datetime(2026, 12, 29, 17, 0, tzinfo=UTC),
    )
    assert offered == []
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.WAITING
    entry.last_day = date(2026, 12, 29)
    entry.save()
    assert waitlist_offers_queue(
        practitioner=christmas.tom,
        start=datetime(2026, 12, 25, 9, 0, tzinfo=UTC),
        end=datetime(2026, 12, 29, 17, 0, tzinfo=UTC),
    ) == [entry]


def test_phone_booking_warns_on_a_closed_day_but_lists_its_times(christmas, staff_client):
    url = "/admin/bookings/appointment/book/"
    page = staff_client.get(
        url, {"service": christmas.initial.pk, "start": "2026-12-28T10:00:00+00:00"}
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="closure-warning"' in body
    assert "Boxing Day (observed)" in body
    assert "10:00 · Tom Wheeler" in body
    open_day = staff_client.get(
        url, {"service": christmas.initial.pk, "start": "2026-12-29T10:00:00+00:00"}
    )
    assert 'id="closure-warning"' not in open_day.content.decode()


def test_adding_a_closure_in_the_admin_warns_of_bookings_that_day(clinic, staff_client, patient):
    appointment_book(
        service=clinic.initial,
        start=datetime(2027, 1, 5, 10, 0, tzinfo=UTC),
        patient=patient,
        booked_via=Appointment.BookedVia.WEB,
    )
    response = staff_client.post(
        "/admin/bookings/clinicclosure/add/",
        {"date": "2027-01-05", "reason": "Burst pipe"},
        follow=True,
    )
    assert response.status_code == 200
    assert ClinicClosure.objects.get().reason == "Burst pipe"
    assert "1 appointment is still booked on Tue 05 Jan 2027" in response.content.decode()


def test_the_diary_shows_the_closure(clinic, staff_client):
    PractitionerFactory(slug="extra", services=[clinic.initial])
    ClinicClosure.objects.create(date=date(2027, 1, 5), reason="Staff training")
    page = staff_client.get("/admin/bookings/appointment/diary/", {"date": "2027-01-05"})
    assert page.status_code == 200
    assert "Staff training" in page.content.decode()
