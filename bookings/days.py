"""The clinic's days: where a local calendar day starts and ends as an aware datetime.

Appointments are stored in UTC; staff and patients think in Europe/London days. Every query
by day goes through here (or the query sets in ``bookings.models`` that use it), so a day that
is 23 or 25 hours long around a clock change is handled in one place.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def clinic_tz() -> ZoneInfo:
    """The clinic's time zone (``TIME_ZONE``)."""
    return ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: date, *, tz: ZoneInfo | None = None) -> datetime:
    """The moment the clinic's ``day`` begins (in ``tz``, by default the clinic's)."""
    return datetime.combine(day, time.min, tzinfo=tz or clinic_tz())


def local_days_span(
    first: date, last: date, *, tz: ZoneInfo | None = None
) -> tuple[datetime, datetime]:
    """``[start, end)`` covering the clinic's days ``first`` to ``last`` inclusive."""
    return local_midnight(first, tz=tz), local_midnight(last + timedelta(days=1), tz=tz)
