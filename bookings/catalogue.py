"""The slot catalogue: what slot searches read on every request but staff change rarely.

Bookable services, who offers each (in the order patients see them) with their working hours,
and the days staff have closed the clinic. Each web process keeps one copy and uses it only
while the database's *catalogue version* (migration ``0012``) is the one it was loaded under. A
trigger on each of those tables renews the version in the same statement as any change, so it
commits or rolls back with the change, and a version never repeats: an unchanged version means
nothing in the copy has changed, and a request that starts after a change commits always sees
the change. The version is read before the rows a reload reads, so a change that commits
during a reload is at worst loaded early and reloaded at the next use.

Checking costs no round trip of its own on the slots API: the version comes back with busy
time, in the one query each slot request makes (``bookings.selectors.busy_time_versioned``),
and the view answers again from a fresh copy if it moved. Busy time itself (appointments, time
off) is never cached.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connections

from .availability import WorkingPeriod
from .closures import bank_holidays_between
from .models import ClinicClosure, Practitioner, Service, WorkingHours

VERSION_QUERY = "SELECT version FROM bookings_catalogue_version"
# Another query's rows of three columns, with a fourth: NULL on each of them, and the version
# on one more row of its own. The slots API reads busy time and the version in one round trip.
WITH_VERSION = (
    "SELECT NULL, NULL, NULL, version FROM bookings_catalogue_version"
    " UNION ALL SELECT q.*, NULL FROM ({query}) q"
)


@dataclass(frozen=True, slots=True)
class ServiceShape:
    """A bookable service as slot searches see it."""

    pk: int
    slug: str
    duration: timedelta
    buffer_after: timedelta


@dataclass(frozen=True, slots=True)
class PractitionerDiary:
    """A practitioner as slot searches see them: who, and their regular week."""

    pk: int
    slug: str
    working: tuple[WorkingPeriod, ...]


@dataclass(frozen=True)
class SlotCatalogue:
    """One consistent copy of the catalogue, valid while the database's version is ``version``."""

    version: int
    services: dict[str, ServiceShape] = field(default_factory=dict)
    offered_by: dict[int, tuple[PractitionerDiary, ...]] = field(default_factory=dict)
    closed_days: frozenset[date] = frozenset()

    def service(self, slug: str) -> ServiceShape | None:
        """The bookable service with this slug."""
        return self.services.get(slug)

    def practitioners(self, service: ServiceShape) -> tuple[PractitionerDiary, ...]:
        """Who may take ``service``, in the order patients see them."""
        return self.offered_by.get(service.pk, ())

    def practitioner(self, service: ServiceShape, slug: str) -> PractitionerDiary | None:
        """The practitioner with this slug, if they may take ``service``."""
        return next((p for p in self.practitioners(service) if p.slug == slug), None)

    def closed_between(self, first_day: date, last_day: date) -> list[date]:
        """The days from ``first_day`` to ``last_day`` the whole clinic is closed: bank holidays
        and staff-added days, as ``bookings.closures.closures_between`` finds them."""
        staff = {day for day in self.closed_days if first_day <= day <= last_day}
        return sorted(staff.union(bank_holidays_between(first_day, last_day)))


# One copy per database alias, replaced whole (never changed in place), so threads need no lock.
_copies: dict[str, SlotCatalogue] = {}


def catalogue_version(*, using: str = "default") -> int:
    """The database's catalogue version now (one query)."""
    with connections[using].cursor() as cursor:
        cursor.execute(VERSION_QUERY)
        return cursor.fetchone()[0]


def slot_catalogue(*, version: int | None = None, using: str = "default") -> SlotCatalogue:
    """The catalogue at ``version`` (read now if not given: one query), reloaded if this
    process's copy is of another version."""
    if version is None:
        version = catalogue_version(using=using)
    copy = _copies.get(using)
    if copy is None or copy.version != version:
        copy = _catalogue_load(version, using)
        _copies[using] = copy
    return copy


def slot_catalogue_held(*, using: str = "default") -> SlotCatalogue:
    """This process's copy, unchecked (loaded if there is none): for a caller that reads the
    version in its own query and checks it against ``.version`` (see ``bookings.api.slots``)."""
    return _copies.get(using) or slot_catalogue(using=using)


def _catalogue_load(version: int, using: str) -> SlotCatalogue:
    """Read the catalogue (after ``version``: see the module docstring). One query per service
    plus three, which only a change to the catalogue costs."""
    working: defaultdict[int, list[WorkingPeriod]] = defaultdict(list)
    for hours in WorkingHours.objects.using(using).order_by("weekday", "start"):
        working[hours.practitioner_id].append(
            WorkingPeriod(weekday=hours.weekday, start=hours.start, end=hours.end)
        )
    services: dict[str, ServiceShape] = {}
    offered_by: dict[int, tuple[PractitionerDiary, ...]] = {}
    for service in Service.objects.using(using).filter(active=True):
        services[service.slug] = ServiceShape(
            pk=service.pk,
            slug=service.slug,
            duration=service.duration,
            buffer_after=service.buffer_after,
        )
        offered_by[service.pk] = tuple(
            PractitionerDiary(pk=pk, slug=slug, working=tuple(working[pk]))
            for pk, slug in Practitioner.objects.using(using)
            .bookable_for(service)
            .values_list("pk", "slug")
        )
    closed = frozenset(ClinicClosure.objects.using(using).values_list("date", flat=True))
    return SlotCatalogue(
        version=version, services=services, offered_by=offered_by, closed_days=closed
    )
