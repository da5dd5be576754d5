"""Who may book what online: services for patients the clinic has already seen."""

from django.utils.translation import gettext as _

from ..models import Appointment, Service
from .errors import PreviousVisitRequired


def previous_visit_check(*, service: Service, email: str) -> None:
    """Raise :class:`PreviousVisitRequired` if ``service`` needs an attended visit ``email`` lacks.

    Staff booking by phone skip this (they know the patient); online bookings go through it.
    """
    if not service.requires_previous_visit:
        return
    attended = Appointment.objects.filter(
        patient_email__iexact=email.strip(), status=Appointment.Status.COMPLETED
    )
    if attended.exists():
        return
    raise PreviousVisitRequired(
        _(
            "%(service)s is for patients we have already seen, and we have no visit booked "
            "with this email address. Book an initial consultation first, or call us if you "
            "came before with another address."
        )
        % {"service": service.name}
    )
