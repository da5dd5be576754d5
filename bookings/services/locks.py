"""Row locks and constraint errors the booking services share."""

from __future__ import annotations

from django.db import IntegrityError, OperationalError, connection
from django.db.models import QuerySet

from ..db import APPOINTMENT_NO_OVERLAP
from ..models import Practitioner


def practitioners_lock(practitioners: QuerySet[Practitioner]) -> None:
    """Queue changes to these practitioners' diaries behind each other until commit.

    Bookings, moves and time off all lock their practitioners' rows first, and always in the
    same order (``position``, ``name``, ``pk``), so they cannot deadlock among themselves. For
    bookings the lock is not for correctness (the exclusion constraint is the last word) but for
    speed: without it, two overlapping inserts in flight wait on each other's uncommitted row
    and PostgreSQL can only break the deadlock after ``deadlock_timeout``. With it, the second
    insert waits for the first to commit and then fails the constraint at once. For time off it
    is what makes a booking in flight either commit first or see the time off. SQLite has one
    writer at a time already.
    """
    if connection.vendor == "postgresql":
        list(practitioners.order_by("position", "name", "pk").select_for_update().values_list("pk"))


def is_overlap_error(exc: IntegrityError | OperationalError) -> bool:
    """Whether inserting an appointment failed because another holds an overlapping time.

    That is an exclusion violation (23P01) or, when two overlapping inserts are in flight at
    once, a deadlock (40P01): each waits for the other's uncommitted row, PostgreSQL aborts one
    and the other goes on to commit. Either way the time has been taken.
    """
    cause = exc.__cause__
    sqlstate = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    if isinstance(exc, OperationalError):
        return sqlstate == "40P01"
    return sqlstate == "23P01" or APPOINTMENT_NO_OVERLAP in str(exc)
