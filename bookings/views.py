"""The booking journey: service, time, details, review, confirmation. Works without JavaScript.

The journey's state lives in the session under ``booking`` (service, practitioner, start, the
patient's contact details, the discount code from ``?code=``); nothing medical is kept there.
References confirmed in this session are kept under ``booking_confirmed`` so that only the
browser that booked can see the confirmation page and its calendar file.
"""

import re
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from assessments.journey import SUBMISSION_SESSION_KEY
from assessments.models import Submission
from clinic.ratelimits import rate_limit, rate_per_day_from_setting

from .calendar import appointment_calendar_links, appointment_ics, practitioner_feed_ics
from .forms import DetailsForm, SlotChoiceForm, WaitlistForm, parse_day, parse_start
from .models import Appointment, AppointmentStatusChange, Practitioner, Service, WaitlistEntry
from .selectors import clinic_tz, slot_days_available, slot_list_available
from .services import (
    AppointmentStatusError,
    BookingError,
    ChangeTooLate,
    DiscountCodeInvalid,
    Patient,
    SlotTaken,
    SlotUnavailable,
    appointment_book,
    appointment_cancel,
    appointment_move,
    booking_quote,
    discount_code_check,
    waitlist_join,
    waitlist_offer_book,
)
from .tokens import (
    TokenInvalid,
    manage_token_make,
    manage_token_read,
    waitlist_offer_token_read,
)

SESSION_KEY = "booking"
CONFIRMED_KEY = "booking_confirmed"
DAYS_PER_PAGE = 7


def _state(request: HttpRequest) -> dict:
    return dict(request.session.get(SESSION_KEY, {}))


def _state_update(request: HttpRequest, **changes) -> None:
    request.session[SESSION_KEY] = {**_state(request), **changes}


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: which appointment. ``?code=`` (from the "Save 15%" links) is kept for later."""
    code = request.GET.get("code", "").strip()[:40]
    if code:
        _state_update(request, code=code)
    services = Service.objects.filter(active=True)
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
            "services": services,
            "error": error,
            "code": _state(request).get("code", ""),
            "chosen": _state(request).get("service", ""),
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
        offered: set[datetime] = set()
        if start is not None:
            day = start.astimezone(clinic_tz()).date()
            offered = {
                slot.start
                for slot in slot_list_available(
                    service=service, first_day=day, practitioner=practitioner
                )
            }
        form = SlotChoiceForm(request.POST, offered=offered)
        if form.is_valid():
            _state_update(
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
    picker = _day_picker(service=service, practitioner=practitioner, wanted=wanted)
    state = _state(request)
    return render(
        request,
        "bookings/slots.html",
        {
            **picker,
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


def _day_picker(
    *, service: Service, practitioner: Practitioner | None, wanted: date | None
) -> dict:
    """Free times from today to the horizon, a page of days at a time, ``wanted`` selected."""
    today = timezone.localdate()
    by_day = slot_days_available(
        slots=slot_list_available(
            service=service,
            first_day=today,
            last_day=today + timedelta(days=settings.BOOKING_HORIZON_DAYS),
            practitioner=practitioner,
        )
    )
    days = sorted(by_day)
    index = next((i for i, day in enumerate(days) if wanted and day >= wanted), 0)
    page_start = index - index % DAYS_PER_PAGE
    selected = days[index] if days else None
    return {
        "days": days[page_start : page_start + DAYS_PER_PAGE],
        "earlier": days[page_start - DAYS_PER_PAGE] if page_start else None,
        "later": days[page_start + DAYS_PER_PAGE]
        if page_start + DAYS_PER_PAGE < len(days)
        else None,
        "selected_day": selected,
        "day_slots": by_day.get(selected, []),
    }


def _shared_submission(request: HttpRequest) -> Submission | None:
    """The self-assessment this browser stored with consent, if it still exists."""
    submission_id = request.session.get(SUBMISSION_SESSION_KEY)
    if not isinstance(submission_id, int):
        return None
    return Submission.objects.filter(pk=submission_id).first()


def _journey(request: HttpRequest) -> tuple[Service, Practitioner | None, datetime] | None:
    """The service, practitioner and start chosen so far, or ``None`` if they are missing."""
    state = _state(request)
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
    state = _state(request)
    offer_assessment = _shared_submission(request) is not None
    if request.method == "POST":
        form = DetailsForm(request.POST, service=service, offer_assessment=offer_assessment)
        if form.is_valid():
            patient = {
                key: form.cleaned_data[key]
                for key in ("name", "email", "phone", "notes", "discount_code")
            }
            _state_update(
                request,
                details=patient,
                consent=settings.PRIVACY_NOTICE_VERSION,
                share_assessment=bool(form.cleaned_data.get("share_assessment")),
            )
            return redirect("bookings:review")
    else:
        initial = dict(state.get("details") or {"discount_code": state.get("code", "")})
        initial["share_assessment"] = state.get("share_assessment", False)
        form = DetailsForm(initial=initial, service=service, offer_assessment=offer_assessment)
    return render(
        request,
        "bookings/details.html",
        {"form": form, "service": service, "practitioner": practitioner, "start": start},
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
    state = _state(request)
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
        except (SlotTaken, SlotUnavailable) as exc:
            return _slots_render(
                request,
                service=service,
                practitioner=practitioner,
                wanted=start.astimezone(clinic_tz()).date(),
                taken_message=exc.message,
                status=409,
            )
        except DiscountCodeInvalid as exc:
            discount, discount_error = None, exc.message
        else:
            request.session.pop(SESSION_KEY, None)
            confirmed = request.session.get(CONFIRMED_KEY, [])
            request.session[CONFIRMED_KEY] = [*confirmed, appointment.reference][-20:]
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
        },
        status=409 if request.method == "POST" else 200,
    )


def _confirmed_appointment(request: HttpRequest, reference: str) -> Appointment:
    if reference not in request.session.get(CONFIRMED_KEY, []):
        raise Http404("Not an appointment booked in this browser session.")
    return get_object_or_404(
        Appointment.objects.select_related("service", "practitioner"), reference=reference
    )


@never_cache
@require_GET
def confirmed(request: HttpRequest, reference: str) -> HttpResponse:
    """Step 5: the reference, time, practitioner and price, a calendar file and links."""
    appointment = _confirmed_appointment(request, reference)
    return render(
        request,
        "bookings/confirmed.html",
        {
            "appointment": appointment,
            "calendar_links": appointment_calendar_links(appointment=appointment),
            "cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS,
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


# --- Manage an appointment (the signed link in every email) ----------------------------------


def _link_problem(request: HttpRequest, *, status: int, title: str, message: str) -> HttpResponse:
    return render(
        request,
        "bookings/link_problem.html",
        {"title": title, "message": message},
        status=status,
    )


def _managed_appointment(request: HttpRequest, token: str) -> Appointment | HttpResponse:
    """The appointment a manage link is for, or the page that explains why the link won't do."""
    try:
        appointment_id, version = manage_token_read(token)
    except TokenInvalid:
        return _link_problem(
            request,
            status=400,
            title=_("This link doesn't work"),
            message=_(
                "The link may have been cut short or changed when it was copied. Open it "
                "straight from our email, or call us."
            ),
        )
    appointment = (
        Appointment.objects.select_related("service", "practitioner")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        return _link_problem(
            request,
            status=404,
            title=_("We can't find this appointment"),
            message=_("Please call us and we will help."),
        )
    if appointment.version != version:
        return _link_problem(
            request,
            status=410,
            title=_("This link has been replaced"),
            message=_(
                "The appointment has been moved or cancelled since we sent this link. Use the "
                "link in our most recent email about it, or call us."
            ),
        )
    if appointment.end <= timezone.now():
        return _link_problem(
            request,
            status=410,
            title=_("This appointment has passed"),
            message=_("Links to manage an appointment stop working once it is over."),
        )
    return appointment


def _can_change_online(appointment: Appointment) -> bool:
    return appointment.status == Appointment.Status.CONFIRMED and appointment.start - (
        timezone.now()
    ) >= timedelta(hours=settings.BOOKING_CANCEL_CUTOFF_HOURS)


def _manage_redirect(appointment: Appointment) -> HttpResponse:
    token = manage_token_make(appointment_id=appointment.pk, version=appointment.version)
    return redirect("bookings:manage", token=token)


@never_cache
@require_GET
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """See an appointment, with ways to move or cancel it (or whom to call inside the cut-off)."""
    appointment = _managed_appointment(request, token)
    if isinstance(appointment, HttpResponse):
        return appointment
    return render(
        request,
        "bookings/manage.html",
        {
            "appointment": appointment,
            "token": token,
            "can_change": _can_change_online(appointment),
            "cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS,
            "calendar_links": appointment_calendar_links(appointment=appointment),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.manage_cancel", rate="10/m", method="POST")
def manage_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Ask "are you sure?" (GET), then cancel (POST)."""
    appointment = _managed_appointment(request, token)
    if isinstance(appointment, HttpResponse):
        return appointment
    if not _can_change_online(appointment):
        return redirect("bookings:manage", token=token)
    if request.method == "POST":
        try:
            appointment_cancel(appointment=appointment, by_patient=True)
        except (ChangeTooLate, AppointmentStatusError) as exc:
            messages.warning(request, exc.message)
            return redirect("bookings:manage", token=token)
        messages.success(
            request,
            _("Your appointment is cancelled. We have emailed you to confirm."),
        )
        return _manage_redirect(appointment)
    return render(
        request, "bookings/manage_cancel.html", {"appointment": appointment, "token": token}
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.manage_move", rate="10/m", method="POST")
def manage_move(request: HttpRequest, token: str) -> HttpResponse:
    """Choose another free time with the same practitioner; the move is one transaction."""
    appointment = _managed_appointment(request, token)
    if isinstance(appointment, HttpResponse):
        return appointment
    if not _can_change_online(appointment):
        return redirect("bookings:manage", token=token)
    service, practitioner = appointment.service, appointment.practitioner
    form, taken_message, status = None, "", 200
    if request.method == "POST":
        start = parse_start(request.POST.get("slot", ""))
        offered: set[datetime] = set()
        if start is not None:
            offered = {
                slot.start
                for slot in slot_list_available(
                    service=service,
                    first_day=start.astimezone(clinic_tz()).date(),
                    practitioner=practitioner,
                )
            }
        form = SlotChoiceForm(request.POST, offered=offered)
        if form.is_valid():
            try:
                appointment_move(
                    appointment=appointment,
                    start=form.cleaned_data["slot"],
                    source=AppointmentStatusChange.Source.PATIENT,
                )
            except (SlotTaken, SlotUnavailable) as exc:
                taken_message, status = exc.message, 409
            except (ChangeTooLate, AppointmentStatusError) as exc:
                messages.warning(request, exc.message)
                return redirect("bookings:manage", token=token)
            else:
                messages.success(
                    request,
                    _("Your appointment has been moved. We have emailed you the new details."),
                )
                return _manage_redirect(appointment)
        else:
            status = 400
    wanted = parse_day(request.GET.get("date", ""))
    return render(
        request,
        "bookings/manage_move.html",
        {
            **_day_picker(service=service, practitioner=practitioner, wanted=wanted),
            "appointment": appointment,
            "token": token,
            "form": form,
            "taken_message": taken_message,
        },
        status=status,
    )


# --- Waitlist ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.waitlist", rate="10/m", method="POST")
def waitlist(request: HttpRequest) -> HttpResponse:
    """No time suits: leave details for a service and a range of days."""
    if request.method == "POST":
        form = WaitlistForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            waitlist_join(
                service=data["service"],
                practitioner=data["practitioner"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                patient=Patient(name=data["name"], email=data["email"], phone=data["phone"]),
                privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
            )
            return redirect("bookings:waitlist_joined")
    else:
        today = timezone.localdate()
        initial = {"first_day": today, "last_day": today + timedelta(days=14)}
        service = Service.objects.filter(active=True, slug=request.GET.get("service", "")).first()
        if service is not None:
            initial["service"] = service
        form = WaitlistForm(initial=initial)
    return render(
        request, "bookings/waitlist.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def waitlist_joined(request: HttpRequest) -> HttpResponse:
    return render(request, "bookings/waitlist_joined.html")


def _offer_still_free(entry: WaitlistEntry, practitioner: Practitioner, start: datetime) -> bool:
    day = start.astimezone(clinic_tz()).date()
    return any(
        slot.start == start
        for slot in slot_list_available(
            service=entry.service, first_day=day, practitioner=practitioner
        )
    )


def _offer_gone(request: HttpRequest, entry: WaitlistEntry, message: str) -> HttpResponse:
    """That time has gone: say so, with other free times for the days the patient wanted."""
    other = slot_days_available(
        slots=slot_list_available(
            service=entry.service,
            first_day=max(entry.first_day, timezone.localdate()),
            last_day=entry.last_day,
            practitioner=entry.practitioner,
        )
    )
    return render(
        request,
        "bookings/waitlist_gone.html",
        {"entry": entry, "message": message, "days": sorted(other)[:DAYS_PER_PAGE]},
        status=410,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.waitlist_offer", rate="10/m", method="POST")
def waitlist_offer(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a waitlist email: confirm (POST; email scanners only GET) and it is booked."""
    try:
        offer = waitlist_offer_token_read(token)
    except TokenInvalid:
        return _link_problem(
            request,
            status=400,
            title=_("This link doesn't work"),
            message=_("Open it straight from our email, or call us."),
        )
    entry = (
        WaitlistEntry.objects.select_related("service", "practitioner")
        .filter(pk=offer.entry_id)
        .first()
    )
    practitioner = Practitioner.objects.filter(pk=offer.practitioner_id, active=True).first()
    if entry is None or practitioner is None:
        return _link_problem(
            request,
            status=404,
            title=_("We can't find this offer"),
            message=_("Please call us and we will help."),
        )
    if entry.status != WaitlistEntry.Status.WAITING:
        return _link_problem(
            request,
            status=410,
            title=_("You're no longer on the waitlist"),
            message=_("You have booked from the waitlist already, or left it."),
        )
    gone = _("Sorry, someone else booked that time first.")
    if request.method == "POST":
        try:
            appointment = waitlist_offer_book(
                entry=entry, practitioner=practitioner, start=offer.start
            )
        except (SlotTaken, SlotUnavailable):
            return _offer_gone(request, entry, gone)
        except BookingError as exc:
            return _link_problem(request, status=410, title=exc.message, message="")
        confirmed = request.session.get(CONFIRMED_KEY, [])
        request.session[CONFIRMED_KEY] = [*confirmed, appointment.reference][-20:]
        return redirect("bookings:confirmed", reference=appointment.reference)
    if not _offer_still_free(entry, practitioner, offer.start):
        return _offer_gone(request, entry, gone)
    return render(
        request,
        "bookings/waitlist_offer.html",
        {"entry": entry, "practitioner": practitioner, "start": offer.start, "token": token},
    )


# --- Practitioners' calendar feeds ------------------------------------------------------------


@require_GET
@rate_limit(group="bookings.views.practitioner_feed", rate="60/m")
def practitioner_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A practitioner's appointments as iCalendar, at a secret address (see ``calendar.py``)."""
    practitioner = get_object_or_404(Practitioner, feed_token=token[:64], active=True)
    since = timezone.now() - timedelta(days=30)
    appointments = (
        Appointment.objects.active()
        .filter(practitioner=practitioner, start__gte=since)
        .select_related("service")
        .order_by("start")
    )
    response = HttpResponse(
        practitioner_feed_ics(practitioner=practitioner, appointments=appointments),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
