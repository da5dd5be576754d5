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
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.patients.services import patient_match_or_create

from ..availability import slot_is_free
from ..models import (
    Appointment,
    AppointmentStatusChange,
    Practitioner,
    Service,
    TimeOff,
)
from ..selectors import (
    booking_step,
    booking_window,
    clinic_tz,
    practitioner_list_for_service,
    practitioner_schedule_list,
)
from .discounts import (
    booking_quote,
    discount_code_check,
    discount_redeem,
)
from .eligibility import previous_visit_check
from .emails import appointment_notifications_queue, hold_notification_queue, when_display
from .errors import (
    Patient,
    SlotTaken,
    SlotUnavailable,
)
from .holds import hold_expiry, hold_required, holds_expire_in_the_way, holds_release_lapsed
from .limits import online_booking_cap_check
from .locks import is_overlap_error, practitioners_lock
from .policy import BookingPolicy, OverrideNeeded, appointment_overlaps, staff_warnings
from .reminders import reminder_sent_at_when_confirming
from .status import appointment_time_release

if TYPE_CHECKING:
    from assessments.models import Submission


def appointment_book(
    *,
    service: Service,
    start: datetime,
    patient: Patient,
    booked_via: Appointment.BookedVia,
    practitioner: Practitioner | None = None,
    discount_code: str = "",
    actor: AbstractBaseUser | None = None,
    privacy_notice_version: str = "",
    assessment: Submission | None = None,
    notify_patient: bool = True,
    policy: BookingPolicy = BookingPolicy.ONLINE,
    email_confirmed: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Book ``service`` at ``start`` with ``practitioner`` (or the first one free) for ``patient``.

    Raises :class:`SlotUnavailable` if ``start`` is not a bookable time for the service,
    :class:`SlotTaken` if it is but nobody is free (a lost race included), and
    :class:`DiscountCodeInvalid` if the code cannot be used. Nothing is stored on any error.
    Queues the patient's confirmation (unless ``notify_patient`` is false: staff may book
    without emailing) and the staff notification to send after commit. ``assessment`` is the
    self-assessment the patient chose to share with their practitioner. ``policy`` says which
    rules the start must keep (:class:`BookingPolicy`): staff policies raise
    :class:`OverrideNeeded` for a start outside the online rules until it is confirmed.

    With ``BOOKING_REQUIRE_EMAIL_CONFIRMATION`` an online booking is stored held instead, and
    the patient is emailed the link that confirms it (:mod:`.holds`); ``email_confirmed`` says
    the patient has just shown they read the address (they came by a link emailed to it), so
    there is nothing to confirm. A lapsed hold in the way, or made with the same address, is
    released first, whether or not the sweep has reached it.
    """
    now = now or timezone.now()
    _request_check(service=service, start=start, booked_via=booked_via, policy=policy)
    email = patient.email.strip()
    held = hold_required(booked_via=booked_via, email_confirmed=email_confirmed)
    if email:
        # The patient's own lapsed holds give their discount uses back first (a code once per
        # address would otherwise be "already used"), whether or not the sweep has come.
        holds_release_lapsed(now=now, email=email)

    with transaction.atomic():
        # Closed days offer patients nothing; staff may still book them, once warned
        # (``policy.staff_warnings``).
        free = practitioners_free_at(
            service=service, practitioner=practitioner, start=start, now=now, policy=policy
        )
        if booked_via != Appointment.BookedVia.STAFF:
            previous_visit_check(service=service, email=email)
            online_booking_cap_check(email=email, now=now)
        discount = None
        if discount_code.strip():
            discount = discount_code_check(
                code=discount_code, service=service, email=email, now=now
            )
        quote = booking_quote(service=service, discount=discount)

        record = patient_match_or_create(
            name=patient.name,
            email=email,
            phone=patient.phone,
            privacy_notice_version=privacy_notice_version,
            now=now,
        )
        draft = {
            "service": service,
            "patient": record,
            "start": start,
            "end": start + service.duration,
            "blocked_until": start + service.duration + service.buffer_after,
            "patient_name": patient.name.strip(),
            "patient_email": email,
            "patient_phone": patient.phone.strip(),
            "notes": patient.notes.strip(),
            "price": quote.price,
            "discount_code": discount,
            "discount_code_text": discount.code if discount else "",
            "discount_percent": discount.percent_off if discount else None,
            "discount_amount": quote.discount,
            "total": quote.total,
            "booked_via": booked_via,
            "booked_by": actor,
            "privacy_notice_version": privacy_notice_version,
            "assessment": assessment,
            **(
                {"status": Appointment.Status.HELD, "hold_expires_at": hold_expiry(start, now=now)}
                if held
                else {"reminder_sent_at": reminder_sent_at_when_confirming(start, now=now)}
            ),
        }
        appointment, released = _first_free_insert(
            draft=draft, candidates=free, policy=policy, now=now
        )
        # Once this booking is in, so the waitlist hears only of what it left over, and before
        # redeeming, so a use the lapsed hold gives back is there to take.
        for hold in released:
            appointment_time_release(appointment=hold, now=now)
        if discount is not None:
            discount_redeem(discount=discount, appointment=appointment, email=email)
        _booked_record(appointment=appointment, actor=actor, now=now)
        if held:
            hold_notification_queue(appointment=appointment)
        else:
            appointment_notifications_queue(appointment=appointment, notify_patient=notify_patient)
    return appointment


def _first_free_insert(
    *, draft: dict, candidates: list[Practitioner], policy: BookingPolicy, now: datetime
) -> tuple[Appointment, list[Appointment]]:
    """Insert ``draft`` with the first of ``candidates`` still free; :class:`SlotTaken` if none.

    Returns the appointment and the lapsed holds released to make room for it.
    """
    for candidate in candidates:
        appointment = Appointment(practitioner=candidate, **draft)
        try:
            # A savepoint, so that losing this practitioner leaves the transaction usable for
            # the next one (and undoes any hold it released).
            with transaction.atomic():
                practitioners_lock(Practitioner.objects.filter(pk=candidate.pk))
                if policy is not BookingPolicy.STAFF_CONFIRMED and _time_off_covers(
                    practitioner=candidate, start=appointment.start, end=appointment.blocked_until
                ):
                    raise _TimeOffArrived
                released = holds_expire_in_the_way(
                    practitioner=candidate,
                    start=appointment.start,
                    end=appointment.blocked_until,
                    now=now,
                )
                appointment.save(force_insert=True)
            return appointment, released
        except _TimeOffArrived:
            continue
        except (IntegrityError, OperationalError) as exc:
            if not is_overlap_error(exc):
                raise
    raise SlotTaken()


def _booked_record(*, appointment: Appointment, actor: AbstractBaseUser | None, now: datetime):
    """The booking's first line in its history."""
    via = appointment.get_booked_via_display()
    note = _("Booked (%(via)s).") % {"via": via}
    if appointment.is_held:
        note = _("Booked (%(via)s); held until %(until)s for the patient's email confirmation.") % {
            "via": via,
            "until": when_display(appointment.hold_expires_at),
        }
    AppointmentStatusChange.objects.create(
        appointment=appointment,
        from_status="",
        to_status=appointment.status,
        changed_by=actor,
        source=AppointmentStatusChange.Source.STAFF
        if appointment.booked_via == Appointment.BookedVia.STAFF
        else AppointmentStatusChange.Source.PATIENT,
        note=note,
        created_at=now,
    )


def _request_check(
    *, service: Service, start: datetime, booked_via: str, policy: BookingPolicy
) -> None:
    """Refuse what no policy books: a naive start, a withdrawn service, a patient override."""
    if policy.is_staff and booked_via != Appointment.BookedVia.STAFF:
        raise ValueError("Only a staff booking may step outside the online rules.")
    if start.tzinfo is None or start.utcoffset() is None:
        raise SlotUnavailable(_("The start time must include its time zone."))
    if not service.active:
        raise SlotUnavailable(_("%(service)s can't be booked online.") % {"service": service})


class _TimeOffArrived(Exception):
    """Time off was added for this practitioner after the availability check."""


def _time_off_covers(*, practitioner: Practitioner, start: datetime, end: datetime) -> bool:
    return TimeOff.objects.filter(
        Q(practitioner__isnull=True) | Q(practitioner=practitioner), start__lt=end, end__gt=start
    ).exists()


def practitioners_free_at(
    *,
    service: Service,
    practitioner: Practitioner | None,
    start: datetime,
    now: datetime,
    exclude_appointment_id: int | None = None,
    policy: BookingPolicy = BookingPolicy.ONLINE,
) -> list[Practitioner]:
    """Practitioners who can take ``service`` at ``start``, in display order.

    Patients' online rules leave out the days the clinic is closed; staff are warned instead.
    """
    if policy.is_staff:
        return _practitioners_free_for_staff(
            service=service,
            practitioner=practitioner,
            start=start,
            now=now,
            exclude_appointment_id=exclude_appointment_id,
            policy=policy,
        )
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
        raise SlotTaken()
    return free


def _practitioners_free_for_staff(
    *,
    service: Service,
    practitioner: Practitioner | None,
    start: datetime,
    now: datetime,
    exclude_appointment_id: int | None,
    policy: BookingPolicy,
) -> list[Practitioner]:
    """Staff: everyone without another appointment then, those inside the online rules first.

    Raises :class:`SlotTaken` when every candidate is busy, and (unless ``policy`` is
    confirmed) :class:`OverrideNeeded` when nobody free is inside the online rules.
    """
    tz = clinic_tz()
    day = start.astimezone(tz).date()
    candidates = practitioner_list_for_service(service=service, practitioner=practitioner)
    if not candidates:
        raise SlotUnavailable(
            _("Nobody offers %(service)s.") % {"service": service}, code="no_practitioner"
        )
    schedules, _clinic_busy = practitioner_schedule_list(
        practitioners=candidates, first_day=day, last_day=day
    )
    blocked_until = start + service.duration + service.buffer_after
    checked = [
        (
            schedule.practitioner,
            staff_warnings(schedule=schedule, service=service, start=start, now=now, tz=tz),
        )
        for schedule in schedules
        if not appointment_overlaps(
            practitioner=schedule.practitioner,
            start=start,
            blocked_until=blocked_until,
            exclude_appointment_id=exclude_appointment_id,
        )
    ]
    if not checked:
        raise SlotTaken(_("Another appointment already holds that time."))
    within_rules = [candidate for candidate, warnings in checked if not warnings]
    if within_rules:
        return within_rules
    if policy is not BookingPolicy.STAFF_CONFIRMED:
        raise OverrideNeeded(checked[0][1])
    return [candidate for candidate, _warnings in checked]
