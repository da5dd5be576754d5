"""Audit entries in plain words (a pure core, no database)."""

from clinic.audit_words import change_in_words, when_in_words


def test_a_move_reads_as_a_move():
    words = change_in_words(
        action="update",
        changes={
            "start": ["2027-01-05 10:00:00+00:00", "2027-01-06 11:00:00+00:00"],
            "end": ["2027-01-05 10:45:00+00:00", "2027-01-06 11:45:00+00:00"],
            "version": ["1", "2"],
        },
    )
    assert words == "moved from Tue 5 Jan 10:00 to Wed 6 Jan 11:00"


def test_london_summer_time_is_shown():
    assert when_in_words("2027-07-06 09:00:00+00:00") == "Tue 6 Jul 10:00"


def test_status_masked_and_cleared_fields():
    words = change_in_words(
        action="update",
        changes={
            "status": ["confirmed", "completed"],
            "patient_phone": ["[redacted]", "[redacted]"],
            "valid_until": ["2027-01-01 00:00:00+00:00", "None"],
        },
        label=lambda name: {"patient_phone": "phone"}.get(name, name.replace("_", " ")),
    )
    assert words == (
        "status from confirmed to completed; phone changed; "
        "valid until cleared (was Fri 1 Jan 00:00)"
    )


def test_other_actions():
    assert change_in_words(action="delete", changes=None, what="time off") == "deleted time off"
    assert change_in_words(action="export", changes=None, what="appointments") == (
        "exported appointments"
    )
    assert change_in_words(action="update", changes={"id": ["1", "2"]}) == (
        "saved with no visible change"
    )
