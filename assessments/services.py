"""Writes for stored self-assessments. Views, the admin and tasks all come through here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assessments.models import ALERT_LEVELS, OutcomeCount, Submission
from assessments.presentation import result_summary
from assessments.questions import WORDING_VERSION
from assessments.triage import TriageResult
from clinic.audit import audit_record_update
from clinic.notifications.models import Notification
from clinic.notifications.services import notification_queue, staff_recipients


class ConsentRequiredError(ValueError):
    """Health answers may only be stored with the patient's explicit consent."""


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """How the clinic may reach a patient who agreed to be contacted."""

    name: str
    email: str = ""
    phone: str = ""


@transaction.atomic
def submission_create(
    *,
    result: TriageResult,
    health_storage_consented: bool,
    contact: ContactDetails | None = None,
    results_email: str = "",
) -> Submission:
    """Store a completed self-assessment the patient agreed to us keeping.

    ``contact`` is given only when the patient agreed to be contacted; an EMERGENCY or URGENT
    result then alerts staff at once. ``results_email`` sends the patient their result. Both
    emails leave only when the row is committed, through the notification outbox.
    """
    if not health_storage_consented:
        raise ConsentRequiredError("No consent to store health answers: nothing is stored.")
    if contact is not None and not contact.name.strip():
        raise ValueError("A contact needs a name.")
    if contact is not None and not (contact.email.strip() or contact.phone.strip()):
        raise ValueError("A contact needs an email address or a phone number.")

    now = timezone.now()
    submission = Submission.objects.create(
        ruleset_version=result.ruleset_version,
        wording_version=WORDING_VERSION,
        answers=dict(result.cleaned),
        level=str(result.level),
        rule_ids=list(result.rule_ids),
        consent_health_storage_at=now,
        privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        contact_consent_at=now if contact else None,
        contact_name=contact.name.strip() if contact else "",
        contact_email=contact.email.strip() if contact else "",
        contact_phone=contact.phone.strip() if contact else "",
        retain_until=timezone.localdate(now)
        + datetime.timedelta(days=settings.ASSESSMENT_RETENTION_DAYS),
    )
    if submission.has_contact_consent and submission.level in ALERT_LEVELS:
        _staff_alert_queue(submission=submission)
    if results_email:
        _results_email_queue(submission=submission, result=result, to=results_email)
    return submission


def _staff_alert_queue(*, submission: Submission) -> None:
    # No health details and no name: the email says only that a patient asked to be contacted
    # about a result that needs a prompt call, with a link to the admin (behind a login).
    notification_queue(
        key=f"assessment:{submission.pk}:staff-alert",
        to=staff_recipients(),
        subject=f"Self-assessment {submission.public_id.hex[:8]}: please call back today",
        template="emails/assessments/staff_alert",
        context={
            "reference": submission.public_id.hex[:8],
            "admin_url": settings.SITE_URL + submission.get_admin_url(),
        },
        source=submission,
    )


def _results_email_queue(*, submission: Submission, result: TriageResult, to: str) -> None:
    booking_url = (
        f"{settings.SITE_URL}{reverse('bookings:start')}?code={settings.CLINIC_OFFER_CODE}"
    )
    notification_queue(
        key=f"assessment:{submission.pk}:results-email",
        to=[to],
        subject=f"Your back pain self-assessment from {settings.CLINIC_NAME}",
        template="emails/assessments/results",
        context={
            **result_summary(result),
            "booking_url": booking_url,
            "clinic_name": settings.CLINIC_NAME,
            "clinic_phone": settings.CLINIC_PHONE,
            "retain_until": date_format(submission.retain_until, "j F Y"),
        },
        reply_to=[settings.CLINIC_EMAIL],
        source=submission,
    )


def submission_mark_reviewed(*, submission: Submission, actor: AbstractBaseUser) -> bool:
    """Record that a member of staff has reviewed ``submission``.

    Returns ``False`` (and changes nothing) when it was already reviewed, so the first
    reviewer and time are kept.
    """
    updated = Submission.objects.filter(pk=submission.pk, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=actor
    )
    if updated:
        submission.refresh_from_db(fields=["reviewed_at", "reviewed_by"])
        audit_record_update(
            submission,
            reviewed_at=(None, submission.reviewed_at),
            reviewed_by=(None, submission.reviewed_by),
        )
    return bool(updated)


@transaction.atomic
def submission_delete(*, submission: Submission) -> None:
    """Delete a submission and the emails about it, which may quote the patient's result."""
    Notification.objects.for_source(submission).delete()
    submission.delete()


def submission_delete_past_retention(*, today: datetime.date | None = None) -> int:
    """Delete every submission whose retention date has passed; return how many went."""
    today = today or timezone.localdate()
    count = 0
    for submission in Submission.objects.past_retention(today=today).iterator():
        submission_delete(submission=submission)
        count += 1
    return count


def outcome_count_record(*, result: TriageResult, day: datetime.date | None = None) -> None:
    """Count one completed self-assessment: its level, and each rule that fired.

    Anonymous: only the day, ruleset version, level and rule ids are touched. Concurrent
    completions are settled by the database: an ``UPDATE ... SET count = count + 1`` on the
    row if it exists, else an insert, which the unique constraint turns into the update when
    another request inserted the row first.
    """
    day = day or timezone.localdate()
    keys = [OutcomeCount.ALL_RULES, *result.rule_ids]
    for rule_id in keys:
        _outcome_count_increment(
            day=day,
            ruleset_version=result.ruleset_version,
            level=str(result.level),
            rule_id=rule_id,
        )


def _outcome_count_increment(*, day, ruleset_version: str, level: str, rule_id: str) -> None:
    key = {"day": day, "ruleset_version": ruleset_version, "level": level, "rule_id": rule_id}
    if OutcomeCount.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            OutcomeCount.objects.create(**key, count=1)
    except IntegrityError:
        # Someone else inserted the row between our update and insert: count on theirs.
        OutcomeCount.objects.filter(**key).update(count=F("count") + 1)
