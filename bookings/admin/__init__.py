"""The back office: services, practitioners, hours, time off, discount codes, the waitlist and the
diary, where a receptionist runs the day.

Appointments change only through the services: the add page is the phone booking form
(``appointment_book``), the status through ``appointment_status_change``, times through
``appointment_move``, time off through ``time_off_add``. Clinic closures (``closures``) are
whole days patients cannot book; staff are warned on them. What each role may see is in
``bookings.roles``; a practitioner's appointment list, diary, dashboard and export show only
their own appointments (``AppointmentQuerySet.visible_to``).
"""

from . import appointments, catalogue, closures

__all__ = ["appointments", "catalogue", "closures"]
