"""Each back-office role can do what it should, and no more, over HTTP through the admin."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.utils.html import escape

from assessments.presentation import answer_rows
from bookings.models import Appointment
from clinic.roles import Role, roles_sync
from tests.assessments.factories import SubmissionFactory
from tests.conftest import login_staff

from .factories import AppointmentFactory

WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)


@pytest.fixture
def people(clinic, django_user_model):
    def user(username, group):
        person = django_user_model.objects.create_user(
            username=username, password="a-long-test-password", is_staff=True
        )
        person.groups.add(Group.objects.get(name=group))
        return person

    reception = user("reception", Role.RECEPTIONIST)
    amira_user = user("amira", Role.PRACTITIONER)
    clinic.amira.user = amira_user
    clinic.amira.save()
    manager = user("manager", Role.CLINIC_MANAGER)
    submission = SubmissionFactory()
    amiras = AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.initial,
        start=WEDNESDAY_10,
        patient_name="Amira Patient",
        assessment=submission,
    )
    toms = AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.initial,
        start=WEDNESDAY_10,
        patient_name="Tom Patient",
    )
    return reception, amira_user, manager, amiras, toms, submission


def as_user(client, user):
    login_staff(client, user)
    return client


@pytest.mark.django_db
def test_the_groups_exist_after_migrate_and_sync_is_idempotent():
    roles_sync()
    roles_sync()
    assert set(Group.objects.values_list("name", flat=True)) >= {
        Role.RECEPTIONIST,
        Role.PRACTITIONER,
        Role.CLINIC_MANAGER,
    }
    assert (
        not Group.objects.get(name=Role.RECEPTIONIST)
        .permissions.filter(content_type__app_label="assessments")
        .exists()
    )


def test_receptionist_runs_the_day_but_reads_no_health_answers(client, people):
    reception, _amira, _manager, amiras, toms, _submission = people
    client = as_user(client, reception)
    for url in [
        "/admin/bookings/appointment/",
        "/admin/bookings/appointment/diary/?view=week&date=2027-01-04",
        "/admin/bookings/appointment/dashboard/",
        "/admin/bookings/appointment/book/",
        "/admin/bookings/appointment/export/",
        "/admin/bookings/timeoff/add/",
        "/admin/bookings/discountcode/",
        "/admin/bookings/discountcode/add/",
        "/admin/bookings/waitlistentry/",
        "/admin/contact/contactmessage/",
        f"/admin/bookings/appointment/{toms.pk}/reschedule/",
        f"/admin/bookings/appointment/{toms.pk}/status/",
    ]:
        assert client.get(url).status_code == 200, url
    listing = client.get("/admin/bookings/appointment/").text
    assert "Amira Patient" in listing and "Tom Patient" in listing
    page = client.get(f"/admin/bookings/appointment/{amiras.pk}/change/")
    assert page.status_code == 200
    assert "Self-assessment shared" not in page.text
    first_question = escape(
        answer_rows(amiras.assessment.answers, wording_version=amiras.assessment.wording_version)[
            0
        ][0]
    )
    assert first_question not in page.text  # no health answers for reception
    for url in [
        "/admin/assessments/submission/",
        "/admin/auth/user/",
        "/admin/bookings/service/add/",
        "/admin/notifications/notification/",
        "/admin/privacy/datasubjectrequest/request/",
        "/admin/auditlog/logentry/",
    ]:
        assert client.get(url).status_code == 403, url
    # Marking attendance goes through the service.
    response = client.post(
        f"/admin/bookings/appointment/{toms.pk}/status/",
        {"to_status": "cancelled_by_clinic", "note": "Sorry", "notify_patient": "on"},
    )
    assert response.status_code == 302
    toms.refresh_from_db()
    assert toms.status == Appointment.Status.CANCELLED_BY_CLINIC


def test_practitioner_sees_only_their_own_diary_and_their_patients_answers(client, people):
    _reception, amira_user, _manager, amiras, toms, _submission = people
    client = as_user(client, amira_user)
    listing = client.get("/admin/bookings/appointment/")
    assert listing.status_code == 200
    assert "Amira Patient" in listing.text and "Tom Patient" not in listing.text
    own = client.get(f"/admin/bookings/appointment/{amiras.pk}/change/")
    assert own.status_code == 200
    assert "Self-assessment shared" in own.text
    assert (
        escape(
            answer_rows(
                amiras.assessment.answers, wording_version=amiras.assessment.wording_version
            )[0][0]
        )
        in own.text
    )  # the answers
    assert "/admin/assessments/submission/" not in own.text  # no link to an admin they can't use
    assert 'name="patient_name"' not in own.text  # read-only
    # Someone else's appointment does not exist for them.
    other = client.get(f"/admin/bookings/appointment/{toms.pk}/change/")
    assert other.status_code == 302
    diary = client.get("/admin/bookings/appointment/diary/?view=week&date=2027-01-04")
    assert diary.status_code == 200
    assert "Amira Patient" in diary.text and "Tom Patient" not in diary.text
    assert "Tom Wheeler" not in diary.text
    export = client.get(
        "/admin/bookings/appointment/export/?first_day=2027-01-04&last_day=2027-01-10"
    )
    body = b"".join(export.streaming_content).decode()
    assert "Amira Patient" in body and "Tom Patient" not in body
    for url in [
        "/admin/bookings/appointment/book/",
        f"/admin/bookings/appointment/{amiras.pk}/status/",
        f"/admin/bookings/appointment/{amiras.pk}/reschedule/",
        "/admin/bookings/timeoff/add/",
        "/admin/assessments/submission/",
        "/admin/contact/contactmessage/",
        "/admin/bookings/discountcode/",
    ]:
        assert client.get(url).status_code in (403, 404), url
    response = client.post(
        f"/admin/bookings/appointment/{amiras.pk}/change/", {"patient_name": "Changed"}
    )
    assert response.status_code == 403


def test_clinic_manager_can_do_everything_in_the_clinic_apps(client, people):
    _reception, _amira, manager, amiras, _toms, submission = people
    client = as_user(client, manager)
    for url in [
        "/admin/bookings/appointment/",
        "/admin/bookings/appointment/book/",
        "/admin/bookings/service/add/",
        "/admin/bookings/practitioner/",
        "/admin/assessments/submission/",
        f"/admin/assessments/submission/{submission.pk}/change/",
        "/admin/articles/tag/",
        "/admin/contact/contactmessage/",
        "/admin/notifications/notification/",
        "/admin/privacy/datasubjectrequest/request/",
        "/admin/auditlog/logentry/",
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/bookings/appointment/{amiras.pk}/change/")
    assert f"/admin/assessments/submission/{submission.pk}/change/" in page.text
    # Not the site's users: that stays with superusers.
    assert client.get("/admin/auth/user/").status_code == 403


def test_reading_shared_answers_on_an_appointment_is_audited(client, people):
    from auditlog.models import LogEntry

    _reception, amira_user, _manager, amiras, _toms, submission = people
    as_user(client, amira_user).get(f"/admin/bookings/appointment/{amiras.pk}/change/")
    access = LogEntry.objects.get_for_object(submission).filter(action=LogEntry.Action.ACCESS)
    assert [entry.actor for entry in access] == [amira_user]
