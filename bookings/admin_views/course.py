"""Booking a course from the phone form: the plan is shown, then exactly that plan is booked."""

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..admin_forms import PhoneBookingForm, override_token
from ..models import Appointment
from ..services import (
    CourseFit,
    Patient,
    SlotTaken,
    SlotUnavailable,
    course_book,
    course_plan,
)


def course_step(request: HttpRequest, form: PhoneBookingForm) -> tuple[list | None, dict]:
    """Plan the course in ``form``; book it if the plan shown is the one confirmed.

    Returns ``(appointments, {})`` once booked, else ``(None, context for the preview)``.
    """
    data = form.cleaned_data
    visits = _plan(data)
    token = _token(visits)
    if request.POST.get("book_course") == token:
        try:
            booked = course_book(
                service=data["service"],
                visits=visits,
                patient=Patient(
                    name=data["name"], email=data["email"], phone=data["phone"], notes=data["notes"]
                ),
                actor=request.user,
                notify_patient=data["send_confirmation"],
            )
        except (SlotTaken, SlotUnavailable) as exc:
            form.add_error("time", exc.message)
            visits = _plan(data)
            token = _token(visits)
        else:
            _message(request, booked)
            return booked, {}
    return None, {
        "course_visits": visits,
        "course_token": token,
        "course_bookable": sum(visit.start is not None for visit in visits),
    }


def _plan(data: dict):
    return course_plan(
        service=data["service"],
        practitioner=data["practitioner"],
        first_start=data["start"],
        count=data["course_count"],
        every_days=data["course_every_days"],
        fit=CourseFit(data["course_fit"]),
    )


def _token(visits) -> str:
    return override_token(*(f"{v.start}|{getattr(v.practitioner, 'pk', '')}" for v in visits))


def _message(request: HttpRequest, booked: list[Appointment]) -> None:
    when = ", ".join(timezone.localtime(a.start).strftime("%a %d %b %H:%M") for a in booked)
    messages.success(
        request,
        ngettext(
            "Booked a course of %(count)d appointment: %(when)s.",
            "Booked a course of %(count)d appointments: %(when)s.",
            len(booked),
        )
        % {"count": len(booked), "when": when}
        + (" " + _("No email sent to the patient.") if not booked[0].patient_email else ""),
    )
