"""Appointment reminders: when each is due, and sending those that are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Appointment
from ..selectors import clinic_tz
from .emails import reminder_queue


def reminder_due_at(
    start: datetime, *, hours: int | None = None, tz: ZoneInfo | None = None
) -> datetime:
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


def reminder_sent_at_when_confirming(start: datetime, *, now: datetime) -> datetime | None:
    """``reminder_sent_at`` for an appointment at ``start`` confirmed to the patient ``now``.

    A confirmation sent once the reminder is already due does the reminder's job, so it counts
    as sent; otherwise the reminder is still to come.
    """
    return now if reminder_due_at(start) <= now else None


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
            status=Appointment.Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            start__gt=now,
            start__lte=latest,
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
                pk=pk,
                status=Appointment.Status.CONFIRMED,
                reminder_sent_at__isnull=True,
                start__gt=now,
            ).update(reminder_sent_at=now)
            if not claimed:
                continue  # another run got there first, or it was cancelled meanwhile
            appointment = Appointment.objects.select_related("service", "practitioner").get(pk=pk)
            reminder_queue(appointment=appointment)
        sent += 1
    return sent
