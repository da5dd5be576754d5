"""A patient made through every public and staff flow, exported, erased, and the whole
database searched for them afterwards.

The data is built through the services and pages people use (public booking with a discount,
a move, a reminder, a cancellation, a staff phone booking, the contact form service, a stored
self-assessment with contact consent, the waitlist), with every email delivered through the
outbox. After erasure every text, character and JSON column of every table in the test
database is read, and the patient's identifiers (email in any case, name, phone number in any
spacing or with +44) may appear only in the rows the erasure summary lists as kept.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection

from assessments.services import ContactDetails, submission_create
from assessments.triage import evaluate
from bookings.models import Appointment, WaitlistEntry
from bookings.services import (
    Patient,
    appointment_book,
    appointment_cancel,
    appointment_move,
    appointment_status_change,
    holds_release_lapsed,
    reminders_send_due,
    waitlist_join,
)
from clinic.contact.models import ContactMessage
from clinic.contact.services import contact_message_create
from clinic.notifications.models import Notification
from clinic.patients.models import Patient as PatientRecord
from clinic.privacy.models import DataSubjectRequest
from clinic.privacy.registry import registry
from clinic.privacy.services import subject_access_export, subject_erase
from tests.assessments.conftest import CLEAR_STEPS
from tests.bookings.conftest import (  # noqa: F401 (fixtures)
    booking_settings,
    celery_in_process,
    clinic,
    frozen_now,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

NAME = "Zelda Quackenbush"
EMAIL = "Zelda.Q@example.com"
PHONE = "01632 960123"
PHONE_DIGITS = "1632960123"  # what every spelling of the number contains, once spaces go
TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A London wall-clock time in January (GMT, so the same as UTC)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _answers() -> dict:
    answers: dict = {}
    for step in CLEAR_STEPS:
        answers.update(step)
    return answers


@pytest.fixture
def everything(clinic, staff_client, staff_user, settings, django_capture_on_commit_callbacks):  # noqa: F811
    """One person through every flow, and a bystander who must be left alone."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    now = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)
    me = Patient(name=NAME, email=EMAIL.lower(), phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        # A visit that took place: booked three weeks ago, attended.
        past = appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=_at(date(2026, 12, 21), 10),
            patient=me,
            booked_via=Appointment.BookedVia.WEB,
            privacy_notice_version="1",
            now=now - timedelta(days=20),
        )
        appointment_status_change(
            appointment=past,
            to_status=Appointment.Status.COMPLETED,
            source="staff",
            actor=staff_user,
        )
        # Public booking with a discount (address typed in another case), moved, reminded.
        upcoming = appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=_at(date(2027, 1, 6), 10),
            patient=Patient(name=NAME, email=EMAIL.upper(), phone="+44 1632 960123"),
            booked_via=Appointment.BookedVia.WEB,
            discount_code="save15",
            privacy_notice_version="1",
        )
        upcoming = appointment_move(
            appointment=upcoming, start=_at(date(2027, 1, 6), 11), source="patient"
        )
        assert reminders_send_due(now=_at(date(2027, 1, 5), 12)) == 1
        # Booked and cancelled by the patient.
        cancelled = appointment_book(
            service=clinic.follow_up,
            practitioner=clinic.tom,
            start=_at(date(2027, 1, 7), 10),
            patient=me,
            booked_via=Appointment.BookedVia.WEB,
            privacy_notice_version="1",
        )
        appointment_cancel(appointment=cancelled, source="patient")
        # A staff phone booking, the number spaced another way.
        response = staff_client.post(
            "/admin/bookings/appointment/book/",
            {
                "service": clinic.follow_up.pk,
                "practitioner": clinic.tom.pk,
                "day": "2027-01-08",
                "time": "10:00",
                "name": NAME,
                "phone": "0163 296 0123",
                "email": EMAIL,
                "notes": f"{NAME} prefers mornings",
                "send_confirmation": "on",
            },
        )
        assert response.status_code == 302
        contact_message_create(
            name=NAME,
            email=EMAIL,
            phone="(01632) 960-123",
            message="Please call me about my hamstrings",
            privacy_acknowledged=True,
        )
        submission_create(
            result=evaluate(_answers()),
            health_storage_consented=True,
            contact=ContactDetails(name=NAME, email=EMAIL, phone=PHONE),
            results_email=EMAIL,
        )
        waitlist_join(
            service=clinic.initial,
            first_day=date(2027, 1, 11),
            last_day=date(2027, 1, 15),
            patient=me,
            privacy_notice_version="1",
        )
        # With email confirmation on: a hold still awaiting the click, and one nobody clicked
        # (released by the sweep, its time offered to the waitlist: their own entry).
        settings.BOOKING_REQUIRE_EMAIL_CONFIRMATION = True
        appointment_book(
            service=clinic.follow_up,
            practitioner=clinic.tom,
            start=_at(date(2027, 1, 12), 10),
            patient=me,
            booked_via=Appointment.BookedVia.API,
            privacy_notice_version="1",
        )
        appointment_book(
            service=clinic.follow_up,
            practitioner=clinic.tom,
            start=_at(date(2027, 1, 13), 10),
            patient=me,
            booked_via=Appointment.BookedVia.WEB,
            privacy_notice_version="1",
            now=now - timedelta(hours=1),
        )
        assert holds_release_lapsed(now=now) == 1
        settings.BOOKING_REQUIRE_EMAIL_CONFIRMATION = False
        bystander = appointment_book(
            service=clinic.initial,
            practitioner=clinic.tom,
            start=_at(date(2027, 1, 6), 14),
            patient=Patient(name="Bob Bystander", email="bob@example.com", phone="07700 900999"),
            booked_via=Appointment.BookedVia.WEB,
            privacy_notice_version="1",
        )
    return {"past": past, "upcoming": upcoming, "bystander": bystander}


def _text_columns() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type = ANY(%s) ORDER BY table_name",
            [list(TEXT_TYPES)],
        )
        columns: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            columns.setdefault(table, []).append(column)
    return columns


def _mentions(value: str) -> bool:
    text = value.lower()
    spaced = re.sub(r"[\s\-().+]", "", text)
    return EMAIL.lower() in text or "quackenbush" in text or PHONE_DIGITS in spaced


def database_scan() -> tuple[set[tuple[str, str]], dict]:
    """Every row of every table whose text, character or JSON columns mention the person, as
    ``(table, primary key)``; and what was covered."""
    found: set[tuple[str, str]] = set()
    covered = {"tables": 0, "columns": 0, "rows": 0, "table_names": set()}
    with connection.cursor() as cursor:
        for table, columns in _text_columns().items():
            cursor.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
                [f'"{table}"'],
            )
            key = (cursor.fetchone() or ["ctid"])[0]
            selected = ", ".join(f'"{column}"::text' for column in columns)
            cursor.execute(f'SELECT "{key}"::text, {selected} FROM "{table}"')  # noqa: S608
            covered["tables"] += 1
            covered["table_names"].add(table)
            covered["columns"] += len(columns)
            for row in cursor.fetchall():
                covered["rows"] += 1
                if any(value and _mentions(value) for value in row[1:]):
                    found.add((table, row[0]))
    return found, covered


def _kept_rows(summary: dict) -> set[tuple[str, str]]:
    kept = set()
    for outcome in summary.values():
        label, pks = outcome["kept_rows"]
        if pks:
            table = apps.get_model(label)._meta.db_table
            kept |= {(table, str(pk)) for pk in pks}
    return kept


def test_a_returning_patient_is_one_record_whatever_the_flow(everything):
    record = PatientRecord.objects.get(email_normalised=EMAIL.lower())
    assert record.phone_normalised == "01632960123"
    assert PatientRecord.objects.filter(name=NAME).count() == 1
    assert set(
        Appointment.objects.exclude(pk=everything["bystander"].pk).values_list("patient", flat=True)
    ) == {record.pk}
    assert ContactMessage.objects.get().patient == record
    assert WaitlistEntry.objects.get().patient == record
    assert record.assessments.count() == 1


def test_the_export_holds_every_row_and_email_that_mentions_them(everything, staff_user):
    mentioned, _covered = database_scan()
    mentioning_emails = {int(pk) for table, pk in mentioned if table == Notification._meta.db_table}
    # Staff emails (reply-to the patient, or quoting them) are among them, not only theirs.
    staff_emails = Notification.objects.filter(
        pk__in=mentioning_emails, to=["reception@example.com"]
    )
    assert staff_emails.count() >= 4

    export = subject_access_export(email=EMAIL.upper(), actor=staff_user)
    records = export["records"]
    exported = {(e["subject"], e["body_text"]) for e in records["Emails we sent"]}
    expected = set(
        Notification.objects.filter(pk__in=mentioning_emails).values_list("subject", "body_text")
    )
    assert expected and expected <= exported
    assert "Bob Bystander" not in json.dumps(records, default=str)

    # Every other table holding a row about them is in the export, row for row.
    by_table: dict[str, int] = {}
    for table, _pk in mentioned:
        by_table[table] = by_table.get(table, 0) + 1
    titles = {entry.model._meta.db_table: entry.title for entry in registry()}
    audit = "Audit log (who changed or viewed their records, and when)"
    for table, count in by_table.items():
        if table == "auditlog_logentry":
            assert len(records[audit]) >= count
            continue
        assert table in titles, f"{table} mentions the patient but is not exported"
        assert len(records[titles[table]]) >= count, table
    assert len(records["Discount code uses"]) == 1


def test_erasure_leaves_nothing_but_what_it_kept_and_why(
    everything, staff_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        summary = subject_erase(email=EMAIL, actor=staff_user)

    # The patient was told about the upcoming appointment the erasure cancelled, and that
    # notice left the outbox once sent; staff were sent nothing about it.
    notices = [m for m in mail.outbox if "cancel" in m.subject.lower()]
    # Three were upcoming: the moved web booking, the staff phone booking and the hold.
    assert [address.lower() for m in notices for address in m.to] == [EMAIL.lower()] * 3
    assert not [m for m in mail.outbox if "reception@example.com" in m.to and NAME in m.body]
    assert summary["Appointments"]["note"].startswith("3 upcoming appointment(s) cancelled")

    found, covered = database_scan()
    kept = _kept_rows(summary)
    leaked = found - kept
    assert not leaked, f"identifiers left outside the kept records: {sorted(leaked)}"

    # What was kept, and why: the appointment that took place, and the record naming whose
    # clinical record it is.
    assert {table for table, _pk in found} == {"bookings_appointment", "patients_patient"}
    assert (
        summary["Appointments"]["kept"] == 1
        and "clinical" in summary["Appointments"]["kept_because"]
    )
    assert summary["Patient record"]["kept"] == 1
    assert Appointment.objects.filter(pk=everything["past"].pk).exists()
    assert not Appointment.objects.filter(pk=everything["upcoming"].pk).exists()
    assert Appointment.objects.filter(pk=everything["bystander"].pk).exists()
    assert not Notification.objects.filter(erase_after_send=True).exists()

    # The request keeps a reference, dates, who handled it and a hash: no identifier.
    request = DataSubjectRequest.objects.get(kind="erase")
    assert request.status == "completed" and request.performed_by == staff_user
    assert request.subject_email == "" and request.reference.startswith("DSR-")

    # The audit log still says who did what and when, without naming them.
    from auditlog.models import LogEntry

    assert LogEntry.objects.filter(object_repr="[erased]").exists()
    assert LogEntry.objects.filter(actor=staff_user).exists()
    assert covered["tables"] == len(covered["table_names"]) and covered["rows"] > 100
    # Every table of every installed app with a text, character or JSON field was read.
    model_tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if any(
            field.get_internal_type() in {"CharField", "TextField", "JSONField", "EmailField"}
            for field in model._meta.local_concrete_fields
        )
    }
    assert model_tables <= covered["table_names"], model_tables - covered["table_names"]
    print(f"database scan covered {covered}")
