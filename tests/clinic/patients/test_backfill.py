"""The data migrations link records made before patient records existed (rows made by hand here
on purpose: they stand for old data, which no current service would write without a patient)."""

import pytest
from django.apps import apps

from bookings.models import Appointment
from clinic.contact.models import ContactMessage
from clinic.patients.backfill import records_link
from clinic.patients.models import Patient
from tests.bookings.factories import AppointmentFactory
from tests.clinic.contact.factories import ContactMessageFactory

pytestmark = pytest.mark.django_db


def test_old_records_are_linked_to_one_patient_each_person():
    AppointmentFactory(patient_name="Ann O'Brien", patient_email="ANN@example.com")
    AppointmentFactory(patient_name="Bob", patient_email="bob@example.com")
    ContactMessageFactory(name="Ann O'Brien", email="ann@example.com", phone="01632 960123")
    Appointment.objects.update(patient=None)
    ContactMessage.objects.update(patient=None)

    linked = records_link(
        apps,
        model_label="bookings.Appointment",
        name="patient_name",
        email="patient_email",
        phone="patient_phone",
    )
    linked += records_link(
        apps, model_label="contact.ContactMessage", name="name", email="email", phone="phone"
    )

    assert linked == 3
    ann = Patient.objects.get(email_normalised="ann@example.com")
    assert ContactMessage.objects.get().patient == ann
    assert Appointment.objects.filter(patient=ann).count() == 1
    assert Patient.objects.count() == 2
