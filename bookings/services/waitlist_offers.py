"""Offering time that has just freed up to the patients on the waitlist.

Every change that gives time back (a cancellation, a move, time off removed, a hold nobody
confirmed) calls :func:`waitlist_offers_queue`. It lives apart from joining the waitlist and
booking an offer (:mod:`.waitlist`), which books through ``appointment_book``: the booking
service itself frees lapsed holds, so it must be able to offer their time without importing
itself.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from ..models import Practitioner, WaitlistEntry
from ..selectors import booking_window, clinic_tz, slot_list_available
from .emails import waitlist_offer_queue


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
        waitlist_offer_queue(entry=entry, practitioner=practitioner, start=offer_start)
        emailed.append(entry)
    return emailed
