"""The pure pieces of the outbox: header hygiene, backoff and which errors are worth a retry."""

import random
import smtplib

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from hypothesis import given
from hypothesis import strategies as st

from clinic.notifications.services import (
    InvalidAddressError,
    address_clean,
    addresses_clean,
    header_text_clean,
    is_transient_error,
    retry_delay_seconds,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Hello", "Hello"),
        (
            "New message from Ann\r\nBcc: evil@example.com",
            "New message from Ann Bcc: evil@example.com",
        ),
        ("  lots   of\tspace  ", "lots of space"),
        ("line\u2028separator\x00null", "line separator null"),
    ],
)
def test_header_text_clean_makes_one_safe_line(value, expected):
    assert header_text_clean(value) == expected


def test_header_text_clean_shortens_long_text():
    cleaned = header_text_clean("x" * 500)
    assert len(cleaned) == 200
    assert cleaned.endswith("…")


@given(st.text())
def test_header_text_clean_never_leaves_a_line_break(value):
    cleaned = header_text_clean(value)
    assert "\n" not in cleaned and "\r" not in cleaned
    assert len(cleaned) <= 200


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ann@example.com", "ann@example.com"),
        ("  ann@example.com ", "ann@example.com"),
        ("Reception <reception@example.com>", "Reception <reception@example.com>"),
    ],
)
def test_address_clean_accepts_one_address(value, expected):
    assert address_clean(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "ann@example.com\r\nBcc: evil@example.com",
        "ann@example.com\nCc: evil@example.com",
        "ann@example.com, evil@example.com",
        "not an address",
        "",
        "Ann\n <ann@example.com>",
    ],
)
def test_address_clean_refuses_anything_that_could_add_a_recipient(value):
    with pytest.raises(InvalidAddressError):
        address_clean(value)


def test_addresses_clean_treats_a_lone_string_as_one_address():
    assert addresses_clean("ann@example.com") == ["ann@example.com"]


def test_retry_delay_grows_exponentially_with_jitter_and_a_cap():
    rng = random.Random(1)
    delays = [retry_delay_seconds(attempts=n, base=10, cap=100, rng=rng) for n in range(1, 8)]
    assert 5 <= delays[0] <= 15
    assert 10 <= delays[1] <= 30
    assert 20 <= delays[2] <= 60
    assert all(50 <= delay <= 150 for delay in delays[4:])


@given(st.integers(min_value=0, max_value=50), st.floats(min_value=0.01, max_value=100))
def test_retry_delay_stays_within_half_and_one_and_a_half_of_the_capped_step(attempts, base):
    delay = retry_delay_seconds(attempts=attempts, base=base, cap=1000)
    step = min(1000, base * 2 ** max(0, attempts - 1))
    assert 0.5 * step <= delay <= 1.5 * step


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (smtplib.SMTPDataError(451, b"try again later"), True),
        (smtplib.SMTPSenderRefused(421, b"busy", "a@b.c"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPRecipientsRefused({"a@b.c": (450, b"mailbox busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no such user")}), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (SoftTimeLimitExceeded(), True),
        (ValueError("a bug"), False),
    ],
)
def test_is_transient_error(exc, transient):
    assert is_transient_error(exc) is transient
