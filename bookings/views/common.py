"""What the patient-facing booking views share: the journey's session state, the day picker,
and the page that explains why a link in an email won't do."""

import calendar
from datetime import date, timedelta
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Appointment, Practitioner, Service
from ..selectors import closure_on, slot_days_available, slot_list_available
from ..services import DiscountCodeInvalid, booking_quote, discount_code_check

SESSION_KEY = "booking"
CONFIRMED_KEY = "booking_confirmed"
TAKEN_KEY = "booking_taken"
DAYS_PER_PAGE = 7


def session_state(request: HttpRequest) -> dict:
    return dict(request.session.get(SESSION_KEY, {}))


def session_state_update(request: HttpRequest, **changes) -> None:
    request.session[SESSION_KEY] = {**session_state(request), **changes}


def code_offer(request: HttpRequest, service: Service) -> dict:
    """What the journey's code (from a "Save 15%" link) does for ``service``, from step one.

    ``quote`` is the price with the saving when it applies; ``code_problem`` says why not
    (for example, the offer is for the first consultation, not a follow-up) and
    ``code_services`` are the appointments it does apply to, to offer instead.
    """
    code = session_state(request).get("code", "")
    if not code:
        return {}
    try:
        discount = discount_code_check(code=code, service=service)
    except DiscountCodeInvalid as exc:
        services = []
        if exc.code == "wrong_service":
            services = [s for s in Service.objects.filter(active=True) if s != service]
            services = [s for s in services if _code_applies(code, s)]
        return {"code": code, "code_problem": exc.message, "code_services": services}
    return {"code": code, "quote": booking_quote(service=service, discount=discount)}


def _code_applies(code: str, service: Service) -> bool:
    try:
        discount_code_check(code=code, service=service)
    except DiscountCodeInvalid:
        return False
    return True


def month_view(*, free_days: set[date], month: date, today: date) -> dict:
    """A month of weeks (Monday first) for picking a day; only days with free times are links."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    last_month = today + timedelta(days=settings.BOOKING_HORIZON_DAYS)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return {
        "month_start": month,
        "month_weeks": [
            [
                {"day": day, "in_month": day.month == month.month, "free": day in free_days}
                for day in week
            ]
            for week in weeks
        ],
        "previous_month": previous if previous >= today.replace(day=1) else None,
        "next_month": following if following <= last_month else None,
    }


def day_picker(
    *,
    service: Service,
    practitioner: Practitioner | None,
    wanted: date | None,
    month: date | None = None,
    exclude_appointment_id: int | None = None,
) -> dict:
    """Free times from today to the horizon, a page of days at a time, ``wanted`` selected.
    ``exclude_appointment_id``: the appointment being moved, whose own time is free to it."""
    today = timezone.localdate()
    by_day = slot_days_available(
        slots=slot_list_available(
            service=service,
            first_day=today,
            last_day=today + timedelta(days=settings.BOOKING_HORIZON_DAYS),
            practitioner=practitioner,
            exclude_appointment_id=exclude_appointment_id,
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
        "day_notice": day_notice(wanted, today=today) if wanted and wanted != selected else "",
        **month_view(
            free_days=set(days),
            month=(month or selected or today).replace(day=1),
            today=today,
        ),
    }


def day_notice(day: date, *, today: date) -> str:
    """Why ``day``, which a patient asked for, has no times: said, not silently replaced."""
    label = day.strftime("%A %-d %B %Y")
    if day < today:
        return _("%(day)s has passed.") % {"day": label}
    if day > today + timedelta(days=settings.BOOKING_HORIZON_DAYS):
        return _("%(day)s is too far ahead: you can book up to %(days)d days ahead.") % {
            "day": label,
            "days": settings.BOOKING_HORIZON_DAYS,
        }
    if reason := closure_on(day):
        return _("The clinic is closed on %(day)s (%(reason)s).") % {"day": label, "reason": reason}
    if day.weekday() == 6:
        return _("The clinic is closed on Sundays.")
    return _("There are no free times left on %(day)s.") % {"day": label}


def inside_cutoff(start, *, now=None) -> bool:
    """Whether ``start`` is already too close to move or cancel online (say so before booking)."""
    now = now or timezone.now()
    return start - now < timedelta(hours=settings.BOOKING_CANCEL_CUTOFF_HOURS)


def confirmed_remember(request: HttpRequest, appointment: Appointment) -> None:
    """Let this browser (and only this one) see the confirmation page of ``appointment``."""
    confirmed = request.session.get(CONFIRMED_KEY, [])
    request.session[CONFIRMED_KEY] = [*confirmed, appointment.reference][-20:]


class LinkProblem(Exception):
    """A link from an email that cannot be used; :func:`link_problems` tells the patient why."""

    def __init__(self, *, status: int, title: str, message: str = "") -> None:
        super().__init__(title)
        self.status, self.title, self.message = status, title, message


def link_problems(view):
    """Render a :class:`LinkProblem` raised by ``view`` as a page with its status."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except LinkProblem as problem:
            return render(
                request,
                "bookings/link_problem.html",
                {"title": problem.title, "message": problem.message},
                status=problem.status,
            )

    return wrapper
