"""The back office's own pages for running the day, inside the Django admin.

Each view is wired into ``bookings.admin.appointments.AppointmentAdmin`` (or ``TimeOffAdmin``) by
``get_urls`` and wrapped in ``admin_site.admin_view``, so it has the admin's login, styling and
breadcrumbs. Each checks the model permission it needs and reads appointments through the
model admin's queryset, so a practitioner sees only their own diary everywhere.
"""

from .changes import note_view, reschedule_view, status_view
from .dashboard import dashboard_view, export_view
from .diary import diary_view
from .phone import free_times_view, phone_booking_view
from .reports import reports_view
from .time_off import time_off_add_view
from .waitlist import waitlist_add_view

__all__ = [
    "dashboard_view",
    "diary_view",
    "export_view",
    "free_times_view",
    "note_view",
    "phone_booking_view",
    "reports_view",
    "reschedule_view",
    "status_view",
    "time_off_add_view",
    "waitlist_add_view",
]
