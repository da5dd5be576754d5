"""Booking by phone: a receptionist books for a patient through ``appointment_book``.

Everything typed survives every step: picking a free time or asking for the free times posts
the whole form back and re-renders it unbound (no errors shown for what is not typed yet). With
JavaScript (``static/js/phone-booking.js``) the free times load as soon as the service,
practitioner and day are chosen, and picking one fills the form without a round trip.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.patients.selectors import patient_booking_initial

from ..admin_forms import FreeTimesForm, PhoneBookingForm
from ..forms import parse_start
from ..models import Appointment, Practitioner, Service
from ..selectors import clinic_tz, closure_on, slot_list_available
from ..services import (
    BookingPolicy,
    DiscountCodeInvalid,
    OverrideNeeded,
    Patient,
    SlotTaken,
    SlotUnavailable,
    appointment_book,
)
from .common import admin_context, int_or_none, require
from .course import course_step

#: Posted values that are steps of the form, not fields of the booking.
_STEPS = ("pick", "show", "csrfmiddlewaretoken", "confirm", "book_course")


def phone_booking_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Book for a patient on the phone or at the desk, through ``appointment_book``."""
    require(request, model_admin.has_add_permission(request))
    warnings: list[str] = []
    course: dict = {}
    if request.method == "POST" and ("pick" in request.POST or "show" in request.POST):
        form = PhoneBookingForm(initial=_kept(request.POST))
    elif request.method == "POST":
        form = PhoneBookingForm(request.POST)
        if form.is_valid() and form.cleaned_data["course_count"] > 1:
            course_booked, course = course_step(request, form)
            if course_booked:
                return _to_diary(course_booked[0])
        elif form.is_valid():
            booked, warnings = _book(request, form)
            if booked is not None:
                _booked_message(request, booked, emailed=form.cleaned_data["send_confirmation"])
                return redirect("admin:bookings_appointment_change", booked.pk)
    else:
        form = PhoneBookingForm(initial=_initial_from_query(request))
    values = _free_times_values(form)
    return TemplateResponse(
        request,
        "admin/bookings/phone_booking.html",
        admin_context(
            model_admin,
            request,
            _("Book by phone"),
            form=form,
            warnings=warnings,
            confirm_token=form.override_token() if warnings else "",
            **course,
            **_free_times_context(values),
            # Staff may book a day the clinic is closed, warned (also by the booking policy).
            closure=closure_on(values["day"]) if values.get("day") else None,
        ),
        status=400 if form.errors else 200,
    )


def free_times_view(model_admin, request: HttpRequest) -> HttpResponse:
    """The free-times panel alone, for the phone form's script to swap in."""
    require(request, model_admin.has_add_permission(request))
    values = FreeTimesForm(request.GET)
    return TemplateResponse(
        request,
        "admin/bookings/_free_times.html",
        _free_times_context(values.cleaned_data if values.is_valid() else {}),
    )


def _to_diary(appointment: Appointment) -> HttpResponse:
    day = timezone.localtime(appointment.start).date().isoformat()
    return redirect(reverse("admin:bookings_appointment_diary") + f"?date={day}")


def _book(request: HttpRequest, form: PhoneBookingForm):
    """Book, or say why not: ``(appointment, [])``, ``(None, warnings)`` or ``(None, [])``."""
    data = form.cleaned_data
    token = form.override_token()
    confirmed = request.POST.get("confirm") == token
    try:
        return appointment_book(
            service=data["service"],
            practitioner=data["practitioner"],
            start=data["start"],
            patient=Patient(
                name=data["name"], email=data["email"], phone=data["phone"], notes=data["notes"]
            ),
            discount_code=data["discount_code"],
            booked_via=Appointment.BookedVia.STAFF,
            actor=request.user,
            notify_patient=data["send_confirmation"],
            policy=BookingPolicy.STAFF_CONFIRMED if confirmed else BookingPolicy.STAFF,
        ), []
    except OverrideNeeded as exc:
        return None, exc.warnings
    except DiscountCodeInvalid as exc:
        form.add_error("discount_code", exc.message)
    except (SlotTaken, SlotUnavailable) as exc:
        form.add_error("time", exc.message)
    return None, []


def _booked_message(request: HttpRequest, appointment: Appointment, *, emailed: bool) -> None:
    messages.success(
        request,
        _("Booked %(reference)s: %(service)s with %(who)s, %(when)s (%(emailed)s).")
        % {
            "reference": appointment.reference,
            "service": appointment.service.name,
            "who": appointment.practitioner.name,
            "when": timezone.localtime(appointment.start).strftime("%a %d %b %H:%M"),
            "emailed": _("confirmation emailed to the patient")
            if emailed
            else _("no email sent to the patient"),
        },
    )


def _kept(data) -> dict:
    """The posted form as initial values, with a picked free time ("HH:MM|practitioner") in."""
    kept = {key: data.get(key) for key in data if key not in _STEPS}
    kept["send_confirmation"] = "send_confirmation" in data
    at, _sep, practitioner = data.get("pick", "").partition("|")
    if at:
        kept["time"] = at
        if practitioner.isdigit():
            kept["practitioner"] = practitioner
    return kept


def _initial_from_query(request: HttpRequest) -> dict:
    # "Book again" from the patient page: ?patient=<id> fills in who and what.
    initial = {
        "send_confirmation": True,
        **patient_booking_initial(patient_id=request.GET.get("patient")),
    }
    service = Service.objects.filter(
        active=True, pk=int_or_none(request.GET.get("service"))
    ).first()
    practitioner = Practitioner.objects.filter(
        active=True, pk=int_or_none(request.GET.get("practitioner"))
    ).first()
    start = parse_start(request.GET.get("start", ""))
    if service:
        initial["service"] = service
    if practitioner:
        initial["practitioner"] = practitioner
    if start:
        local = start.astimezone(clinic_tz())
        initial.update(day=local.date(), time=local.time().replace(second=0, microsecond=0))
    return initial


def _free_times_values(form: PhoneBookingForm) -> dict:
    """Service, practitioner and day from the form, validated like the free-times panel's."""
    if form.is_bound:
        source = {key: form.data.get(key) for key in ("service", "practitioner", "day")}
    else:
        source = {
            key: getattr(form.initial.get(key), "pk", form.initial.get(key))
            for key in ("service", "practitioner", "day")
        }
        if source["service"] is None:
            first = Service.objects.filter(active=True).first()
            source["service"] = first.pk if first else None
    values = FreeTimesForm({key: value or "" for key, value in source.items()})
    return values.cleaned_data if values.is_valid() else {}


def _free_times_context(values: dict) -> dict:
    service, day = values.get("service"), values.get("day")
    if service is None or day is None:
        return {"free_times": [], "free_times_asked": False}
    return {
        "free_times": slot_list_available(
            service=service, first_day=day, practitioner=values.get("practitioner"), closures=False
        ),
        "free_times_asked": True,
        "free_times_day": day,
        "free_times_service": service,
        "free_times_practitioner": values.get("practitioner"),
    }
