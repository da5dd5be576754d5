"""What a booking service raises when it cannot do what was asked, and who is booking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from ..models import Appointment


class BookingError(Exception):
    """A booking that cannot be made, with a message for the patient."""

    code = "booking_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class SlotUnavailable(BookingError):
    """The start is not a time this service can be booked at all (hours, grid, notice)."""

    code = "slot_unavailable"


class BookingLimitReached(SlotUnavailable):
    """This email address already has ``BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL`` upcoming online
    bookings; more go through the clinic's phone."""

    code = "booking_limit"


#: What a patient is told when someone else got their time first.
SLOT_TAKEN_MESSAGE = gettext_lazy("That time has just been taken. Please choose another.")


class SlotTaken(BookingError):
    """The start is a bookable time but someone else has it (often: just booked it)."""

    code = "slot_taken"

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        super().__init__(str(message or SLOT_TAKEN_MESSAGE), code=code)


class DiscountCodeInvalid(BookingError):
    """The discount code cannot be used; ``code`` says why (``unknown``, ``expired``, ...)."""

    code = "discount_invalid"


class AppointmentStatusError(BookingError):
    """A status change the transition table (or the clock) does not allow."""

    code = "status_change_not_allowed"


class ChangeTooLate(BookingError):
    """A patient tried to cancel or move inside the cut-off; they must contact the clinic."""

    code = "too_late"


class TimeOffClash(BookingError):
    """Time off would cover booked appointments; ``appointments`` lists them."""

    code = "time_off_clash"

    def __init__(self, message: str, *, appointments: Sequence[Appointment]) -> None:
        super().__init__(message)
        self.appointments = list(appointments)


@dataclass(frozen=True, slots=True)
class Patient:
    name: str
    email: str
    phone: str
    notes: str = ""


class PreviousVisitRequired(SlotUnavailable):
    """The service is for patients already seen, and this email has no attended appointment."""

    code = "previous_visit_required"
