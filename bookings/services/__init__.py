"""Writes for booking, one module per use case. The public journey, the JSON API, staff in the
admin and the Celery tasks all call these, so one path holds each rule.

* :mod:`.booking`: booking an appointment, and how a double booking is made impossible.
* :mod:`.discounts`: whether a discount code may be used; counting and giving back a use.
* :mod:`.status`: the one way an appointment's status changes (cancelling included).
* :mod:`.moves`: moving an appointment to another time or practitioner.
* :mod:`.time_off`: closing a diary and opening it again.
* :mod:`.reminders`: sending the reminders that are due.
* :mod:`.waitlist`: joining the waitlist, booking an offer.
* :mod:`.waitlist_offers`: offering freed time to the waitlist.
* :mod:`.holds`: holds awaiting the patient's email confirmation: confirming, releasing.
* :mod:`.emails`: what each of those emails says and to whom.
* :mod:`.eligibility`: services only patients already seen may book online.
* :mod:`.limits`: how many online bookings one address may hold.
* :mod:`.feeds`: practitioners' calendar feed addresses.
* :mod:`.courses`: a course of treatment, planned and shown, then booked all at once.
* :mod:`.notes`: the practitioner's note on an appointment (health information).
* :mod:`.policy`: which rules a booking keeps (patients' online rules, or staff overrides).
* :mod:`.my_bookings`: emailing a patient the link to all their bookings.
"""

from .booking import appointment_book
from .courses import COURSE_MAX_VISITS, CourseFit, CourseVisit, course_book, course_plan
from .discounts import booking_quote, discount_code_check, email_normalise
from .eligibility import previous_visit_check
from .emails import appointment_email_context
from .errors import (
    SLOT_TAKEN_MESSAGE,
    AppointmentStatusError,
    BookingError,
    BookingLimitReached,
    ChangeTooLate,
    DiscountCodeInvalid,
    Patient,
    PreviousVisitRequired,
    SlotTaken,
    SlotUnavailable,
    TimeOffClash,
)
from .feeds import practitioner_feed_token_regenerate
from .holds import (
    HoldConfirmation,
    appointment_hold_confirm,
    hold_outcome_of,
    hold_standing,
    holds_release_lapsed,
)
from .moves import appointment_move
from .my_bookings import my_bookings_link_send
from .notes import appointment_note_write
from .policy import BookingPolicy, OverrideNeeded
from .reminders import reminder_due_at, reminders_send_due
from .status import (
    STATUS_TRANSITIONS,
    appointment_cancel,
    appointment_status_change,
    status_quick_actions,
    statuses_settable,
)
from .time_off import time_off_add, time_off_add_cancelling, time_off_delete
from .waitlist import waitlist_join, waitlist_offer_book
from .waitlist_offers import waitlist_offers_queue

__all__ = [
    "COURSE_MAX_VISITS",
    "SLOT_TAKEN_MESSAGE",
    "STATUS_TRANSITIONS",
    "AppointmentStatusError",
    "BookingError",
    "BookingLimitReached",
    "BookingPolicy",
    "ChangeTooLate",
    "CourseFit",
    "CourseVisit",
    "DiscountCodeInvalid",
    "HoldConfirmation",
    "OverrideNeeded",
    "Patient",
    "PreviousVisitRequired",
    "SlotTaken",
    "SlotUnavailable",
    "TimeOffClash",
    "appointment_book",
    "appointment_cancel",
    "appointment_email_context",
    "appointment_hold_confirm",
    "appointment_move",
    "appointment_note_write",
    "appointment_status_change",
    "booking_quote",
    "course_book",
    "course_plan",
    "discount_code_check",
    "email_normalise",
    "hold_outcome_of",
    "hold_standing",
    "holds_release_lapsed",
    "my_bookings_link_send",
    "practitioner_feed_token_regenerate",
    "previous_visit_check",
    "reminder_due_at",
    "reminders_send_due",
    "status_quick_actions",
    "statuses_settable",
    "time_off_add",
    "time_off_add_cancelling",
    "time_off_delete",
    "waitlist_join",
    "waitlist_offer_book",
    "waitlist_offers_queue",
]
