"""The JSON API: free slots and bookings. No cookies, so no CSRF; JSON errors, never HTML.

Every error has the shape ``{"error": <code>, "message": <text>}``, plus ``"errors"`` (field
name to a list of messages) for invalid input and ``"slots"`` (fresh free times) for a time that
has just been taken.
"""

import json
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import lru_cache, wraps
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from clinic.json_body import JsonBodyError, json_body_parse
from clinic.ratelimits import rate_limit, rate_per_day_from_setting

from .availability import from_micros
from .catalogue import SlotCatalogue, catalogue_version, slot_catalogue, slot_catalogue_held
from .forms import BookingApiForm, SlotQueryForm
from .models import Appointment
from .selectors import clinic_tz, slot_starts_available, slot_starts_catalogued
from .services import (
    BookingLimitReached,
    DiscountCodeInvalid,
    Patient,
    SlotTaken,
    SlotUnavailable,
    appointment_book,
)

MAX_BODY_BYTES = 10 * 1024
STRING_FIELDS = ("service", "practitioner", "start", "name", "email", "phone", "discount_code")
# The lawful basis for a booking is the contract (see the privacy notice), not consent, and the
# API takes no health information (no notes), so ``consent`` is accepted but not required.
REQUIRED_FIELDS = ("service", "start", "name", "email", "phone")


def api_error(status: int, error: str, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": error, "message": message, **extra}, status=status)


def api_methods(*methods: str) -> Callable:
    """Like ``require_http_methods``, with a JSON 405."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if request.method not in methods:
                response = api_error(405, "method_not_allowed", f"Use {' or '.join(methods)} here.")
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _form_errors(form) -> dict[str, list[str]]:
    return {
        field: [error["message"] for error in errors]
        for field, errors in form.errors.get_json_data().items()
    }


@lru_cache(maxsize=8192)
def _local_iso(instant: int, tz: ZoneInfo) -> str:
    # The same starts come up request after request: each is formatted once per process.
    return from_micros(instant).astimezone(tz).isoformat()


def _slots_json(found: Sequence[tuple[int, int]], *, duration: timedelta, practitioners) -> str:
    """Free starts (``slot_starts_available``) as the text of a JSON array of slots, each
    ``{"start", "end", "practitioner"}`` with times in the clinic's zone and their UTC offset.

    Written directly rather than through ``json.dumps`` of a dict per slot: a month of ten
    diaries is thousands of slots but only a few hundred distinct times, so each time is
    formatted once and each slot costs one string join. The text is byte for byte what
    ``json.dumps`` gives (``tests/bookings/test_api.py`` compares them).
    """
    tz = clinic_tz()
    length = duration // timedelta(microseconds=1)
    names = [json.dumps(practitioner.slug) + "}" for practitioner in practitioners]
    rows = []
    previous = head = None
    for start, index in found:
        if start != previous:
            previous = start
            head = (
                f'{{"start": "{_local_iso(start, tz)}", '
                f'"end": "{_local_iso(start + length, tz)}", "practitioner": '
            )
        rows.append(head + names[index])
    return "[" + ", ".join(rows) + "]"


def _json_with_slots(fields: dict, slots_json: str, *, status: int = 200) -> HttpResponse:
    """A JSON object of ``fields`` plus ``"slots"`` (already JSON text), as JsonResponse would
    write it."""
    body = json.dumps(fields)[:-1] + ', "slots": ' + slots_json + "}"
    return HttpResponse(body, status=status, content_type="application/json")


@csrf_exempt
@api_methods("GET", "HEAD")
@rate_limit(group="bookings.api.slots", rate="120/m")
def slots(request: HttpRequest) -> HttpResponse:
    """``GET /api/slots/?service=<slug>&date=YYYY-MM-DD[&days=N][&practitioner=<slug>]``.

    Answered from this process's copy of the slot catalogue (``bookings.catalogue``) and one
    query, which also reads the catalogue's version: if the copy turns out to be out of date,
    the answer is worked out again from a fresh one.
    """
    catalogue = slot_catalogue_held()
    response, version = _slots_answer(request, catalogue)
    if version != catalogue.version:
        response, _version = _slots_answer(request, slot_catalogue(version=version))
    return response


def _slots_answer(request: HttpRequest, catalogue: SlotCatalogue) -> tuple[HttpResponse, int]:
    """The slots API's response from ``catalogue``, and the catalogue's version now."""
    form = SlotQueryForm(request.GET, catalogue=catalogue)
    if not form.is_valid():
        return api_error(
            400, "invalid", "Some parameters are missing or invalid.", errors=_form_errors(form)
        ), catalogue_version()
    service = form.cleaned_data["service"]
    first_day = form.cleaned_data["date"]
    days = form.cleaned_data["days"] or 1
    practitioners, found, version = slot_starts_catalogued(
        catalogue=catalogue,
        service=service,
        practitioner=form.cleaned_data["practitioner"],
        first_day=first_day,
        last_day=first_day + timedelta(days=days - 1),
    )
    return _json_with_slots(
        {"service": service.slug, "timezone": str(clinic_tz())},
        _slots_json(found, duration=service.duration, practitioners=practitioners),
    ), version


def _json_body(request: HttpRequest) -> dict | JsonResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return api_error(400, "bad_request", "Content-Length is not a number.")
    if length > MAX_BODY_BYTES:
        return api_error(413, "too_large", f"The body must be at most {MAX_BODY_BYTES} bytes.")
    if request.content_type != "application/json":
        return api_error(
            415, "unsupported_media_type", "Send JSON (Content-Type: application/json)."
        )
    try:
        data = json_body_parse(request.body)
    except JsonBodyError as exc:
        return api_error(400, "malformed_json", exc.message)
    if not isinstance(data, dict):
        return api_error(400, "malformed_json", "The body must be a JSON object.")
    return data


def _type_errors(data: dict) -> dict[str, list[str]]:
    allowed = {*STRING_FIELDS, "consent"}
    errors: dict[str, list[str]] = {}
    for key in data:
        if key not in allowed:
            errors[key] = ["Unknown field."]
    for key in STRING_FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            errors[key] = ["Must be a string."]
    for key in REQUIRED_FIELDS:
        if data.get(key) in (None, "") and key not in errors:
            errors[key] = ["This field is required."]
    if "consent" in data and not isinstance(data["consent"], bool):
        errors["consent"] = ["Must be true or false."]
    return errors


@csrf_exempt
@api_methods("POST")
@rate_limit(group="bookings.api.bookings", rate="10/m")
@rate_limit(
    group="bookings.per-address-per-day",
    rate=rate_per_day_from_setting("BOOKING_MAX_PER_ADDRESS_PER_DAY"),
    method="POST",
)
def bookings(request: HttpRequest) -> JsonResponse:
    """``POST /api/bookings/`` with a JSON object; 201 with the booking (202 when it is held for
    the patient's email confirmation), 409 if just taken."""
    data = _json_body(request)
    if isinstance(data, JsonResponse):
        return data
    errors = _type_errors(data)
    if errors:
        return api_error(400, "invalid", "Some fields are missing or invalid.", errors=errors)
    form = BookingApiForm(
        data={
            **{key: data.get(key) or "" for key in STRING_FIELDS},
            "consent": "on",
        }
    )
    if not form.is_valid():
        return api_error(
            400, "invalid", "Some fields are missing or invalid.", errors=_form_errors(form)
        )
    cleaned = form.cleaned_data
    service, practitioner, start = cleaned["service"], cleaned["practitioner"], cleaned["start"]
    try:
        appointment = appointment_book(
            service=service,
            practitioner=practitioner,
            start=start,
            patient=Patient(name=cleaned["name"], email=cleaned["email"], phone=cleaned["phone"]),
            discount_code=cleaned.get("discount_code", ""),
            booked_via=Appointment.BookedVia.API,
            privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        )
    except SlotTaken as exc:
        day = start.astimezone(clinic_tz()).date()
        practitioners, found = slot_starts_available(
            service=service, first_day=day, practitioner=practitioner
        )
        return _json_with_slots(
            {"error": exc.code, "message": exc.message},
            _slots_json(found, duration=service.duration, practitioners=practitioners),
            status=409,
        )
    except BookingLimitReached as exc:
        return api_error(400, exc.code, exc.message)
    except SlotUnavailable as exc:
        return api_error(400, "invalid", exc.message, errors={"start": [exc.message]})
    except DiscountCodeInvalid as exc:
        return api_error(
            400, "invalid", exc.message, errors={"discount_code": [exc.message]}, reason=exc.code
        )
    return _booking_json(appointment)


def _booking_json(appointment: Appointment) -> JsonResponse:
    """201 with the booking; 202 for a booking held until the patient confirms by email."""
    tz = clinic_tz()
    body = {
        "reference": appointment.reference,
        "status": appointment.status,
        "start": appointment.start.astimezone(tz).isoformat(),
        "end": appointment.end.astimezone(tz).isoformat(),
        "practitioner": appointment.practitioner.slug,
        "price": f"{appointment.price:.2f}",
        "discount": f"{appointment.discount_amount:.2f}",
        "total": f"{appointment.total:.2f}",
    }
    if not appointment.is_held:
        return JsonResponse(body, status=201)
    until = appointment.hold_expires_at.astimezone(tz)
    return JsonResponse(
        {
            **body,
            "hold_expires_at": until.isoformat(timespec="seconds"),
            "message": (
                f"Not booked yet: the time is held until {until:%H:%M} (UK time). We have "
                f"emailed {appointment.patient_email} a link to confirm it; unconfirmed, it is "
                "released."
            ),
        },
        status=202,
    )


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return api_error(404, "not_found", "There is no API endpoint here.")
