"""The self-assessment questionnaire, its result and the offer to keep the result.

Step 1 (the warning-sign questions) lives at ``/assessment/`` itself; later steps at
``/assessment/step/<n>/``. Answers are kept in the server-side session between steps and
reach the database only through :func:`save_result`, with explicit consent. Every response
is ``no-store``: these pages hold health answers and must not sit in a shared browser cache.

An emergency answer on step 1 is answered with the EMERGENCY result in the same response,
rendered from the posted answers alone: the session and the database are used only if they
work, so an outage of either can never stand between a patient and "call 999".
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessments.forms import SaveResultForm, StepForm
from assessments.journey import (
    SUBMISSION_SESSION_KEY,
    Progress,
    progress_clear,
    progress_load,
    progress_save,
)
from assessments.models import Submission
from assessments.presentation import result_summary
from assessments.questions import DISCLAIMER, RED_FLAG_STEP, REPORT_PROBLEM_TEXT, STEPS
from assessments.services import ContactDetails, outcome_count_record, submission_create
from assessments.triage import Level, TriageResult, TriageValidationError, next_step
from clinic.ratelimits import rate_limit
from clinic.sessions import session_unavailable

STEP_TEMPLATE = "assessments/step.html"
SAVE_RATE = "10/h"
RESULT_TEMPLATE = "assessments/result.html"
#: The contact form, with the topic preset, for reporting a problem with this tool.
REPORT_PROBLEM_TOPIC = "assessment-tool"

logger = logging.getLogger(__name__)


def _step_url(step: int | None) -> str:
    if step is None:
        return reverse("assessments:result")
    if step == RED_FLAG_STEP:
        return reverse("assessments:start")
    return reverse("assessments:step", args=[step])


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 1, the warning-sign questions: any emergency answer ends the questionnaire."""
    return _step(request, RED_FLAG_STEP)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, number: int) -> HttpResponse:
    if number == RED_FLAG_STEP:
        return redirect("assessments:start")
    if number not in {s.number for s in STEPS}:
        return redirect("assessments:start")
    return _step(request, number)


def _step(request: HttpRequest, number: int) -> HttpResponse:
    if number == RED_FLAG_STEP and request.method == "POST":
        emergency = _emergency_exit(request)
        if emergency is not None:
            return emergency

    if number == RED_FLAG_STEP and request.method != "POST":
        # The first page must show even with the session store down: its questions lead to
        # the emergency advice.
        progress = _progress_or_blank(request)
    else:
        progress = progress_load(request.session)
    if not progress.step_is_open(number):
        return redirect(_step_url(progress.resume_step()))

    if request.method == "POST":
        form = StepForm(request.POST, step=number, earlier_answers=progress.answers)
        if form.is_valid() or form.is_emergency:
            progress.record_step(number, form.step_answers())
            progress_save(request.session, progress)
            following = next_step(form.result)
            if following is None:
                _count_outcome(form.result)
                if settings.SESSION_COOKIE_NAME not in request.COOKIES or session_unavailable(
                    request
                ):
                    # No session cookie came with this post (cookies turned off), or the
                    # session store is down: a redirect would lose the result. Show it now.
                    return _render_result(request, progress, form.result)
            return redirect(_step_url(following))
        if form.non_field_errors():
            return redirect(_step_url(progress.resume_step()))
    else:
        form = StepForm(initial=progress.answers, step=number, earlier_answers=progress.answers)
        if not progress.started and not progress.session_failed:
            # Start the session now, so the browser already holds its cookie when it posts
            # step 1 and every answer is followed by a redirect (post/redirect/get).
            _session_try(request, lambda: progress_save(request.session, progress))

    context = {
        "disclaimer": DISCLAIMER,
        "form": form,
        "step": STEPS[number - 1],
        "steps": STEPS,
        "questions": form.bound_questions(),
        "back_url": _step_url(number - 1) if number > RED_FLAG_STEP else None,
        # No offer banner or booking link while the patient is answering questions.
        "suppress_booking": True,
    }
    return render(request, STEP_TEMPLATE, context)


def _emergency_exit(request: HttpRequest) -> HttpResponse | None:
    """The EMERGENCY result for a step-1 post with an emergency answer, else ``None``.

    Rendered from the post alone. Keeping the answers in the session (so the patient may
    then store them) and counting the outcome are attempted, and skipped if the session
    store or the database is down.
    """
    form = StepForm(request.POST, step=RED_FLAG_STEP)
    form.is_valid()
    if not form.is_emergency:
        return None
    progress = _progress_or_blank(request)
    progress.record_step(RED_FLAG_STEP, form.step_answers())
    if not progress.session_failed:
        progress.session_failed = not _session_try(
            request, lambda: progress_save(request.session, progress)
        )
    _count_outcome(form.result)
    return _render_result(request, progress, form.result)


def _session_try(request: HttpRequest, change) -> bool:
    """Apply ``change`` to the session and save it now; ``False`` if the store is down.

    Saving here rather than in the middleware means a failure is caught, and the page can
    still be shown without a session.
    """
    try:
        change()
        request.session.save()
    except Exception:  # Any session store failure (database, cache, Redis): carry on.
        logger.warning("Self-assessment page shown without a session", exc_info=True)
        request.session.modified = False
        return False
    # The site's session store logs and drops a save it cannot make (clinic.sessions).
    return not session_unavailable(request)


def _progress_or_blank(request: HttpRequest) -> Progress:
    """The patient's progress, or a fresh one marked as having no session if it is down."""
    try:
        return progress_load(request.session)
    except Exception:  # Any session store failure (database, cache, Redis): carry on.
        logger.warning("Self-assessment session could not be read", exc_info=True)
        return Progress(session_failed=True)


def _count_outcome(result: TriageResult) -> None:
    """Count a completed assessment, anonymously; an outage must not block the result."""
    try:
        outcome_count_record(result=result)
    except DatabaseError:
        logger.warning("Could not count a self-assessment outcome", exc_info=True)


@never_cache
@require_http_methods(["GET", "HEAD"])
def result(request: HttpRequest) -> HttpResponse:
    progress = progress_load(request.session)
    outcome = _complete_result(progress)
    if outcome is None:
        return redirect(_step_url(progress.resume_step()))
    return _render_result(request, progress, outcome)


@never_cache
@require_POST
@rate_limit(group="assessments.save", rate=SAVE_RATE, method="POST")
def save_result(request: HttpRequest) -> HttpResponse:
    """Store the result, with the consents the patient gave on the result page.

    Rate limited because it can send an email to an address typed in. The questionnaire
    itself never is: nothing may stand between a patient and emergency advice.
    """
    progress = progress_load(request.session)
    outcome = _complete_result(progress)
    if outcome is None:
        return redirect(_step_url(progress.resume_step()))
    if progress.saved_submission_id is not None:
        return redirect("assessments:result")

    form = SaveResultForm(request.POST)
    if not form.is_valid():
        return _render_result(request, progress, outcome, save_form=form)

    data = form.cleaned_data
    contact = None
    if data["contact_consent"]:
        contact = ContactDetails(name=data["name"], email=data["email"], phone=data["phone"])
    submission = submission_create(
        result=outcome,
        health_storage_consented=data["consent_health_storage"],
        contact=contact,
        results_email=data["email"] if data["email_results"] else "",
    )
    progress.saved_submission_id = submission.pk
    progress_save(request.session, progress)
    # The booking journey links an appointment booked in this session to these answers.
    request.session[SUBMISSION_SESSION_KEY] = submission.pk
    return redirect(reverse("assessments:result") + "#saved")


@never_cache
@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    """Forget the answers in this browser and start again."""
    progress_clear(request.session)
    return redirect("assessments:start")


def _complete_result(progress: Progress) -> TriageResult | None:
    if not progress.started:
        return None
    try:
        outcome = progress.result()
    except TriageValidationError:
        return None
    return outcome if next_step(outcome) is None else None


def _render_result(
    request: HttpRequest,
    progress: Progress,
    outcome: TriageResult,
    *,
    save_form: SaveResultForm | None = None,
) -> HttpResponse:
    summary = result_summary(outcome)
    emergency = outcome.level is Level.EMERGENCY
    saved = None
    if progress.saved_submission_id is not None:
        saved = Submission.objects.filter(pk=progress.saved_submission_id).first()
    context = {
        "disclaimer": DISCLAIMER,
        "result": summary,
        "emergency": emergency,
        # No booking link or offer banner where the advice is to go elsewhere (999, GP, 111).
        "suppress_booking": not summary["offers_booking"],
        # Storing needs the answers in the session; without one, only the result is shown.
        "can_save": not progress.session_failed,
        "save_form": save_form or SaveResultForm(),
        "saved": saved,
        "retention_days": settings.ASSESSMENT_RETENTION_DAYS,
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        "booking_url": f"{reverse('bookings:start')}?code={settings.CLINIC_OFFER_CODE}",
        "report_problem_url": f"{reverse('contact:form')}?topic={REPORT_PROBLEM_TOPIC}",
        "report_problem_text": REPORT_PROBLEM_TEXT,
        "steps": STEPS,
    }
    if emergency:
        # Nothing may appear above the emergency message, not even a leftover site message.
        context["messages"] = ()
    return render(request, RESULT_TEMPLATE, context)
