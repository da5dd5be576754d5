"""Where a patient is in the questionnaire, kept in their server-side session.

Answers live in the session (never in a cookie, the URL or a database table of ours) until the
patient consents to storing them. :class:`Progress` is the whole state: the raw answers as
posted (kept for every step seen, so going back and forward shows them again) and the last
step the patient submitted. Only answers up to that step count towards the result; answers to
later steps are remembered for pre-filling the form when the patient gets there again.

The functions here are pure apart from :func:`progress_load`, :func:`progress_save` and
:func:`progress_clear`, which read and write the session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assessments.questions import RED_FLAG_STEP, questions_for_step
from assessments.triage import TriageResult, TriageValidationError, evaluate, next_step

SESSION_KEY = "assessment"
#: Read by the booking journey to link an appointment to the stored self-assessment.
SUBMISSION_SESSION_KEY = "assessment_submission_id"


@dataclass
class Progress:
    """A patient's answers so far and the last step they submitted."""

    answers: dict[str, str] = field(default_factory=dict)
    through_step: int | None = None
    #: The submission stored from the current result, so it is not stored twice.
    saved_submission_id: int | None = None
    #: Set when the session store could not be used (an emergency shown during an outage).
    session_failed: bool = False

    @property
    def started(self) -> bool:
        return self.through_step is not None

    def record_step(self, step: int, answers: Mapping[str, str]) -> None:
        """Keep the answers to ``step`` and forget any storage of an earlier result."""
        fields = {question.field for question in questions_for_step(step)}
        self.answers.update({name: value for name, value in answers.items() if name in fields})
        self.through_step = step
        self.saved_submission_id = None

    def result(self) -> TriageResult:
        """The result of the answers up to the last submitted step."""
        if self.through_step is None:
            raise ValueError("The questionnaire has not been started.")
        return evaluate(self.answers, through_step=self.through_step)

    def step_is_open(self, step: int) -> bool:
        """Whether the patient may see ``step`` now: every earlier step is answered and leads
        there (the flexibility tests, for example, are never open after an urgent answer)."""
        if step == RED_FLAG_STEP:
            return True
        if self.through_step is None or step > self.through_step + 1:
            return False
        try:
            before = evaluate(self.answers, through_step=step - 1)
        except TriageValidationError:
            return False
        return next_step(before) == step

    def resume_step(self) -> int | None:
        """The step to send the patient to, or ``None`` when the result is ready."""
        if self.through_step is None:
            return RED_FLAG_STEP
        try:
            return next_step(self.result())
        except TriageValidationError:
            return RED_FLAG_STEP


def progress_load(session) -> Progress:
    data = session.get(SESSION_KEY) or {}
    return Progress(
        answers=dict(data.get("answers") or {}),
        through_step=data.get("through_step"),
        saved_submission_id=data.get("saved_submission_id"),
    )


def progress_save(session, progress: Progress) -> None:
    session[SESSION_KEY] = {
        "answers": progress.answers,
        "through_step": progress.through_step,
        "saved_submission_id": progress.saved_submission_id,
    }


def progress_clear(session) -> None:
    session.pop(SESSION_KEY, None)
