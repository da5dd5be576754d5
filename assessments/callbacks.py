"""Red-flag call-backs: consenting EMERGENCY and URGENT self-assessments that need a phone call.

The "please call back today" email links here. Reception, practitioners and managers all open
the queue and record the call; only roles allowed to read health answers (practitioners and
managers, ``assessments.read_callback_answers``) see the answers.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from assessments.models import ALERT_LEVELS, CallBack, CallOutcome, Submission
from clinic.audit import audit_record_update

#: Outcomes after which nobody needs to call again.
CALL_DONE = frozenset({CallOutcome.SPOKE, CallOutcome.WRONG_NUMBER})


class CallBackError(ValueError):
    """A call record that cannot be kept (unknown outcome, note too long)."""


def callback_list() -> QuerySet[CallBack]:
    """Every red-flag call-back, those still to call first, then newest first."""
    return (
        CallBack.objects.filter(level__in=ALERT_LEVELS, contact_consent_at__isnull=False)
        .select_related("called_by", "reviewed_by")
        .order_by(F("called_at").asc(nulls_first=True), "-created_at")
    )


def callback_needs_call(queryset: QuerySet) -> QuerySet:
    return queryset.exclude(call_outcome__in=CALL_DONE)


def callback_answers_visible(user) -> bool:
    return user.has_perm("assessments.read_callback_answers") or user.has_perm(
        "assessments.view_submission"
    )


@transaction.atomic
def submission_call_record(
    *, submission: Submission, actor: AbstractBaseUser, outcome: str, note: str = ""
) -> Submission:
    """Record a call made about ``submission``: when, by whom, what came of it, and a note.

    A later call replaces the last one on the record; the audit log keeps each.
    """
    if outcome not in CallOutcome.values:
        raise CallBackError("Choose what came of the call.")
    note = note.strip()
    if len(note) > 2000:
        raise CallBackError("Keep the note under 2,000 characters.")
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    before = (locked.called_at, locked.called_by, locked.call_outcome, locked.call_note)
    now = timezone.now()
    Submission.objects.filter(pk=locked.pk).update(
        called_at=now, called_by=actor, call_outcome=outcome, call_note=note
    )
    locked.refresh_from_db()
    audit_record_update(
        locked,
        called_at=(before[0], now),
        called_by=(before[1], actor),
        call_outcome=(before[2], outcome),
        call_note=(before[3], note),
    )
    return locked
