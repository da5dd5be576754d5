"""A demo patient with an alert note, for ``seed_demo`` (idempotent). The bookings demo links
its appointments to patients as it makes them, so this record gathers Grace Kelly's."""

from .services import patient_match_or_create


def seed(*, staff_user, stdout) -> None:
    patient = patient_match_or_create(
        name="Grace Kelly", email="grace.kelly@example.com", phone="07700 900111"
    )
    if not patient.alert_note:
        patient.alert_note = "Hard of hearing: face her when speaking; prefers email"
        patient.save(update_fields=["alert_note"])
    stdout.write("Demo patient with an alert: Grace Kelly.")
