"""Patients are recognised when they come back, found however their number is typed, merged
only by staff, and shown on one page with everything about them."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from bookings.models import Appointment
from bookings.services import Patient, appointment_book
from clinic.contact.services import contact_message_create
from clinic.patients.models import Patient as PatientRecord
from clinic.patients.selectors import patient_search
from clinic.patients.services import PatientMergeError, patient_match_or_create, patient_merge

pytestmark = pytest.mark.django_db

WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)


def test_a_returning_patient_is_matched_by_email_in_any_case(db):
    first = patient_match_or_create(name="Ann O'Brien", email="Ann@Example.com", phone="")
    again = patient_match_or_create(
        name="Ann OBrien", email="ann@example.COM", phone="01632 960123"
    )
    assert again == first
    again.refresh_from_db()
    assert again.phone_normalised == "01632960123"  # a blank filled, nothing overwritten
    assert again.name == "Ann O'Brien"


def test_phone_matches_only_with_the_same_name(db):
    ann = patient_match_or_create(name="Ann O'Brien", phone="01632 960123")
    assert patient_match_or_create(name="ann  o'brien", phone="+44 1632 960123") == ann
    bob = patient_match_or_create(name="Bob O'Brien", phone="01632960123")
    assert bob != ann  # a shared family number is not a reason to merge two people


@pytest.mark.parametrize(
    "typed",
    [
        "01632960123",
        "01632 960123",
        "+44 1632 960 123",
        "0044 1632 960123",
        "1632960123",
        "960 123",
    ],
)
def test_search_finds_a_phone_number_however_it_is_typed(db, typed):
    ann = patient_match_or_create(
        name="Ann O'Brien", email="ann@example.com", phone="(01632) 960-123"
    )
    patient_match_or_create(name="Someone Else", email="else@example.com", phone="07700 900999")
    assert list(patient_search(query=typed)) == [ann]


def test_search_by_name_email_and_booking_reference(clinic, patient):
    appointment = appointment_book(
        service=clinic.initial,
        start=WEDNESDAY_10,
        patient=patient,
        booked_via=Appointment.BookedVia.WEB,
    )
    record = appointment.patient
    assert list(patient_search(query="o'bri")) == [record]
    assert list(patient_search(query="ANN@example")) == [record]
    assert list(patient_search(query=appointment.reference.lower())) == [record]
    assert list(patient_search(query="x")) == []


def test_staff_merge_moves_everything_and_keeps_the_duplicate_as_history(clinic, staff_user):
    keep = patient_match_or_create(name="Ann O'Brien", email="ann@example.com")
    appointment = appointment_book(
        service=clinic.initial,
        start=WEDNESDAY_10,
        patient=Patient(name="Anne OBrien", email="anne.work@example.com", phone="01632 960123"),
        booked_via=Appointment.BookedVia.WEB,
    )
    duplicate = appointment.patient
    assert duplicate != keep  # never merged silently
    patient_merge(keep=keep, duplicate=duplicate, actor=staff_user)
    appointment.refresh_from_db()
    duplicate.refresh_from_db()
    assert appointment.patient == keep
    assert (duplicate.merged_into, duplicate.merged_by) == (keep, staff_user)
    assert list(patient_search(query="Anne")) == []
    keep.refresh_from_db()
    assert keep.phone_normalised == "01632960123"
    with pytest.raises(PatientMergeError):
        patient_merge(keep=keep, duplicate=duplicate, actor=staff_user)
    # Coming back with the merged duplicate's address finds the record kept.
    assert patient_match_or_create(name="Anne", email="Anne.Work@example.com") == keep


def test_staff_cannot_give_two_records_one_address(db, staff_client):
    patient_match_or_create(name="Ann O'Brien", email="ann@example.com")
    bob = patient_match_or_create(name="Bob", email="bob@example.com")
    response = staff_client.post(
        reverse("admin:patients_patient_change", args=[bob.pk]),
        {"name": "Bob", "email": "ANN@example.com", "phone": "", "preferred_contact": "email"},
    )
    assert response.status_code == 200
    assert "merge the two instead" in response.text
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"


def test_the_patient_page_book_again_and_search_as_you_type(
    clinic, patient, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            service=clinic.follow_up,
            practitioner=clinic.tom,
            start=WEDNESDAY_10,
            patient=patient,
            booked_via=Appointment.BookedVia.WEB,
            discount_code="",
        )
        contact_message_create(
            name=patient.name,
            email=patient.email,
            message="Can I bring my own towel?",
            privacy_acknowledged=True,
        )
    record = appointment.patient
    record.alert_note = "Hard of hearing: please speak clearly"
    record.save()

    page = staff_client.get(reverse("admin:patients_patient_change", args=[record.pk]))
    assert page.status_code == 200
    history = page.context["history"]
    assert history["upcoming"] == [appointment]
    assert [m.message for m in history["messages"]] == ["Can I bring my own towel?"]
    # Every email to or about them: theirs and the staff emails (reply-to them).
    assert {tuple(n.to) for n in history["emails"]} >= {
        ("ann@example.com",),
        ("reception@example.com",),
    }
    assert "Hard of hearing" in page.text and "Book again" in page.text

    form = staff_client.get(page.context["book_again_url"]).context["form"]
    assert (form.initial["name"], form.initial["email"], form.initial["phone"]) == (
        "Ann O'Brien",
        "ann@example.com",
        "07700 900123",
    )
    assert (form.initial["service"], form.initial["practitioner"]) == (clinic.follow_up, clinic.tom)

    found = staff_client.get(reverse("admin:patients_patient_search"), {"q": "+44 7700 900 123"})
    assert [r["name"] for r in found.json()["results"]] == ["Ann O'Brien"]
    listed = staff_client.get(reverse("admin:patients_patient_changelist"), {"q": "07700900123"})
    assert list(listed.context["cl"].result_list) == [record]


def test_the_patient_page_queries_do_not_grow_with_history(clinic, patient, staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries() -> int:
        record = PatientRecord.objects.get(email_normalised="ann@example.com")
        with CaptureQueriesContext(connection) as queries:
            assert (
                staff_client.get(
                    reverse("admin:patients_patient_change", args=[record.pk])
                ).status_code
                == 200
            )
        return len(queries)

    def book(hour: int) -> None:
        appointment_book(
            service=clinic.follow_up,
            practitioner=clinic.tom,
            start=WEDNESDAY_10.replace(hour=hour),
            patient=patient,
            booked_via=Appointment.BookedVia.STAFF,
        )

    book(10)
    page_queries()  # warms the caches (content types, permissions)
    one = page_queries()
    book(11)
    book(12)
    assert page_queries() == one
