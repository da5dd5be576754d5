"""Holds awaiting the patient's email confirmation (``BOOKING_REQUIRE_EMAIL_CONFIRMATION``).

With the setting on, a booking made online (the journey, the JSON API; never by staff) is stored
``held`` until ``hold_expires_at`` (``BOOKING_HOLD_MINUTES`` ahead, never past its start) and the
patient is emailed a link instead of the confirmation. A held row is an appointment like any
other to the exclusion constraint, so nobody else can take its time meanwhile.

* **Confirming** (:func:`appointment_hold_confirm`) is one conditional ``UPDATE``: still held
  and the hold not passed. Then it does what any online booking does: the confirmation with its
  calendar file, the staff notice, the reminder's bookkeeping. Two clicks at once confirm once.
* **Releasing**: a hold nobody confirmed in time becomes ``expired``, one of the statuses that
  give the time back, by a conditional ``UPDATE`` that loses to a confirmation; its discount use
  is returned and the time offered to the waitlist, as for a cancellation. Nobody is emailed
  (the address may not even be the booker's). The sweep (:func:`holds_release_lapsed`, beat
  every minute, or ``run_scheduled_tasks``) releases them all; ``appointment_book`` and
  ``appointment_move`` release any in their way first, and ``Appointment.objects.active()``
  leaves lapsed holds out of busy time, so a late sweep never keeps a patient from a free time.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.states import status_transition_if

from ..models import Appointment, AppointmentStatusChange, Practitioner
from .emails import appointment_notifications_queue, when_display
from .reminders import reminder_sent_at_when_confirming
from .status import STATUS_TRANSITIONS, appointment_time_release

Status = Appointment.Status


def hold_required(*, booked_via: str, email_confirmed: bool = False) -> bool:
    """Whether a new booking waits for the patient's email confirmation.

    Only online bookings, only with ``BOOKING_REQUIRE_EMAIL_CONFIRMATION``, and not when the
    patient came by a link we emailed them (``email_confirmed``: a waitlist offer).
    """
    return (
        settings.BOOKING_REQUIRE_EMAIL_CONFIRMATION
        and booked_via != Appointment.BookedVia.STAFF
        and not email_confirmed
    )


def hold_expiry(start: datetime, *, now: datetime) -> datetime:
    """When a hold made ``now`` on an appointment at ``start`` lapses."""
    return min(now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES), start)


def hold_standing(appointment: Appointment, *, now: datetime | None = None) -> bool:
    """Whether ``appointment`` is a hold that can still be confirmed (for what pages say; the
    confirmation itself is decided by its conditional update)."""
    return appointment.is_held and appointment.hold_expires_at > (now or timezone.now())


class HoldConfirmation(enum.Enum):
    """What became of a click on a hold's confirm link."""

    CONFIRMED = "confirmed"  # this click confirmed it
    ALREADY_CONFIRMED = "already_confirmed"  # an earlier click did (or it has taken place)
    LAPSED = "lapsed"  # nobody confirmed in time: the time was released
    CANCELLED = "cancelled"


def appointment_hold_confirm(
    *, appointment: Appointment, now: datetime | None = None
) -> HoldConfirmation:
    """Confirm a held booking for the patient who clicked its link, if the hold still stands.

    A hold found lapsed is released there and then (as the sweep would). Updates
    ``appointment``.
    """
    now = now or timezone.now()
    if appointment.status == Status.HELD:
        with transaction.atomic():
            if status_transition_if(
                appointment,
                to_status=Status.CONFIRMED,
                transitions=STATUS_TRANSITIONS,
                history=AppointmentStatusChange,
                condition=Q(hold_expires_at__gt=now),
                also_update={
                    "hold_expires_at": None,
                    "reminder_sent_at": reminder_sent_at_when_confirming(
                        appointment.start, now=now
                    ),
                },
                appointment=appointment,
                source=AppointmentStatusChange.Source.PATIENT,
                note=_("Confirmed by the patient, by the link emailed to them."),
                created_at=now,
            ):
                appointment_notifications_queue(appointment=appointment, notify_patient=True)
                return HoldConfirmation.CONFIRMED
        appointment.refresh_from_db(fields=["status", "hold_expires_at"])
        if appointment.status == Status.HELD:
            _hold_release(appointment_id=appointment.pk, now=now)
            appointment.refresh_from_db(fields=["status", "hold_expires_at"])
    return hold_outcome_of(appointment.status)


def hold_outcome_of(status: str) -> HoldConfirmation:
    """What a confirm link finds for an appointment in ``status`` that is no standing hold."""
    if status in (Status.HELD, Status.EXPIRED):
        return HoldConfirmation.LAPSED
    if status in Appointment.CANCELLED_STATUSES:
        return HoldConfirmation.CANCELLED
    return HoldConfirmation.ALREADY_CONFIRMED


def _hold_expire(appointment: Appointment, *, now: datetime) -> bool:
    """Mark ``appointment`` expired if it is still a hold that lapsed by ``now``."""
    return status_transition_if(
        appointment,
        to_status=Status.EXPIRED,
        transitions=STATUS_TRANSITIONS,
        history=AppointmentStatusChange,
        condition=Q(hold_expires_at__lte=now),
        appointment=appointment,
        source=AppointmentStatusChange.Source.SYSTEM,
        note=_("Not confirmed by %(until)s: the time is released.")
        % {"until": when_display(appointment.hold_expires_at)},
        created_at=now,
    )


def _hold_release(*, appointment_id: int, now: datetime) -> bool:
    """Expire one lapsed hold and give its time back, in a transaction of its own."""
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_related("service", "practitioner")
            .filter(pk=appointment_id, status=Status.HELD)
            .first()
        )
        if appointment is None or not _hold_expire(appointment, now=now):
            return False  # confirmed, cancelled or released meanwhile
        appointment_time_release(appointment=appointment, now=now)
    return True


def holds_release_lapsed(*, now: datetime | None = None, email: str = "") -> int:
    """Release every hold nobody confirmed in time (the sweep), or only those made with
    ``email``. Returns how many.

    Safe however often, late or concurrently it runs: each hold is claimed by its conditional
    ``UPDATE``, which a confirmation (or another run) that got there first makes match nothing.
    """
    now = now or timezone.now()
    lapsed = Appointment.objects.holds_lapsed(now=now)
    if email:
        lapsed = lapsed.filter(patient_email__iexact=email)
    lapsed = lapsed.order_by("hold_expires_at").values_list("pk", flat=True)
    return sum(_hold_release(appointment_id=pk, now=now) for pk in list(lapsed))


def holds_expire_in_the_way(
    *, practitioner: Practitioner, start: datetime, end: datetime, now: datetime
) -> list[Appointment]:
    """Expire ``practitioner``'s lapsed holds overlapping ``[start, end)``, for a booking or a
    move about to take that time; returns them. The caller gives their time back
    (``appointment_time_release``) once its own booking is in."""
    lapsed = (
        Appointment.objects.holds_lapsed(now=now)
        .filter(practitioner=practitioner, start__lt=end, blocked_until__gt=start)
        .select_related("service", "practitioner")
    )
    return [appointment for appointment in lapsed if _hold_expire(appointment, now=now)]
