"""Demo articles for ``seed_demo``, written as the blocks an editor would use in Wagtail.

Sample copy for a fresh or demo database: general information for a UK clinic that treats
lower back pain and tight hamstrings, not advice for any one person. The reviewers are
fictional and labelled as demo content; in the seeded site each is a demo practitioner whose
approval in the "Clinical review" workflow published the article.

Rules the copy keeps (issue 10):

* red-flag lists are the ``red_flags`` block, which renders the self-assessment's own safety
  net, so an article cannot disagree with the tool;
* pain that is worse when you cough or sneeze, and weakness in one leg that is getting worse,
  mean seeing a GP today; the one "no better" period is a week;
* what tight hamstrings, discs and facet joints do is hedged ("may", "can");
* every stretch is an ``exercise`` block, which always carries the note to stop if it sends
  symptoms down your leg, and shows its drawing from ``static/img/exercises/``.

Each entry: ``slug``, ``title``, ``summary``, ``body`` (StreamField data: a list of
``{"type", "value"}``), ``tags``, ``reviewed_by`` (demo), ``days_ago``, ``next_review_days``.
"""

from __future__ import annotations

DEMO_REVIEWER_NOTE = "(demo reviewer)"

_CTA = {
    "type": "callout",
    "value": {
        "kind": "tip",
        "heading": "Not sure what to do next?",
        "text": (
            '<p>Try our free <a href="/assessment/">self-assessment</a>, or '
            '<a href="/book/?code=SAVE15">book a consultation</a> and save 15% on your '
            "first visit.</p>"
        ),
    },
}

_SEE_SOMEONE = {
    "type": "callout",
    "value": {
        "kind": "warning",
        "heading": "When to see your GP today",
        "text": (
            "<ul><li>Back pain that gets worse when you cough, sneeze or strain.</li>"
            "<li>Weakness in one leg that is getting worse.</li></ul>"
            "<p>If your back is no better after a week of gentle activity, book to see a GP "
            "or a physiotherapist.</p>"
        ),
    },
}

_RED_FLAGS = {
    "type": "red_flags",
    "value": {"intro": "These signs need help at once, whatever else you have read here."},
}

_NHS_SOURCES = {
    "type": "sources",
    "value": {
        "items": [
            {
                "title": "Back pain",
                "publisher": "NHS website",
                "url": "https://www.nhs.uk/conditions/back-pain/",
            },
            {
                "title": "Low back pain and sciatica in over 16s (NG59)",
                "publisher": "NICE",
                "url": "https://www.nice.org.uk/guidance/ng59",
            },
        ]
    },
}


def _text(html: str) -> dict:
    return {"type": "text", "value": html}


def _exercise(name: str, drawing: str, drawing_alt: str, steps: list[str]) -> dict:
    return {
        "type": "exercise",
        "value": {"name": name, "drawing": drawing, "drawing_alt": drawing_alt, "steps": steps},
    }


_LYING_STRETCH = _exercise(
    "Lying hamstring stretch with a strap",
    "lying-strap-stretch.svg",
    "A person on their back holds one leg up with a strap looped round the foot.",
    [
        "Lie on your back on a mat with both knees bent.",
        "Loop a belt or towel round one foot and lift that leg until you feel a gentle pull.",
        "Keep your lower back resting on the mat and breathe slowly for 30 seconds.",
        "Lower the leg, then do the other side. Repeat twice.",
    ],
)

_SEATED_STRETCH = _exercise(
    "Seated towel stretch",
    "seated-towel-stretch.svg",
    "A person sits on the floor, one leg out straight, holding a towel round that foot.",
    [
        "Sit tall on the floor with one leg out in front and the other knee bent.",
        "Hold a towel round the foot of the straight leg.",
        "Lean forward from your hips, not your back, until you feel a mild stretch.",
        "Hold for 30 seconds, relax, and swap legs.",
    ],
)

_BRIDGE = _exercise(
    "Bridge",
    "bridge.svg",
    "A person lies on their back with knees bent and lifts their hips off the floor.",
    [
        "Lie on your back with your knees bent and feet flat, hip-width apart.",
        "Squeeze your buttocks and lift your hips until your body is in a slope.",
        "Hold for five seconds, then lower slowly. Build up to ten in a row.",
    ],
)

_HAMSTRINGS = {
    "slug": "lower-back-pain-and-tight-hamstrings",
    "title": "Lower back pain and tight hamstrings: how they may be linked",
    "summary": (
        "Stiff hamstrings can change how your pelvis sits and how hard your back works. "
        "What may be going on, a quick test and three gentle stretches."
    ),
    "tags": ["lower-back-pain", "hamstrings", "stretching", "red-flags"],
    "reviewed_by": f"Dr Priya Nair, physiotherapist {DEMO_REVIEWER_NOTE}",
    "days_ago": 3,
    "next_review_days": 180,
    "body": [
        _text(
            "<p>Many people with a sore lower back also say the backs of their thighs feel "
            "tight. The two can be related, though not always.</p>"
            "<h2>What may be going on</h2>"
            "<p>The hamstrings start at the sitting bones of the pelvis and end just below "
            "the knee. When they are short, they may tip the pelvis back a little. That can "
            "flatten the curve of the lower back, and the muscles of the back may then have "
            "to work harder.</p>"
            "<p>Some people find this leads to more load on the discs and the small facet "
            "joints at the back of the spine. It can add to aching, but tight hamstrings are "
            "only one of many things that play a part.</p>"
        ),
        _text("<h2>A quick check: the 90/90 test</h2>"),
        _exercise(
            "The 90/90 hamstring test",
            "test-90-90.svg",
            "A person on their back holds one thigh upright and straightens that knee.",
            [
                "Lie on your back and hold one thigh upright with both hands.",
                "Slowly straighten the knee as far as is comfortable.",
                "If the knee stays bent by more than about 20 degrees, your hamstrings may "
                "be on the tight side.",
            ],
        ),
        {
            "type": "table",
            "value": {
                "caption": "A simple weekly plan",
                "header": "Stretch | How long | How often",
                "rows": (
                    "Lying hamstring stretch | 30 seconds each leg | Once or twice a day\n"
                    "Seated towel stretch | 30 seconds each leg | Once a day\n"
                    "Bridge | 10 slow lifts | Every other day"
                ),
            },
        },
        _text("<h2>Three gentle exercises</h2><p>Warm up first with a short walk.</p>"),
        _LYING_STRETCH,
        _SEATED_STRETCH,
        _BRIDGE,
        _SEE_SOMEONE,
        _RED_FLAGS,
        _CTA,
        _NHS_SOURCES,
    ],
}

_DESK = {
    "slug": "sitting-at-a-desk-all-day",
    "title": "Sitting at a desk all day: small changes for your back",
    "summary": (
        "Long spells of sitting may leave your back and hamstrings stiff. Simple changes to "
        "your chair, screen and breaks can help."
    ),
    "tags": ["desk-work", "posture", "lower-back-pain", "stretching"],
    "reviewed_by": f"Tom Hartley, physiotherapist {DEMO_REVIEWER_NOTE}",
    "days_ago": 10,
    "next_review_days": 200,
    "body": [
        _text(
            "<p>There is no single perfect way to sit. What seems to matter most is changing "
            "position often.</p>"
            "<h2>Set up your desk</h2>"
            "<ul><li>Feet flat on the floor or on a footrest.</li>"
            "<li>The top of the screen at about eye level.</li>"
            "<li>Elbows bent at roughly a right angle when you type.</li></ul>"
            "<h2>Move every half an hour</h2>"
            "<p>Stand up, walk to get water, or take calls on your feet. Short breaks may "
            "help more than one long one.</p>"
        ),
        {
            "type": "table",
            "value": {
                "caption": "Ideas for a working day",
                "header": "When | What to do",
                "rows": (
                    "Every 30 minutes | Stand up and walk for a minute\n"
                    "Lunch | A ten-minute walk outside\n"
                    "End of the day | The seated towel stretch"
                ),
            },
        },
        _SEATED_STRETCH,
        _SEE_SOMEONE,
        _RED_FLAGS,
        _CTA,
        _NHS_SOURCES,
    ],
}

_SCIATICA = {
    "slug": "sciatica-or-tight-hamstrings",
    "title": "Sciatica or tight hamstrings? Telling nerve pain from a tight muscle",
    "summary": (
        "A pull at the back of the thigh can be a tight muscle or an irritated nerve. Some "
        "signs that may help you tell them apart, and when to get checked."
    ),
    "tags": ["sciatica", "hamstrings", "lower-back-pain"],
    "reviewed_by": f"Dr Priya Nair, physiotherapist {DEMO_REVIEWER_NOTE}",
    "days_ago": 24,
    "next_review_days": 150,
    "body": [
        _text(
            "<p>Both can be felt down the back of the leg, so they are easy to mix up.</p>"
            "<h2>Signs that point to a tight muscle</h2>"
            "<ul><li>A dull pull that stays in the thigh.</li>"
            "<li>It eases as you warm up.</li></ul>"
            "<h2>Signs that point to a nerve</h2>"
            "<ul><li>Burning, tingling or numbness.</li>"
            "<li>Pain that travels below the knee, sometimes into the foot.</li></ul>"
            "<p>If your symptoms sound like a nerve, do not stretch into them. A disc can "
            "sometimes press on a nerve root, and a clinician can check this for you.</p>"
        ),
        {
            "type": "table",
            "value": {
                "caption": "Muscle or nerve?",
                "header": "Feature | Tight muscle | Irritated nerve",
                "rows": (
                    "Feeling | Dull pull | Burning or tingling\n"
                    "Where | Back of the thigh | Can go below the knee\n"
                    "With warm-up | Often eases | Often no change"
                ),
            },
        },
        _exercise(
            "The sit-and-reach test",
            "test-sit-reach.svg",
            "A person sits with legs straight and reaches towards their toes.",
            [
                "Sit with both legs straight in front of you.",
                "Reach slowly towards your toes without bouncing.",
                "Note how far you get, then try again in a few weeks.",
            ],
        ),
        _SEE_SOMEONE,
        _RED_FLAGS,
        _CTA,
        _NHS_SOURCES,
    ],
}

_RED_FLAG_ARTICLE = {
    "slug": "back-pain-red-flags",
    "title": "Back pain red flags: when to call 999 and when to see a GP today",
    "summary": (
        "Most back pain settles on its own. A few signs need help at once. Here is the list "
        "our self-assessment uses."
    ),
    "tags": ["red-flags", "lower-back-pain", "sciatica"],
    "reviewed_by": f"Dr James Okafor, GP {DEMO_REVIEWER_NOTE}",
    "days_ago": 40,
    "next_review_days": 90,
    "body": [
        _text(
            "<p>Most back pain is not caused by anything serious and gets better with time "
            "and gentle movement. The lists below come straight from our self-assessment, "
            "so the two always match.</p>"
        ),
        _RED_FLAGS,
        _SEE_SOMEONE,
        _text(
            "<h2>If you are not sure</h2>"
            "<p>Call NHS 111. They can tell you where to go and how soon.</p>"
        ),
        _CTA,
        _NHS_SOURCES,
    ],
}

DEMO_ARTICLES: list[dict] = [_HAMSTRINGS, _DESK, _SCIATICA, _RED_FLAG_ARTICLE]
