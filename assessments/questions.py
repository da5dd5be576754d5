"""The back-pain self-assessment questionnaire, as plain data.

Everything a patient reads in the self-assessment lives here: the questions and their
answers, the home flexibility tests, the stretch routine, the advice for each triage level,
the emergency safety net and what each flexibility result means. Field names and answer
values follow ``shared/clinical/triage-spec.md`` (ruleset v2) exactly, because the triage
engine (:mod:`assessments.triage`) validates answers against these definitions and stored
submissions refer to them.

The module is deliberately free of forms, models and settings so that forms, templates and
the pure triage engine all read the same definitions. Strings are marked with
``gettext_lazy``, which stays lazy, so importing this module needs no configured settings.

Wording aims at a reading age of about 9 to 11 and never names a diagnosis or reassures:
the self-assessment is a safety net, not a diagnosis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeAlias

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: A patient-facing string: plain, or lazily translated.
StrOrPromise: TypeAlias = str | Promise

#: A pair as Django's ``choices`` expects it: (stored value, patient-facing label).
Choice: TypeAlias = tuple[str, StrOrPromise]

# --- Versions ---------------------------------------------------------------------------------

#: The version of every patient-facing text in this module and of the reasons in
#: :mod:`assessments.triage`. Change a word, change this (tests/assessments/test_change_control.py
#: pins a hash of the texts to it). Stored submissions keep it, so staff see what was shown.
WORDING_VERSION = "v2"

# --- Steps ------------------------------------------------------------------------------------

RED_FLAG_STEP = 1
HEALTH_STEP = 2
PAIN_STEP = 3
FLEXIBILITY_STEP = 4
LAST_STEP = FLEXIBILITY_STEP


@dataclass(frozen=True, slots=True)
class Step:
    """One page of the questionnaire, shown with a progress indicator."""

    number: int
    title: StrOrPromise
    intro: StrOrPromise = ""


STEPS: tuple[Step, ...] = (
    Step(
        RED_FLAG_STEP,
        _("Warning signs"),
        _(
            "This check is for people aged 16 and over. But if you have any of these signs, "
            "call 999 whatever your age. Each question is about something new for you since "
            "your back pain began. If you are not sure, choose 'Not sure'. We treat 'Not sure' "
            "like 'Yes' to keep you safe."
        ),
    ),
    Step(
        HEALTH_STEP,
        _("About you and your health"),
        _("If you are not sure, choose 'Not sure'. We treat it like 'Yes'."),
    ),
    Step(PAIN_STEP, _("About your pain")),
    Step(
        FLEXIBILITY_STEP,
        _("Two flexibility tests at home"),
        _(
            "These two tests check how tight the backs of your thighs are. Only do them if you "
            "can get down to the floor and back up safely. Before you start, walk about for a "
            "few minutes to warm up. Move slowly and only as far as is comfortable. Stop a test "
            "at once if it hurts your back or sends pain, tingling or numbness down a leg."
        ),
    ),
)

# --- Answers ----------------------------------------------------------------------------------

YES = "yes"
NO = "no"
NOT_SURE = "not_sure"

#: Warning-sign questions offer "Not sure"; the engine counts it as the flagged answer.
YES_NO_NOT_SURE: tuple[Choice, ...] = (
    (YES, _("Yes")),
    (NO, _("No")),
    (NOT_SURE, _("Not sure")),
)
YES_NO: tuple[Choice, ...] = ((YES, _("Yes")), (NO, _("No")))

LEG_WEAKNESS_CHOICES: tuple[Choice, ...] = (
    ("none", _("No")),
    ("one", _("Yes, in one leg")),
    ("both", _("Yes, in both legs")),
    (NOT_SURE, _("Not sure")),
)
PAIN_SPREAD_CHOICES: tuple[Choice, ...] = (
    ("none", _("No, it stays in my back")),
    ("above_knee", _("Yes, but not below my knee")),
    ("below_knee", _("Yes, down below my knee")),
)
ONE_LEG_WEAKNESS_CHOICES: tuple[Choice, ...] = (
    ("none", _("No")),
    ("longstanding", _("Yes, for more than 2 weeks, and it is not getting worse")),
    ("new", _("Yes, and it started in the last 2 weeks")),
)
DURATION_CHOICES: tuple[Choice, ...] = (
    ("under_6_weeks", _("Less than 6 weeks")),
    ("6_to_12_weeks", _("6 to 12 weeks")),
    ("over_12_weeks", _("More than 12 weeks")),
)
STRETCHING_RESULT_CHOICES: tuple[Choice, ...] = (
    ("not_tried", _("I have not done a week of stretching yet")),
    ("better", _("Better")),
    ("same", _("About the same")),
    ("worse", _("Worse")),
)
HAMSTRING_TEST_CHOICES: tuple[Choice, ...] = (
    ("within_20", _("Nearly straight: less than 20 degrees short of straight")),
    ("over_20", _("Still bent: more than 20 degrees short of straight")),
    ("stopped_pain", _("I stopped because it hurt")),
)
SIT_REACH_CHOICES: tuple[Choice, ...] = (
    ("past_toes", _("Past my toes")),
    ("touched_toes", _("I touched my toes")),
    ("short", _("I could not reach my toes")),
)

# --- Home flexibility tests -------------------------------------------------------------------

# Shared by the left-leg and right-leg questions, which are one test done twice.
HAMSTRING_TEST_INSTRUCTIONS: tuple[StrOrPromise, ...] = (
    _("Lie on your back on the floor. Bend both knees and put your feet flat."),
    _(
        "Raise one leg so the thigh points at the ceiling. Clasp your hands behind the knee "
        "so the thigh stays put."
    ),
    _(
        "Keep the foot relaxed. Now let the knee open out bit by bit, only as far as is "
        "comfortable. The thigh stays where it is."
    ),
    _("See how far the lower leg is from pointing up. Then do the other leg."),
)
HAMSTRING_TEST_IMAGE = "img/exercises/test-90-90.svg"

SIT_REACH_INSTRUCTIONS: tuple[StrOrPromise, ...] = (
    _("Sit on the floor with your legs out in front and your toes pointing up."),
    _("Put one hand on top of the other."),
    _(
        "Bend forward from your hips and reach towards your toes, only as far as is "
        "comfortable. Do not bounce."
    ),
    _("Note where your fingertips get to, then sit back up."),
)
SIT_REACH_IMAGE = "img/exercises/test-sit-reach.svg"


def inflammatory_screen_applies(answers: Mapping[str, object]) -> bool:
    """Whether the questions about an inflammatory cause (``i1`` to ``i4``) are asked.

    Only when this bout of pain has lasted over 12 weeks and the person is under 45.
    """
    age = answers.get("age")
    return (
        answers.get("duration") == "over_12_weeks"
        and isinstance(age, int)
        and not isinstance(age, bool)
        and age < 45
    )


# --- Questions --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the self-assessment.

    A question with ``choices`` takes one of their values; a question without takes a whole
    number from ``min_value`` to ``max_value``. There are deliberately no default answers:
    nothing is ever pre-ticked. ``asked_when``, if set, decides from the cleaned answers to
    earlier steps whether the question is asked at all.
    """

    field: str
    step: int
    text: StrOrPromise
    choices: tuple[Choice, ...] = ()
    hint: StrOrPromise = ""
    min_value: int | None = None
    max_value: int | None = None
    required: bool = True
    #: How to do a home test, one short sentence per step.
    instructions: tuple[StrOrPromise, ...] = ()
    #: A static file path for the picture next to a home test.
    image: str = ""
    asked_when: Callable[[Mapping[str, object]], bool] | None = None

    @property
    def is_number(self) -> bool:
        return not self.choices

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)

    def is_asked(self, earlier: Mapping[str, object]) -> bool:
        """Whether this question is asked, given the cleaned answers to earlier steps."""
        return self.asked_when is None or self.asked_when(earlier)


QUESTIONS: tuple[Question, ...] = (
    # Step 1: possible emergencies. Each asks about something new since the back pain began,
    # so a long-standing, already-checked problem is not mistaken for a new one.
    Question(
        "e1",
        RED_FLAG_STEP,
        _(
            "Do you have new numbness, tingling or an odd feeling between your legs? This "
            "means your genitals, your back passage (anus), your bottom or your inner thighs."
        ),
        YES_NO_NOT_SURE,
        hint=_("For example, it feels different when you wipe after the toilet."),
    ),
    Question(
        "e2",
        RED_FLAG_STEP,
        _("Since your back pain began, has peeing changed?"),
        YES_NO_NOT_SURE,
        hint=_(
            "For example, it is hard to start or stop, the flow is weak, or you cannot pee. "
            "Or you cannot feel the pee come out, or tell when your bladder is full."
        ),
    ),
    Question(
        "e3",
        RED_FLAG_STEP,
        _("Have you lost control of when you pee, started leaking pee, or needed pads?"),
        YES_NO_NOT_SURE,
    ),
    Question(
        "e4",
        RED_FLAG_STEP,
        _(
            "Have you lost control of when you poo? Or have you stopped feeling when you need "
            "to poo, or when it comes out?"
        ),
        YES_NO_NOT_SURE,
    ),
    Question(
        "e5",
        RED_FLAG_STEP,
        _(
            "Does sex feel different? For example, less feeling in your genitals, or new "
            "trouble getting an erection or ejaculating (coming)."
        ),
        YES_NO_NOT_SURE,
        hint=_("If you have not had sex since the pain started, choose No."),
    ),
    Question(
        "e6",
        RED_FLAG_STEP,
        _(
            "Do you have pain going down both legs? Or new numbness, tingling or weakness in "
            "both legs?"
        ),
        YES_NO_NOT_SURE,
        hint=_("A tight feeling in both thighs on its own does not count."),
    ),
    Question(
        "e7",
        RED_FLAG_STEP,
        _("Is a leg weak in a way that is severe or getting worse?"),
        LEG_WEAKNESS_CHOICES,
        hint=_(
            "Weak means the leg does not work as well as it did. For example, your foot drags, "
            "your knee gives way, or you cannot stand on your toes or heels."
        ),
    ),
    Question(
        "e8",
        RED_FLAG_STEP,
        _("Do you have new chest pain as well as your back pain?"),
        YES_NO_NOT_SURE,
    ),
    Question(
        "e9",
        RED_FLAG_STEP,
        _("Did the pain start after a serious accident, like a car crash or a fall from a height?"),
        YES_NO_NOT_SURE,
    ),
    Question(
        "e10",
        RED_FLAG_STEP,
        _(
            "Did the pain come on all of a sudden and very badly, in your back or tummy? And "
            "did you feel faint, sweaty or dizzy, or collapse?"
        ),
        YES_NO_NOT_SURE,
    ),
    # Step 2: signs that need a doctor the same day, plus age and history.
    Question(
        "u1",
        HEALTH_STEP,
        _("Do you have a temperature of 38°C or more, or shivers, or do you feel very unwell?"),
        YES_NO_NOT_SURE,
        hint=_("If you cannot take your temperature, think about whether you feel hot or shivery."),
    ),
    Question("u2", HEALTH_STEP, _("Have you ever had cancer?"), YES_NO_NOT_SURE),
    Question("u3", HEALTH_STEP, _("Are you losing weight without trying to?"), YES_NO_NOT_SURE),
    Question(
        "u4",
        HEALTH_STEP,
        _("Do you have a weak immune system, or have you ever injected drugs?"),
        YES_NO_NOT_SURE,
        hint=_(
            "Your immune system may be weak if you take steroid tablets for a long time. It "
            "may also be weak if you have chemotherapy or HIV, or take medicine that weakens it."
        ),
    ),
    Question(
        "u5",
        HEALTH_STEP,
        _(
            "Is your pain there all the time, even when you rest or change position? Or is it "
            "worse at night?"
        ),
        YES_NO_NOT_SURE,
    ),
    Question(
        "u6",
        HEALTH_STEP,
        _("Is your pain mainly in the upper or middle part of your back?"),
        YES_NO_NOT_SURE,
    ),
    Question(
        "u7",
        HEALTH_STEP,
        _("Have you found a lump or swelling on your back, or has your back changed shape?"),
        YES_NO_NOT_SURE,
    ),
    Question(
        "u8",
        HEALTH_STEP,
        _("Does your pain get worse when you cough, sneeze or strain?"),
        YES_NO_NOT_SURE,
        hint=_("Straining means pushing hard, for example on the toilet."),
    ),
    Question(
        "u9",
        HEALTH_STEP,
        _("Did the pain start after a small fall, a knock or lifting something?"),
        YES_NO_NOT_SURE,
    ),
    Question(
        "u10",
        HEALTH_STEP,
        _(
            "Do you have thin bones (osteoporosis)? Or have you taken steroid tablets for 3 "
            "months or more?"
        ),
        YES_NO_NOT_SURE,
    ),
    Question(
        "u11",
        HEALTH_STEP,
        _(
            "In the last 3 months, have you had an operation or injection in your back? Or "
            "have you had an infection lately, such as a urine or skin infection?"
        ),
        YES_NO_NOT_SURE,
    ),
    Question(
        "age",
        HEALTH_STEP,
        _("How old are you?"),
        hint=_("Your age in whole years."),
        min_value=0,
        max_value=120,
    ),
    Question(
        "first_episode",
        HEALTH_STEP,
        _("Is this the first time you have had back pain like this?"),
        YES_NO,
    ),
    Question(
        "duration",
        HEALTH_STEP,
        _("How long has this bout of back pain lasted?"),
        DURATION_CHOICES,
    ),
    # Step 3: signs that need a clinician within days, and how bad the pain is.
    Question("b1", PAIN_STEP, _("Does your pain spread into a leg?"), PAIN_SPREAD_CHOICES),
    Question(
        "b2",
        PAIN_STEP,
        _("Do you have numbness or tingling in one leg or foot that does not go away?"),
        YES_NO,
    ),
    Question(
        "b3",
        PAIN_STEP,
        _("Is one leg weak, so that standing or walking is hard?"),
        ONE_LEG_WEAKNESS_CHOICES,
    ),
    Question(
        "b4",
        PAIN_STEP,
        _("If you have done gentle stretches for at least a week, how is your pain now?"),
        STRETCHING_RESULT_CHOICES,
    ),
    Question(
        "b5",
        PAIN_STEP,
        _(
            "Is your pain severe or getting worse? Does it stop you doing everyday things, or "
            "are you finding it hard to cope?"
        ),
        YES_NO,
    ),
    Question(
        "pain_score",
        PAIN_STEP,
        _("How bad is your pain right now, from 0 to 10?"),
        hint=_("0 means no pain at all. 10 means the worst pain you can imagine."),
        min_value=0,
        max_value=10,
    ),
    Question(
        "i1",
        PAIN_STEP,
        _("Is your back stiff for more than 30 minutes in the morning, and easier once you move?"),
        YES_NO,
        asked_when=inflammatory_screen_applies,
    ),
    Question(
        "i2",
        PAIN_STEP,
        _("Does the pain wake you in the second half of the night?"),
        YES_NO,
        asked_when=inflammatory_screen_applies,
    ),
    Question(
        "i3",
        PAIN_STEP,
        _("Does your back feel better when you exercise, but not when you rest?"),
        YES_NO,
        asked_when=inflammatory_screen_applies,
    ),
    Question(
        "i4",
        PAIN_STEP,
        _(
            "Have you had psoriasis, Crohn's disease, colitis or eye inflammation (uveitis)? Or "
            "does a parent, brother, sister or child have ankylosing spondylitis?"
        ),
        YES_NO,
        asked_when=inflammatory_screen_applies,
    ),
    # Step 4: home flexibility tests, only asked with no urgent sign and no nerve sign.
    Question(
        "aket_left",
        FLEXIBILITY_STEP,
        _("90/90 test, left leg: how close to straight did your knee get?"),
        HAMSTRING_TEST_CHOICES,
        hint=_("Less than 20 degrees short means the leg is almost straight, with a small bend."),
        instructions=HAMSTRING_TEST_INSTRUCTIONS,
        image=HAMSTRING_TEST_IMAGE,
    ),
    Question(
        "aket_right",
        FLEXIBILITY_STEP,
        _("90/90 test, right leg: how close to straight did your knee get?"),
        HAMSTRING_TEST_CHOICES,
        hint=_("Less than 20 degrees short means the leg is almost straight, with a small bend."),
        instructions=HAMSTRING_TEST_INSTRUCTIONS,
        image=HAMSTRING_TEST_IMAGE,
    ),
    Question(
        "sit_reach",
        FLEXIBILITY_STEP,
        _("Sit-and-reach test: how far could you reach?"),
        SIT_REACH_CHOICES,
        instructions=SIT_REACH_INSTRUCTIONS,
        image=SIT_REACH_IMAGE,
    ),
    Question(
        "sit_reach_cm",
        FLEXIBILITY_STEP,
        _("If you measured it, how far did you reach, in centimetres?"),
        hint=_(
            "Your toes count as 0. Past your toes is a plus number, like 5. Short of your toes "
            "is a minus number, like -10. You can leave this empty."
        ),
        min_value=-50,
        max_value=50,
        required=False,
    ),
    Question(
        "test_pain",
        FLEXIBILITY_STEP,
        _("During either test, did you get pain, tingling or numbness going down a leg?"),
        YES_NO,
    ),
)

QUESTIONS_BY_FIELD: Mapping[str, Question] = MappingProxyType(
    {question.field: question for question in QUESTIONS}
)


def questions_for_step(step: int) -> tuple[Question, ...]:
    """Return the questions that can be shown on ``step``, in the order they are asked."""
    return tuple(question for question in QUESTIONS if question.step == step)


# --- Stretch routine --------------------------------------------------------------------------

STRETCH = "stretch"
STRENGTH = "strength"


@dataclass(frozen=True, slots=True)
class Exercise:
    """One row of the stretch routine shown with tight or reduced test results."""

    slug: str
    name: StrOrPromise
    kind: str
    target: StrOrPromise
    hold: StrOrPromise
    frequency: StrOrPromise
    how_to: tuple[StrOrPromise, ...]
    #: A static file path, e.g. for ``{% static exercise.image %}``.
    image: str


STRETCH_ROUTINE: tuple[Exercise, ...] = (
    Exercise(
        slug="standing-hamstring-stretch",
        name=_("Standing hamstring stretch"),
        kind=STRETCH,
        target=_("The back of your thigh (hamstring)"),
        hold=_("20 to 30 seconds"),
        frequency=_("2 to 3 times on each side, every day"),
        how_to=(
            _("Stand tall with your feet about hip-width apart."),
            _("Rest one heel on the floor a short step ahead, leg straight and toes up."),
            _(
                "Keep your back straight. Tip forward from the hips until you feel a mild "
                "pull behind that leg."
            ),
            _("Hold, then change legs."),
        ),
        image="img/exercises/standing-hamstring-stretch.svg",
    ),
    Exercise(
        slug="seated-towel-stretch",
        name=_("Seated towel stretch"),
        kind=STRETCH,
        target=_("The middle of your hamstring"),
        hold=_("20 to 30 seconds"),
        frequency=_("2 to 3 times on each side, every day"),
        how_to=(
            _("Sit on the floor, legs stretched out in front of you."),
            _("Loop a towel or strap round the ball of one foot and hold both ends."),
            _(
                "Draw the towel gently towards you, with the leg straight, until the back of "
                "the thigh feels a stretch. Bend from the hips, not the back."
            ),
            _("Breathe slowly as you hold, then change legs."),
        ),
        image="img/exercises/seated-towel-stretch.svg",
    ),
    Exercise(
        slug="lying-strap-stretch",
        name=_("Lying strap stretch"),
        kind=STRETCH,
        target=_("The whole length of your hamstring"),
        hold=_("20 to 30 seconds"),
        frequency=_("2 to 3 times on each side, every day"),
        how_to=(
            _("Lie on your back. Bend your knees and rest your feet on the floor."),
            _("Draw one knee up and loop a strap or towel round that foot."),
            _(
                "Push the foot up towards the ceiling, only as far as is comfortable. The "
                "other foot stays on the floor."
            ),
            _("Hold, bring the leg down gently, then change legs."),
        ),
        image="img/exercises/lying-strap-stretch.svg",
    ),
    Exercise(
        slug="bridge",
        name=_("Bridge"),
        kind=STRENGTH,
        target=_("Your buttock muscles (glutes) and the backs of your thighs"),
        hold=_("5 seconds at the top"),
        frequency=_("8 to 10 times, every day"),
        how_to=(
            _("Lie on your back, knees bent, feet flat and hip-width apart."),
            _("Squeeze your buttocks and raise your hips until you make a straight line."),
            _("Hold, then lower your hips slowly."),
        ),
        image="img/exercises/bridge.svg",
    ),
    Exercise(
        slug="plank",
        name=_("Plank"),
        kind=STRENGTH,
        target=_("Your tummy muscles and the muscles that support your lower back (core)"),
        hold=_("10 to 30 seconds: start short and build up"),
        frequency=_("3 times, every day"),
        how_to=(
            _("Lie face down, resting on your forearms, elbows under your shoulders."),
            _(
                "Lift your body onto your forearms and toes so you make a straight line. To "
                "make it easier, stay on your knees."
            ),
            _("Keep breathing and keep your hips up. Hold, then rest."),
        ),
        image="img/exercises/plank.svg",
    ),
    Exercise(
        slug="bird-dog",
        name=_("Bird-dog"),
        kind=STRENGTH,
        target=_("Your core and buttock muscles, and your balance"),
        hold=_("5 seconds on each side"),
        frequency=_("5 to 8 times on each side, every day"),
        how_to=(
            _("Get on your hands and knees, hands under shoulders, knees under hips."),
            _("Stretch one arm forward and the other leg back until both are level."),
            _("Keep your back still. Hold, come back slowly, then change sides."),
        ),
        image="img/exercises/bird-dog.svg",
    ),
)

#: Safety points shown with the routine.
STRETCH_ROUTINE_TIPS: tuple[StrOrPromise, ...] = (
    _("Before you start, walk about for a few minutes to warm up."),
    _("Only do the floor exercises if you can get down to the floor and up again safely."),
    _("Go only as far as is comfortable. Aim for a mild pull, never sharp pain. Do not bounce."),
    _("Stop if it sends pain, tingling or numbness down your leg."),
    _("A little every day helps more than a lot now and then."),
)

#: Shown beside the routine and beside each stretch.
STRETCH_STOP_NOTE: StrOrPromise = _("Stop if it sends pain, tingling or numbness down your leg.")

RETEST_ADVICE: StrOrPromise = _(
    "Do both tests again in 2 to 4 weeks to see if anything has changed."
)

ROUTINE_INTRO: StrOrPromise = _(
    "Your tests suggest some tightness. These stretches and exercises may help. Do them every day."
)

#: Instead of the stretches, when a leg symptom or a painful test needs checking first.
HOLD_STRETCHES_ADVICE: StrOrPromise = _(
    "Leave the hamstring stretches for now, until a clinician has checked the symptoms in your "
    "leg. Keep gently active in the meantime."
)

# --- Flexibility test results -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlexibilityOutcomeText:
    """How one flexibility-test outcome is described on the result page.

    ``finding`` repeats what the patient told us; ``meaning`` says, hedged, what it may show.
    The page leaves ``finding`` out when a measured reach says the same thing in numbers.
    """

    label: StrOrPromise
    finding: StrOrPromise
    meaning: StrOrPromise


#: Keyed by :class:`assessments.triage.FlexibilityOutcome` values.
FLEXIBILITY_OUTCOME_TEXT: Mapping[str, FlexibilityOutcomeText] = MappingProxyType(
    {
        "healthy": FlexibilityOutcomeText(
            _("Healthy range"),
            _("Your knee got to less than 20 degrees short of straight."),
            _("This suggests your hamstring is not tight."),
        ),
        "tight": FlexibilityOutcomeText(
            _("Tight"),
            _("Your knee stayed more than 20 degrees short of straight."),
            _(
                "This suggests the muscle at the back of your thigh (hamstring) may be tight. "
                "Tight hamstrings may add to the strain on your lower back."
            ),
        ),
        "stopped_by_pain": FlexibilityOutcomeText(
            _("Stopped by pain"),
            _("Pain stopped you finishing this test."),
            _(
                "So it cannot show how flexible this leg is. Do not push through pain. Tell "
                "the person who checks your back."
            ),
        ),
        "good": FlexibilityOutcomeText(
            _("Good"),
            _("You reached past your toes."),
            _(
                "This suggests good flexibility for this test. Your body shape, such as the "
                "length of your arms and legs, also makes a difference."
            ),
        ),
        "average": FlexibilityOutcomeText(
            _("Average"),
            _("You touched your toes."),
            _(
                "This is about average for this test. Your body shape, such as the length of "
                "your arms and legs, also makes a difference."
            ),
        ),
        "reduced": FlexibilityOutcomeText(
            _("Reduced"),
            _("You could not reach your toes."),
            _(
                "This may mean the backs of your legs, your buttocks or your lower back are "
                "tight. Your body shape, such as the length of your arms and legs, also makes "
                "a difference."
            ),
        ),
    }
)

#: Shown when the measured reach does not fit the answer chosen ("past my toes", -10 cm).
REACH_MISMATCH: StrOrPromise = _(
    "The number you typed does not match the answer you chose, so we have left it out. You "
    "could do the test again to check."
)

# --- Advice -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Advice:
    """What the result page tells the patient for one triage level."""

    title: StrOrPromise
    actions: tuple[StrOrPromise, ...]
    #: Whether the page may show a booking link and the offer. Only where the advice is to
    #: book an assessment: never on an emergency, urgent or not-assessed result.
    offers_booking: bool
    #: Whether the page shows the two-tier safety net (every non-emergency result).
    shows_safety_net: bool


#: Keyed by :class:`assessments.triage.Level` values (``Level`` is a ``str`` enum, so
#: ``LEVEL_ADVICE[result.level]`` works).
LEVEL_ADVICE: Mapping[str, Advice] = MappingProxyType(
    {
        "EMERGENCY": Advice(
            title=_("Call 999 or go to A&E now"),
            actions=(
                _("Go now. Do not wait for a GP or clinic appointment."),
                _("Do not drive yourself. Ask someone to take you, or call 999 for an ambulance."),
                _("Show this page to the people who see you."),
            ),
            offers_booking=False,
            shows_safety_net=False,
        ),
        "URGENT": Advice(
            title=_("Speak to a GP today"),
            actions=(
                _("Call your GP surgery today and ask for an urgent appointment."),
                _("If your GP surgery is closed, call NHS 111 or use 111.nhs.uk."),
                _("Do not start the stretches until a doctor or nurse has checked you."),
            ),
            offers_booking=False,
            shows_safety_net=True,
        ),
        "BOOK_ASSESSMENT": Advice(
            title=_("Book an assessment in the next few days"),
            actions=(
                _("Book an assessment with us, your GP or a physiotherapist."),
                _("Keep gently active. Try not to spend long spells in bed."),
                _("Stop anything that sends pain or tingling down your leg."),
            ),
            offers_booking=True,
            shows_safety_net=True,
        ),
        "SELF_CARE": Advice(
            title=_("Looking after your back at home"),
            actions=(
                _("Keep moving and carry on with daily life as much as you can."),
                _("Try not to spend long spells in bed."),
                _("If your back is no better after a week, book an assessment."),
            ),
            offers_booking=True,
            shows_safety_net=True,
        ),
        "NOT_ASSESSED": Advice(
            title=_("This check is for people aged 16 and over"),
            actions=(
                _("Please see your GP or call NHS 111 about your back."),
                _("A parent, carer or another adult you trust can help you do this."),
            ),
            offers_booking=False,
            shows_safety_net=True,
        ),
    }
)

#: The emergency title for a possible heart or aorta emergency or chest pain (E8, E10).
CALL_999_TITLE: StrOrPromise = _("Call 999 now")
#: Rules whose emergency result leads with :data:`CALL_999_TITLE`.
CALL_999_RULES: frozenset[str] = frozenset({"E8", "E10"})

#: Rules that point to a possible cauda equina syndrome. The emergency result then tells the
#: patient to name it: that is how NHS warning cards hand over, and it is not a diagnosis.
CAUDA_EQUINA_RULES: frozenset[str] = frozenset({"E1", "E2", "E3", "E4", "E5", "E6", "E7_BOTH"})
CAUDA_EQUINA_HANDOVER: StrOrPromise = _(
    "Tell them: \u201cI am worried about cauda equina syndrome.\u201d"
)

#: Shown on every page of the self-assessment and every result.
DISCLAIMER: StrOrPromise = _(
    "This is not a diagnosis. It cannot tell you what is causing your pain. If you are "
    "worried, call NHS 111 or go to 111.nhs.uk. In an emergency, call 999."
)

# --- Safety net -------------------------------------------------------------------------------
# Shown in two tiers on every non-emergency result (see assessments.safety_net).

SAFETY_NET_TITLE: StrOrPromise = _("Call 999 now if you get any of these:")

#: Emergency signs, in the order of step 1.
SAFETY_NET: tuple[StrOrPromise, ...] = (
    _(
        "numbness, tingling or an odd feeling between your legs: your genitals, back passage, "
        "bottom or inner thighs, or when you wipe"
    ),
    _("trouble peeing: it is hard to start or stop, the flow is weak, or you cannot pee"),
    _("you cannot feel the pee come out, or cannot tell when your bladder is full"),
    _("leaking pee, or losing control of when you pee"),
    _("losing control of when you poo, or not feeling when you need to go"),
    _("less feeling in your genitals, or new trouble with erections or ejaculating"),
    _("pain going down both legs, or numbness, tingling or weakness in both legs"),
    _("chest pain"),
    _("sudden, very bad pain in your back or tummy with feeling faint, sweaty or dizzy"),
)

URGENT_SAFETY_NET_TITLE: StrOrPromise = _("Speak to a GP or NHS 111 today if you get any of these:")

#: Signs that need a doctor the same day.
URGENT_SAFETY_NET: tuple[StrOrPromise, ...] = (
    _("a temperature of 38°C or more, shivers, or feeling very unwell"),
    _("new weakness in a leg, or weakness that is getting worse"),
    _("pain that is there all the time, or is worse at night"),
    _("pain that gets worse when you cough, sneeze or strain"),
    _("losing weight without trying"),
    _("a lump or swelling on your back, or your back changing shape"),
    _("pain mainly in your upper or middle back"),
    _("pain after a small fall or knock, if you have thin bones or are 65 or over"),
)

#: Shown on each result page: how to tell the clinic something is wrong with this tool.
REPORT_PROBLEM_TEXT: StrOrPromise = _("Report a problem with this tool")
