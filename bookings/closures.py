"""Days the whole clinic is closed: bank holidays and the days staff add.

Bank holidays come from the maintained ``holidays`` library (subdivision ``ENG``, England and
Wales, set by ``CLINIC_BANK_HOLIDAYS``; empty turns them off), so they need no yearly data
entry. Staff add other days (training, a burst pipe) as :class:`ClinicClosure` rows. Both
reach patients the same way: the selectors turn each closed day into a clinic-wide busy
interval for the pure availability core, so no layer (journey, API, waitlist offers, the
booking service's re-check) can offer a time on it.
"""

from datetime import date
from functools import lru_cache

import holidays
from django.conf import settings

from .models import ClinicClosure


@lru_cache(maxsize=32)
def _bank_holidays_in(subdivision: str, year: int) -> dict[date, str]:
    calendar = holidays.country_holidays("GB", subdiv=subdivision, years=year)
    return dict(calendar.items())


def bank_holidays_between(first_day: date, last_day: date) -> dict[date, str]:
    """Bank holidays on the days ``first_day`` to ``last_day`` inclusive, with their names."""
    subdivision = settings.CLINIC_BANK_HOLIDAYS
    if not subdivision or first_day > last_day:
        return {}
    found: dict[date, str] = {}
    for year in range(first_day.year, last_day.year + 1):
        for day, name in _bank_holidays_in(subdivision, year).items():
            if first_day <= day <= last_day:
                found[day] = name
    return found


def closures_between(first_day: date, last_day: date) -> dict[date, str]:
    """Every day the clinic is closed from ``first_day`` to ``last_day``, with the reason.

    One query (the staff-added days); a staff reason wins over a bank holiday's name.
    """
    closed = bank_holidays_between(first_day, last_day)
    closed.update(
        ClinicClosure.objects.filter(date__range=(first_day, last_day)).values_list(
            "date", "reason"
        )
    )
    return dict(sorted(closed.items()))
