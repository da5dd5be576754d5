"""Property-based sweep: hostile values in every public form and API field.

For each field of each public endpoint, one field at a time is replaced with something nasty
(overlong, odd Unicode, control characters, markup, SQL metacharacters, wrong JSON types, dates
out of range). Whatever comes back must not be a server error, and a rejected request must
store nothing.
"""

import json
from datetime import UTC, datetime, time
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.models import Submission
from bookings.models import Appointment
from clinic.contact.models import ContactMessage
from tests.bookings.factories import (
    WEEKDAY_HOURS,
    DiscountCodeFactory,
    PractitionerFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)
SWEEP = hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

NASTY_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(min_size=300, max_size=5000),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "line\r\nBcc: victim@example.com",
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "' OR 1=1 --",
            "'; DROP TABLE bookings_appointment; --",
            "%00%0d%0a",
            "\u202eevil",
            "\U0001f600" * 50,
            "\ud7ff\ufffd",
            "9999-99-99",
            "0000-01-01",
            "2027-01-04T09:00:00",
            "0001-01-01T00:00:00+00:00",
            "9999-12-31T23:00:00+00:00",
            "0001-01-01",
            "9999-12-31",
            "-1",
            "1e309",
            "NaN",
            "x" * 100_000,
        ]
    ),
)
NASTY_JSON = st.one_of(
    NASTY_TEXT,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


@pytest.fixture
def sweep_settings(settings):
    settings.RATELIMIT_ENABLE = False
    settings.STAFF_NOTIFICATION_EMAILS = ["reception@example.com"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


@pytest.fixture
def clinic_setup(sweep_settings):
    with time_machine.travel(NOW, tick=False):
        service = ServiceFactory(
            slug="initial-consultation", duration_minutes=45, price=Decimal("60.00")
        )
        PractitionerFactory(
            slug="amira-shah", services=[service], hours=[*WEEKDAY_HOURS, (5, time(9), time(13))]
        )
        DiscountCodeFactory(code="SAVE15", services=[service])
        yield service


def _assert_not_server_error(response) -> None:
    assert response.status_code < 500, response.content[:500]


CONTACT_VALID = {
    "name": "Sam Patient",
    "email": "sam@example.com",
    "phone": "07700 900123",
    "preferred_contact": "email",
    "message": "Hello, I would like to ask about an appointment.",
    "privacy_acknowledged": "on",
}


@SWEEP
@given(field=st.sampled_from([*CONTACT_VALID, "website"]), value=NASTY_TEXT)
def test_contact_form(sweep_settings, field, value):
    client = Client()
    before = ContactMessage.objects.count()
    response = client.post("/contact/", {**CONTACT_VALID, field: value})
    _assert_not_server_error(response)
    if response.status_code != 302:
        assert ContactMessage.objects.count() == before


ASSESSMENT_STEP_1 = {f"e{n}": "no" for n in range(1, 10)} | {"e7": "none"}


@SWEEP
@given(field=st.sampled_from(list(ASSESSMENT_STEP_1)), value=NASTY_TEXT)
def test_assessment_questions(sweep_settings, field, value):
    client = Client()
    response = client.post("/assessment/", {**ASSESSMENT_STEP_1, field: value})
    _assert_not_server_error(response)
    assert Submission.objects.count() == 0  # nothing is stored before consent


@SWEEP
@given(
    field=st.sampled_from(["service", "date", "days", "practitioner"]),
    value=NASTY_TEXT,
)
def test_slots_api(clinic_setup, field, value):
    params = {"service": "initial-consultation", "date": "2027-01-05", "days": "3"}
    with time_machine.travel(NOW, tick=False):
        response = Client().get("/api/slots/", {**params, field: value})
    _assert_not_server_error(response)
    assert response["Content-Type"].startswith("application/json")


BOOKING_VALID = {
    "service": "initial-consultation",
    "practitioner": "amira-shah",
    "start": "2027-01-05T10:00:00+00:00",
    "name": "Sam Patient",
    "email": "sam@example.com",
    "phone": "07700 900123",
    "discount_code": "SAVE15",
    "consent": True,
}


@SWEEP
@given(field=st.sampled_from(list(BOOKING_VALID)), value=NASTY_JSON)
def test_booking_api(clinic_setup, field, value):
    body = json.dumps({**BOOKING_VALID, field: value})
    with time_machine.travel(NOW, tick=False):
        before = Appointment.objects.count()
        response = Client().post("/api/bookings/", body, content_type="application/json")
        _assert_not_server_error(response)
        assert response["Content-Type"].startswith("application/json")
        if response.status_code != 201:
            assert Appointment.objects.count() == before
        else:
            Appointment.objects.all().delete()  # free the slot for the next example


@SWEEP
@given(body=st.one_of(st.binary(max_size=200), NASTY_TEXT.map(str.encode)))
def test_booking_api_with_a_body_that_is_not_json(clinic_setup, body):
    with time_machine.travel(NOW, tick=False):
        response = Client().post("/api/bookings/", body, content_type="application/json")
    assert response.status_code in (400, 413, 415)
    assert Appointment.objects.count() == 0


@SWEEP
@given(query=NASTY_TEXT, page=NASTY_TEXT)
def test_article_search_and_paging(sweep_settings, query, page):
    response = Client().get("/articles/", {"q": query, "page": page})
    assert response.status_code in (200, 400, 404)  # 400: a NUL character


@SWEEP
@given(value=NASTY_TEXT, practitioner=st.sampled_from(["any", "amira-shah"]) | NASTY_TEXT)
def test_booking_journey_time_choice(clinic_setup, value, practitioner):
    with time_machine.travel(NOW, tick=False):
        response = Client().post(
            "/book/initial-consultation/", {"slot": value, "practitioner": practitioner}
        )
    _assert_not_server_error(response)
    assert Appointment.objects.count() == 0


DETAILS_VALID = {
    "name": "Ann O'Brien",
    "email": "ann@example.com",
    "phone": "07700 900123",
    "notes": "Step-free access please",
    "discount_code": "SAVE15",
    "consent": "on",
}


@SWEEP
@given(field=st.sampled_from(list(DETAILS_VALID)), value=NASTY_TEXT)
def test_booking_journey_details_and_confirm(clinic_setup, field, value):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        chosen = client.post(
            "/book/initial-consultation/",
            {"slot": "2027-01-05T10:00:00+00:00", "practitioner": "any"},
        )
        assert chosen.status_code == 302
        response = client.post("/book/details/", {**DETAILS_VALID, field: value})
        _assert_not_server_error(response)
        if response.status_code == 302:
            confirmed = client.post("/book/review/")
            _assert_not_server_error(confirmed)
            Appointment.objects.all().delete()  # free the slot for the next example
        else:
            assert Appointment.objects.count() == 0


WAITLIST_VALID = {
    "service": "",  # filled with the service's pk
    "practitioner": "",
    "first_day": "2027-01-05",
    "last_day": "2027-01-20",
    "name": "Ann O'Brien",
    "email": "ann@example.com",
    "phone": "07700 900123",
    "consent": "on",
}


@SWEEP
@given(field=st.sampled_from(list(WAITLIST_VALID)), value=NASTY_TEXT)
def test_waitlist_form(clinic_setup, field, value):
    from bookings.models import WaitlistEntry

    data = {**WAITLIST_VALID, "service": str(clinic_setup.pk), field: value}
    with time_machine.travel(NOW, tick=False):
        before = WaitlistEntry.objects.count()
        response = Client().post("/book/waitlist/", data)
    _assert_not_server_error(response)
    if response.status_code != 302:
        assert WaitlistEntry.objects.count() == before


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/api/slots/", {"service": "initial-consultation", "date": "0001-01-01"}),
        ("get", "/api/slots/", {"service": "initial-consultation", "date": "9999-12-31"}),
        ("get", "/book/initial-consultation/", {"date": "9999-12-31"}),
        ("post", "/book/initial-consultation/", {"slot": "0001-01-01T00:00:00+00:00"}),
        ("post", "/book/initial-consultation/", {"slot": "9999-12-31T23:59:59-01:00"}),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_cleanly(clinic_setup, method, url, data):
    with time_machine.travel(NOW, tick=False):
        response = getattr(Client(), method)(url, data)
    assert response.status_code in (200, 400)
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:00:00+00:00"])
def test_booking_api_refuses_dates_at_the_ends_of_the_calendar(clinic_setup, start):
    body = json.dumps({**BOOKING_VALID, "start": start})
    with time_machine.travel(NOW, tick=False):
        response = Client().post("/api/bookings/", body, content_type="application/json")
    assert response.status_code == 400
    assert "start" in response.json()["errors"]
