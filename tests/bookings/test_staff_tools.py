"""The back office's diary tools: diary, phone booking, moves, time off, dashboard, CSV, feeds."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from bookings.exports import csv_cell
from bookings.models import Appointment, Service, TimeOff
from bookings.services import Patient, appointment_book

from .conftest import NOW
from .factories import AppointmentFactory

WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
DIARY = "/admin/bookings/appointment/diary/"


def test_diary_shows_blocks_free_time_and_today(clinic, staff_client):
    appointment = AppointmentFactory(
        practitioner=clinic.amira, service=clinic.initial, start=WEDNESDAY_10, patient_name="Ann"
    )
    response = staff_client.get(DIARY + "?view=week&date=2027-01-06")
    assert response.status_code == 200
    html = response.text
    assert f"/admin/bookings/appointment/{appointment.pk}/change/" in html
    assert "10:00\u201310:45" in html and "Confirmed" in html
    assert html.count("is-today") == 2  # Monday 4 January, both practitioners
    # Free time links to a phone booking prefilled with the practitioner and time.
    free = f"/admin/bookings/appointment/book/?practitioner={clinic.tom.pk}&amp;start=2027-01-06T10"
    assert free in html
    # Amira's 10:00-10:45 is not free; 10:45 is.
    assert f"practitioner={clinic.amira.pk}&amp;start=2027-01-06T10%3A00" not in html
    assert f"practitioner={clinic.amira.pk}&amp;start=2027-01-06T10%3A45" in html
    assert 'style="' not in html.split('<div class="diary">')[1]  # CSP: no inline styles


def test_diary_queries_do_not_grow_with_appointments(
    clinic, staff_client, django_assert_max_num_queries
):
    def appointments(indexes):
        # Each index is its own practitioner, day and half hour: no two overlap.
        for i in indexes:
            AppointmentFactory(
                practitioner=[clinic.amira, clinic.tom][i % 2],
                service=clinic.follow_up,
                start=datetime(2027, 1, 4 + (i // 2) % 5, 9, 0, tzinfo=UTC)
                + timedelta(minutes=30 * (i // 10)),
            )

    appointments(range(1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(DIARY + "?view=week&date=2027-01-04").status_code == 200
    appointments(range(1, 41))
    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(DIARY + "?view=week&date=2027-01-04")
    assert response.text.count("diary-appt status-") == Appointment.objects.count()


def test_phone_booking_with_and_without_the_confirmation(
    clinic, staff_client, staff_user, django_capture_on_commit_callbacks
):
    page = staff_client.get(
        "/admin/bookings/appointment/book/",
        {
            "practitioner": clinic.tom.pk,
            "start": WEDNESDAY_10.isoformat(),
            "service": clinic.initial.pk,
        },
    )
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert (initial["practitioner"], str(initial["day"]), str(initial["time"])) == (
        clinic.tom,
        "2027-01-06",
        "10:00:00",
    )
    assert "10:00 · Tom Wheeler" in page.text  # the day's free times, to pick from
    data = {
        "service": clinic.initial.pk,
        "practitioner": clinic.tom.pk,
        "day": "2027-01-06",
        "time": "10:00",
        "name": "Phone Patient",
        "phone": "07700 900123",
        "email": "phone@example.com",
        "discount_code": "save15",
        "send_confirmation": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/admin/bookings/appointment/book/", data)
    assert response.status_code == 302
    appointment = Appointment.objects.get(patient_email="phone@example.com")
    assert (appointment.booked_via, appointment.booked_by) == ("staff", staff_user)
    assert appointment.discount_code_text == "SAVE15"
    assert sorted(m.to[0] for m in mail.outbox) == ["phone@example.com", "reception@example.com"]

    # The same time again: the same double-booking protection as the public site.
    again = staff_client.post("/admin/bookings/appointment/book/", {**data, "email": "b@e.com"})
    assert again.status_code == 400
    assert "Another appointment already holds that time" in again.text

    mail.outbox.clear()
    quiet = {**data, "email": "quiet@example.com", "time": "11:00", "discount_code": ""}
    del quiet["send_confirmation"]
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post("/admin/bookings/appointment/book/", quiet).status_code == 302
    assert [m.to for m in mail.outbox] == [["reception@example.com"]]
    assert "No confirmation email was sent" in mail.outbox[0].body


def test_add_appointment_goes_to_the_phone_booking(clinic, staff_client):
    response = staff_client.get("/admin/bookings/appointment/add/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/bookings/appointment/book/"


def test_staff_reschedule(clinic, staff_client, django_capture_on_commit_callbacks):
    appointment = AppointmentFactory(
        practitioner=clinic.amira, service=clinic.initial, start=WEDNESDAY_10
    )
    url = f"/admin/bookings/appointment/{appointment.pk}/reschedule/"
    assert staff_client.get(url + "?day=2027-01-07").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url,
            {"practitioner": clinic.tom.pk, "day": "2027-01-07", "time": "14:00"},
        )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.practitioner == clinic.tom
    assert appointment.start == datetime(2027, 1, 7, 14, tzinfo=UTC)
    assert [m.to for m in mail.outbox] == [["reception@example.com"]]  # patient box unticked
    # Over lunch: a warning to confirm, nothing moved yet.
    lunch = staff_client.post(
        url, {"practitioner": clinic.tom.pk, "day": "2027-01-07", "time": "13:10"}
    )
    assert "outside Tom Wheeler&#x27;s working hours" in lunch.text
    appointment.refresh_from_db()
    assert appointment.start == datetime(2027, 1, 7, 14, tzinfo=UTC)
    bad = staff_client.post(url, {"practitioner": clinic.tom.pk, "day": "2027-01-07", "time": "x"})
    assert bad.status_code == 400


def test_staff_reschedule_offers_part_of_the_appointments_own_time(clinic, staff_client, patient):
    appointment = appointment_book(
        service=clinic.initial,
        practitioner=clinic.amira,
        start=WEDNESDAY_10,
        patient=patient,
        booked_via=Appointment.BookedVia.STAFF,
    )
    url = f"/admin/bookings/appointment/{appointment.pk}/reschedule/?day=2027-01-06"
    page = staff_client.get(url).text
    assert "<li>10:30</li>" in page  # overlaps only the appointment being moved


def test_time_off_refused_with_the_clashes_listed_unless_they_are_cancelled(
    clinic, staff_client, django_capture_on_commit_callbacks
):
    clash = AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.initial,
        start=WEDNESDAY_10,
        patient_name="Clashing Patient",
        patient_email="clash@example.com",
    )
    data = {
        "practitioner": clinic.amira.pk,
        "start_day": "2027-01-06",
        "start_time": "09:00",
        "end_day": "2027-01-06",
        "end_time": "13:00",
        "reason": "Course",
    }
    refused = staff_client.post("/admin/bookings/timeoff/add/", data)
    assert refused.status_code == 400
    assert "Clashing Patient" in refused.text
    assert not TimeOff.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = staff_client.post(
            "/admin/bookings/timeoff/add/",
            {**data, "cancel_clashing": "on", "message": "Amira is on a course; sorry."},
        )
    assert accepted.status_code == 302
    assert TimeOff.objects.get().reason == "Course"
    clash.refresh_from_db()
    assert clash.status == Appointment.Status.CANCELLED_BY_CLINIC
    patient = next(m for m in mail.outbox if m.to == ["clash@example.com"])
    assert "Amira is on a course; sorry." in patient.body


def test_time_off_arriving_during_a_booking_wins(clinic, patient):
    """A booking re-reads time off after locking its practitioner (see services)."""
    TimeOff.objects.create(
        practitioner=None, start=WEDNESDAY_10, end=WEDNESDAY_10 + timedelta(hours=1)
    )
    from bookings.services import SlotTaken, SlotUnavailable

    with pytest.raises((SlotTaken, SlotUnavailable)):
        appointment_book(
            service=clinic.initial,
            start=WEDNESDAY_10,
            patient=patient,
            booked_via=Appointment.BookedVia.STAFF,
        )


def test_dashboard_counts_chart_and_table(clinic, staff_client, patient):
    appointment_book(
        service=clinic.initial,
        start=WEDNESDAY_10,
        patient=patient,
        discount_code="SAVE15",
        booked_via=Appointment.BookedVia.WEB,
    )
    AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.initial,
        start=NOW + timedelta(hours=3),
        patient_name="Today Patient",
    )
    response = staff_client.get("/admin/bookings/appointment/dashboard/")
    assert response.status_code == 200
    html = response.text
    assert "Today Patient" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert (
        "Bookings made each week for the last 12 weeks: 2 in all, 1 of them with a discount" in html
    )
    assert "<script" not in html.split("dashboard-chart-box")[1].split("</section>")[0]
    weeks = response.context["weeks"]
    assert len(weeks) == 12 and weeks[-1].bookings == 2 and weeks[-1].discounted == 1
    assert {v: n for v, _label, n in response.context["week_counts"]}["confirmed"] == 2
    assert response.context["codes"] == [("SAVE15", 1)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 113", "'+44 113"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("Ann O'Brien", "Ann O'Brien"),
        (None, ""),
    ],
)
def test_csv_cells_cannot_become_formulas(value, expected):
    assert csv_cell(value) == expected


def test_csv_export_for_a_date_range(clinic, staff_client):
    AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.initial,
        start=WEDNESDAY_10,
        patient_name="=cmd|' /C calc'!A0",
    )
    AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.initial,
        start=datetime(2027, 2, 1, 10, tzinfo=UTC),
        patient_name="Outside Range",
    )
    assert staff_client.get("/admin/bookings/appointment/export/").status_code == 200
    response = staff_client.get(
        "/admin/bookings/appointment/export/?first_day=2027-01-04&last_day=2027-01-10"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "appointments-20270104-20270110.csv" in response["Content-Disposition"]
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")))
    )
    assert rows[0][0] == "Reference" and len(rows) == 2
    assert rows[1][6] == "'=cmd|' /C calc'!A0"
    assert rows[1][1] == "2027-01-06 10:00"
    bad = staff_client.get(
        "/admin/bookings/appointment/export/?first_day=2027-01-10&last_day=2027-01-01"
    )
    assert bad.status_code == 400


def test_practitioner_feed_is_private_minimal_and_revocable(clinic, client, staff_client):
    AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.initial,
        start=WEDNESDAY_10,
        patient_name="Ann O'Brien",
        patient_email="ann@example.com",
        notes="Private note",
    )
    AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.initial,
        start=WEDNESDAY_10 + timedelta(days=1),
        status=Appointment.Status.CANCELLED_BY_PATIENT,
    )
    url = clinic.amira.get_feed_url()
    assert url.startswith("/book/feed/") and url.endswith(".ics")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "SUMMARY:Initial consultation: Ann" in body
    assert body.count("BEGIN:VEVENT") == 1  # the cancelled one is left out
    for private in ["O'Brien", "O\\'Brien", "ann@example.com", "07700", "Private note"]:
        assert private not in body
    assert client.get("/book/feed/not-the-token.ics").status_code == 404
    # Regenerating the token revokes the old address.
    staff_client.post(
        "/admin/bookings/practitioner/",
        {"action": "regenerate_feed_token", "_selected_action": [clinic.amira.pk]},
    )
    clinic.amira.refresh_from_db()
    assert client.get(url).status_code == 404
    assert client.get(clinic.amira.get_feed_url()).status_code == 200


@pytest.mark.parametrize("slug", ["details", "review", "confirmed", "manage", "feed", "waitlist"])
def test_reserved_service_slugs_are_refused(db, slug, staff_client):
    service = Service(name="X", slug=slug, duration_minutes=30, price=10)
    with pytest.raises(ValidationError) as caught:
        service.full_clean()
    assert "used by the booking pages" in str(caught.value)
    response = staff_client.post(
        "/admin/bookings/service/add/",
        {
            "name": "X",
            "slug": slug,
            "duration_minutes": 30,
            "price": "10.00",
            "buffer_after_minutes": 0,
            "position": 0,
            "active": "on",
        },
    )
    assert response.status_code == 200 and not Service.objects.filter(slug=slug).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.create(name="X", slug=slug, duration_minutes=30, price=10)


def test_a_non_reserved_slug_still_reaches_the_time_page(clinic, client):
    assert reverse("bookings:slots", kwargs={"service_slug": "follow-up"}) == "/book/follow-up/"
    assert client.get("/book/follow-up/").status_code == 200


def test_appointment_admin_list_search_filters_and_badges(clinic, staff_client, patient):
    appointment = appointment_book(
        service=clinic.initial,
        start=WEDNESDAY_10,
        patient=Patient(name="Zed Zebra", email="zed@example.com", phone="07700 111222"),
        discount_code="SAVE15",
        booked_via=Appointment.BookedVia.WEB,
    )
    base = "/admin/bookings/appointment/"
    for query in [
        "?q=zebra",
        "?q=zed@example.com",
        "?q=07700 111222",
        f"?q={appointment.reference}",
    ]:
        assert "Zed Zebra" in staff_client.get(base + query).text, query
    assert "Zed Zebra" not in staff_client.get(base + "?q=nobody").text
    for query in [
        "?when=today",
        "?when=week",
        "?when=upcoming",
        "?status__exact=confirmed",
        f"?practitioner__id__exact={clinic.amira.pk}",
        "?start__year=2027",
    ]:
        assert staff_client.get(base + query).status_code == 200, query
    html = staff_client.get(base).text
    assert '<span class="status-badge status-confirmed">Confirmed</span>' in html
    assert "SAVE15, 15% off" in html
    change = staff_client.get(f"{base}{appointment.pk}/change/").text
    assert "Booked (Website)." in change  # the history inline
    assert f"{base}{appointment.pk}/reschedule/" in change
