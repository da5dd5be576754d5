"""Linking a booking to the patient's self-assessment, only when they choose to share it."""

import pytest
from django.urls import reverse

from assessments.journey import SUBMISSION_SESSION_KEY
from bookings.models import Appointment
from tests.assessments.factories import SubmissionFactory
from tests.bookings.views.test_journey import DETAILS, choose

LABEL = "Share my self-assessment answers with my practitioner"


def remember(client, submission_id) -> None:
    session = client.session
    session[SUBMISSION_SESSION_KEY] = submission_id
    session.save()


def book(client, clinic, **extra) -> Appointment:
    choose(client, clinic)
    response = client.post(reverse("bookings:details"), {**DETAILS, "discount_code": "", **extra})
    assert response.status_code == 302, response.context["form"].errors
    client.post(reverse("bookings:review"))
    return Appointment.objects.get()


def test_no_assessment_in_the_session_no_box(client, clinic):
    choose(client, clinic)
    assert LABEL not in client.get(reverse("bookings:details")).text
    assert book(client, clinic, share_assessment="on").assessment is None


def test_ticked_box_links_the_submission(client, clinic):
    submission = SubmissionFactory()
    remember(client, submission.pk)
    choose(client, clinic)
    assert LABEL in client.get(reverse("bookings:details")).text
    client.post(
        reverse("bookings:details"), {**DETAILS, "discount_code": "", "share_assessment": "on"}
    )
    assert (
        "Your answers will be shared with your practitioner"
        in client.get(reverse("bookings:review")).text
    )
    client.post(reverse("bookings:review"))
    assert Appointment.objects.get().assessment == submission
    assert list(submission.appointments.all()) == [Appointment.objects.get()]


def test_unticked_box_links_nothing(client, clinic):
    remember(client, SubmissionFactory().pk)
    assert book(client, clinic).assessment is None


@pytest.mark.parametrize("stale", ["deleted", "not-an-id"])
def test_a_submission_that_is_gone_is_not_offered_or_linked(client, clinic, stale):
    submission = SubmissionFactory()
    remember(client, submission.pk if stale == "deleted" else "abc")
    submission.delete()
    choose(client, clinic)
    assert LABEL not in client.get(reverse("bookings:details")).text
    assert book(client, clinic, share_assessment="on").assessment is None


def test_deleting_the_answers_later_keeps_the_appointment(client, clinic):
    submission = SubmissionFactory()
    remember(client, submission.pk)
    appointment = book(client, clinic, share_assessment="on")
    submission.delete()  # retention period over
    appointment.refresh_from_db()
    assert appointment.assessment is None
