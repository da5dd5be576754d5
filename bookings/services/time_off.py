"""Closing a practitioner's diary, or the whole clinic's, and opening it again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Appointment,
    AppointmentStatusChange,
    Practitioner,
    TimeOff,
)
from .errors import (
    BookingError,
    TimeOffClash,
)
from .locks import practitioners_lock
from .status import appointment_status_change
from .waitlist_offers import waitlist_offers_queue


def time_off_add(
    *,
    start: datetime,
    end: datetime,
    practitioner: Practitioner | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> TimeOff:
    """Close a practitioner's diary (or, without one, the whole clinic's) from ``start`` to ``end``.

    Confirmed (or held) appointments in that time make it raise :class:`TimeOffClash` listing
    them (move them first, or use :func:`time_off_add_cancelling`). The practitioners' rows are
    locked first, so a booking in flight either commits before (and is listed) or sees the time
    off after (and is refused).
    """
    time_off, _cancelled = _time_off_add(
        start=start, end=end, practitioner=practitioner, reason=reason, cancel_with=None, now=now
    )
    return time_off


def time_off_add_cancelling(
    *,
    start: datetime,
    end: datetime,
    message: str,
    practitioner: Practitioner | None = None,
    reason: str = "",
    actor: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> tuple[TimeOff, list[Appointment]]:
    """Like :func:`time_off_add`, but each confirmed (or held) appointment then is cancelled by
    the clinic (by ``actor``), its patient emailed with ``message``. Returns the time off and
    the appointments cancelled."""
    return _time_off_add(
        start=start,
        end=end,
        practitioner=practitioner,
        reason=reason,
        cancel_with=_Cancellation(actor=actor, message=message),
        now=now,
    )


@dataclass(frozen=True)
class _Cancellation:
    actor: AbstractBaseUser | None
    message: str


def _time_off_add(
    *,
    start: datetime,
    end: datetime,
    practitioner: Practitioner | None,
    reason: str,
    cancel_with: _Cancellation | None,
    now: datetime | None,
) -> tuple[TimeOff, list[Appointment]]:
    now = now or timezone.now()
    if start >= end:
        raise BookingError(_("Time off must end after it starts."), code="invalid_range")
    with transaction.atomic():
        practitioners = (
            Practitioner.objects.filter(pk=practitioner.pk)
            if practitioner
            else Practitioner.objects.all()
        ).order_by("position", "name", "pk")
        practitioners_lock(practitioners)
        clashing = list(
            Appointment.objects.active()
            .filter(status__in=(Appointment.Status.CONFIRMED, Appointment.Status.HELD))
            .holding_time_between(start, end)
            .filter(practitioner__in=practitioners)
            .select_related("service", "practitioner")
            .order_by("start")
        )
        if clashing and cancel_with is None:
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
                to_status=Appointment.Status.CANCELLED_BY_CLINIC,
                source=AppointmentStatusChange.Source.STAFF,
                actor=cancel_with.actor,
                note=cancel_with.message,
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
