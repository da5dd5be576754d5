"""Demo article content for the ``seed_demo`` management command.

Everything in this module is sample copy used to populate a fresh or demo database with a
handful of realistic health articles. The articles are written for a UK clinic that treats
lower back pain, tight hamstrings and related problems. The reviewer names are fictional.

Each entry in ``DEMO_ARTICLES`` is a plain dict with these keys:

``slug``
    URL slug, unique across the list.
``title``
    Article headline.
``summary``
    One or two sentences (at most 280 characters) for listings and meta descriptions.
``body``
    Markdown (``##`` headings, bullet lists, simple tables; no raw HTML). Every body ends
    with a line linking to the self-assessment (``/assessment/``) and booking page
    (``/book/?code=SAVE15``).
``tags``
    List of lowercase tag slugs.
``reviewed_by``
    Name and role of the (fictional) clinician who reviewed the piece.
``days_ago``
    How many days before "now" the article should be dated as published.
``hero_alt``
    Alt text for a hero image. No image file ships with the demo data, so the seeder may
    ignore this key.

The content is general information, not medical advice, and deliberately avoids
diagnosing or promising outcomes.
"""

from __future__ import annotations

import textwrap

_CTA = (
    "*Not sure where to start? Take our free [self-assessment](/assessment/), or "
    "[book a consultation](/book/?code=SAVE15) and save 15% on your first visit.*"
)


def _md(text: str) -> str:
    """Dedent a triple-quoted Markdown block and append the closing call-to-action line."""
    return textwrap.dedent(text).strip() + "\n\n" + _CTA + "\n"


_HAMSTRINGS_BODY = _md(
    """
    If your lower back aches and the backs of your thighs feel like tight elastic, the two
    may well be connected. Your hamstrings and lower back meet at the pelvis, so stiffness
    in one can change how hard the other has to work. Happily, there is plenty you can do
    at home.

    ## How your hamstrings affect your back

    The hamstrings are three muscles down the back of each thigh. They run from your
    sitting bones, at the base of the pelvis, to just below the knee. Because of that top
    attachment, hamstring length influences the angle of your pelvis, which is the platform
    your spine is built on.

    Short, stiff hamstrings draw the back of the pelvis downwards, so the top of the pelvis
    rolls backwards. Clinicians call this a **posterior pelvic tilt**, and it changes the
    shape of the spine above:

    - **The lumbar curve flattens.** The gentle inward curve of your lower back, which helps
      spread load, straightens out.
    - **The discs take more strain.** A flatter lower back puts extra pressure through the
      discs between your vertebrae.
    - **The facet joints are loaded unevenly.** These small joints at the back of the spine
      are nudged out of their comfortable working position.
    - **Your back muscles work overtime.** Holding you steady from a less efficient position
      can leave them tired, sore and stiff.

    Tight hamstrings are rarely the whole story, but they are a common and very workable
    piece of the puzzle.

    ## Why sitting all day plays a part

    Whenever you sit with your knees bent, your hamstrings rest in a shortened position.
    Add up the hours at a desk, in the car and on the sofa, and muscles gradually adapt to
    that shorter length. Long spells of sitting also leave your glutes and deep tummy
    muscles with little to do, so the hamstrings and lower back pick up the slack.

    ## Two quick checks you can do at home

    These are rough guides, not a diagnosis. Move slowly and stop if anything hurts.

    ### The 90/90 hamstring test

    1. Lie on your back with both knees bent and feet flat.
    2. Lift one leg so your thigh points straight up, at a right angle to your body. Hold
       the back of that thigh with both hands.
    3. Keeping the thigh still, slowly straighten the knee as far as is comfortable.
    4. Notice how far short of straight the knee stays, then swap legs.

    If the knee gets to within about 20 degrees of straight, your hamstring length is in a
    healthy range. More than 20 degrees short points to tightness.

    ### The sit-and-reach test

    Sit on the floor with your legs straight and toes pointing up. Hinge forwards from the
    hips and slide your hands towards your feet, without bouncing.

    | Where your fingertips reach | What it suggests |
    | --- | --- |
    | Past your toes | Good flexibility |
    | Touching your toes | Average flexibility |
    | Short of your toes | Reduced flexibility |

    This test also reflects your hips and back, so the 90/90 test is the better guide to
    your hamstrings alone.

    ## A gentle daily stretch routine

    Warm up with a short walk first. Aim for a mild pull behind the thigh, never sharp
    pain, and don't bounce.

    - **Standing hamstring stretch:** rest one heel on a low step in front of you, toes up
      and knee straight. Keep your back long and tip forwards from the hips.
    - **Seated towel stretch:** sit with both legs out straight, loop a towel around the
      ball of one foot, sit tall and ease back on the towel.
    - **Lying strap stretch:** lie on your back with one foot flat on the floor. Loop a strap
      around the other foot and straighten that leg towards the ceiling.

    Hold each stretch for **20 to 30 seconds**, **2 to 3 times on each side**, once a day.
    A little every day helps far more than pushing hard now and then, and change usually
    comes over weeks rather than days.

    ## Build strength as well as length

    Strong glutes and core muscles help hold your pelvis in a comfortable position, so your
    hamstrings and back don't have to.

    - **Bridges:** lie on your back, knees bent, and lift your hips by squeezing your glutes.
    - **Planks:** hold a straight line from head to heels on your forearms, or start from
      your knees.
    - **Bird-dog:** on hands and knees, reach one arm forwards and the opposite leg back,
      keeping your back level.

    ## When to see someone

    Get your back looked at if it isn't easing after a couple of weeks of gentle self-care,
    if pain spreads below your knee, if a leg feels numb or tingly, or if it is stopping you
    sleeping or working.

    **Call 999 or go to A&E straight away** if your back pain comes with any of these:

    - numbness or tingling around your genitals, bottom or inner thighs (the "saddle" area)
    - new problems peeing, or losing control of your bladder or bowels
    - weakness, numbness or pain in both legs

    For everything else, our clinicians can assess what is going on and build a plan around
    you. Your first consultation with us is 15% off.
    """
)


_DESK_BODY = _md(
    """
    Most of us were never designed to sit still for eight hours, yet plenty of jobs ask us to
    do exactly that. You don't need a new office or an expensive chair to look after your
    back. A few small, regular changes usually make the biggest difference.

    ## It's stillness, not sitting, that's the issue

    There is no single perfect way to sit. Problems tend to build when we hold any one
    position for a long time. Muscles that are held still get stiff, and muscles that are
    never asked to work, like your glutes, get lazy. A helpful rule of thumb is that your
    best posture is your next one: change position often and your back will usually thank
    you.

    Long hours in a chair also keep your hamstrings in a shortened position. Over months
    and years that can leave them tight, which in turn can change how your pelvis and lower
    back sit.

    ## Set up your workstation

    Spend ten minutes adjusting what you already have. Use this as a starting point, then
    tweak it until it feels comfortable.

    | Part of your set-up | What to aim for |
    | --- | --- |
    | Chair height | Feet flat on the floor or a footrest, knees roughly level with hips |
    | Back support | Lower back supported; a small cushion or rolled towel can help |
    | Screen | Top of the screen at or just below eye level, about an arm's length away |
    | Keyboard and mouse | Close enough that your elbows rest by your sides |
    | Laptop | Raise it on a stand or books and use a separate keyboard and mouse |

    If you share a desk or hot-desk, keep a cushion or footrest in your bag so you can make
    any seat work for you.

    ## Move little and often

    Short, frequent breaks beat one long break at lunchtime. Try to get up at least every
    30 to 60 minutes, even if only for a minute or two.

    - Set a gentle reminder on your phone or computer.
    - Stand up or walk around for phone calls.
    - Use a smaller water glass so you refill it more often.
    - Take the stairs, or use a printer or kitchen that is a short walk away.
    - Fit a ten-minute walk into your lunch break.

    If you have a sit-stand desk, alternate between the two rather than standing all day.
    Standing still for hours brings its own aches.

    ## Simple stretches you can do at your desk

    Move slowly and stay within a comfortable range. A stretch should feel like a gentle
    pull, not pain.

    - **Seated hamstring stretch:** sit near the front of your chair, straighten one leg with
      the heel on the floor and toes up, then lean forwards from the hips with a long back.
      Hold for 20 to 30 seconds each side.
    - **Standing back bend:** stand with your hands on your hips and gently lean back a
      little, then return to upright. Repeat five times.
    - **Hip flexor stretch:** step one foot back into a short lunge, tuck your tailbone
      under slightly and feel the stretch at the front of the back hip.
    - **Glute squeeze:** while seated, squeeze your buttocks for five seconds, then relax.
      Repeat ten times to wake those muscles up.

    ## Working from home

    Kitchen tables, sofas and beds are where back problems quietly start for many home
    workers. If you can, keep one spot set up for work, even if it is simple. Raise your
    laptop to eye level, use a proper chair with a cushion behind your lower back, and keep
    the same habit of regular breaks that you would have in an office. The walk to the
    office you no longer make is worth replacing with a short walk of your own.

    ## Strength helps too

    A desk day is easier on your back if the muscles that support it are in good shape.
    Gentle strengthening work, such as bridges, planks and bird-dog, a few times a week can
    help your glutes and core share the load with your back.

    ## When to get help

    Aches that come and go and ease with movement are very common and usually settle. It is
    worth seeing a clinician if pain lasts more than a few weeks, keeps returning, spreads
    into your leg, or is affecting your work or sleep.

    If back pain ever comes with numbness around your genitals or bottom, changes in bladder
    or bowel control, or weakness in both legs, call 999 or go to A&E straight away.
    """
)


_SCIATICA_BODY = _md(
    """
    A pulling or aching feeling down the back of the thigh is one of the most common things
    people tell us about. Sometimes it comes from tight hamstrings. Sometimes it comes from
    an irritated nerve, often called sciatica. They can feel surprisingly alike, and they can
    even happen together. This guide explains the general differences, but it can't tell
    you which one you have. Only a proper examination can do that.

    ## What sciatica actually means

    The sciatic nerve is the longest nerve in the body. It forms from nerve roots in your
    lower back, passes through the buttock and runs down the back of each leg to the foot.
    "Sciatica" describes pain, and sometimes other symptoms, caused when this nerve or its
    roots are irritated or pressed on. A bulging disc is one common cause, though there are
    others.

    Sciatica is a description of symptoms rather than a diagnosis in itself. For many
    people it settles within about four to six weeks, although it can take longer.

    ## What tight hamstrings usually feel like

    Tight hamstrings tend to feel like a dull pull or stiffness at the back of the thigh,
    especially when you bend forwards or try to touch your toes. The feeling usually stays
    above the knee and often eases once you have warmed up and moved about.

    ## Common patterns, side by side

    These are general patterns, not rules. Plenty of people don't fit neatly into either
    column.

    | | More typical of muscle tightness | More typical of nerve irritation |
    | --- | --- | --- |
    | How it feels | Dull ache, pull or stiffness | Burning, shooting, electric or sharp |
    | Where it goes | Back of the thigh, above the knee | Can travel below the knee to the foot |
    | Other sensations | Usually none | Pins and needles, numbness or weakness |
    | What makes it worse | Bending forwards when stiff | Coughing, sneezing, long sitting |
    | Which side | Often both legs feel similar | Often one leg only |

    Nerves can also feel "tight" when they are sensitive, which is part of why the two are
    so easy to mix up.

    ## Why it matters which one it is

    If the problem is mainly muscle tightness, a gentle daily stretching routine and some
    strength work are often helpful. If a nerve is irritated, pulling hard on a hamstring
    stretch can sometimes make it grumpier, because a stretch down the back of the leg puts
    tension on the nerve too.

    A useful rule: if a stretch brings on tingling, burning, numbness or pain shooting down
    your leg, stop that stretch and get it checked before carrying on.

    ## What a clinician will look at

    A physiotherapist or GP will start by asking about your symptoms: where you feel them,
    how they started, and what makes them better or worse. They will usually then check:

    - how your back and hips move
    - the strength of muscles in your legs and feet
    - your reflexes and the feeling in your skin
    - how your symptoms respond to specific nerve tests, such as raising your straight leg
      while you lie on your back

    Scans are not usually needed at first, and they aren't always helpful, because changes
    often show up in people with no pain at all. Your clinician will explain if they think
    one would be useful.

    ## Sensible things to do while you wait to be seen

    - Keep moving gently. Short, regular walks are usually better than bed rest.
    - Break up long spells of sitting.
    - Try a warm pack on your lower back or buttock if it feels soothing.
    - Ask a pharmacist for advice about pain relief that suits you.
    - Avoid forcing any stretch that sends symptoms down your leg.

    ## When it needs urgent attention

    **Call 999 or go to A&E** if leg or back pain comes with numbness around your genitals
    or bottom, new difficulty peeing, loss of bladder or bowel control, or symptoms in both
    legs. These can be signs of a rare nerve emergency.

    **Ask for an urgent GP appointment or contact NHS 111** if weakness in your leg or foot
    is getting worse, or if the pain is severe and you can't manage it.

    For everything else, having a clinician examine you is the quickest way to find out
    what is really going on and which exercises are right for you.
    """
)


_RED_FLAGS_BODY = _md(
    """
    Back pain is extremely common, and the vast majority of it is not caused by anything
    serious. Most episodes improve within a few weeks, especially if you keep gently active.
    Occasionally, though, back pain comes with other symptoms that mean you need help
    quickly. Knowing what those are means you can act fast if you ever need to, and relax a
    little when you don't.

    This guide follows NHS advice. If you are unsure, it is always better to get checked.

    ## Call 999 or go to A&E now

    Get emergency help straight away if you have back pain **and** any of the following:

    - numbness, tingling or loss of feeling around your genitals, bottom or inner thighs
      (the area that would touch a saddle)
    - difficulty peeing, or being unable to pee
    - losing control of your bladder or bowels, or not noticing when you need to go
    - pain, weakness, numbness or tingling in both legs, or leg weakness that is getting
      worse
    - a new change in sexual function, such as loss of feeling or being unable to get an
      erection
    - chest pain
    - the pain started after a serious accident, such as a car crash or a bad fall

    ### Why these symptoms are treated as an emergency

    At the bottom of the spinal canal sits a bundle of nerves called the cauda equina. These
    nerves control feeling in the saddle area and the working of your bladder, bowels and
    legs. If they are squeezed, most often by a large disc bulge, this is called **cauda
    equina syndrome**. It is rare, but it needs assessment in hospital as soon as possible,
    because delays can lead to lasting problems.

    Don't wait for a routine appointment or to see whether things pass. If you go and it
    turns out to be nothing serious, that is a good outcome, not a wasted trip.

    ## Get help today: urgent GP appointment or NHS 111

    Ask your GP surgery for an urgent appointment, or contact NHS 111 online or by phone, if
    you have back pain **and**:

    - a high temperature, or you feel hot and shivery
    - you have lost weight without trying
    - you have had cancer in the past
    - the pain is constant, doesn't ease when you rest, or is worse at night
    - there is a lump or swelling in your back, or it has changed shape
    - the pain gets worse when you cough, sneeze or poo
    - the pain is in your upper back, between your shoulder blades, rather than low down

    These symptoms don't automatically mean something serious is happening. They do mean a
    doctor should see you soon to rule out problems such as infection or a fracture.

    ## Book a routine appointment

    See your GP or a physiotherapist at the next convenient time if:

    - your pain hasn't improved after a few weeks of looking after it at home
    - it is stopping you doing your usual day-to-day activities
    - it is very bad or gradually getting worse
    - you have pins and needles or numbness in one leg that isn't settling
    - you are worried about it or finding it hard to cope

    ## Quick reference

    | If your back pain comes with... | What to do |
    | --- | --- |
    | Saddle numbness, bladder or bowel changes, both legs affected, chest pain | Call 999 or A&E |
    | Fever, weight loss, past cancer, constant or night pain, back lump | GP or NHS 111 today |
    | Pain lasting a few weeks or getting in the way of daily life | Book a GP or physio |
    | An ache that is easing with gentle movement | Keep active, self-care at home |

    ## Looking after uncomplicated back pain

    If none of the warning signs apply, these steps usually help:

    - Stay as active as you can. Gentle walking is often better than resting in bed.
    - Try heat, such as a warm bath or a wrapped hot water bottle.
    - Ask a pharmacist about suitable pain relief.
    - Return to normal activities gradually rather than waiting for the pain to go
      completely.

    ## Where we fit in

    We are a clinic for non-emergency back, hip and leg problems. We are not an emergency
    service, so if any of the 999 or same-day symptoms above apply to you, please don't
    book with us first. If we ever notice warning signs during a consultation, we will make
    sure you are directed to the right care straight away.

    If your back pain isn't urgent but isn't going away either, we can help you understand
    it and plan your next steps.
    """
)


DEMO_ARTICLES: list[dict] = [
    {
        "slug": "lower-back-pain-and-tight-hamstrings",
        "title": "Lower back pain and tight hamstrings: how they're linked and what helps",
        "summary": (
            "Tight hamstrings can tip your pelvis and leave your lower back doing extra work. "
            "Learn two simple home tests, a gentle daily stretch routine and when to get help."
        ),
        "body": _HAMSTRINGS_BODY,
        "tags": ["lower-back-pain", "hamstrings", "stretching", "desk-work", "red-flags"],
        "reviewed_by": "Dr Priya Nair, MCSP, Clinical Lead Physiotherapist",
        "days_ago": 3,
        "hero_alt": (
            "A woman on an exercise mat doing a lying hamstring stretch, "
            "with a strap looped around one raised foot"
        ),
    },
    {
        "slug": "sitting-at-a-desk-all-day",
        "title": "Sitting at a desk all day: small changes that protect your back",
        "summary": (
            "You don't need a new office to look after your back. Simple workstation tweaks, "
            "regular movement breaks and a few desk stretches can make long days easier."
        ),
        "body": _DESK_BODY,
        "tags": ["desk-work", "posture", "lower-back-pain", "stretching"],
        "reviewed_by": "Tom Hartley, MCSP, Senior Physiotherapist",
        "days_ago": 10,
        "hero_alt": (
            "A man working at a laptop raised on a stand, sitting upright "
            "with both feet flat on the floor"
        ),
    },
    {
        "slug": "sciatica-or-tight-hamstrings",
        "title": "Sciatica or tight hamstrings? Telling nerve pain from muscle tightness",
        "summary": (
            "Nerve irritation and tight hamstrings can both be felt at the back of the thigh. "
            "Here are the usual differences, and why a clinician should examine you before "
            "you decide."
        ),
        "body": _SCIATICA_BODY,
        "tags": ["sciatica", "hamstrings", "lower-back-pain", "stretching"],
        "reviewed_by": "Dr Priya Nair, MCSP, Clinical Lead Physiotherapist",
        "days_ago": 24,
        "hero_alt": (
            "A physiotherapist gently raising a patient's straight leg "
            "while the patient lies on a treatment couch"
        ),
    },
    {
        "slug": "back-pain-red-flags",
        "title": "Back pain red flags: when to call 999, when to see your GP today",
        "summary": (
            "Most back pain isn't serious, but a few symptoms need help fast. Based on NHS "
            "advice, here is when to call 999, when to get a same-day GP or NHS 111 "
            "appointment, and when to book routinely."
        ),
        "body": _RED_FLAGS_BODY,
        "tags": ["red-flags", "lower-back-pain", "sciatica"],
        "reviewed_by": "Dr James Okafor, MRCGP, GP with a Special Interest in MSK",
        "days_ago": 40,
        "hero_alt": "A clinician talking calmly with a patient who is holding their lower back",
    },
]
