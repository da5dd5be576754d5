"""The JSON API: free slots and bookings. No cookies, so no CSRF; JSON errors, never HTML.

Every error has the shape ``{"error": <code>, "message": <text>}``, plus ``"errors"`` (field
name to a list of messages) for invalid input and ``"slots"`` (fresh free times) for a time that
has just been taken.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from clinic.json_body import JsonBodyError, json_body_parse
from clinic.ratelimits import rate_limit, rate_per_day_from_setting

from .forms import BookingApiForm, SlotQueryForm
from .models import Appointment
from .selectors import clinic_tz, slot_list_available
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


def _slots_json(slots) -> list[dict]:
    """Slots as JSON objects, times in the clinic's zone with their UTC offset."""
    tz = clinic_tz()
    rows = []
    # Slots come sorted by start and many practitioners share each time: convert a start (and
    # its end, the same length later) once per run, not once per slot. Comparing UTC datetimes
    # is cheap; hashing them, as a dict of seen times would, looks up their offset every time.
    previous = previous_end = start_text = end_text = None
    for slot in slots:
        if slot.start != previous or slot.end != previous_end:
            previous, previous_end = slot.start, slot.end
            start_text = previous.astimezone(tz).isoformat()
            end_text = previous_end.astimezone(tz).isoformat()
        rows.append({"start": start_text, "end": end_text, "practitioner": slot.practitioner.slug})
    return rows


@csrf_exempt
@api_methods("GET", "HEAD")
@rate_limit(group="bookings.api.slots", rate="120/m")
def slots(request: HttpRequest) -> JsonResponse:
    """``GET /api/slots/?service=<slug>&date=YYYY-MM-DD[&days=N][&practitioner=<slug>]``."""
    form = SlotQueryForm(request.GET)
    if not form.is_valid():
        return api_error(
            400, "invalid", "Some parameters are missing or invalid.", errors=_form_errors(form)
        )
    service = form.cleaned_data["service"]
    first_day = form.cleaned_data["date"]
    days = form.cleaned_data["days"] or 1
    free = slot_list_available(
        service=service,
        first_day=first_day,
        last_day=first_day + timedelta(days=days - 1),
        practitioner=form.cleaned_data["practitioner"],
    )
    return JsonResponse(
        {
            "service": service.slug,
            "timezone": str(clinic_tz()),
            "slots": _slots_json(free),
        }
    )


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
        fresh = slot_list_available(service=service, first_day=day, practitioner=practitioner)
        return api_error(409, exc.code, exc.message, slots=_slots_json(fresh))
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
