"""Writes for booking. The public journey, the JSON API and staff all book through
:func:`appointment_book`, so one path holds the rules.

How a double booking is made impossible:

* **PostgreSQL**: the exclusion constraint ``appointment_no_overlap`` (see ``bookings.db``)
  rejects a second non-cancelled appointment whose ``[start, blocked_until)`` overlaps another
  of the same practitioner. The service checks first (to answer quickly and to tell "not a
  bookable time" from "just taken"), but two requests can both pass the check; the constraint
  is what decides, and its violation becomes :class:`SlotTaken`. Each insert first locks its
  practitioner's row, so overlapping inserts queue instead of deadlocking on each other's
  uncommitted rows; should a deadlock happen anyway it is also read as :class:`SlotTaken`.
* **SQLite** (development): there are no exclusion constraints, but SQLite has one writer at a
  time. The transaction's first statement is a write, which takes the database's write lock
  before anything is read, so the check and the insert of concurrent bookings run one after
  the other. (A read first would let two transactions hold read locks and then fail to upgrade
  with "database is locked".)

Discount limits: ``times_used`` is raised by a conditional ``UPDATE`` (``times_used <
max_uses``) in the booking transaction, after the appointment row is in, so a booking that
fails on its slot uses nothing and the limit holds under concurrency. The ``UPDATE`` also locks
the code's row until commit, which serialises the per-email count; a unique ``(code, email,
sequence)`` on the redemption is the database's last word on it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clinic.notifications.services import notification_queue, staff_recipients

from .availability import slot_is_free
from .calendar import appointment_calendar_links, appointment_ics
from .db import APPOINTMENT_NO_OVERLAP
from .models import Appointment, DiscountCode, DiscountRedemption, Practitioner, Service
from .pricing import Quote, quote_calculate
from .selectors import (
    booking_step,
    booking_window,
    clinic_tz,
    discount_code_get,
    practitioner_list_for_service,
    practitioner_schedule_list,
)


class BookingError(Exception):
    """A booking that cannot be made, with a message for the patient."""

    code = "booking_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class SlotUnavailable(BookingError):
    """The start is not a time this service can be booked at all (hours, grid, notice)."""

    code = "slot_unavailable"


class SlotTaken(BookingError):
    """The start is a bookable time but someone else has it (often: just booked it)."""

    code = "slot_taken"


class DiscountCodeInvalid(BookingError):
    """The discount code cannot be used; ``code`` says why (``unknown``, ``expired``, ...)."""

    code = "discount_invalid"


class AppointmentStatusError(BookingError):
    code = "status_change_not_allowed"


@dataclass(frozen=True, slots=True)
class Patient:
    name: str
    email: str
    phone: str
    notes: str = ""


def email_normalise(email: str) -> str:
    return email.strip().lower()


def discount_code_check(
    *, code: str, service: Service, email: str = "", now: datetime | None = None
) -> DiscountCode:
    """The :class:`DiscountCode` for ``code`` if this patient may use it now for ``service``.

    Raises :class:`DiscountCodeInvalid` with the reason as its ``code``. Reads only: the
    booking service re-checks the limits with a conditional update when it books.
    """
    now = now or timezone.now()
    discount = discount_code_get(code=code)
    if discount is None:
        raise DiscountCodeInvalid(
            _("We don't recognise that discount code. Check the spelling, or leave it empty."),
            code="unknown",
        )
    name = discount.code
    if not discount.active:
        raise DiscountCodeInvalid(
            _("The discount code %(code)s is no longer active.") % {"code": name},
            code="inactive",
        )
    if discount.valid_from and now < discount.valid_from:
        raise DiscountCodeInvalid(
            _("The discount code %(code)s can be used from %(date)s.")
            % {"code": name, "date": date_format(timezone.localtime(discount.valid_from))},
            code="not_yet_valid",
        )
    if discount.valid_until and now > discount.valid_until:
        raise DiscountCodeInvalid(
            _("The discount code %(code)s expired on %(date)s.")
            % {"code": name, "date": date_format(timezone.localtime(discount.valid_until))},
            code="expired",
        )
    services = list(discount.services.all())
    if services and service not in services:
        raise DiscountCodeInvalid(
            _("The discount code %(code)s can't be used for %(service)s; it applies to %(list)s.")
            % {
                "code": name,
                "service": service.name,
                "list": ", ".join(s.name for s in services),
            },
            code="wrong_service",
        )
    if discount.max_uses is not None and discount.times_used >= discount.max_uses:
        raise _used_up(discount)
    if email and discount.max_uses_per_email is not None:
        used = DiscountRedemption.objects.filter(
            code=discount, email=email_normalise(email)
        ).count()
        if used >= discount.max_uses_per_email:
            raise _used_by_email(discount)
    return discount


def _used_up(discount: DiscountCode) -> DiscountCodeInvalid:
    return DiscountCodeInvalid(
        _("The discount code %(code)s has been used as many times as it can be.")
        % {"code": discount.code},
        code="used_up",
    )


def _used_by_email(discount: DiscountCode) -> DiscountCodeInvalid:
    return DiscountCodeInvalid(
        _("The discount code %(code)s has already been used with this email address.")
        % {"code": discount.code},
        code="used_by_email",
    )


def booking_quote(*, service: Service, discount: DiscountCode | None) -> Quote:
    return quote_calculate(
        price=service.price, percent_off=discount.percent_off if discount else None
    )


def appointment_book(
    *,
    service: Service,
    start: datetime,
    patient: Patient,
    booked_via: Appointment.BookedVia,
    practitioner: Practitioner | None = None,
    discount_code: str = "",
    booked_by=None,
    privacy_notice_version: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Book ``service`` at ``start`` with ``practitioner`` (or the first one free) for ``patient``.

    Raises :class:`SlotUnavailable` if ``start`` is not a bookable time for the service,
    :class:`SlotTaken` if it is but nobody is free (a lost race included), and
    :class:`DiscountCodeInvalid` if the code cannot be used. Nothing is stored on any error.
    Queues the patient's confirmation and the staff notification to send after commit.
    """
    now = now or timezone.now()
    if start.tzinfo is None or start.utcoffset() is None:
        raise SlotUnavailable(_("The start time must include its time zone."))
    if not service.active:
        raise SlotUnavailable(_("%(service)s can't be booked online.") % {"service": service})
    email = patient.email.strip()

    with transaction.atomic():
        if connection.vendor == "sqlite":
            # Take SQLite's write lock first (a write that changes nothing), so concurrent
            # bookings check and insert one at a time. PostgreSQL relies on its constraint.
            Service.objects.filter(pk=service.pk).update(active=F("active"))

        free = _practitioners_free_at(
            service=service, practitioner=practitioner, start=start, now=now
        )
        discount = None
        if discount_code.strip():
            discount = discount_code_check(
                code=discount_code, service=service, email=email, now=now
            )
        quote = booking_quote(service=service, discount=discount)

        appointment = None
        for candidate in free:
            appointment = Appointment(
                practitioner=candidate,
                service=service,
                start=start,
                end=start + service.duration,
                blocked_until=start + service.duration + service.buffer_after,
                patient_name=patient.name.strip(),
                patient_email=email,
                patient_phone=patient.phone.strip(),
                notes=patient.notes.strip(),
                price=quote.price,
                discount_code=discount,
                discount_code_text=discount.code if discount else "",
                discount_percent=discount.percent_off if discount else None,
                discount_amount=quote.discount,
                total=quote.total,
                booked_via=booked_via,
                booked_by=booked_by,
                privacy_notice_version=privacy_notice_version,
            )
            try:
                # A savepoint, so that losing this practitioner leaves the transaction usable
                # for the next one.
                with transaction.atomic():
                    _practitioner_lock(candidate)
                    appointment.save(force_insert=True)
                break
            except (IntegrityError, OperationalError) as exc:
                if not _is_overlap(exc):
                    raise
                appointment = None
        if appointment is None:
            raise SlotTaken(_("That time has just been taken. Please choose another."))

        if discount is not None:
            _discount_redeem(discount=discount, appointment=appointment, email=email)
        _appointment_notifications_queue(appointment=appointment)
    return appointment


def _practitioners_free_at(
    *, service: Service, practitioner: Practitioner | None, start: datetime, now: datetime
) -> list[Practitioner]:
    """Practitioners who can take ``service`` at ``start``, in display order."""
    tz = clinic_tz()
    day = start.astimezone(tz).date()
    candidates = practitioner_list_for_service(service=service, practitioner=practitioner)
    schedules, clinic_busy = practitioner_schedule_list(
        practitioners=candidates, first_day=day, last_day=day
    )
    not_before, not_after = booking_window(now=now)
    rules = {
        "start": start,
        "duration": service.duration,
        "buffer_after": service.buffer_after,
        "step": booking_step(),
        "not_before": not_before,
        "not_after": not_after,
        "tz": tz,
    }
    bookable = [
        schedule
        for schedule in schedules
        if slot_is_free(schedule=dataclasses.replace(schedule, busy=()), **rules)
    ]
    if not bookable:
        raise SlotUnavailable(
            _("That is not a time %(service)s can be booked. Please choose a time from the list.")
            % {"service": service}
        )
    free = [
        schedule.practitioner
        for schedule in bookable
        if slot_is_free(schedule=schedule, clinic_busy=clinic_busy, **rules)
    ]
    if not free:
        raise SlotTaken(_("That time has just been taken. Please choose another."))
    return free


def _practitioner_lock(practitioner: Practitioner) -> None:
    """Queue bookings for one practitioner behind each other until commit.

    Not for correctness (the exclusion constraint is the last word) but for speed: without it,
    two overlapping inserts in flight wait on each other's uncommitted row and PostgreSQL can
    only break the deadlock after ``deadlock_timeout``. With it, the second insert waits for
    the first to commit and then fails the constraint at once. Candidates are always tried in
    the same order, so these locks cannot deadlock among themselves.
    """
    if connection.vendor == "postgresql":
        list(Practitioner.objects.select_for_update().filter(pk=practitioner.pk).values_list("pk"))


def _is_overlap(exc: IntegrityError | OperationalError) -> bool:
    """Whether inserting an appointment failed because another holds an overlapping time.

    That is an exclusion violation (23P01) or, when two overlapping inserts are in flight at
    once, a deadlock (40P01): each waits for the other's uncommitted row, PostgreSQL aborts one
    and the other goes on to commit. Either way the time has been taken.
    """
    cause = exc.__cause__
    sqlstate = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    if isinstance(exc, OperationalError):
        return sqlstate == "40P01"
    return sqlstate == "23P01" or APPOINTMENT_NO_OVERLAP in str(exc)


def _discount_redeem(*, discount: DiscountCode, appointment: Appointment, email: str) -> None:
    """Count one use of ``discount``, within its limits, or raise :class:`DiscountCodeInvalid`."""
    # The condition is evaluated against the latest committed row (PostgreSQL re-checks it
    # after waiting for a concurrent update), so max_uses holds however many book at once.
    used = (
        DiscountCode.objects.filter(pk=discount.pk, active=True)
        .filter(Q(max_uses__isnull=True) | Q(times_used__lt=F("max_uses")))
        .update(times_used=F("times_used") + 1)
    )
    if not used:
        discount.refresh_from_db(fields=["active", "times_used"])
        if not discount.active:
            raise DiscountCodeInvalid(
                _("The discount code %(code)s is no longer active.") % {"code": discount.code},
                code="inactive",
            )
        raise _used_up(discount)
    address = email_normalise(email)
    # The UPDATE above holds the code's row lock until commit, so no other booking with this
    # code is between its count and its insert.
    uses = DiscountRedemption.objects.filter(code=discount, email=address).aggregate(
        count=Count("pk"), last=Max("sequence")
    )
    if discount.max_uses_per_email is not None and uses["count"] >= discount.max_uses_per_email:
        raise _used_by_email(discount)
    try:
        with transaction.atomic():
            DiscountRedemption.objects.create(
                code=discount,
                appointment=appointment,
                email=address,
                sequence=(uses["last"] or 0) + 1,
            )
    except IntegrityError as exc:
        raise _used_by_email(discount) from exc


def appointment_cancel(*, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """Cancel a confirmed appointment: its time is free again and a discount use is given back."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != Appointment.Status.CONFIRMED:
            raise AppointmentStatusError(
                _("Only a confirmed appointment can be cancelled; this one is %(status)s.")
                % {"status": locked.get_status_display().lower()}
            )
        locked.status = Appointment.Status.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        redemption = DiscountRedemption.objects.filter(appointment=locked).first()
        if redemption is not None:
            DiscountCode.objects.filter(pk=redemption.code_id, times_used__gt=0).update(
                times_used=F("times_used") - 1
            )
            redemption.delete()
    appointment.status, appointment.cancelled_at = locked.status, locked.cancelled_at
    return appointment


def _appointment_notifications_queue(*, appointment: Appointment) -> None:
    """The patient's confirmation (with the .ics) and the staff notice, sent after commit."""
    context = appointment_email_context(appointment=appointment)
    notification_queue(
        key=f"booking:{appointment.pk}:confirmation",
        to=[appointment.patient_email],
        subject=_("Your appointment on %(when)s (ref. %(reference)s)")
        % {"when": context["when"], "reference": appointment.reference},
        template="emails/bookings/confirmation",
        context={**context, "calendar_links": appointment_calendar_links(appointment=appointment)},
        reply_to=[settings.CLINIC_EMAIL],
        attachments=[
            ("appointment.ics", appointment_ics(appointment=appointment), "text/calendar")
        ],
        source=appointment,
    )
    if settings.STAFF_NOTIFICATION_EMAILS:
        notification_queue(
            key=f"booking:{appointment.pk}:staff",
            to=staff_recipients(),
            subject=_("New booking: %(service)s, %(when)s with %(practitioner)s")
            % {
                "service": context["service"],
                "when": context["when"],
                "practitioner": context["practitioner"],
            },
            template="emails/bookings/staff_new_booking",
            context=context,
            reply_to=[appointment.patient_email],
            source=appointment,
        )


def appointment_email_context(*, appointment: Appointment) -> dict:
    """Plain values for the email templates (they may be rendered later, by a worker)."""
    start = timezone.localtime(appointment.start)
    return {
        "reference": appointment.reference,
        "patient_name": appointment.patient_name,
        "patient_email": appointment.patient_email,
        "patient_phone": appointment.patient_phone,
        "notes": appointment.notes,
        "service": appointment.service.name,
        "practitioner": appointment.practitioner.name,
        "when": f"{date_format(start, 'l j F Y')} at {start:%H:%M}",
        "duration_minutes": int((appointment.end - appointment.start).total_seconds() // 60),
        "price": f"{appointment.price:.2f}",
        "discount": f"{appointment.discount_amount:.2f}",
        "discount_label": appointment.discount_label,
        "total": f"{appointment.total:.2f}",
        "booked_via": appointment.get_booked_via_display(),
        "clinic_name": settings.CLINIC_NAME,
        "clinic_address": settings.CLINIC_ADDRESS,
        "clinic_phone": settings.CLINIC_PHONE,
        "site_url": settings.SITE_URL,
        "admin_url": f"{settings.SITE_URL}/{settings.ADMIN_URL}bookings/appointment/"
        f"{appointment.pk}/change/",
    }
