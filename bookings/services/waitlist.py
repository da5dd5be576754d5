"""The waitlist: joining it and booking an offer (offering freed time: :mod:`.waitlist_offers`)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.patients.services import patient_match_or_create

from ..models import (
    Appointment,
    Practitioner,
    Service,
    WaitlistEntry,
)
from .booking import appointment_book
from .emails import waitlist_joined_queue
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
            # They came by the offer we emailed them: the address is theirs, no hold.
            email_confirmed=True,
        )
        locked.status = WaitlistEntry.Status.BOOKED
        locked.appointment = appointment
        locked.save(update_fields=["status", "appointment"])
    return appointment
