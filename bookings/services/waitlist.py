"""The waitlist: joining it, offering freed time, booking an offer."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.patients.services import patient_match_or_create

from ..models import (
    Appointment,
    Practitioner,
    Service,
    WaitlistEntry,
)
from ..selectors import (
    booking_window,
    clinic_tz,
    slot_list_available,
)
from .booking import appointment_book
from .emails import waitlist_joined_queue, waitlist_offer_queue
from .errors import (
    BookingError,
    Patient,
)


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
            patient=patient_match_or_create(
                name=patient.name,
                email=patient.email,
                phone=patient.phone,
                privacy_notice_version=privacy_notice_version,
                now=now,
            ),
            patient_name=patient.name.strip(),
            patient_email=patient.email.strip(),
            patient_phone=patient.phone.strip(),
            privacy_notice_version=privacy_notice_version,
            created_at=now,
        )
        waitlist_joined_queue(entry=entry)
    return entry


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
