"""Limits on online booking, so one address cannot fill the diary."""

from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from ..models import Appointment
from .errors import BookingLimitReached


def online_booking_cap_check(*, email: str, now: datetime) -> None:
    """Refuse an online booking past ``BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL`` upcoming ones.

    Bookings for one address queue behind a transaction-scoped advisory lock, so two at once
    cannot both slip under the cap. 0 switches the cap off.
    """
    cap = settings.BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL
    if cap <= 0:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [email.lower()])
    upcoming = (
        Appointment.objects.active()
        .filter(patient_email__iexact=email, start__gte=now)
        .exclude(booked_via=Appointment.BookedVia.STAFF)
        .count()
    )
    if upcoming >= cap:
        raise BookingLimitReached(
            _(
                "You already have %(count)s upcoming appointments booked online. To book "
                "another, please call us on %(phone)s."
            )
            % {"count": upcoming, "phone": settings.CLINIC_PHONE}
        )
