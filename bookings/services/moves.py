"""Moving an appointment to another time or practitioner."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.audit import audit_record_update

from ..models import (
    Appointment,
    AppointmentStatusChange,
    Practitioner,
)
from .booking import (
    practitioners_free_at,
)
from .emails import (
    move_notifications_queue,
    when_display,
)
from .errors import (
    AppointmentStatusError,
    SlotTaken,
    SlotUnavailable,
)
from .holds import holds_expire_in_the_way
from .locks import is_overlap_error, practitioners_lock
from .policy import BookingPolicy
from .reminders import reminder_sent_at_when_confirming
from .status import (
    appointment_time_release,
    cancel_cutoff_check,
    status_label,
)
from .waitlist_offers import waitlist_offers_queue


def appointment_move(
    *,
    appointment: Appointment,
    start: datetime,
    source: AppointmentStatusChange.Source,
    practitioner: Practitioner | None = None,
    actor: AbstractBaseUser | None = None,
    notify_patient: bool = True,
    policy: BookingPolicy = BookingPolicy.ONLINE,
    now: datetime | None = None,
) -> Appointment:
    """Move a confirmed appointment to ``start`` (with ``practitioner``, or the same one).

    The new time must be one the service could be booked at now, apart from the appointment's
    own current time. One ``UPDATE`` of the appointment's row takes the new time and gives up
    the old: the exclusion constraint checks the new range against every other booking in that
    statement, so a concurrent booking of the new time makes the move fail with
    :class:`SlotTaken` and the patient keeps their old time. Patients (``source`` patient) keep
    their practitioner and may not move inside the cut-off (:class:`ChangeTooLate`). Staff may
    move outside the online rules with a staff ``policy`` (see :class:`BookingPolicy`).
    """
    now = now or timezone.now()
    if policy.is_staff and source != AppointmentStatusChange.Source.STAFF:
        raise ValueError("Only staff may move outside the online rules.")
    if start.tzinfo is None or start.utcoffset() is None:
        raise SlotUnavailable(_("The start time must include its time zone."))
    with transaction.atomic():
        current_practitioner_id = (
            Appointment.objects.filter(pk=appointment.pk)
            .values_list("practitioner_id", flat=True)
            .get()
        )
        if source == AppointmentStatusChange.Source.PATIENT or practitioner is None:
            target = Practitioner.objects.get(pk=current_practitioner_id)
        else:
            target = practitioner
        # Practitioner row first, then the appointment's: the same order as every other change.
        practitioners_lock(Practitioner.objects.filter(pk=target.pk))
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("service", "practitioner")
            .get(pk=appointment.pk)
        )
        if locked.status != Appointment.Status.CONFIRMED:
            raise AppointmentStatusError(
                _("Only a confirmed appointment can be moved; this one is %(status)s.")
                % {"status": status_label(locked.status)},
                code="not_confirmed",
            )
        if source == AppointmentStatusChange.Source.PATIENT:
            cancel_cutoff_check(appointment=locked, now=now)
        if start == locked.start and target.pk == locked.practitioner_id:
            raise SlotUnavailable(_("That is the time already booked. Choose a different one."))
        service = locked.service
        free = practitioners_free_at(
            service=service,
            practitioner=target,
            start=start,
            now=now,
            exclude_appointment_id=locked.pk,
            policy=policy,
        )
        if target not in free:  # the practitioner's row is locked: this read is current
            raise SlotTaken()

        old_start, old_blocked, old_practitioner = (
            locked.start,
            locked.blocked_until,
            locked.practitioner,
        )
        blocked_until = start + service.duration + service.buffer_after
        try:
            with transaction.atomic():
                # A hold nobody confirmed gives way here too, whether or not the sweep came.
                released = holds_expire_in_the_way(
                    practitioner=target, start=start, end=blocked_until, now=now
                )
                Appointment.objects.filter(pk=locked.pk).update(
                    practitioner=target,
                    start=start,
                    end=start + service.duration,
                    blocked_until=blocked_until,
                    version=F("version") + 1,
                    reminder_sent_at=reminder_sent_at_when_confirming(start, now=now),
                )
        except (IntegrityError, OperationalError) as exc:
            if not is_overlap_error(exc):
                raise
            raise SlotTaken() from exc
        locked.refresh_from_db()
        # A queryset UPDATE sends no signals, so the audit log is told directly.
        audit_record_update(
            locked,
            start=(old_start, locked.start),
            practitioner=(old_practitioner.pk, locked.practitioner_id),
        )
        note = _("Moved from %(old)s with %(old_who)s to %(new)s with %(new_who)s.") % {
            "old": when_display(old_start),
            "old_who": old_practitioner.name,
            "new": when_display(locked.start),
            "new_who": locked.practitioner.name,
        }
        AppointmentStatusChange.objects.create(
            appointment=locked,
            from_status=locked.status,
            to_status=locked.status,
            changed_by=actor,
            source=source,
            note=note,
            created_at=now,
        )
        move_notifications_queue(
            appointment=locked, old_when=when_display(old_start), notify_patient=notify_patient
        )
        waitlist_offers_queue(
            practitioner=old_practitioner, start=old_start, end=old_blocked, now=now
        )
        for hold in released:
            appointment_time_release(appointment=hold, now=now)
    for field in ("practitioner", "start", "end", "blocked_until", "version", "reminder_sent_at"):
        setattr(appointment, field, getattr(locked, field))
    return appointment
