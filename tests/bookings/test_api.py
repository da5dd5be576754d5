"""The JSON API: shape, errors (always JSON), limits."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client

from bookings.models import Appointment, DiscountRedemption

from .factories import AppointmentFactory

BODY = {
    "service": "initial-consultation",
    "practitioner": "tom-wheeler",
    "start": "2027-01-04T10:00:00+00:00",
    "name": "Ann O'Brien",
    "email": "ann@example.com",
    "phone": "07700 900123",
    "discount_code": "save15",
    "consent": True,
}


@pytest.fixture
def api():
    # No cookies and CSRF checks on, like a real API client.
    return Client(enforce_csrf_checks=True)


def post(api, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return api.post("/api/bookings/", data=data, content_type="application/json", **extra)


def test_slots_shape_and_order(api, clinic):
    response = api.get("/api/slots/", {"service": "initial-consultation", "date": "2027-01-04"})
    assert response.status_code == 200
    data = response.json()
    assert data["service"] == "initial-consultation"
    assert data["timezone"] == "Europe/London"
    assert data["slots"][0] == {
        "start": "2027-01-04T09:00:00+00:00",
        "end": "2027-01-04T09:45:00+00:00",
        "practitioner": "amira-shah",
    }
    assert data["slots"][1]["practitioner"] == "tom-wheeler"
    starts = [slot["start"] for slot in data["slots"]]
    assert starts == sorted(starts)


def test_slots_for_a_practitioner_over_several_days_in_summer_offsets(api, clinic):
    response = api.get(
        "/api/slots/",
        {"service": "follow-up", "date": "2027-01-08", "days": "2", "practitioner": "amira-shah"},
    )
    slots = response.json()["slots"]
    assert {slot["practitioner"] for slot in slots} == {"amira-shah"}
    assert {slot["start"][:10] for slot in slots} == {"2027-01-08", "2027-01-09"}


@pytest.mark.parametrize(
    "params",
    [
        {"service": "initial-consultation", "date": "2027-01-04", "days": "31"},
        # Summer: every time carries +01:00; a Saturday only Amira works; a buffer.
        {"service": "follow-up", "date": "2027-06-04", "days": "3"},
        {"service": "follow-up", "date": "2027-01-04", "practitioner": "tom-wheeler"},
        {"service": "follow-up", "date": "2027-01-10"},  # A Sunday: no slots at all.
    ],
)
def test_slots_body_is_byte_for_byte_what_json_dumps_writes(api, clinic, params, settings):
    """The API writes its JSON by hand for speed; it must be what JsonResponse would send."""
    from bookings.selectors import clinic_tz, slot_list_available

    settings.BOOKING_HORIZON_DAYS = 200
    clinic.follow_up.buffer_after_minutes = 10
    clinic.follow_up.save()
    AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.follow_up,
        start=datetime(2027, 1, 4, 10, 0, tzinfo=UTC),
    )
    service = clinic.initial if params["service"] == "initial-consultation" else clinic.follow_up
    first_day = date.fromisoformat(params["date"])
    tz = clinic_tz()
    slots = slot_list_available(
        service=service,
        first_day=first_day,
        last_day=first_day + timedelta(days=int(params.get("days", 1)) - 1),
        practitioner=clinic.tom if params.get("practitioner") else None,
    )
    expected = json.dumps(
        {
            "service": service.slug,
            "timezone": "Europe/London",
            "slots": [
                {
                    "start": slot.start.astimezone(tz).isoformat(),
                    "end": slot.end.astimezone(tz).isoformat(),
                    "practitioner": slot.practitioner.slug,
                }
                for slot in slots
            ],
        }
    )

    response = api.get("/api/slots/", params)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content.decode() == expected
    assert len(slots) > 20 or params["date"] == "2027-01-10"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date": "2027-01-04"}, "service"),
        ({"service": "nope", "date": "2027-01-04"}, "service"),
        ({"service": "initial-consultation"}, "date"),
        ({"service": "initial-consultation", "date": "04/01/2027"}, "date"),
        ({"service": "initial-consultation", "date": "2027-02-30"}, "date"),
        ({"service": "initial-consultation", "date": "2027-01-04", "days": "0"}, "days"),
        ({"service": "initial-consultation", "date": "2027-01-04", "days": "32"}, "days"),
        ({"service": "initial-consultation", "date": "2027-01-04", "days": "x"}, "days"),
        (
            {"service": "initial-consultation", "date": "2027-01-04", "practitioner": "x"},
            "practitioner",
        ),
        ({"service": "a" * 5000, "date": "2027-01-04"}, "service"),
    ],
)
def test_slots_bad_input_is_a_json_400(api, clinic, params, field):
    response = api.get("/api/slots/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["errors"]


def test_booking_is_201_with_money_as_strings(api, clinic):
    response = post(api, BODY)
    assert response.status_code == 201, response.json()
    data = response.json()
    appointment = Appointment.objects.get()
    assert data == {
        "reference": appointment.reference,
        "status": "confirmed",
        "start": "2027-01-04T10:00:00+00:00",
        "end": "2027-01-04T10:45:00+00:00",
        "practitioner": "tom-wheeler",
        "price": "60.00",
        "discount": "9.00",
        "total": "51.00",
    }
    assert appointment.booked_via == "api"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_booking_any_practitioner_without_code(api, clinic):
    body = {k: v for k, v in BODY.items() if k not in {"practitioner", "discount_code"}}
    data = post(api, body).json()
    assert data["practitioner"] == "amira-shah" and data["discount"] == "0.00"


def test_taken_time_is_409_with_fresh_slots(api, clinic):
    AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.initial,
        start=datetime(2027, 1, 4, 10, 0, tzinfo=UTC),
    )
    response = post(api, BODY)
    assert response.status_code == 409
    data = response.json()
    assert data["error"] == "slot_taken"
    assert "just been taken" in data["message"]
    assert data["slots"] and BODY["start"] not in [s["start"] for s in data["slots"]]
    assert Appointment.objects.count() == 1
    assert not DiscountRedemption.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service": "nope"}, "service"),
        ({"service": None}, "service"),
        ({"practitioner": "nobody"}, "practitioner"),
        ({"start": "2026-01-04T10:00:00+00:00"}, "start"),  # past
        ({"start": "2027-01-04T18:00:00+00:00"}, "start"),  # out of hours
        ({"start": "2027-01-04T10:07:00+00:00"}, "start"),  # not on the grid
        ({"start": "2027-01-04T10:00:00"}, "start"),  # no offset
        ({"start": "tomorrow"}, "start"),
        ({"start": "2027-02-30T10:00:00+00:00"}, "start"),
        ({"start": 1767520800}, "start"),  # wrong type
        ({"name": ["Ann"]}, "name"),
        ({"email": {"a": 1}}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": 7700900123}, "phone"),
        ({"consent": "true"}, "consent"),
        ({"consent": None}, "consent"),
        ({"discount_code": "NOPE"}, "discount_code"),
        ({"discount_code": 15}, "discount_code"),
        ({"extra": "x"}, "extra"),
        ({"name": "x" * 200}, "name"),
    ],
)
def test_bad_booking_is_a_json_400_and_stores_nothing(api, clinic, changes, field):
    response = post(api, {**BODY, **changes})
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["error"] == "invalid" and field in data["errors"]
    assert not Appointment.objects.exists()


def test_missing_fields_are_listed(api, clinic):
    response = post(api, {})
    assert set(response.json()["errors"]) == {
        "service",
        "start",
        "name",
        "email",
        "phone",
    }


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', "null", b"\xff\xfe"])
def test_malformed_json_is_400(api, clinic, body):
    response = post(api, body)
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"


def test_huge_body_is_413(api, clinic):
    response = post(api, {**BODY, "name": "x" * 20_000})
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert not Appointment.objects.exists()


def test_form_encoded_body_is_415(api, clinic):
    response = api.post("/api/bookings/", BODY)
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"


def test_wrong_method_is_json_405(api, clinic):
    response = api.get("/api/bookings/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response.json()["error"] == "method_not_allowed"
    assert api.post("/api/slots/").status_code == 405


def test_unknown_endpoint_is_json_404(api, clinic):
    for path in ["/api/", "/api/nothing/", "/api/bookings"]:
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


def test_rate_limits_answer_json_429(api, clinic, settings):
    settings.RATELIMIT_ENABLE = True
    statuses = [post(api, {}).status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    response = post(api, {})
    assert response.json()["error"] == "rate_limited"
    for _ in range(121):
        last = api.get("/api/slots/", {"service": "x", "date": "2027-01-04"})
    assert last.status_code == 429


def test_rate_limits_can_be_switched_off(api, clinic, settings):
    settings.RATELIMIT_ENABLE = False
    assert {post(api, {}).status_code for _ in range(15)} == {400}


def test_consent_is_not_needed_to_book_the_contract_is_the_basis(api, clinic):
    body = {key: value for key, value in BODY.items() if key != "consent"}
    assert post(api, body).status_code == 201
