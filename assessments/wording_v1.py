# ruff: noqa: E501  (a frozen record: the strings stay exactly as the patients saw them)
"""The patient-facing wording of ruleset v1, frozen.

Stored v1 submissions are shown to staff in the words the patient actually saw. Never edit
this file: it is a record.
"""

QUESTIONS = {
    "e1": (
        "Do you have new numbness, tingling or a strange feeling between your legs, around your private parts, or around your bottom?",
        {
            "yes": "Yes",
            "no": "No",
            "not_sure": "Not sure",
        },
    ),
    "e2": (
        "Is peeing different from normal for you?",
        {
            "yes": "Yes",
            "no": "No",
            "not_sure": "Not sure",
        },
    ),
    "e3": (
        "Have you started leaking pee or needing pads, or can you not control when you pee?",
        {
            "yes": "Yes",
            "no": "No",
            "not_sure": "Not sure",
        },
    ),
    "e4": (
        "Have you started having trouble controlling when you poo, or can you no longer feel when you need to poo or when it comes out?",
        {
            "yes": "Yes",
            "no": "No",
            "not_sure": "Not sure",
        },
    ),
    "e5": (
        "Is there less feeling in your private parts during sex, or have you got new problems getting an erection or ejaculating (coming)?",
        {
            "yes": "Yes",
            "no": "No",
            "not_sure": "Not sure",
        },
    ),
    "e6": (
        "Do you have new pain, numbness, tingling or weakness in both legs?",
        {
            "yes": "Yes",
            "no": "No",
            "not_sure": "Not sure",
        },
    ),
    "e7": (
        "Do you have weakness in your legs that is very bad or getting worse?",
        {
            "none": "No",
            "one": "Yes, in one leg",
            "both": "Yes, in both legs",
        },
    ),
    "e8": (
        "Do you have new chest pain as well as your back pain?",
        {
            "yes": "Yes",
            "no": "No",
            "not_sure": "Not sure",
        },
    ),
    "e9": (
        "Did this back pain start after a serious accident, like a car crash or a fall from a height?",
        {
            "yes": "Yes",
            "no": "No",
            "not_sure": "Not sure",
        },
    ),
    "u1": (
        "Do you have a temperature of 38°C or more, shivers, or do you feel very unwell?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "u2": (
        "Have you ever had cancer?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "u3": (
        "Are you losing weight without trying to?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "u4": (
        "Do you have a weak immune system, or have you ever injected drugs?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "u5": (
        "Is your pain there all the time, with no let-up when you rest or change position, or is it worse at night?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "u6": (
        "Is your pain mainly in the upper or middle part of your back?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "u7": (
        "Have you found a lump or swelling on your back, or has your back changed shape?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "u8": (
        "Does your pain get worse when you cough, sneeze or strain?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "u9": (
        "Did your pain start after a small fall or knock, and do you have thin bones (osteoporosis) or take steroid tablets for a long time?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "age": ("How old are you?", {}),
    "first_episode": (
        "Is this the first time you have had back pain like this?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "b1": (
        "Does your pain spread into a leg?",
        {
            "none": "No, it stays in my back",
            "above_knee": "Yes, but not below my knee",
            "below_knee": "Yes, down below my knee",
        },
    ),
    "b2": (
        "Do you have numbness or tingling in one leg or foot that does not go away?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "b3": (
        "Is one leg weak, so that standing or walking is hard?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "b4": (
        "If you have done gentle stretches for at least a week, how is your pain now?",
        {
            "not_tried": "I have not done a week of stretching yet",
            "better": "Better",
            "same": "About the same",
            "worse": "Worse",
        },
    ),
    "b5": (
        "Is your pain very bad or getting worse, stopping you doing everyday things, or are you finding it hard to cope?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
    "pain_score": ("How bad is your pain right now, from 0 to 10?", {}),
    "aket_left": (
        "90/90 test, left leg: how close to straight did your knee get?",
        {
            "within_20": "Nearly straight: within 20 degrees of straight",
            "over_20": "Still quite bent: more than 20 degrees from straight",
            "stopped_pain": "I had to stop because of pain",
        },
    ),
    "aket_right": (
        "90/90 test, right leg: how close to straight did your knee get?",
        {
            "within_20": "Nearly straight: within 20 degrees of straight",
            "over_20": "Still quite bent: more than 20 degrees from straight",
            "stopped_pain": "I had to stop because of pain",
        },
    ),
    "sit_reach": (
        "Sit-and-reach test: how far could you reach?",
        {
            "past_toes": "Past my toes",
            "touched_toes": "I touched my toes",
            "short": "I could not reach my toes",
        },
    ),
    "sit_reach_cm": ("If you measured it, how far did you reach, in centimetres?", {}),
    "test_pain": (
        "During either test, did you get pain, tingling or numbness going down your leg?",
        {
            "yes": "Yes",
            "no": "No",
        },
    ),
}

REASONS = {
    "E1": "Because you told us you have, or may have, new numbness, tingling or a strange feeling between your legs, around your private parts or your bottom.",
    "E2": "Because you told us peeing is, or may be, different from normal for you.",
    "E3": "Because you told us you are, or may be, leaking pee or unable to control when you pee.",
    "E4": "Because you told us you have, or may have, trouble controlling when you poo or feeling when you need to go.",
    "E5": "Because you told us you have, or may have, less feeling in your private parts during sex, or new erection or ejaculation problems.",
    "E6": "Because you told us you have, or may have, new pain, numbness, tingling or weakness in both legs.",
    "E7_BOTH": "Because you told us both legs are weak, and it is very bad or getting worse.",
    "E7_ONE": "Because you told us one leg is weak, and it is very bad or getting worse.",
    "E8": "Because you told us you have, or may have, new chest pain with your back pain.",
    "E9": "Because you told us your back pain started, or may have started, after a serious accident.",
    "U1": "Because you told us you have a high temperature, shivers, or feel very unwell.",
    "U2": "Because you told us you have had cancer.",
    "U3": "Because you told us you are losing weight without trying to.",
    "U4": "Because you told us you have a weak immune system or have injected drugs.",
    "U5": "Because you told us your pain is there all the time, does not ease when you rest or move, or is worse at night.",
    "U6": "Because you told us your pain is mainly in your upper or middle back.",
    "U7": "Because you told us you have a lump or swelling, or your back has changed shape.",
    "U8": "Because you told us your pain gets worse when you cough, sneeze or strain.",
    "U9": "Because you told us your pain started after a small fall or knock, and you have thin bones or take steroid tablets for a long time.",
    "UNDER_16": "Because you told us you are under 16. This check is for people aged 16 and over.",
    "AGE_FIRST_EPISODE": "Because you told us this is the first time you have had back pain like this, and you are under 20 or over 50.",
    "B1": "Because you told us your pain spreads down your leg below the knee.",
    "B2": "Because you told us you have numbness or tingling in one leg or foot that stays.",
    "B3": "Because you told us one leg is weak, so standing or walking is hard.",
    "B4": "Because you told us your pain is the same or worse after at least a week of gentle stretching.",
    "B5": "Because you told us your pain is very bad or getting worse, stops you doing everyday things, or is hard to cope with.",
    "PAIN_SCORE": "Because you told us your pain is 8 or more out of 10.",
    "TEST_PAIN": "Because you told us you got pain, tingling or numbness down your leg during a flexibility test.",
}
