"""Booking by phone: a receptionist books for a patient through ``appointment_book``."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..admin_forms import (
    PhoneBookingForm,
)
from ..forms import parse_start
from ..models import Appointment, Practitioner, Service
from ..selectors import clinic_tz, closure_on, slot_list_available
from ..services import (
    DiscountCodeInvalid,
    Patient,
    SlotTaken,
    SlotUnavailable,
    appointment_book,
)
from .common import admin_context, int_or_none, require


def phone_booking_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Book for a patient on the phone or at the desk, through ``appointment_book``."""
    require(request, model_admin.has_add_permission(request))
    if request.method == "POST":
        form = PhoneBookingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = appointment_book(
                    service=data["service"],
                    practitioner=data["practitioner"],
                    start=data["start"],
                    patient=Patient(
                        name=data["name"],
                        email=data["email"],
                        phone=data["phone"],
                        notes=data["notes"],
                    ),
                    discount_code=data["discount_code"],
                    booked_via=Appointment.BookedVia.STAFF,
                    actor=request.user,
                    notify_patient=data["send_confirmation"],
                )
            except DiscountCodeInvalid as exc:
                form.add_error("discount_code", exc.message)
            except (SlotTaken, SlotUnavailable) as exc:
                form.add_error("time", exc.message)
            else:
                emailed = (
                    _("confirmation emailed to the patient")
                    if data["send_confirmation"]
                    else _("no email sent to the patient")
                )
                messages.success(
                    request,
                    _("Booked %(reference)s: %(service)s with %(who)s, %(when)s (%(emailed)s).")
                    % {
                        "reference": appointment.reference,
                        "service": appointment.service.name,
                        "who": appointment.practitioner.name,
                        "when": timezone.localtime(appointment.start).strftime("%a %d %b %H:%M"),
                        "emailed": emailed,
                    },
                )
                if closure := closure_on(timezone.localdate(appointment.start)):
                    messages.warning(request, _("The clinic is closed that day: %s.") % closure)
                return redirect("admin:bookings_appointment_change", appointment.pk)
    else:
        initial = {"send_confirmation": True}
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
        form = PhoneBookingForm(initial=initial)
    free_times = _free_times(form)
    day = (form.cleaned_data if hasattr(form, "cleaned_data") else form.initial).get("day")
    closure = closure_on(day) if day else None  # Staff may book a closed day, warned.
    return TemplateResponse(
        request,
        "admin/bookings/phone_booking.html",
        admin_context(
            model_admin,
            request,
            _("Book by phone"),
            form=form,
            free_times=free_times,
            closure=closure,
        ),
        status=400 if form.errors else 200,
    )


def _free_times(form: PhoneBookingForm) -> list:
    """The free starts for the form's service, day and practitioner, to pick from."""
    values = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else form.initial
    service = values.get("service") or Service.objects.filter(active=True).first()
    day = values.get("day")
    if service is None or day is None:
        return []
    return slot_list_available(
        service=service, first_day=day, practitioner=values.get("practitioner"), closures=False
    )
