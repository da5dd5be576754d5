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
  time, and the settings open every transaction with ``BEGIN IMMEDIATE``: it takes the write
  lock before anything is read, so the check and the insert of concurrent bookings run one
  after the other.

Time off added while a booking is in flight: the booking re-reads time off after it has locked
its practitioner's row, and adding time off locks the same rows first, so one of the two always
sees the other.

Changing an appointment (:func:`appointment_status_change`, :func:`appointment_move`) locks its
row (``SELECT ... FOR UPDATE``) for the whole change. Locks are always taken in the order
practitioner rows, then appointment rows, so the services cannot deadlock one another. A move
rewrites the appointment's own row in one ``UPDATE``: the new time is taken (and checked by the
exclusion constraint against everyone else's bookings) in the same statement that releases the
old one, so there is no moment when the patient holds neither or both.

Discount limits: ``times_used`` is raised by a conditional ``UPDATE`` (``times_used <
max_uses``) in the booking transaction, after the appointment row is in, so a booking that
fails on its slot uses nothing and the limit holds under concurrency. The ``UPDATE`` also locks
the code's row until commit, which serialises the per-email count; a unique ``(code, email,
sequence)`` on the redemption is the database's last word on it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clinic.audit import audit_record_update
from clinic.notifications.services import notification_queue, staff_recipients

from .availability import slot_is_free
from .calendar import appointment_calendar_links, appointment_ics
from .db import APPOINTMENT_NO_OVERLAP
from .models import (
    Appointment,
    AppointmentStatusChange,
    DiscountCode,
    DiscountRedemption,
    Practitioner,
    Service,
    TimeOff,
    WaitlistEntry,
    feed_token_generate,
)
from .pricing import Quote, quote_calculate
from .selectors import (
    booking_step,
    booking_window,
    clinic_tz,
    discount_code_get,
    practitioner_list_for_service,
    practitioner_schedule_list,
    slot_list_available,
)
from .tokens import WaitlistOffer, manage_url, waitlist_offer_url

Status = Appointment.Status
Source = AppointmentStatusChange.Source

#: Which status may follow which. Cancellations are final (the time may have been rebooked);
#: "attended" and "did not attend" may be swapped, to correct a mis-click on the day.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.CONFIRMED: frozenset(
        {
            Status.COMPLETED,
            Status.NO_SHOW,
            Status.CANCELLED_BY_PATIENT,
            Status.CANCELLED_BY_CLINIC,
        }
    ),
    Status.COMPLETED: frozenset({Status.NO_SHOW}),
    Status.NO_SHOW: frozenset({Status.COMPLETED}),
    Status.CANCELLED_BY_PATIENT: frozenset(),
    Status.CANCELLED_BY_CLINIC: frozenset(),
}


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


class BookingLimitReached(SlotUnavailable):
    """This email address already has ``BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL`` upcoming online
    bookings; more go through the clinic's phone."""

    code = "booking_limit"


class SlotTaken(BookingError):
    """The start is a bookable time but someone else has it (often: just booked it)."""

    code = "slot_taken"


class DiscountCodeInvalid(BookingError):
    """The discount code cannot be used; ``code`` says why (``unknown``, ``expired``, ...)."""

    code = "discount_invalid"


class AppointmentStatusError(BookingError):
    """A status change the transition table (or the clock) does not allow."""

    code = "status_change_not_allowed"


class ChangeTooLate(BookingError):
    """A patient tried to cancel or move inside the cut-off; they must contact the clinic."""

    code = "too_late"


class TimeOffClash(BookingError):
    """Time off would cover booked appointments; ``appointments`` lists them."""

    code = "time_off_clash"

    def __init__(self, message: str, *, appointments: Sequence[Appointment]) -> None:
        super().__init__(message)
        self.appointments = list(appointments)


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
    assessment=None,
    notify_patient: bool = True,
    now: datetime | None = None,
) -> Appointment:
    """Book ``service`` at ``start`` with ``practitioner`` (or the first one free) for ``patient``.

    Raises :class:`SlotUnavailable` if ``start`` is not a bookable time for the service,
    :class:`SlotTaken` if it is but nobody is free (a lost race included), and
    :class:`DiscountCodeInvalid` if the code cannot be used. Nothing is stored on any error.
    Queues the patient's confirmation (unless ``notify_patient`` is false: staff may book
    without emailing) and the staff notification to send after commit. ``assessment`` is the
    self-assessment the patient chose to share with their practitioner.
    """
    now = now or timezone.now()
    if start.tzinfo is None or start.utcoffset() is None:
        raise SlotUnavailable(_("The start time must include its time zone."))
    if not service.active:
        raise SlotUnavailable(_("%(service)s can't be booked online.") % {"service": service})
    email = patient.email.strip()

    with transaction.atomic():
        free = _practitioners_free_at(
            service=service, practitioner=practitioner, start=start, now=now
        )
        if booked_via != Appointment.BookedVia.STAFF:
            _online_booking_cap_check(email=email, now=now)
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
                assessment=assessment,
                reminder_sent_at=now if reminder_due_at(start) <= now else None,
            )
            try:
                # A savepoint, so that losing this practitioner leaves the transaction usable
                # for the next one.
                with transaction.atomic():
                    _practitioner_lock(candidate)
                    if _time_off_covers(
                        practitioner=candidate, start=start, end=appointment.blocked_until
                    ):
                        raise _TimeOffArrived
                    appointment.save(force_insert=True)
                break
            except _TimeOffArrived:
                appointment = None
            except (IntegrityError, OperationalError) as exc:
                if not _is_overlap(exc):
                    raise
                appointment = None
        if appointment is None:
            raise SlotTaken(_("That time has just been taken. Please choose another."))

        if discount is not None:
            _discount_redeem(discount=discount, appointment=appointment, email=email)
        AppointmentStatusChange.objects.create(
            appointment=appointment,
            from_status="",
            to_status=appointment.status,
            changed_by=booked_by,
            source=Source.STAFF if booked_via == Appointment.BookedVia.STAFF else Source.PATIENT,
            note=_("Booked (%(via)s).") % {"via": appointment.get_booked_via_display()},
            created_at=now,
        )
        _appointment_notifications_queue(appointment=appointment, notify_patient=notify_patient)
    return appointment


class _TimeOffArrived(Exception):
    """Time off was added for this practitioner after the availability check."""


def _time_off_covers(*, practitioner: Practitioner, start: datetime, end: datetime) -> bool:
    return TimeOff.objects.filter(
        Q(practitioner__isnull=True) | Q(practitioner=practitioner), start__lt=end, end__gt=start
    ).exists()


def _practitioners_free_at(
    *,
    service: Service,
    practitioner: Practitioner | None,
    start: datetime,
    now: datetime,
    exclude_appointment_id: int | None = None,
) -> list[Practitioner]:
    """Practitioners who can take ``service`` at ``start``, in display order."""
    tz = clinic_tz()
    day = start.astimezone(tz).date()
    candidates = practitioner_list_for_service(service=service, practitioner=practitioner)
    schedules, clinic_busy = practitioner_schedule_list(
        practitioners=candidates,
        first_day=day,
        last_day=day,
        exclude_appointment_id=exclude_appointment_id,
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


def _online_booking_cap_check(*, email: str, now: datetime) -> None:
    """Refuse an online booking past ``BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL`` upcoming ones.

    Bookings for one address queue behind a transaction-scoped advisory lock, so two at once
    cannot both slip under the cap. 0 switches the cap off.
    """
    cap = settings.BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL
    if cap <= 0:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [email.lower()])
    upcoming = (
        Appointment.objects.active()
        .filter(patient_email__iexact=email, start__gte=now)
        .exclude(booked_via=Appointment.BookedVia.STAFF)
        .count()
    )
    if upcoming >= cap:
        raise BookingLimitReached(
            _(
                "You already have %(count)s upcoming appointments booked online. To book "
                "another, please call us on %(phone)s."
            )
            % {"count": upcoming, "phone": settings.CLINIC_PHONE}
        )


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


# --- Status changes ---------------------------------------------------------------------------


def _status_label(status: str) -> str:
    return str(Status(status).label).lower()


def _cancel_cutoff_check(*, appointment: Appointment, now: datetime) -> None:
    if appointment.start - now < timedelta(hours=settings.BOOKING_CANCEL_CUTOFF_HOURS):
        raise ChangeTooLate(
            _(
                "Your appointment is less than %(hours)s hours away, so it can't be changed "
                "online. Please call us on %(phone)s."
            )
            % {"hours": settings.BOOKING_CANCEL_CUTOFF_HOURS, "phone": settings.CLINIC_PHONE}
        )


def appointment_status_change(
    *,
    appointment: Appointment,
    to_status: str,
    source: str,
    by=None,
    note: str = "",
    notify_patient: bool = True,
    now: datetime | None = None,
) -> Appointment:
    """Move ``appointment`` to ``to_status``: the one way any appointment's status changes.

    Checks :data:`STATUS_TRANSITIONS` on the locked row and raises
    :class:`AppointmentStatusError` for an illegal move (and :class:`ChangeTooLate` when a
    patient cancels inside ``BOOKING_CANCEL_CUTOFF_HOURS``). Records an
    :class:`AppointmentStatusChange`. A cancellation frees the time, gives a discount use back,
    raises the appointment's version (old manage links stop working), emails the patient
    (unless ``notify_patient`` is false; ``note`` is the clinic's message to them) and staff,
    and offers the freed time to the waitlist. Updates and returns ``appointment``.
    """
    now = now or timezone.now()
    to_status = Status(to_status)
    cancelling = to_status in Appointment.CANCELLED_STATUSES
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("service", "practitioner")
            .get(pk=appointment.pk)
        )
        from_status = locked.status
        if to_status not in STATUS_TRANSITIONS[from_status]:
            raise AppointmentStatusError(
                _("This appointment is %(from)s, so it can't be marked %(to)s.")
                % {"from": _status_label(from_status), "to": _status_label(to_status)},
                code="illegal_transition",
            )
        if to_status in (Status.COMPLETED, Status.NO_SHOW) and locked.start > now:
            raise AppointmentStatusError(
                _("This appointment hasn't started yet, so it can't be marked %(to)s.")
                % {"to": _status_label(to_status)},
                code="not_started",
            )
        if source == Source.PATIENT:
            if to_status != Status.CANCELLED_BY_PATIENT:
                raise AppointmentStatusError(_("Patients can only cancel."), code="not_allowed")
            _cancel_cutoff_check(appointment=locked, now=now)

        locked.status = to_status
        fields = ["status"]
        if cancelling:
            locked.cancelled_at = now
            locked.version += 1
            fields += ["cancelled_at", "version"]
        locked.save(update_fields=fields)
        AppointmentStatusChange.objects.create(
            appointment=locked,
            from_status=from_status,
            to_status=to_status,
            changed_by=by,
            source=source,
            note=note.strip(),
            created_at=now,
        )
        if cancelling:
            _discount_release(appointment=locked)
            _cancellation_notifications_queue(
                appointment=locked, note=note.strip(), notify_patient=notify_patient
            )
            waitlist_offers_queue(
                practitioner=locked.practitioner,
                start=locked.start,
                end=locked.blocked_until,
                now=now,
            )
    for field in ("status", "cancelled_at", "version"):
        setattr(appointment, field, getattr(locked, field))
    return appointment


def appointment_cancel(
    *,
    appointment: Appointment,
    by_patient: bool = False,
    by=None,
    note: str = "",
    notify_patient: bool = True,
    now: datetime | None = None,
) -> Appointment:
    """Cancel a confirmed appointment (by the patient through their link, or by the clinic)."""
    return appointment_status_change(
        appointment=appointment,
        to_status=Status.CANCELLED_BY_PATIENT if by_patient else Status.CANCELLED_BY_CLINIC,
        source=Source.PATIENT if by_patient else Source.STAFF,
        by=by,
        note=note,
        notify_patient=notify_patient,
        now=now,
    )


def _discount_release(*, appointment: Appointment) -> None:
    """Give a cancelled appointment's discount use back, so the code can be used again."""
    redemption = DiscountRedemption.objects.filter(appointment=appointment).first()
    if redemption is not None:
        DiscountCode.objects.filter(pk=redemption.code_id, times_used__gt=0).update(
            times_used=F("times_used") - 1
        )
        redemption.delete()


# --- Moves ------------------------------------------------------------------------------------


def appointment_move(
    *,
    appointment: Appointment,
    start: datetime,
    source: str,
    practitioner: Practitioner | None = None,
    by=None,
    notify_patient: bool = True,
    now: datetime | None = None,
) -> Appointment:
    """Move a confirmed appointment to ``start`` (with ``practitioner``, or the same one).

    The new time must be one the service could be booked at now, apart from the appointment's
    own current time. One ``UPDATE`` of the appointment's row takes the new time and gives up
    the old: the exclusion constraint checks the new range against every other booking in that
    statement, so a concurrent booking of the new time makes the move fail with
    :class:`SlotTaken` and the patient keeps their old time. Patients (``source`` patient) keep
    their practitioner and may not move inside the cut-off (:class:`ChangeTooLate`).
    """
    now = now or timezone.now()
    if start.tzinfo is None or start.utcoffset() is None:
        raise SlotUnavailable(_("The start time must include its time zone."))
    with transaction.atomic():
        current_practitioner_id = (
            Appointment.objects.filter(pk=appointment.pk)
            .values_list("practitioner_id", flat=True)
            .get()
        )
        if source == Source.PATIENT or practitioner is None:
            target = Practitioner.objects.get(pk=current_practitioner_id)
        else:
            target = practitioner
        # Practitioner row first, then the appointment's: the same order as every other change.
        _practitioner_lock(target)
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("service", "practitioner")
            .get(pk=appointment.pk)
        )
        if locked.status != Status.CONFIRMED:
            raise AppointmentStatusError(
                _("Only a confirmed appointment can be moved; this one is %(status)s.")
                % {"status": _status_label(locked.status)},
                code="not_confirmed",
            )
        if source == Source.PATIENT:
            _cancel_cutoff_check(appointment=locked, now=now)
        if start == locked.start and target.pk == locked.practitioner_id:
            raise SlotUnavailable(_("That is the time already booked. Choose a different one."))
        service = locked.service
        free = _practitioners_free_at(
            service=service,
            practitioner=target,
            start=start,
            now=now,
            exclude_appointment_id=locked.pk,
        )
        if target not in free:  # the practitioner's row is locked: this read is current
            raise SlotTaken(_("That time has just been taken. Please choose another."))

        old_start, old_blocked, old_practitioner = (
            locked.start,
            locked.blocked_until,
            locked.practitioner,
        )
        try:
            with transaction.atomic():
                Appointment.objects.filter(pk=locked.pk).update(
                    practitioner=target,
                    start=start,
                    end=start + service.duration,
                    blocked_until=start + service.duration + service.buffer_after,
                    version=F("version") + 1,
                    reminder_sent_at=now if reminder_due_at(start) <= now else None,
                )
        except (IntegrityError, OperationalError) as exc:
            if not _is_overlap(exc):
                raise
            raise SlotTaken(_("That time has just been taken. Please choose another.")) from exc
        locked.refresh_from_db()
        # A queryset UPDATE sends no signals, so the audit log is told directly.
        audit_record_update(
            locked,
            start=(old_start, locked.start),
            practitioner=(old_practitioner.pk, locked.practitioner_id),
        )
        note = _("Moved from %(old)s with %(old_who)s to %(new)s with %(new_who)s.") % {
            "old": _when(old_start),
            "old_who": old_practitioner.name,
            "new": _when(locked.start),
            "new_who": locked.practitioner.name,
        }
        AppointmentStatusChange.objects.create(
            appointment=locked,
            from_status=locked.status,
            to_status=locked.status,
            changed_by=by,
            source=source,
            note=note,
            created_at=now,
        )
        _move_notifications_queue(
            appointment=locked, old_when=_when(old_start), notify_patient=notify_patient
        )
        waitlist_offers_queue(
            practitioner=old_practitioner, start=old_start, end=old_blocked, now=now
        )
    for field in ("practitioner", "start", "end", "blocked_until", "version", "reminder_sent_at"):
        setattr(appointment, field, getattr(locked, field))
    return appointment


# --- Time off ---------------------------------------------------------------------------------


def time_off_add(
    *,
    start: datetime,
    end: datetime,
    practitioner: Practitioner | None = None,
    reason: str = "",
    by=None,
    cancel_clashing: bool = False,
    message: str = "",
    now: datetime | None = None,
) -> tuple[TimeOff, list[Appointment]]:
    """Close a practitioner's diary (or, without one, the whole clinic's) from ``start`` to ``end``.

    Confirmed appointments in that time make it raise :class:`TimeOffClash` listing them,
    unless ``cancel_clashing``: then each is cancelled by the clinic, its patient emailed with
    ``message``. Returns the time off and the appointments cancelled. The practitioners' rows are
    locked first, so a booking in flight either commits before (and is listed) or sees the time
    off after (and is refused).
    """
    now = now or timezone.now()
    if start >= end:
        raise BookingError(_("Time off must end after it starts."), code="invalid_range")
    with transaction.atomic():
        practitioners = (
            Practitioner.objects.filter(pk=practitioner.pk)
            if practitioner
            else Practitioner.objects.all()
        ).order_by("position", "name", "pk")
        if connection.vendor == "postgresql":
            list(practitioners.select_for_update().values_list("pk"))
        clashing = list(
            Appointment.objects.filter(
                status=Status.CONFIRMED, start__lt=end, blocked_until__gt=start
            )
            .filter(practitioner__in=practitioners)
            .select_related("service", "practitioner")
            .order_by("start")
        )
        if clashing and not cancel_clashing:
            raise TimeOffClash(
                _(
                    "This time off covers booked appointments. Move them first, or choose to "
                    "cancel them with a message to each patient."
                ),
                appointments=clashing,
            )
        for appointment in clashing:
            appointment_status_change(
                appointment=appointment,
                to_status=Status.CANCELLED_BY_CLINIC,
                source=Source.STAFF,
                by=by,
                note=message,
                now=now,
            )
        time_off = TimeOff.objects.create(
            practitioner=practitioner, start=start, end=end, reason=reason.strip()
        )
    return time_off, clashing


def time_off_delete(*, time_off: TimeOff, now: datetime | None = None) -> None:
    """Remove time off; the time it covered is offered to the waitlist."""
    now = now or timezone.now()
    with transaction.atomic():
        practitioners = (
            [time_off.practitioner]
            if time_off.practitioner_id
            else list(Practitioner.objects.filter(active=True).order_by("position", "name"))
        )
        start, end = time_off.start, time_off.end
        time_off.delete()
        for practitioner in practitioners:
            waitlist_offers_queue(practitioner=practitioner, start=start, end=end, now=now)


# --- Calendar feed ----------------------------------------------------------------------------


def practitioner_feed_token_regenerate(*, practitioner: Practitioner) -> str:
    """Give ``practitioner`` a new feed address; calendars using the old one stop updating."""
    practitioner.feed_token = feed_token_generate()
    practitioner.save(update_fields=["feed_token"])
    return practitioner.feed_token


# --- Reminders --------------------------------------------------------------------------------


def reminder_due_at(start: datetime, *, hours: int | None = None, tz: ZoneInfo | None = None):
    """When the reminder for an appointment at ``start`` is due, as an aware UTC datetime.

    ``hours`` (``BOOKING_REMINDER_HOURS``) earlier on the clinic's wall clock, not in elapsed
    time: with 24, a Monday 10:00 appointment is reminded on Sunday at 10:00 even when the
    clocks change in between (elapsed time would say 09:00 or 11:00). A wall time the clocks
    skip reads as the moment after the jump; one that happens twice, as its first occurrence.
    """
    hours = settings.BOOKING_REMINDER_HOURS if hours is None else hours
    tz = tz or clinic_tz()
    wall = start.astimezone(tz).replace(tzinfo=None) - timedelta(hours=hours)
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Queue the reminder of every confirmed appointment whose reminder is due. Returns how many.

    Exactly once per appointment, however often or late this runs and even concurrently: each
    appointment is claimed by a conditional ``UPDATE`` (``reminder_sent_at IS NULL``, still
    confirmed) in the transaction that queues its email, and the email's idempotency key is the
    appointment and its version. A task that runs late still sends until the appointment starts;
    a cancelled or moved-away appointment never gets one.
    """
    now = now or timezone.now()
    # Wall-clock arithmetic can put the due time up to an hour either side of elapsed time.
    latest = now + timedelta(hours=settings.BOOKING_REMINDER_HOURS + 2)
    candidates = (
        Appointment.objects.filter(
            status=Status.CONFIRMED, reminder_sent_at__isnull=True, start__gt=now, start__lte=latest
        )
        .order_by("start")
        .values_list("pk", "start")
    )
    sent = 0
    for pk, start in list(candidates):
        if reminder_due_at(start) > now:
            continue
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=pk, status=Status.CONFIRMED, reminder_sent_at__isnull=True, start__gt=now
            ).update(reminder_sent_at=now)
            if not claimed:
                continue  # another run got there first, or it was cancelled meanwhile
            appointment = Appointment.objects.select_related("service", "practitioner").get(pk=pk)
            context = appointment_email_context(appointment=appointment)
            notification_queue(
                key=f"booking:{pk}:reminder:{appointment.version}",
                to=[appointment.patient_email],
                subject=_("Reminder: your appointment on %(when)s") % {"when": context["when"]},
                template="emails/bookings/reminder",
                context=context,
                reply_to=[settings.CLINIC_EMAIL],
                source=appointment,
            )
        sent += 1
    return sent


# --- Waitlist ---------------------------------------------------------------------------------


def waitlist_join(
    *,
    service: Service,
    first_day: date,
    last_day: date,
    patient: Patient,
    practitioner: Practitioner | None = None,
    privacy_notice_version: str,
    now: datetime | None = None,
) -> WaitlistEntry:
    """Put a patient on the waitlist for ``service`` between two days and email them to say so."""
    now = now or timezone.now()
    if first_day > last_day:
        raise BookingError(_("The last day must not be before the first."), code="invalid_range")
    with transaction.atomic():
        entry = WaitlistEntry.objects.create(
            service=service,
            practitioner=practitioner,
            first_day=first_day,
            last_day=last_day,
            patient_name=patient.name.strip(),
            patient_email=patient.email.strip(),
            patient_phone=patient.phone.strip(),
            privacy_notice_version=privacy_notice_version,
            created_at=now,
        )
        notification_queue(
            key=f"waitlist:{entry.pk}:joined",
            to=[entry.patient_email],
            subject=_("You're on the waitlist for %(service)s") % {"service": service.name},
            template="emails/bookings/waitlist_joined",
            context=_waitlist_context(entry),
            reply_to=[settings.CLINIC_EMAIL],
            source=entry,
        )
    return entry


def _waitlist_context(entry: WaitlistEntry) -> dict:
    return {
        "patient_name": entry.patient_name,
        "service": entry.service.name,
        "practitioner": entry.practitioner.name if entry.practitioner_id else "",
        "first_day": date_format(entry.first_day, "l j F"),
        "last_day": date_format(entry.last_day, "l j F Y"),
        "clinic_phone": settings.CLINIC_PHONE,
    }


def waitlist_offers_queue(
    *, practitioner: Practitioner, start: datetime, end: datetime, now: datetime | None = None
) -> list[WaitlistEntry]:
    """Email waiting patients about time that has just freed up with ``practitioner``.

    Call it in the transaction that frees ``[start, end)``. Each waiting entry (for this
    practitioner or any) whose days overlap the freed time, and whose service can now start
    inside it on one of those days, is sent a link to book the earliest such start, in the
    order the entries were made; the outbox sends in that order. Whoever confirms first gets the
    time (it is booked through ``appointment_book``); the others are told it has gone. Returns
    the entries emailed.
    """
    now = now or timezone.now()
    tz = clinic_tz()
    not_before, not_after = booking_window(now=now)
    start, end = max(start, not_before), min(end, not_after)
    if start >= end:
        return []
    first_day, last_day = start.astimezone(tz).date(), end.astimezone(tz).date()
    entries = list(
        WaitlistEntry.objects.waiting(today=timezone.localdate(now))
        .filter(first_day__lte=last_day, last_day__gte=first_day)
        .filter(Q(practitioner__isnull=True) | Q(practitioner=practitioner))
        .select_related("service", "practitioner")
        .order_by("created_at", "pk")
    )
    free_by_service: dict[int, list[datetime]] = {}
    emailed = []
    for entry in entries:
        service = entry.service
        if service.pk not in free_by_service:
            free_by_service[service.pk] = [
                slot.start
                for slot in slot_list_available(
                    service=service,
                    first_day=first_day,
                    last_day=last_day,
                    practitioner=practitioner,
                    now=now,
                )
                if start <= slot.start < end
            ]
        offer_start = next(
            (
                moment
                for moment in free_by_service[service.pk]
                if entry.first_day <= moment.astimezone(tz).date() <= entry.last_day
            ),
            None,
        )
        if offer_start is None:
            continue
        offer = WaitlistOffer(entry_id=entry.pk, practitioner_id=practitioner.pk, start=offer_start)
        notification_queue(
            key=f"waitlist:{entry.pk}:offer:{practitioner.pk}:{offer_start:%Y%m%dT%H%M%z}",
            to=[entry.patient_email],
            subject=_("A time has come free: %(service)s on %(when)s")
            % {"service": service.name, "when": _when(offer_start)},
            template="emails/bookings/waitlist_offer",
            context={
                **_waitlist_context(entry),
                "when": _when(offer_start),
                "offer_practitioner": practitioner.name,
                "offer_url": waitlist_offer_url(offer),
            },
            reply_to=[settings.CLINIC_EMAIL],
            source=entry,
        )
        emailed.append(entry)
    return emailed


def waitlist_offer_book(
    *, entry: WaitlistEntry, practitioner: Practitioner, start: datetime
) -> Appointment:
    """Book a waitlist offer for its patient: :class:`SlotTaken` if someone was quicker.

    The entry's row is locked, so two offers clicked at once cannot both book for one entry.
    """
    with transaction.atomic():
        locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != WaitlistEntry.Status.WAITING:
            raise BookingError(
                _("You have already booked from the waitlist, or left it."), code="not_waiting"
            )
        appointment = appointment_book(
            service=locked.service,
            practitioner=practitioner,
            start=start,
            patient=Patient(
                name=locked.patient_name, email=locked.patient_email, phone=locked.patient_phone
            ),
            booked_via=Appointment.BookedVia.WEB,
            privacy_notice_version=locked.privacy_notice_version,
        )
        locked.status = WaitlistEntry.Status.BOOKED
        locked.appointment = appointment
        locked.save(update_fields=["status", "appointment"])
    return appointment


# --- Emails -----------------------------------------------------------------------------------


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'l j F Y')} at {local:%H:%M}"


def _patient_notify(*, key: str, subject: str, template: str, context: dict, appointment) -> None:
    """An email to the patient about ``appointment``, its calendar file attached."""
    notification_queue(
        key=key,
        to=[appointment.patient_email],
        subject=subject,
        template=template,
        context=context,
        reply_to=[settings.CLINIC_EMAIL],
        attachments=[
            ("appointment.ics", appointment_ics(appointment=appointment), "text/calendar")
        ],
        source=appointment,
    )


def _staff_notify(*, key: str, subject: str, template: str, context: dict, appointment) -> None:
    if settings.STAFF_NOTIFICATION_EMAILS:
        notification_queue(
            key=key,
            to=staff_recipients(),
            subject=subject,
            template=template,
            context=context,
            reply_to=[appointment.patient_email],
            source=appointment,
        )


def _appointment_notifications_queue(*, appointment: Appointment, notify_patient: bool) -> None:
    """The patient's confirmation (with the .ics) and the staff notice, sent after commit."""
    context = appointment_email_context(appointment=appointment)
    if notify_patient:
        _patient_notify(
            key=f"booking:{appointment.pk}:confirmation",
            subject=_("Your appointment on %(when)s (ref. %(reference)s)")
            % {"when": context["when"], "reference": appointment.reference},
            template="emails/bookings/confirmation",
            context={
                **context,
                "calendar_links": appointment_calendar_links(appointment=appointment),
            },
            appointment=appointment,
        )
    _staff_notify(
        key=f"booking:{appointment.pk}:staff",
        subject=_("New booking: %(service)s, %(when)s with %(practitioner)s")
        % {
            "service": context["service"],
            "when": context["when"],
            "practitioner": context["practitioner"],
        },
        template="emails/bookings/staff_new_booking",
        context={**context, "patient_emailed": notify_patient},
        appointment=appointment,
    )


def _cancellation_notifications_queue(
    *, appointment: Appointment, note: str, notify_patient: bool
) -> None:
    context = {
        **appointment_email_context(appointment=appointment),
        "note": note,
        "by_patient": appointment.status == Status.CANCELLED_BY_PATIENT,
        "book_url": settings.SITE_URL + "/book/",
    }
    if notify_patient:
        _patient_notify(
            key=f"booking:{appointment.pk}:cancelled:{appointment.version}",
            subject=_("Cancelled: your appointment on %(when)s (ref. %(reference)s)")
            % {"when": context["when"], "reference": appointment.reference},
            template="emails/bookings/cancelled",
            context=context,
            appointment=appointment,
        )
    _staff_notify(
        key=f"booking:{appointment.pk}:staff-cancelled:{appointment.version}",
        subject=_("Cancelled (%(by)s): %(reference)s, %(when)s with %(practitioner)s")
        % {
            "by": appointment.get_status_display().lower(),
            "reference": appointment.reference,
            "when": context["when"],
            "practitioner": context["practitioner"],
        },
        template="emails/bookings/staff_cancelled",
        context=context,
        appointment=appointment,
    )


def _move_notifications_queue(
    *, appointment: Appointment, old_when: str, notify_patient: bool
) -> None:
    context = {
        **appointment_email_context(appointment=appointment),
        "old_when": old_when,
        "calendar_links": appointment_calendar_links(appointment=appointment),
    }
    if notify_patient:
        _patient_notify(
            key=f"booking:{appointment.pk}:moved:{appointment.version}",
            subject=_("Moved: your appointment is now on %(when)s (ref. %(reference)s)")
            % {"when": context["when"], "reference": appointment.reference},
            template="emails/bookings/moved",
            context=context,
            appointment=appointment,
        )
    _staff_notify(
        key=f"booking:{appointment.pk}:staff-moved:{appointment.version}",
        subject=_("Moved: %(reference)s from %(old)s to %(when)s with %(practitioner)s")
        % {
            "reference": appointment.reference,
            "old": old_when,
            "when": context["when"],
            "practitioner": context["practitioner"],
        },
        template="emails/bookings/staff_moved",
        context=context,
        appointment=appointment,
    )


def appointment_email_context(*, appointment: Appointment) -> dict:
    """Plain values for the email templates (they may be rendered later, by a worker)."""
    return {
        "reference": appointment.reference,
        "patient_name": appointment.patient_name,
        "patient_email": appointment.patient_email,
        "patient_phone": appointment.patient_phone,
        "notes": appointment.notes,
        "service": appointment.service.name,
        "practitioner": appointment.practitioner.name,
        "when": _when(appointment.start),
        "duration_minutes": int((appointment.end - appointment.start).total_seconds() // 60),
        "price": f"{appointment.price:.2f}",
        "discount": f"{appointment.discount_amount:.2f}",
        "discount_label": appointment.discount_label,
        "total": f"{appointment.total:.2f}",
        "booked_via": appointment.get_booked_via_display(),
        "status": appointment.get_status_display(),
        "manage_url": manage_url(appointment),
        "cancel_cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS,
        "clinic_name": settings.CLINIC_NAME,
        "clinic_address": settings.CLINIC_ADDRESS,
        "clinic_phone": settings.CLINIC_PHONE,
        "site_url": settings.SITE_URL,
        "admin_url": f"{settings.SITE_URL}/{settings.ADMIN_URL}bookings/appointment/"
        f"{appointment.pk}/change/",
    }
