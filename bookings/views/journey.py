"""The booking journey: service, time, details, review, confirmation. Works without JavaScript.

The journey's state lives in the session under ``booking`` (service, practitioner, start, the
patient's contact details, the discount code from ``?code=``); nothing medical is kept there.
References confirmed in this session are kept under ``booking_confirmed`` so that only the
browser that booked can see the confirmation page and its calendar file.
"""

import re
from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from assessments.journey import SUBMISSION_SESSION_KEY
from assessments.models import Submission
from clinic.ratelimits import rate_limit, rate_per_day_from_setting

from ..calendar import appointment_calendar_links, appointment_ics
from ..forms import DetailsForm, SlotChoiceForm, parse_day, parse_month, parse_start
from ..models import Appointment, Practitioner, Service
from ..selectors import clinic_tz, slot_starts_offered
from ..services import (
    DiscountCodeInvalid,
    Patient,
    PreviousVisitRequired,
    SlotTaken,
    SlotUnavailable,
    appointment_book,
    booking_quote,
    discount_code_check,
    hold_standing,
    previous_visit_check,
)
from ..tokens import confirmation_token_make, confirmation_token_matches
from .common import (
    CONFIRMED_KEY,
    SESSION_KEY,
    TAKEN_KEY,
    code_offer,
    confirmed_remember,
    day_picker,
    inside_cutoff,
    session_state,
    session_state_update,
)


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: which appointment. ``?code=`` (from the "Save 15%" links) is kept for later."""
    code = request.GET.get("code", "").strip()[:40]
    if code:
        session_state_update(request, code=code)
    services = Service.objects.filter(active=True)
    quotes = {service.pk: code_offer(request, service).get("quote") for service in services}
    error = ""
    if "service" in request.GET:
        service = services.filter(slug=request.GET["service"][:120]).first()
        if service is not None:
            return redirect("bookings:slots", service_slug=service.slug)
        error = _("Choose the appointment you would like.")
    return render(
        request,
        "bookings/start.html",
        {
            "services": [(service, quotes.get(service.pk)) for service in services],
            "error": error,
            "code": session_state(request).get("code", ""),
            "chosen": session_state(request).get("service", ""),
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def slots(request: HttpRequest, service_slug: str) -> HttpResponse:
    """Step 2: a day and a time, with a chosen practitioner or whoever is free."""
    service = get_object_or_404(Service, slug=service_slug, active=True)
    data = request.POST if request.method == "POST" else request.GET
    practitioner = _practitioner_from(service, data.get("practitioner", ""))
    if request.method == "POST":
        start = parse_start(request.POST.get("slot", ""))
        offered = slot_starts_offered(service=service, start=start, practitioner=practitioner)
        form = SlotChoiceForm(request.POST, offered=offered)
        if form.is_valid():
            session_state_update(
                request,
                service=service.slug,
                practitioner=practitioner.slug if practitioner else "",
                start=form.cleaned_data["slot"].isoformat(),
            )
            return redirect("bookings:details")
        wanted = start.astimezone(clinic_tz()).date() if start else None
        return _slots_render(
            request, service=service, practitioner=practitioner, wanted=wanted, form=form
        )
    wanted = parse_day(request.GET.get("date", ""))
    return _slots_render(request, service=service, practitioner=practitioner, wanted=wanted)


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")


def _practitioner_from(service: Service, slug: str) -> Practitioner | None:
    if not slug or slug == "any" or not _SLUG.fullmatch(slug):
        return None
    return Practitioner.objects.bookable_for(service).filter(slug=slug).first()


def _slots_render(
    request: HttpRequest,
    *,
    service: Service,
    practitioner: Practitioner | None,
    wanted: date | None,
    form: SlotChoiceForm | None = None,
    taken_message: str = "",
    status: int | None = None,
) -> HttpResponse:
    picker = day_picker(
        service=service,
        practitioner=practitioner,
        wanted=wanted,
        month=parse_month(request.GET.get("month", "")),
    )
    state = session_state(request)
    return render(
        request,
        "bookings/slots.html",
        {
            **picker,
            **code_offer(request, service),
            "service": service,
            "practitioners": Practitioner.objects.bookable_for(service),
            "practitioner": practitioner,
            "chosen_start": state.get("start", "") if state.get("service") == service.slug else "",
            "form": form,
            "taken_message": taken_message,
            "show_practitioner": practitioner is None and len(picker["day_slots"]) > 0,
        },
        status=status or (400 if form is not None and form.errors else 200),
    )


def _shared_submission(request: HttpRequest) -> Submission | None:
    """The self-assessment this browser stored with consent, if it still exists."""
    submission_id = request.session.get(SUBMISSION_SESSION_KEY)
    if not isinstance(submission_id, int):
        return None
    return Submission.objects.filter(pk=submission_id).first()


def _journey(request: HttpRequest) -> tuple[Service, Practitioner | None, datetime] | None:
    """The service, practitioner and start chosen so far, or ``None`` if they are missing."""
    state = session_state(request)
    service = Service.objects.filter(slug=state.get("service", ""), active=True).first()
    start = parse_start(state.get("start", ""))
    if service is None or start is None:
        return None
    return service, _practitioner_from(service, state.get("practitioner", "")), start


@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.details", rate="30/m", method="POST")
def details(request: HttpRequest) -> HttpResponse:
    """Step 3: name, email, phone, optional note, discount code, privacy consent."""
    journey = _journey(request)
    if journey is None:
        messages.info(request, _("Please choose an appointment and a time first."))
        return redirect("bookings:start")
    service, practitioner, start = journey
    state = session_state(request)
    offer_assessment = _shared_submission(request) is not None
    if request.method == "POST":
        form = DetailsForm(request.POST, service=service, offer_assessment=offer_assessment)
        if form.is_valid():
            try:
                previous_visit_check(service=service, email=form.cleaned_data["email"])
            except PreviousVisitRequired as exc:
                form.add_error("email", exc.message)
        if form.is_valid():
            patient = {
                key: form.cleaned_data[key]
                for key in ("name", "email", "phone", "notes", "discount_code")
            }
            session_state_update(
                request,
                details=patient,
                consent=settings.PRIVACY_NOTICE_VERSION,
                share_assessment=bool(form.cleaned_data.get("share_assessment")),
            )
            return redirect("bookings:review")
    else:
        # A code that does not apply to this appointment was explained at step 2: not prefilled.
        code = "" if code_offer(request, service).get("code_problem") else state.get("code", "")
        initial = dict(state.get("details") or {"discount_code": code})
        initial["share_assessment"] = state.get("share_assessment", False)
        form = DetailsForm(initial=initial, service=service, offer_assessment=offer_assessment)
    return render(
        request,
        "bookings/details.html",
        {
            "form": form,
            "service": service,
            "practitioner": practitioner,
            "start": start,
            "first_visit_services": Service.objects.filter(
                active=True, requires_previous_visit=False
            )
            if service.requires_previous_visit
            else (),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.review", rate="10/m", method="POST")
@rate_limit(
    group="bookings.per-address-per-day",
    rate=rate_per_day_from_setting("BOOKING_MAX_PER_ADDRESS_PER_DAY"),
    method="POST",
)
def review(request: HttpRequest) -> HttpResponse:
    """Step 4: what it costs, then confirm (POST)."""
    journey = _journey(request)
    state = session_state(request)
    if journey is None:
        return redirect("bookings:start")
    if not state.get("details") or not state.get("consent"):
        return redirect("bookings:details")
    service, practitioner, start = journey
    details = state["details"]
    # Linked only if the patient ticked the box and the answers are still stored.
    shared = _shared_submission(request) if state.get("share_assessment") else None
    discount, discount_error = None, ""
    if details.get("discount_code"):
        try:
            discount = discount_code_check(
                code=details["discount_code"], service=service, email=details["email"]
            )
        except DiscountCodeInvalid as exc:
            discount_error = exc.message

    if request.method == "POST" and not discount_error:
        try:
            appointment = appointment_book(
                service=service,
                practitioner=practitioner,
                start=start,
                patient=Patient(
                    name=details["name"],
                    email=details["email"],
                    phone=details["phone"],
                    notes=details.get("notes", ""),
                ),
                discount_code=details.get("discount_code", ""),
                booked_via=Appointment.BookedVia.WEB,
                privacy_notice_version=state["consent"],
                assessment=shared,
            )
        except PreviousVisitRequired as exc:
            messages.error(request, exc.message)
            return redirect("bookings:details")
        except (SlotTaken, SlotUnavailable) as exc:
            # The loser gets a page of its own (not /book/review/ again), with the times left.
            request.session[TAKEN_KEY] = {"message": exc.message, "day": start.date().isoformat()}
            return redirect("bookings:taken")
        except DiscountCodeInvalid as exc:
            discount, discount_error = None, exc.message
        else:
            request.session.pop(SESSION_KEY, None)
            request.session.pop(TAKEN_KEY, None)
            confirmed_remember(request, appointment)
            return redirect("bookings:confirmed", reference=appointment.reference)

    quote = booking_quote(service=service, discount=discount)
    return render(
        request,
        "bookings/review.html",
        {
            "service": service,
            "practitioner": practitioner,
            "start": start,
            "end": start + service.duration,
            "details": details,
            "discount": discount,
            "discount_error": discount_error,
            "quote": quote,
            "shares_assessment": shared is not None,
            "inside_cutoff": inside_cutoff(start),
            "cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS,
        },
        status=409 if request.method == "POST" else 200,
    )


@never_cache
@require_GET
def taken(request: HttpRequest) -> HttpResponse:
    """Someone else booked the time while this patient was typing: the times still free."""
    journey, lost = _journey(request), request.session.get(TAKEN_KEY)
    if journey is None or not lost:
        return redirect("bookings:start")
    service, practitioner, start = journey
    return _slots_render(
        request,
        service=service,
        practitioner=practitioner,
        wanted=start.astimezone(clinic_tz()).date(),
        taken_message=lost["message"],
        status=409,
    )


def _confirmed_appointment(request: HttpRequest, reference: str) -> Appointment:
    """The appointment, for the browser that booked it or anyone with the emailed link."""
    emailed = confirmation_token_matches(request.GET.get("t", ""), reference)
    if not emailed and reference not in request.session.get(CONFIRMED_KEY, []):
        raise Http404("Not an appointment booked in this browser session.")
    return get_object_or_404(
        Appointment.objects.select_related("service", "practitioner"), reference=reference
    )


@never_cache
@require_GET
def confirmed(request: HttpRequest, reference: str) -> HttpResponse:
    """Step 5: the reference, time, practitioner and price, a calendar file and links.

    A booking held for the patient's email confirmation says so instead: check your email.
    """
    appointment = _confirmed_appointment(request, reference)
    if appointment.status in (Appointment.Status.HELD, Appointment.Status.EXPIRED):
        return render(
            request,
            "bookings/held.html",
            {"appointment": appointment, "lapsed": not hold_standing(appointment)},
        )
    return render(
        request,
        "bookings/confirmed.html",
        {
            "appointment": appointment,
            "calendar_links": appointment_calendar_links(appointment=appointment),
            "cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS,
            "token": confirmation_token_make(reference=appointment.reference),
        },
    )


@never_cache
@require_GET
def calendar_file(request: HttpRequest, reference: str) -> HttpResponse:
    appointment = _confirmed_appointment(request, reference)
    response = HttpResponse(
        appointment_ics(appointment=appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{reference}.ics"'
    return response
