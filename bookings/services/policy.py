"""Which rules a booking or a move must keep: the patients' online rules, or the staff's.

Patients book online within the rules (minimum notice, horizon, the slot grid, working hours,
no time off). Staff at the desk may step outside every one of those rules, but only after they
have seen what they are stepping over: :data:`BookingPolicy.STAFF` refuses with
:class:`OverrideNeeded` (listing the warnings), and the same request again with
:data:`BookingPolicy.STAFF_CONFIRMED` books it. No policy books over another appointment: the
database's exclusion constraint refuses that whatever the caller says.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from ..availability import PractitionerSchedule, slot_is_free
from ..models import Appointment, Practitioner, Service, TimeOff
from ..selectors import booking_window, closure_on
from .errors import BookingError


class BookingPolicy(enum.Enum):
    """How far a booking may step outside the online rules."""

    #: The patients' rules: a start the public journey would offer, or nothing.
    ONLINE = "online"
    #: Staff: any start not over another appointment; anything outside the online rules is
    #: refused with :class:`OverrideNeeded` so that it can be shown and confirmed.
    STAFF = "staff"
    #: Staff who have seen the warnings and confirmed them.
    STAFF_CONFIRMED = "staff_confirmed"

    @property
    def is_staff(self) -> bool:
        return self is not BookingPolicy.ONLINE


class OverrideNeeded(BookingError):
    """A staff booking outside the online rules, not yet confirmed; ``warnings`` say why."""

    code = "override_needed"

    def __init__(self, warnings: Sequence[str]) -> None:
        super().__init__(" ".join(warnings))
        self.warnings = list(warnings)


_ANY_MINUTE = timedelta(minutes=1)
_FAR = timedelta(days=365 * 100)


def staff_warnings(
    *,
    schedule: PractitionerSchedule,
    service: Service,
    start: datetime,
    now: datetime,
    tz,
) -> list[str]:
    """What a staff booking of ``service`` at ``start`` with this practitioner steps over.

    Empty when the start is one the public journey could offer (apart from the grid, which
    staff may leave freely). Appointments are not looked at: overlapping one is never allowed.
    """
    practitioner: Practitioner = schedule.practitioner
    end = start + service.duration
    warnings = []
    not_before, not_after = booking_window(now=now)
    if start < now:
        warnings.append(_("This time is in the past."))
    elif start < not_before:
        warnings.append(_("This is at shorter notice than patients may book online."))
    if start > not_after:
        warnings.append(_("This is further ahead than patients may book online."))
    in_hours = slot_is_free(
        schedule=PractitionerSchedule(practitioner=practitioner, working=schedule.working),
        start=start,
        duration=service.duration,
        buffer_after=timedelta(0),
        step=_ANY_MINUTE,
        not_before=start - _FAR,
        not_after=start + _FAR,
        tz=tz,
    )
    if not in_hours:
        warnings.append(_("This is outside %(who)s's working hours.") % {"who": practitioner.name})
    closed = closure_on(start.astimezone(tz).date())
    if closed:
        warnings.append(_("The clinic is closed that day (%(reason)s).") % {"reason": closed})
    for off in _time_off_over(practitioner=practitioner, start=start, end=end):
        reason = off.reason or _("no reason given")
        if off.practitioner_id is None:
            warnings.append(_("The clinic is closed then (%(reason)s).") % {"reason": reason})
        else:
            warnings.append(
                _("%(who)s has time off then (%(reason)s).")
                % {"who": practitioner.name, "reason": reason}
            )
    return warnings


def _time_off_over(*, practitioner: Practitioner, start: datetime, end: datetime):
    return TimeOff.objects.filter(
        Q(practitioner__isnull=True) | Q(practitioner=practitioner), start__lt=end, end__gt=start
    ).order_by("start")


def appointment_overlaps(
    *,
    practitioner: Practitioner,
    start: datetime,
    blocked_until: datetime,
    exclude_appointment_id: int | None = None,
) -> bool:
    """Whether another live appointment of ``practitioner`` holds part of the time."""
    return (
        Appointment.objects.active()
        .filter(practitioner=practitioner, start__lt=blocked_until, blocked_until__gt=start)
        .exclude(pk=exclude_appointment_id)
        .exists()
    )
