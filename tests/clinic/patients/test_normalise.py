"""The forms of a phone number, address and name used to recognise a person (pure)."""

import pytest

from clinic.patients.normalise import (
    email_normalise,
    name_normalise,
    phone_digits_query,
    phone_normalise,
)


@pytest.mark.parametrize(
    "typed",
    [
        "01632960123",
        "01632 960123",
        "01632 960 123",
        "(01632) 960-123",
        "+44 1632 960123",
        "+44 (0)1632 960123",
        "0044 1632 960123",
        "441632960123",
        " 01632.960.123 ",
    ],
)
def test_every_spelling_of_a_uk_number_is_one(typed):
    assert phone_normalise(typed) == "01632960123"


def test_other_countries_keep_their_code_and_scraps_are_not_numbers():
    assert phone_normalise("+33 6 12 34 56 78") == "+33612345678"
    assert phone_normalise("12") == ""
    assert phone_normalise("") == ""


def test_search_queries_that_look_like_phone_numbers():
    assert phone_digits_query("+44 1632") == "01632"
    assert phone_digits_query("960 123") == "960123"
    assert phone_digits_query("Ann") == ""
    assert phone_digits_query("12") == ""


def test_addresses_and_names():
    assert email_normalise("  Ann.Patient@Example.COM ") == "ann.patient@example.com"
    assert name_normalise("  Ann   O'Brien ") == "ann o'brien"
