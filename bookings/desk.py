"""The admin home's "today at the desk": a selector of a few counts and today's appointments.

A small constant number of queries: today's appointments, and one count each for arrivals
waiting, red flags to call back, unread messages and cancellations to rebook, each only for a
user allowed to see it.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .models import Appointment
from .services import status_quick_actions

Status = Appointment.Status


def desk_today(*, user, now: datetime | None = None) -> dict:
    """What the desk needs first thing: today's appointments by time, with counts beside."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    may_mark = user.has_perm("bookings.change_appointment") or user.has_perm(
        "bookings.mark_attendance"
    )
    visible = Appointment.objects.visible_to(user)
    appointments = list(
        visible.starting_on(today)
        .exclude(status__in=Appointment.CANCELLED_STATUSES)
        .select_related("service", "practitioner")
        .order_by("start")
    )
    desk = {
        "today": today,
        "rows": [
            {
                "appointment": appointment,
                "actions": status_quick_actions(appointment=appointment, now=now)
                if may_mark
                else [],
            }
            for appointment in appointments
        ],
        "arrived": sum(a.status == Status.ARRIVED for a in appointments),
        "to_rebook": visible.filter(status=Status.CANCELLED_BY_CLINIC, start__gte=now).count(),
        "red_flags": None,
        "unread_messages": None,
    }
    # Reception makes the call-backs: a count (no health data) for them too; the queue's own
    # page decides what each role reads there.
    if user.has_perm("assessments.view_submission") or user.has_perm(
        "bookings.view_all_appointments"
    ):
        from assessments.models import Submission, TriageLevel

        desk["red_flags"] = (
            Submission.objects.unreviewed()
            .filter(level__in=(TriageLevel.EMERGENCY, TriageLevel.URGENT))
            .count()
        )
    if user.has_perm("contact.view_contactmessage"):
        from clinic.contact.models import ContactMessage

        desk["unread_messages"] = ContactMessage.objects.aggregate(
            n=Count("pk", filter=Q(status=ContactMessage.Status.NEW))
        )["n"]
    return desk
