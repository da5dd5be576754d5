"""The staff week: phone booking at speed, overrides with a warning, the day at the desk,
practitioners marking attendance, adding their own time off and writing a note."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Appointment, TimeOff
from clinic.roles import Role
from tests.conftest import login_staff

from .factories import AppointmentFactory

BOOK = "/admin/bookings/appointment/book/"
WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
DETAILS = {"name": "Rita Returning", "phone": "07700 900555", "notes": "Uses a stick"}


@pytest.fixture
def person(clinic, django_user_model, client):
    def make(role, username=None):
        user = django_user_model.objects.create_user(
            username=username or role.lower().replace(" ", ""),
            password="a-long-test-password",
            is_staff=True,
        )
        user.groups.add(Group.objects.get(name=role))
        login_staff(client, user)
        return user

    return make


def booking(clinic, **changes):
    return {
        "service": clinic.follow_up.pk,
        "practitioner": clinic.tom.pk,
        "day": "2027-01-06",
        "time": "10:00",
        **DETAILS,
        **changes,
    }


def test_no_email_needed_and_none_sent(clinic, staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(BOOK, booking(clinic, email="", send_confirmation="on"))
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.patient_email == ""
    assert [m.to for m in mail.outbox] == [["reception@example.com"]]  # staff only


def test_picking_a_free_time_keeps_everything_typed(clinic, staff_client):
    response = staff_client.post(
        BOOK,
        {
            **booking(clinic, time=""),
            "email": "rita@example.com",
            "pick": f"11:15|{clinic.amira.pk}",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound and not Appointment.objects.exists()
    assert form.initial["time"] == "11:15" and form.initial["practitioner"] == str(clinic.amira.pk)
    for value in ("Rita Returning", "07700 900555", "rita@example.com", "Uses a stick"):
        assert value in response.text
    assert 'value="11:15"' in response.text


def test_free_times_follow_the_choices_and_say_when_there_are_none(clinic, staff_client):
    url = BOOK + "free-times/"
    listed = staff_client.get(url, {"service": clinic.follow_up.pk, "day": "2027-01-06"})
    assert listed.status_code == 200
    assert 'name="pick" value="09:00|' in listed.text
    sunday = staff_client.get(url, {"service": clinic.follow_up.pk, "day": "2027-01-10"})
    assert "No free times for Follow-up on Sunday 10 January" in sunday.text
    assert "Choose an appointment and a day" not in sunday.text


def test_staff_book_outside_hours_after_confirming_the_warning(clinic, staff_client):
    late = booking(clinic, time="18:30")
    warned = staff_client.post(BOOK, late)
    assert warned.status_code == 200
    assert "outside Tom Wheeler&#x27;s working hours" in warned.text
    assert not Appointment.objects.exists()
    token = warned.context["confirm_token"]
    # A confirmation for another time confirms nothing.
    other = staff_client.post(BOOK, {**booking(clinic, time="19:30"), "confirm": token})
    assert other.status_code == 200 and not Appointment.objects.exists()
    booked = staff_client.post(BOOK, {**late, "confirm": token})
    assert booked.status_code == 302
    assert Appointment.objects.get().start == datetime(2027, 1, 6, 18, 30, tzinfo=UTC)


def test_staff_move_past_the_horizon_after_confirming(clinic, staff_client):
    appointment = AppointmentFactory(
        practitioner=clinic.tom, service=clinic.follow_up, start=WEDNESDAY_10, patient_email=""
    )
    url = f"/admin/bookings/appointment/{appointment.pk}/reschedule/"
    page = staff_client.get(url)
    assert page.context["form"].initial["notify_patient"] is False  # nobody to email
    data = {"practitioner": clinic.tom.pk, "day": "2027-03-31", "time": "10:00"}
    warned = staff_client.post(url, data)
    assert "further ahead than patients may book online" in warned.text
    moved = staff_client.post(url, {**data, "confirm": warned.context["confirm_token"]})
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == datetime(2027, 3, 31, 9, 0, tzinfo=UTC)  # 10:00 BST


def test_one_click_arrival_in_the_day_sheet_for_reception(clinic, person, client):
    person(Role.RECEPTIONIST)
    today = AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.follow_up,
        start=datetime(2027, 1, 4, 11, 0, tzinfo=UTC),
        patient_name="Fatima Bengtsson-Okonkwo",
        patient_phone="07700 900777",
    )
    diary = client.get("/admin/bookings/appointment/diary/?date=2027-01-04")
    assert "Fatima Bengtsson-Okonkwo" in diary.text and "07700 900777" in diary.text
    rows = {
        row["appointment"].pk: row["actions"]
        for s in diary.context["day_sheet"]
        for row in s["rows"]
    }
    assert [value for value, _label in rows[today.pk]] == ["arrived"]  # not attended: not yet
    response = client.post(
        f"/admin/bookings/appointment/{today.pk}/status/",
        {"to_status": "arrived", "next": "/admin/bookings/appointment/diary/?date=2027-01-04"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/bookings/appointment/diary/?date=2027-01-04"
    today.refresh_from_db()
    assert today.status == Appointment.Status.ARRIVED
    # Somewhere else than this site is not followed.
    response = client.post(
        f"/admin/bookings/appointment/{today.pk}/status/",
        {"to_status": "completed", "next": "https://evil.example/"},
    )
    assert response.status_code == 400  # the appointment hasn't started yet


def test_practitioner_marks_attendance_only_on_their_own(clinic, person, client):
    user = person(Role.PRACTITIONER, "amira")
    clinic.amira.user = user
    clinic.amira.save()
    own = AppointmentFactory(
        practitioner=clinic.amira, service=clinic.follow_up, start=WEDNESDAY_10
    )
    toms = AppointmentFactory(practitioner=clinic.tom, service=clinic.follow_up, start=WEDNESDAY_10)
    url = f"/admin/bookings/appointment/{own.pk}/status/"
    # They cannot cancel (that is reception's), only mark attendance.
    assert client.post(url, {"to_status": "cancelled_by_clinic"}).status_code == 400
    assert client.post(
        f"/admin/bookings/appointment/{toms.pk}/status/", {"to_status": "arrived"}
    ).status_code in (302, 404)
    toms.refresh_from_db()
    assert toms.status == Appointment.Status.CONFIRMED
    future = client.get(f"/admin/bookings/appointment/{own.pk}/change/")
    assert future.context["quick_actions"] == []  # Wednesday: nothing to mark yet
    started = AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.follow_up,
        start=datetime(2027, 1, 4, 6, 30, tzinfo=UTC),  # this morning, already started
    )
    page = client.get(f"/admin/bookings/appointment/{started.pk}/change/")
    assert [v for v, _l in page.context["quick_actions"]] == ["arrived", "completed", "no_show"]
    assert 'aria-label="Attended: ' in page.text
    done = client.post(
        f"/admin/bookings/appointment/{started.pk}/status/", {"to_status": "completed"}
    )
    assert done.status_code == 302
    started.refresh_from_db()
    assert started.status == Appointment.Status.COMPLETED


def test_practitioner_note_is_audited_masked_and_refused_to_reception(clinic, person, client):
    user = person(Role.PRACTITIONER, "amira")
    clinic.amira.user = user
    clinic.amira.save()
    own = AppointmentFactory(
        practitioner=clinic.amira, service=clinic.follow_up, start=WEDNESDAY_10
    )
    url = f"/admin/bookings/appointment/{own.pk}/note/"
    response = client.post(url, {"clinical_note": "L4/L5 tender; hamstrings tight"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.clinical_note == "L4/L5 tender; hamstrings tight"
    entry = LogEntry.objects.get_for_object(own).filter(actor=user).latest("timestamp")
    assert "clinical_note" in entry.changes_dict
    assert "L4/L5" not in str(entry.changes)
    person(Role.RECEPTIONIST)
    assert client.get(url).status_code == 403
    assert "L4/L5" not in client.get(f"/admin/bookings/appointment/{own.pk}/change/").text


def test_practitioner_adds_only_their_own_time_off(clinic, person, client):
    user = person(Role.PRACTITIONER, "amira")
    clinic.amira.user = user
    clinic.amira.save()
    when = {
        "start_day": "2027-01-08",
        "start_time": "09:00",
        "end_day": "2027-01-08",
        "end_time": "13:00",
    }
    refused = client.post("/admin/bookings/timeoff/add/", {**when, "practitioner": clinic.tom.pk})
    assert refused.status_code == 400 and not TimeOff.objects.exists()
    clinic_wide = client.post("/admin/bookings/timeoff/add/", {**when, "practitioner": ""})
    assert clinic_wide.status_code == 400 and not TimeOff.objects.exists()
    added = client.post("/admin/bookings/timeoff/add/", {**when, "practitioner": clinic.amira.pk})
    assert added.status_code == 302
    assert TimeOff.objects.get().practitioner == clinic.amira


def test_after_saving_an_appointment_staff_land_on_its_day_in_the_diary(clinic, staff_client):
    appointment = AppointmentFactory(
        practitioner=clinic.tom, service=clinic.follow_up, start=WEDNESDAY_10
    )
    response = staff_client.post(
        f"/admin/bookings/appointment/{appointment.pk}/change/",
        {
            "patient_name": "New Name",
            "patient_email": "",
            "patient_phone": "07700 900123",
            "notes": "",
            "status_changes-TOTAL_FORMS": "1",
            "status_changes-INITIAL_FORMS": "1",
            "status_changes-MIN_NUM_FORMS": "0",
            "status_changes-MAX_NUM_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/bookings/appointment/diary/?date=2027-01-06"


def test_the_admin_home_opens_on_today(clinic, person, client, django_assert_max_num_queries):
    person(Role.RECEPTIONIST)
    for hour in (9, 10, 11):
        AppointmentFactory(
            practitioner=clinic.tom,
            service=clinic.follow_up,
            start=datetime(2027, 1, 4, hour, 0, tzinfo=UTC),
            patient_name=f"Patient {hour}",
            patient_phone=f"07700 9001{hour}",
        )
    AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.follow_up,
        start=WEDNESDAY_10,
        status=Appointment.Status.CANCELLED_BY_CLINIC,
    )
    home = client.get("/admin/")
    assert home.status_code == 200
    text = home.text
    assert text.index("Patient 9") < text.index("Patient 10") < text.index("Patient 11")
    assert "07700 900110" in text
    assert "/admin/bookings/appointment/diary/" in text
    assert "/admin/bookings/appointment/dashboard/" in text
    assert "1 cancelled by the clinic to rebook" in text
    assert "red flags to call back" in text and "reviewed=no&amp;level__in=EMERGENCY,URGENT" in text
    assert text.count('name="to_status" value="arrived"') == 3
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")
    for hour in (12, 14, 15, 16):
        AppointmentFactory(
            practitioner=clinic.amira,
            service=clinic.follow_up,
            start=datetime(2027, 1, 4, hour, 0, tzinfo=UTC),
        )
    with django_assert_max_num_queries(len(few)):
        more = client.get("/admin/")
    assert more.text.count('name="to_status" value="arrived"') == 7


def test_a_course_is_shown_before_it_is_saved_then_booked_at_once(clinic, staff_client):
    # Tom's Wednesday 10:00 three weeks on is taken: the nearest free time is offered instead.
    AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.follow_up,
        start=datetime(2027, 1, 20, 10, 0, tzinfo=UTC),
    )
    course = booking(
        clinic, email="", course_count="12", course_every_days="7", course_fit="nearest"
    )
    shown = staff_client.post(BOOK, course)
    assert shown.status_code == 200
    visits = shown.context["course_visits"]
    assert len(visits) == 12 and not Appointment.objects.filter(patient_name="Rita Returning")
    assert [v.start for v in visits if v.moved] == [datetime(2027, 1, 20, 9, 30, tzinfo=UTC)]
    # A 12-week course goes past the online horizon, across the clocks changing in March.
    assert visits[-1].start == datetime(2027, 3, 24, 10, 0, tzinfo=UTC)
    assert "Book these 12 appointments" in shown.text
    booked = staff_client.post(BOOK, {**course, "book_course": shown.context["course_token"]})
    assert booked.status_code == 302
    assert booked["Location"] == "/admin/bookings/appointment/diary/?date=2027-01-06"
    assert Appointment.objects.filter(patient_name="Rita Returning").count() == 12


def test_a_course_is_all_or_nothing(clinic, staff_client):
    course = booking(clinic, email="", course_count="3", course_fit="same")
    shown = staff_client.post(BOOK, course)
    token = shown.context["course_token"]
    # Someone takes the third week's time after the plan was shown.
    AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.follow_up,
        start=datetime(2027, 1, 20, 10, 0, tzinfo=UTC),
    )
    again = staff_client.post(BOOK, {**course, "book_course": token})
    assert again.status_code == 200  # the new plan is shown, nothing booked
    assert not Appointment.objects.filter(patient_name="Rita Returning").exists()
    assert again.context["course_visits"][2].start is None
    assert "Book these 2 appointments" in again.text


def test_reports_for_managers_only_with_a_table_chart_and_csv(
    clinic, person, client, django_assert_max_num_queries
):
    from bookings.models import AppointmentStatusChange
    from bookings.services import BookingPolicy, Patient, appointment_book
    from bookings.services import appointment_status_change as status_change

    def book(start, email, via=Appointment.BookedVia.WEB, **kw):
        return appointment_book(
            service=clinic.follow_up,
            practitioner=clinic.tom,
            start=start,
            patient=Patient("P", email, "07700 900123"),
            booked_via=via,
            **kw,
        )

    first = book(datetime(2027, 1, 4, 9, 0, tzinfo=UTC), "Ann@Example.com ")
    again = book(datetime(2027, 1, 5, 9, 0, tzinfo=UTC), "ann@example.com", discount_code="")
    book(
        datetime(2027, 1, 5, 10, 0, tzinfo=UTC),
        "",
        via=Appointment.BookedVia.STAFF,
        policy=BookingPolicy.STAFF,
    )
    late = book(datetime(2027, 1, 4, 15, 0, tzinfo=UTC), "late@example.com")
    status_change(
        appointment=late,
        to_status=Appointment.Status.CANCELLED_BY_PATIENT,
        source=AppointmentStatusChange.Source.STAFF,
    )
    with time_machine.travel(datetime(2027, 1, 5, 12, 0, tzinfo=UTC), tick=False):
        status_change(
            appointment=first,
            to_status=Appointment.Status.NO_SHOW,
            source=AppointmentStatusChange.Source.STAFF,
        )
        status_change(
            appointment=again,
            to_status=Appointment.Status.COMPLETED,
            source=AppointmentStatusChange.Source.STAFF,
        )
    url = "/admin/bookings/appointment/reports/?first_day=2027-01-04&last_day=2027-01-10"
    person(Role.RECEPTIONIST)
    assert client.get(url).status_code == 403
    person(Role.CLINIC_MANAGER, "manager")
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert page.status_code == 200
    reports = {item["report"].slug: item["report"] for item in page.context["reports"]}
    assert reports["attendance"].rows == [
        ["Tom Wheeler", 4, 1, 1, Decimal("25.0"), 1, Decimal("25.0")]
    ]
    assert dict(reports["patients"].rows) == {
        "New patients": 1,
        "Returning patients": 1,
        "No email given": 1,
    }
    assert dict(reports["sources"].rows) == {"Website": 3, "Staff (phone or desk)": 1}
    assert page.text.count('role="img"') == 5
    for day in (6, 7):
        book(datetime(2027, 1, day, 9, 0, tzinfo=UTC), f"x{day}@example.com")
    with django_assert_max_num_queries(len(few)):
        client.get(url)
    download = client.get(url + "&report=attendance&format=csv")
    assert download["Content-Type"].startswith("text/csv")
    assert download.content.decode().splitlines()[1] == "Tom Wheeler,6,1,1,16.7,1,16.7"


def test_reception_adds_a_caller_to_the_waitlist_and_practitioners_cannot(
    clinic, person, client, django_capture_on_commit_callbacks
):
    from bookings.models import WaitlistEntry

    url = "/admin/bookings/waitlistentry/add/"
    person(Role.PRACTITIONER, "amira")
    assert client.get(url).status_code == 403
    person(Role.RECEPTIONIST)
    data = {
        "service": clinic.follow_up.pk,
        "practitioner": "",
        "first_day": "2027-01-06",
        "last_day": "2027-01-08",
        "name": "Walter Wait",
        "phone": "07700 900222",
        "email": "walter@example.com",
    }
    assert client.post(url, {**data, "last_day": "2027-01-01"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.patient_name, entry.first_day.isoformat()) == ("Walter Wait", "2027-01-06")
    assert [m.to for m in mail.outbox] == [["walter@example.com"]]
