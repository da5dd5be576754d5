"""The back-pain self-assessment questionnaire, as plain data.

Everything a patient reads in the self-assessment lives here: the questions and their
answers, the home flexibility tests, the stretch routine, the advice for each triage level,
the emergency safety net and what each flexibility result means. Field names and answer
values follow ``shared/clinical/triage-spec.md`` (ruleset v1) exactly, because the triage
engine (:mod:`assessments.triage`) validates answers against these definitions and stored
submissions refer to them.

The module is deliberately free of forms, models and settings so that forms, templates and
the pure triage engine all read the same definitions. Strings are marked with
``gettext_lazy``, which stays lazy, so importing this module needs no configured settings.

Wording aims at a reading age of about 9 to 11 and never names a diagnosis or reassures:
the self-assessment is a safety net, not a diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeAlias

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: A patient-facing string: plain, or lazily translated.
StrOrPromise: TypeAlias = str | Promise

#: A pair as Django's ``choices`` expects it: (stored value, patient-facing label).
Choice: TypeAlias = tuple[str, StrOrPromise]

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
            "These questions are about things that are new for you, or not normal for you. "
            "If you are not sure, choose 'Not sure'. To keep you safe, we count 'Not sure' "
            "as 'Yes'."
        ),
    ),
    Step(HEALTH_STEP, _("About you and your health")),
    Step(PAIN_STEP, _("About your pain")),
    Step(
        FLEXIBILITY_STEP,
        _("Two flexibility tests at home"),
        _(
            "These two tests show how tight the backs of your legs are. Go slowly. Stop a "
            "test straight away if you feel pain, tingling or numbness going down your leg."
        ),
    ),
)

# --- Answers ----------------------------------------------------------------------------------

YES = "yes"
NO = "no"
NOT_SURE = "not_sure"

#: Warning-sign questions offer "Not sure"; the engine counts it as "Yes".
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
)
PAIN_SPREAD_CHOICES: tuple[Choice, ...] = (
    ("none", _("No, it stays in my back")),
    ("above_knee", _("Yes, but not below my knee")),
    ("below_knee", _("Yes, down below my knee")),
)
STRETCHING_RESULT_CHOICES: tuple[Choice, ...] = (
    ("not_tried", _("I have not done a week of stretching yet")),
    ("better", _("Better")),
    ("same", _("About the same")),
    ("worse", _("Worse")),
)
HAMSTRING_TEST_CHOICES: tuple[Choice, ...] = (
    ("within_20", _("Nearly straight: within 20 degrees of straight")),
    ("over_20", _("Still quite bent: more than 20 degrees from straight")),
    ("stopped_pain", _("I had to stop because of pain")),
)
SIT_REACH_CHOICES: tuple[Choice, ...] = (
    ("past_toes", _("Past my toes")),
    ("touched_toes", _("I touched my toes")),
    ("short", _("I could not reach my toes")),
)

# --- Home flexibility tests -------------------------------------------------------------------

# Shared by the left-leg and right-leg questions, which are one test done twice.
HAMSTRING_TEST_INSTRUCTIONS: tuple[StrOrPromise, ...] = (
    _("Lie on your back on the floor, with both knees bent and your feet flat."),
    _(
        "Lift one leg until your thigh points straight up at the ceiling. Hold the back of "
        "that thigh with both hands so it stays there."
    ),
    _("Keep your thigh still and slowly straighten your knee as far as it will go."),
    _("Look at how close your lower leg gets to pointing straight up. Then swap legs."),
)
HAMSTRING_TEST_IMAGE = "img/exercises/test-90-90.svg"

SIT_REACH_INSTRUCTIONS: tuple[StrOrPromise, ...] = (
    _("Sit on the floor with your legs straight out in front and your toes pointing up."),
    _("Put one hand on top of the other."),
    _(
        "Slowly lean forward from your hips and reach towards your toes. Keep your back as "
        "straight as you can and do not bounce."
    ),
    _("Notice how far your fingertips reach, then sit back up."),
)
SIT_REACH_IMAGE = "img/exercises/test-sit-reach.svg"


# --- Questions --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the self-assessment.

    A question with ``choices`` takes one of their values; a question without takes a whole
    number from ``min_value`` to ``max_value``. There are deliberately no default answers:
    nothing is ever pre-ticked.
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

    @property
    def is_number(self) -> bool:
        return not self.choices

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)


QUESTIONS: tuple[Question, ...] = (
    # Step 1: possible emergencies. Each asks about something new or not normal for the
    # person, so that a long-standing, already-checked problem is not mistaken for a new one.
    Question(
        "e1",
        RED_FLAG_STEP,
        _(
            "Do you have new numbness, tingling or a strange feeling between your legs, "
            "around your private parts, or around your bottom?"
        ),
        YES_NO_NOT_SURE,
        hint=_("For example, it feels different when you wipe after using the toilet."),
    ),
    Question(
        "e2",
        RED_FLAG_STEP,
        _("Is peeing different from normal for you?"),
        YES_NO_NOT_SURE,
        hint=_(
            "For example, it is hard to start, the flow is weaker or different, you cannot "
            "pee at all, or you cannot tell when your bladder is full."
        ),
    ),
    Question(
        "e3",
        RED_FLAG_STEP,
        _("Have you started leaking pee or needing pads, or can you not control when you pee?"),
        YES_NO_NOT_SURE,
    ),
    Question(
        "e4",
        RED_FLAG_STEP,
        _(
            "Have you started having trouble controlling when you poo, or can you no longer "
            "feel when you need to poo or when it comes out?"
        ),
        YES_NO_NOT_SURE,
    ),
    Question(
        "e5",
        RED_FLAG_STEP,
        _(
            "Is there less feeling in your private parts during sex, or have you got new "
            "problems getting an erection or ejaculating (coming)?"
        ),
        YES_NO_NOT_SURE,
    ),
    Question(
        "e6",
        RED_FLAG_STEP,
        _("Do you have new pain, numbness, tingling or weakness in both legs?"),
        YES_NO_NOT_SURE,
    ),
    Question(
        "e7",
        RED_FLAG_STEP,
        _("Do you have weakness in your legs that is very bad or getting worse?"),
        LEG_WEAKNESS_CHOICES,
        hint=_(
            "Weakness means a leg does not work as well as normal. For example, your foot "
            "drags, your knee gives way, or you cannot stand on your toes or heels."
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
        _(
            "Did this back pain start after a serious accident, like a car crash or a fall "
            "from a height?"
        ),
        YES_NO_NOT_SURE,
    ),
    # Step 2: signs that need a doctor the same day, plus age and history.
    Question(
        "u1",
        HEALTH_STEP,
        _("Do you have a temperature of 38°C or more, shivers, or do you feel very unwell?"),
        YES_NO,
        hint=_("If you cannot take your temperature, think about whether you feel hot or shivery."),
    ),
    Question("u2", HEALTH_STEP, _("Have you ever had cancer?"), YES_NO),
    Question("u3", HEALTH_STEP, _("Are you losing weight without trying to?"), YES_NO),
    Question(
        "u4",
        HEALTH_STEP,
        _("Do you have a weak immune system, or have you ever injected drugs?"),
        YES_NO,
        hint=_(
            "Your immune system can be weak if you take steroid tablets for a long time, have "
            "chemotherapy, take medicine that dampens your immune system, or have HIV."
        ),
    ),
    Question(
        "u5",
        HEALTH_STEP,
        _(
            "Is your pain there all the time, with no let-up when you rest or change "
            "position, or is it worse at night?"
        ),
        YES_NO,
    ),
    Question(
        "u6",
        HEALTH_STEP,
        _("Is your pain mainly in the upper or middle part of your back?"),
        YES_NO,
    ),
    Question(
        "u7",
        HEALTH_STEP,
        _("Have you found a lump or swelling on your back, or has your back changed shape?"),
        YES_NO,
    ),
    Question(
        "u8",
        HEALTH_STEP,
        _("Does your pain get worse when you cough, sneeze or strain?"),
        YES_NO,
        hint=_("Straining means pushing hard, for example when you are on the toilet."),
    ),
    Question(
        "u9",
        HEALTH_STEP,
        _(
            "Did your pain start after a small fall or knock, and do you have thin bones "
            "(osteoporosis) or take steroid tablets for a long time?"
        ),
        YES_NO,
        hint=_("Choose 'Yes' only if both parts are true for you."),
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
        YES_NO,
        hint=_("Only count weakness that is staying the same, not getting worse."),
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
            "Is your pain very bad or getting worse, stopping you doing everyday things, or "
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
    # Step 4: home flexibility tests, only asked when no urgent sign was found.
    Question(
        "aket_left",
        FLEXIBILITY_STEP,
        _("90/90 test, left leg: how close to straight did your knee get?"),
        HAMSTRING_TEST_CHOICES,
        hint=_("Within 20 degrees means your leg is almost straight, with just a small bend."),
        instructions=HAMSTRING_TEST_INSTRUCTIONS,
        image=HAMSTRING_TEST_IMAGE,
    ),
    Question(
        "aket_right",
        FLEXIBILITY_STEP,
        _("90/90 test, right leg: how close to straight did your knee get?"),
        HAMSTRING_TEST_CHOICES,
        hint=_("Within 20 degrees means your leg is almost straight, with just a small bend."),
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
        _("During either test, did you get pain, tingling or numbness going down your leg?"),
        YES_NO,
    ),
)

QUESTIONS_BY_FIELD: Mapping[str, Question] = MappingProxyType(
    {question.field: question for question in QUESTIONS}
)


def questions_for_step(step: int) -> tuple[Question, ...]:
    """Return the questions shown on ``step``, in the order they are asked."""
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
            _("Stand with your feet about hip-width apart."),
            _("Put one heel a little way in front of you, with that leg straight and toes up."),
            _(
                "Keep your back straight and lean forward from your hips until you feel a "
                "gentle pull behind the front leg."
            ),
            _("Hold, then swap legs."),
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
            _("Sit on the floor with both legs straight out in front of you."),
            _("Put a towel or strap around the ball of one foot and hold both ends."),
            _(
                "Gently pull the towel towards you, keeping your leg straight, until you feel a "
                "stretch behind your thigh. Lean from your hips rather than rounding your back."
            ),
            _("Breathe slowly while you hold, then swap legs."),
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
            _("Lie on your back with your knees bent and your feet flat on the floor."),
            _("Bring one knee towards your chest and put a strap or towel around that foot."),
            _(
                "Slowly straighten that leg up towards the ceiling until you feel a comfortable "
                "stretch. Keep the other foot flat on the floor."
            ),
            _("Hold, lower the leg gently, then swap legs."),
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
            _("Lie on your back with your knees bent and your feet flat, hip-width apart."),
            _("Squeeze your buttocks and lift your hips until your body is in a straight line."),
            _("Hold, then lower your hips slowly back down."),
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
            _("Lie on your front and rest on your forearms, with elbows under your shoulders."),
            _(
                "Lift your body up onto your forearms and toes, or onto your knees to make it "
                "easier, so you are in a straight line."
            ),
            _("Keep breathing and do not let your hips sag. Hold, then rest."),
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
            _("Kneel on all fours, with hands under shoulders and knees under hips."),
            _("Reach one arm forward and the opposite leg back until both are level with you."),
            _("Keep your back still and level. Hold, come back slowly, then swap sides."),
        ),
        image="img/exercises/bird-dog.svg",
    ),
)

#: Safety points shown with the routine.
STRETCH_ROUTINE_TIPS: tuple[StrOrPromise, ...] = (
    _("Warm up first with a few minutes of gentle walking."),
    _("Aim for a gentle pull, never sharp pain. Do not bounce."),
    _("Stop straight away if you feel pain, tingling or numbness going down your leg."),
    _("Doing a little every day helps more than doing a lot now and then."),
)

RETEST_ADVICE: StrOrPromise = _(
    "Do both flexibility tests again in 2 to 4 weeks to see if anything has changed."
)

# --- Flexibility test results -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlexibilityOutcomeText:
    """How one flexibility-test outcome is described on the result page."""

    label: StrOrPromise
    explanation: StrOrPromise


#: Keyed by :class:`assessments.triage.FlexibilityOutcome` values.
FLEXIBILITY_OUTCOME_TEXT: Mapping[str, FlexibilityOutcomeText] = MappingProxyType(
    {
        "healthy": FlexibilityOutcomeText(
            _("Healthy range"),
            _("Your knee got to within 20 degrees of straight. This is the healthy range."),
        ),
        "tight": FlexibilityOutcomeText(
            _("Tight"),
            _(
                "Your knee stayed more than 20 degrees from straight. This means the muscle "
                "at the back of your thigh (hamstring) is tight. Tight hamstrings pull on "
                "your pelvis, which can put extra strain on your lower back."
            ),
        ),
        "stopped_by_pain": FlexibilityOutcomeText(
            _("Stopped by pain"),
            _(
                "Pain stopped you finishing this test, so it cannot show how flexible this "
                "leg is. Do not push through pain. Tell the person who checks your back."
            ),
        ),
        "good": FlexibilityOutcomeText(
            _("Good"),
            _(
                "You reached past your toes. The backs of your legs and your lower back are "
                "flexible for this test."
            ),
        ),
        "average": FlexibilityOutcomeText(
            _("Average"),
            _("You touched your toes. This is about average for this test."),
        ),
        "reduced": FlexibilityOutcomeText(
            _("Reduced"),
            _(
                "You could not reach your toes. This means the backs of your legs, your "
                "buttocks and your lower back are tight."
            ),
        ),
    }
)

# --- Advice -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Advice:
    """What the result page tells the patient for one triage level."""

    title: StrOrPromise
    actions: tuple[StrOrPromise, ...]
    #: Whether the page may show a booking link. Never on an emergency result.
    offers_booking: bool
    #: Whether the page lists the emergency symptoms to watch for.
    shows_safety_net: bool


#: Keyed by :class:`assessments.triage.Level` values (``Level`` is a ``str`` enum, so
#: ``LEVEL_ADVICE[result.level]`` works).
LEVEL_ADVICE: Mapping[str, Advice] = MappingProxyType(
    {
        "EMERGENCY": Advice(
            title=_("Call 999 or go to A&E now"),
            actions=(
                _("Some of your answers need to be checked in hospital today."),
                _("Do not wait for a GP or clinic appointment."),
                _("Tell the doctor or nurse about the symptoms you told us about."),
            ),
            offers_booking=False,
            shows_safety_net=False,
        ),
        "URGENT": Advice(
            title=_("Contact your GP today"),
            actions=(
                _("Ask your GP surgery for an urgent appointment today."),
                _("If your GP surgery is closed, call NHS 111 or go to 111.nhs.uk."),
                _("You need to be seen today, or at the latest within 24 to 48 hours."),
                _("Wait until a doctor or nurse has checked you before you start any stretches."),
            ),
            offers_booking=False,
            shows_safety_net=True,
        ),
        "BOOK_ASSESSMENT": Advice(
            title=_("Book an assessment in the next few days"),
            actions=(
                _("Book an assessment with us, your GP or a physiotherapist."),
                _("Keep gently active, and avoid long spells of bed rest."),
                _("Stop any movement or stretch that sends pain or tingling down your leg."),
            ),
            offers_booking=True,
            shows_safety_net=True,
        ),
        "SELF_CARE": Advice(
            title=_("Looking after your back at home"),
            actions=(
                _("Keep moving and carry on with your daily activities as much as you can."),
                _("Avoid long spells of bed rest."),
                _("Try the stretches and exercises below every day."),
                _("If your back is no better after a week, book an assessment."),
            ),
            offers_booking=True,
            shows_safety_net=True,
        ),
        "NOT_ASSESSED": Advice(
            title=_("This check is for people aged 16 and over"),
            actions=(
                _("Please see your GP or call NHS 111 for advice about your back."),
                _("A parent, carer or another adult you trust can help you do this."),
            ),
            offers_booking=False,
            shows_safety_net=True,
        ),
    }
)

#: Shown on every page of the self-assessment and every result.
DISCLAIMER: StrOrPromise = _(
    "This is not a diagnosis and cannot tell you what is causing your pain. If you are "
    "worried, call NHS 111 or go to 111.nhs.uk. In an emergency, call 999."
)

# --- Safety net -------------------------------------------------------------------------------

SAFETY_NET_TITLE: StrOrPromise = _("Call 999 or go to A&E straight away if you get any of these:")

#: Emergency symptoms listed on every non-emergency result, in the order of step 1.
SAFETY_NET: tuple[StrOrPromise, ...] = (
    _(
        "numbness, tingling or a strange feeling between your legs, around your private "
        "parts or your bottom, or when you wipe"
    ),
    _(
        "problems peeing: it is hard to start, the flow is weak, you cannot pee, or you "
        "cannot tell if your bladder is full"
    ),
    _("leaking pee, or not being able to control when you pee"),
    _("not being able to control when you poo, or not feeling when you need to go"),
    _("less feeling in your private parts during sex, or new erection or ejaculation problems"),
    _("pain, numbness, tingling or weakness in both legs"),
    _("chest pain"),
)
