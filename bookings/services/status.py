"""Status changes: the one way any appointment's status changes, and cancelling."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.states import Transitions, status_transition

from ..models import (
    Appointment,
    AppointmentStatusChange,
)
from .discounts import discount_release
from .emails import cancellation_notifications_queue
from .errors import (
    AppointmentStatusError,
    ChangeTooLate,
)
from .waitlist_offers import waitlist_offers_queue

Status = Appointment.Status
Source = AppointmentStatusChange.Source


def _illegal(from_status: str, to_status: str) -> AppointmentStatusError:
    return AppointmentStatusError(
        _("This appointment is %(from)s, so it can't be marked %(to)s.")
        % {"from": status_label(from_status), "to": status_label(to_status)},
        code="illegal_transition",
    )


#: Which status may follow which. Cancellations are final (the time may have been rebooked);
#: "attended" and "did not attend" may be swapped, to correct a mis-click on the day; a patient
#: marked "did not attend" who turns up late may still be marked arrived. A hold awaiting the
#: patient's email confirmation becomes confirmed (their click) or expired (nobody clicked in
#: time), or is cancelled like any appointment; an expired hold, like a cancellation, is final.
STATUS_TRANSITIONS = Transitions(
    {
        Status.HELD: {
            Status.CONFIRMED,
            Status.EXPIRED,
            Status.CANCELLED_BY_PATIENT,
            Status.CANCELLED_BY_CLINIC,
        },
        Status.CONFIRMED: {
            Status.ARRIVED,
            Status.COMPLETED,
            Status.NO_SHOW,
            Status.CANCELLED_BY_PATIENT,
            Status.CANCELLED_BY_CLINIC,
        },
        Status.ARRIVED: {Status.COMPLETED, Status.NO_SHOW},
        Status.COMPLETED: {Status.NO_SHOW},
        Status.NO_SHOW: {Status.COMPLETED, Status.ARRIVED},
        Status.CANCELLED_BY_PATIENT: set(),
        Status.CANCELLED_BY_CLINIC: set(),
        Status.EXPIRED: set(),
    },
    error=_illegal,
)

#: The ends of a hold, reached only through ``bookings.services.holds`` (the patient's click on
#: the emailed link, the sweep), which send what each means: never chosen by hand.
HOLD_OUTCOMES = frozenset({Status.CONFIRMED, Status.EXPIRED})


def statuses_settable(from_status: str) -> frozenset[str]:
    """What :func:`appointment_status_change` may move an appointment in ``from_status`` to."""
    return STATUS_TRANSITIONS.get(from_status, frozenset()) - HOLD_OUTCOMES


#: The statuses staff set with one click on the day, in the order the buttons appear.
QUICK_STATUSES = (Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW)


def status_timing_error(*, appointment: Appointment, to_status: str, now: datetime) -> str:
    """Why ``to_status`` makes no sense yet (or any more) for ``appointment``; empty if it does.

    A patient arrives on the day of their appointment; attended and did not attend are known
    only once it has started.
    """
    if to_status == Status.ARRIVED:
        if timezone.localdate(appointment.start) != timezone.localdate(now):
            return _("A patient can only be marked arrived on the day of their appointment.")
    elif to_status in (Status.COMPLETED, Status.NO_SHOW) and appointment.start > now:
        return _("This appointment hasn't started yet, so it can't be marked %(to)s.") % {
            "to": status_label(to_status)
        }
    return ""


def status_quick_actions(*, appointment: Appointment, now: datetime) -> list[tuple[str, str]]:
    """The one-click statuses that make sense for ``appointment`` now: ``(value, label)``."""
    allowed = statuses_settable(appointment.status)
    return [
        (status.value, str(status.label))
        for status in QUICK_STATUSES
        if status in allowed
        and not status_timing_error(appointment=appointment, to_status=status, now=now)
    ]


def status_label(status: str) -> str:
    return str(Status(status).label).lower()


def appointment_changeable_online(*, appointment: Appointment, now: datetime | None = None) -> bool:
    """Whether the patient may still cancel or move ``appointment`` through their link.

    Only a confirmed appointment, and only until ``BOOKING_CANCEL_CUTOFF_HOURS`` before it
    starts; after that they call the clinic.
    """
    now = now or timezone.now()
    return appointment.status == Status.CONFIRMED and appointment.start - now >= timedelta(
        hours=settings.BOOKING_CANCEL_CUTOFF_HOURS
    )


def appointment_cancellable_online(
    *, appointment: Appointment, now: datetime | None = None
) -> bool:
    """Whether the patient may cancel ``appointment`` through their link: a confirmed one until
    the cut-off, and a hold awaiting their confirmation at any time (nothing is booked yet)."""
    return appointment.status == Status.HELD or appointment_changeable_online(
        appointment=appointment, now=now
    )


def cancel_cutoff_check(
    *, appointment: Appointment, now: datetime, allowed=appointment_changeable_online
) -> None:
    """Raise :class:`ChangeTooLate` once a confirmed appointment is inside the cut-off.

    ``allowed`` says what the patient may still do (:func:`appointment_changeable_online` to
    move, :func:`appointment_cancellable_online` to cancel).
    """
    if not allowed(appointment=appointment, now=now):
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
    to_status: Appointment.Status,
    source: AppointmentStatusChange.Source,
    actor: AbstractBaseUser | None = None,
    note: str = "",
    notify_patient: bool = True,
    now: datetime | None = None,
) -> Appointment:
    """Move ``appointment`` to ``to_status``: the one way any appointment's status changes.

    Checks :data:`STATUS_TRANSITIONS` on the locked row and raises
    :class:`AppointmentStatusError` for an illegal move (and :class:`ChangeTooLate` when a
    patient cancels inside ``BOOKING_CANCEL_CUTOFF_HOURS``). The ends of a hold
    (:data:`HOLD_OUTCOMES`) are not set here but by ``bookings.services.holds``. Records an
    :class:`AppointmentStatusChange`. A cancellation frees the time, gives a discount use back,
    raises the appointment's version (old manage links stop working), emails the patient
    (unless ``notify_patient`` is false; ``note`` is the clinic's message to them) and staff
    (unless it was a hold: staff hear of a booking once it is confirmed), and offers the freed
    time to the waitlist. Updates and returns ``appointment``.
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
        _status_change_check(appointment=locked, to_status=to_status, source=source, now=now)
        was_held = locked.status == Status.HELD
        fields = []
        if cancelling:
            locked.cancelled_at = now
            locked.version += 1
            locked.hold_expires_at = None
            fields = ["cancelled_at", "version", "hold_expires_at"]
        status_transition(
            locked,
            to_status=to_status,
            transitions=STATUS_TRANSITIONS,
            history=AppointmentStatusChange,
            also_save=fields,
            appointment=locked,
            changed_by=actor,
            source=source,
            note=note.strip(),
            created_at=now,
        )
        if cancelling:
            cancellation_notifications_queue(
                appointment=locked,
                note=note.strip(),
                notify_patient=notify_patient,
                notify_staff=not was_held,
            )
            appointment_time_release(appointment=locked, now=now)
    for field in ("status", "cancelled_at", "version", "hold_expires_at"):
        setattr(appointment, field, getattr(locked, field))
    return appointment


def _status_change_check(
    *, appointment: Appointment, to_status: Status, source: str, now: datetime
) -> None:
    """Refuse a change the table, the clock or the person asking does not allow."""
    STATUS_TRANSITIONS.check(appointment.status, to_status)
    if to_status in HOLD_OUTCOMES:
        raise AppointmentStatusError(
            _("A hold is confirmed by the patient's link, or lapses by itself."), code="not_allowed"
        )
    timing = status_timing_error(appointment=appointment, to_status=to_status, now=now)
    if timing:
        raise AppointmentStatusError(timing, code="not_started")
    if source == Source.PATIENT:
        if to_status != Status.CANCELLED_BY_PATIENT:
            raise AppointmentStatusError(_("Patients can only cancel."), code="not_allowed")
        cancel_cutoff_check(
            appointment=appointment, now=now, allowed=appointment_cancellable_online
        )


def appointment_time_release(*, appointment: Appointment, now: datetime) -> None:
    """What giving an appointment's time back does, however it happens (a cancellation, a hold
    nobody confirmed): its discount use is returned and the time is offered to the waitlist.
    Call it in the transaction that frees the time."""
    discount_release(appointment=appointment)
    waitlist_offers_queue(
        practitioner=appointment.practitioner,
        start=appointment.start,
        end=appointment.blocked_until,
        now=now,
    )


def appointment_cancel(
    *,
    appointment: Appointment,
    source: AppointmentStatusChange.Source = Source.STAFF,
    actor: AbstractBaseUser | None = None,
    note: str = "",
    notify_patient: bool = True,
    now: datetime | None = None,
) -> Appointment:
    """Cancel a confirmed or held appointment: by the patient through their link (``source``
    patient), or by the clinic (staff, or the system)."""
    return appointment_status_change(
        appointment=appointment,
        to_status=(
            Status.CANCELLED_BY_PATIENT if source == Source.PATIENT else Status.CANCELLED_BY_CLINIC
        ),
        source=source,
        actor=actor,
        note=note,
        notify_patient=notify_patient,
        now=now,
    )
