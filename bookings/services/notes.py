"""The practitioner's note on an appointment: health information, audited with its value masked."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..models import Appointment


def appointment_note_write(
    *, appointment: Appointment, note: str, actor: AbstractBaseUser | None = None
) -> Appointment:
    """Replace the practitioner's note on ``appointment``.

    Saved through the model (not a queryset ``UPDATE``) so the audit log records who changed
    it and when; ``bookings/audit.py`` masks its value, so the log never holds the note itself.
    """
    with transaction.atomic():
        locked = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
        locked.clinical_note = note.strip()
        locked.save(update_fields=["clinical_note"])
    appointment.clinical_note = locked.clinical_note
    return appointment
