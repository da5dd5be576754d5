"""The emails the booking services send: their context, subjects and recipients."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clinic.audit import audit_actor
from clinic.notifications.services import notification_queue, staff_recipients

from ..calendar import appointment_calendar_links, appointment_ics
from ..models import Appointment, Practitioner, WaitlistEntry
from ..tokens import (
    WaitlistOffer,
    confirmation_url,
    hold_confirm_url,
    manage_url,
    waitlist_offer_url,
)


def when_display(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'l j F Y')} at {local:%H:%M}"


def _patient_notify(
    *, key: str, subject: str, template: str, context: dict, appointment, calendar: bool = True
) -> None:
    """An email to the patient about ``appointment``, its calendar file attached (unless
    ``calendar`` is false: a hold is not in anyone's calendar yet).

    Nothing for a patient booked without an email address (staff may book them by phone).
    """
    if not appointment.patient_email:
        return
    notification_queue(
        key=key,
        to=[appointment.patient_email],
        subject=subject,
        template=template,
        context=context,
        reply_to=[settings.CLINIC_EMAIL],
        attachments=[("appointment.ics", appointment_ics(appointment=appointment), "text/calendar")]
        if calendar
        else [],
        source=appointment,
    )


def _staff_notify(*, key: str, subject: str, template: str, context: dict, appointment) -> None:
    if not settings.STAFF_NOTIFICATION_EMAILS:
        return
    # Staff are told what others did, not what they did themselves.
    own = (getattr(audit_actor(), "email", "") or "").strip().lower()
    to = [address for address in staff_recipients() if address.lower() != own]
    if to:
        notification_queue(
            key=key,
            to=to,
            subject=subject,
            template=template,
            context=context,
            reply_to=[appointment.patient_email] if appointment.patient_email else [],
            source=appointment,
        )


def appointment_notifications_queue(*, appointment: Appointment, notify_patient: bool) -> None:
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


def hold_notification_queue(*, appointment: Appointment) -> None:
    """Ask the patient to confirm a held booking by its link before the hold lapses.

    Only the patient hears of a hold: staff are told of the booking once it is confirmed.
    """
    context = appointment_email_context(appointment=appointment)
    until = f"{timezone.localtime(appointment.hold_expires_at):%H:%M}"
    _patient_notify(
        key=f"booking:{appointment.pk}:hold",
        subject=_("Not booked yet: please confirm by %(until)s (ref. %(reference)s)")
        % {"until": until, "reference": appointment.reference},
        template="emails/bookings/hold",
        context={
            **context,
            "hold_until": until,
            "confirm_url": hold_confirm_url(appointment),
        },
        appointment=appointment,
        calendar=False,
    )


def cancellation_notifications_queue(
    *, appointment: Appointment, note: str, notify_patient: bool, notify_staff: bool = True
) -> None:
    context = {
        **appointment_email_context(appointment=appointment),
        "note": note,
        "by_patient": appointment.status == Appointment.Status.CANCELLED_BY_PATIENT,
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
    if not notify_staff:
        return
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


def move_notifications_queue(
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
        "when": when_display(appointment.start),
        "duration_minutes": int((appointment.end - appointment.start).total_seconds() // 60),
        "price": f"{appointment.price:.2f}",
        "discount": f"{appointment.discount_amount:.2f}",
        "discount_label": appointment.discount_label,
        "total": f"{appointment.total:.2f}",
        "booked_via": appointment.get_booked_via_display(),
        "status": appointment.get_status_display(),
        "manage_url": manage_url(appointment),
        "confirmation_url": confirmation_url(appointment),
        "cancel_cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS,
        "clinic_name": settings.CLINIC_NAME,
        "clinic_address": settings.CLINIC_ADDRESS,
        "clinic_directions": settings.CLINIC_DIRECTIONS,
        "clinic_what_to_bring": settings.CLINIC_WHAT_TO_BRING,
        "clinic_phone": settings.CLINIC_PHONE,
        "site_url": settings.SITE_URL,
        "admin_url": f"{settings.SITE_URL}/{settings.ADMIN_URL}bookings/appointment/"
        f"{appointment.pk}/change/",
    }


def reminder_queue(*, appointment: Appointment) -> None:
    """The patient's reminder; its key is the appointment and its version, so it goes once."""
    if not appointment.patient_email:
        return
    context = appointment_email_context(appointment=appointment)
    notification_queue(
        key=f"booking:{appointment.pk}:reminder:{appointment.version}",
        to=[appointment.patient_email],
        subject=_("Reminder: your appointment on %(when)s") % {"when": context["when"]},
        template="emails/bookings/reminder",
        context=context,
        reply_to=[settings.CLINIC_EMAIL],
        source=appointment,
    )


def waitlist_email_context(entry: WaitlistEntry) -> dict:
    """Plain values about a waitlist entry for its emails."""
    return {
        "patient_name": entry.patient_name,
        "service": entry.service.name,
        "practitioner": entry.practitioner.name if entry.practitioner_id else "",
        "first_day": date_format(entry.first_day, "l j F"),
        "last_day": date_format(entry.last_day, "l j F Y"),
        "clinic_phone": settings.CLINIC_PHONE,
    }


def waitlist_joined_queue(*, entry: WaitlistEntry) -> None:
    """Tell a patient they are on the waitlist."""
    notification_queue(
        key=f"waitlist:{entry.pk}:joined",
        to=[entry.patient_email],
        subject=_("You're on the waitlist for %(service)s") % {"service": entry.service.name},
        template="emails/bookings/waitlist_joined",
        context=waitlist_email_context(entry),
        reply_to=[settings.CLINIC_EMAIL],
        source=entry,
    )


def waitlist_offer_queue(
    *, entry: WaitlistEntry, practitioner: Practitioner, start: datetime
) -> None:
    """Offer a waiting patient the time at ``start`` with ``practitioner``, by a signed link."""
    offer = WaitlistOffer(entry_id=entry.pk, practitioner_id=practitioner.pk, start=start)
    notification_queue(
        key=f"waitlist:{entry.pk}:offer:{practitioner.pk}:{start:%Y%m%dT%H%M%z}",
        to=[entry.patient_email],
        subject=_("A time has come free: %(service)s on %(when)s")
        % {"service": entry.service.name, "when": when_display(start)},
        template="emails/bookings/waitlist_offer",
        context={
            **waitlist_email_context(entry),
            "when": when_display(start),
            "offer_practitioner": practitioner.name,
            "offer_url": waitlist_offer_url(offer),
        },
        reply_to=[settings.CLINIC_EMAIL],
        source=entry,
    )
