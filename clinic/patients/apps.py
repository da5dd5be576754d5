from django.apps import AppConfig


class PatientsConfig(AppConfig):
    """One record per person the clinic sees; bookings, messages and assessments link to it."""

    name = "clinic.patients"
    label = "patients"
    verbose_name = "Patients"
