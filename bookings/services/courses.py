"""A course of treatment: N appointments, weekly or every N days, planned then booked at once.

Staff see the plan before saving (:func:`course_plan`); :func:`course_book` books exactly that
plan in one transaction, so either the whole course is booked or none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..availability import Slot, slots_free_between
from ..models import Appointment, Practitioner, Service
from ..selectors import (
    booking_step,
    clinic_tz,
    practitioner_list_for_service,
    practitioner_schedule_list,
)
from .booking import appointment_book
from .emails import when_display
from .errors import Patient, SlotTaken
from .policy import BookingPolicy

#: The longest course staff may book at once.
COURSE_MAX_VISITS = 26


class CourseFit(models.TextChoices):
    """What to do when a visit's usual time is not free on its day."""

    SAME = "same", gettext_lazy("The same time only (leave out a day when it is taken)")
    NEAREST = "nearest", gettext_lazy("The nearest free time that day")


@dataclass(frozen=True)
class CourseVisit:
    """One visit of a planned course: the time wanted and the free time found (if any)."""

    wanted: datetime
    start: datetime | None
    practitioner: Practitioner | None

    @property
    def moved(self) -> bool:
        return self.start is not None and self.start != self.wanted


def course_days(*, first_start: datetime, count: int, every_days: int) -> list[datetime]:
    """The wanted starts: the same wall-clock time every ``every_days`` days (across BST)."""
    tz = clinic_tz()
    local = first_start.astimezone(tz)
    return [
        datetime.combine(local.date() + timedelta(days=i * every_days), local.time(), tzinfo=tz)
        for i in range(count)
    ]


def course_plan(
    *,
    service: Service,
    practitioner: Practitioner | None,
    first_start: datetime,
    count: int,
    every_days: int,
    fit: CourseFit,
    now: datetime | None = None,
) -> list[CourseVisit]:
    """Plan ``count`` visits; each takes a free time (staff rules: no notice, no horizon).

    Six queries whatever the length: the schedules of the whole span are read at once.
    """
    now = now or timezone.now()
    wanted = course_days(first_start=first_start, count=count, every_days=every_days)
    tz = clinic_tz()
    first_day, last_day = wanted[0].date(), wanted[-1].date()
    candidates = practitioner_list_for_service(service=service, practitioner=practitioner)
    slots: list[Slot] = []
    if candidates:
        schedules, clinic_busy = practitioner_schedule_list(
            practitioners=candidates, first_day=first_day, last_day=last_day
        )
        slots = slots_free_between(
            schedules=schedules,
            first_day=first_day,
            last_day=last_day,
            duration=service.duration,
            buffer_after=service.buffer_after,
            step=booking_step(),
            not_before=now,
            not_after=wanted[-1] + timedelta(days=1),
            tz=tz,
            clinic_busy=clinic_busy,
        )
    by_day: dict[date, list[Slot]] = {}
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
    return [_visit(want, by_day.get(want.date(), []), fit) for want in wanted]


def _visit(wanted: datetime, free: list[Slot], fit: CourseFit) -> CourseVisit:
    exact = [slot for slot in free if slot.start == wanted]
    if exact:
        return CourseVisit(wanted=wanted, start=wanted, practitioner=exact[0].practitioner)
    if fit == CourseFit.NEAREST and free:
        best = min(free, key=lambda slot: (abs(slot.start - wanted), slot.start))
        return CourseVisit(wanted=wanted, start=best.start, practitioner=best.practitioner)
    return CourseVisit(wanted=wanted, start=None, practitioner=None)


def course_book(
    *,
    service: Service,
    visits: list[CourseVisit],
    patient: Patient,
    actor: AbstractBaseUser | None = None,
    notify_patient: bool = True,
    now: datetime | None = None,
) -> list[Appointment]:
    """Book every planned visit that has a time, in one transaction: all or nothing.

    Raises :class:`SlotTaken` naming the visit if one was taken since the plan was shown.
    """
    booked = []
    with transaction.atomic():
        for visit in visits:
            if visit.start is None:
                continue
            try:
                booked.append(
                    appointment_book(
                        service=service,
                        practitioner=visit.practitioner,
                        start=visit.start,
                        patient=patient,
                        booked_via=Appointment.BookedVia.STAFF,
                        actor=actor,
                        notify_patient=notify_patient,
                        # Staff saw the plan (its notice and horizon) and chose to book it.
                        policy=BookingPolicy.STAFF_CONFIRMED,
                        now=now,
                    )
                )
            except SlotTaken as exc:
                raise SlotTaken(
                    _("%(when)s has just been taken; nothing in the course was booked.")
                    % {"when": when_display(visit.start)}
                ) from exc
    return booked
