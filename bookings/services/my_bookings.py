"""My bookings: a patient without an account asks for a link to every booking made with their
email. The link goes to that address only, so having it proves the patient reads that inbox."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.notifications.services import notification_queue

from ..models import Appointment
from ..tokens import my_bookings_url


def my_bookings_link_send(*, email: str, now: datetime | None = None) -> bool:
    """Email ``email`` a link to its bookings, through the outbox; nothing if it has none.

    Returns whether an email was queued. The caller must not tell the visitor which it was:
    whether an address has booked here is the patient's business.
    """
    email = email.strip()
    if not Appointment.objects.filter(patient_email__iexact=email).exists():
        return False
    now = now or timezone.now()
    with transaction.atomic():
        notification_queue(
            key=f"bookings:my-bookings:{uuid.uuid4().hex}",
            to=[email],
            subject=_("Your bookings at %(clinic)s") % {"clinic": settings.CLINIC_NAME},
            template="emails/bookings/my_bookings",
            context={
                "url": my_bookings_url(email=email),
                "hours": settings.MY_BOOKINGS_LINK_HOURS,
                "sent_at": timezone.localtime(now),
            },
            reply_to=[settings.CLINIC_EMAIL],
        )
    return True
