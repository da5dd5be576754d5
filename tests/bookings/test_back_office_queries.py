"""The back office and the slots API make as many queries with years of history as without.

History is past, attended appointments written straight to the table (a clinic's years are
not rebooked through the service in a test); the pages are fetched signed in, as staff are.
"""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Appointment

from .factories import AppointmentFactory

DIARY_WEEK = "/admin/bookings/appointment/diary/?view=week&date=2027-01-04"
PAGES = [
    "/admin/",
    DIARY_WEEK,
    "/admin/bookings/appointment/",
    "/admin/bookings/appointment/?when=all",
    "/admin/bookings/appointment/?when=past",
    "/admin/bookings/appointment/dashboard/",
    "/api/slots/?service=initial-consultation&date=2027-01-04&days=31",
]


def history_add(clinic, count: int) -> None:
    """``count`` attended appointments on the days before now, one a day per practitioner."""
    today = datetime.now(UTC).date()
    for n in range(count):
        start = datetime.combine(today - timedelta(days=1 + n // 2), time(10), tzinfo=UTC)
        appointment = AppointmentFactory(
            practitioner=[clinic.amira, clinic.tom][n % 2],
            service=clinic.follow_up,
            start=start,
            status=Appointment.Status.COMPLETED,
            patient_name=f"History {n}",
        )
        Appointment.objects.filter(pk=appointment.pk).update(created_at=start - timedelta(days=14))


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("url", PAGES)
def test_queries_do_not_grow_with_history(clinic, staff_client, django_assert_max_num_queries, url):
    AppointmentFactory(practitioner=clinic.amira, service=clinic.follow_up)  # one upcoming
    without = queries(staff_client, url)
    history_add(clinic, 120)
    with django_assert_max_num_queries(without):
        assert staff_client.get(url).status_code == 200


def test_the_appointment_list_opens_on_upcoming_and_searches_everything(clinic, staff_client):
    AppointmentFactory(practitioner=clinic.amira, service=clinic.follow_up, patient_name="Soon")
    history_add(clinic, 2)
    base = "/admin/bookings/appointment/"
    opening = staff_client.get(base).text
    assert "Soon" in opening and "History 0" not in opening
    for query in ["?when=all", "?when=past", "?q=History", "?start__year=2027"]:
        assert "History 0" in staff_client.get(base + query).text, query
    assert "Soon" not in staff_client.get(base + "?when=past").text


def test_the_status_label_is_the_choices_label():
    # Appointment.get_status_display is written out (Django's is slow per call); same answer.
    for value, label in Appointment.Status.choices:
        assert str(Appointment(status=value).get_status_display()) == str(label)
        assert str(Appointment.status_display(value)) == str(label)  # the diary's rows
    # A value with no label (say a status a newer release wrote) shows as itself.
    assert Appointment(status="pencilled").get_status_display() == "pencilled"
    assert Appointment.status_display("pencilled") == "pencilled"


def test_the_list_checkbox_is_djangos(clinic):
    from django.contrib import admin

    appointment = AppointmentFactory(
        practitioner=clinic.amira, service=clinic.follow_up, patient_name="O'Neil <b>"
    )
    model_admin = admin.site._registry[Appointment]
    assert model_admin.action_checkbox(appointment) == admin.ModelAdmin.action_checkbox(
        model_admin, appointment
    )
