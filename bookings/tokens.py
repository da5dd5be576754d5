"""Signed links for patients who have no account: manage an appointment, take a waitlist offer.

Both are ``django.core.signing`` payloads (HMAC with ``SECRET_KEY`` and a salt per purpose, so
a token for one purpose is useless for the other) in the URL path.

A manage token carries the appointment's id and its ``version``. Every move or cancellation
raises the version, so links in older emails stop working the moment the appointment changes
(the newest email carries a fresh link). A link expires when the appointment is over: that is
checked against the appointment itself, which is always current, rather than against a lifetime
fixed when the email was sent.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

MANAGE_SALT = "bookings.manage-appointment"
WAITLIST_OFFER_SALT = "bookings.waitlist-offer"


class TokenInvalid(Exception):
    """The token was not made by us or has been altered."""


def manage_token_make(*, appointment_id: int, version: int) -> str:
    return signing.dumps({"a": appointment_id, "v": version}, salt=MANAGE_SALT, compress=False)


def manage_token_read(token: str) -> tuple[int, int]:
    """``(appointment_id, version)`` from a manage token, or :class:`TokenInvalid`."""
    try:
        data = signing.loads(token, salt=MANAGE_SALT)
        return int(data["a"]), int(data["v"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc


def manage_url(appointment) -> str:
    """The absolute address of an appointment's manage page, for emails."""
    token = manage_token_make(appointment_id=appointment.pk, version=appointment.version)
    return settings.SITE_URL + reverse("bookings:manage", kwargs={"token": token})


def hold_confirm_url(appointment) -> str:
    """Where a patient confirms a held booking: its manage link's confirm page, for the email.

    The manage token serves: confirming or the hold lapsing leaves the version alone, so the
    link can still say what became of the hold; a cancellation raises it, as for any link.
    """
    token = manage_token_make(appointment_id=appointment.pk, version=appointment.version)
    return settings.SITE_URL + reverse("bookings:manage_confirm", kwargs={"token": token})


@dataclass(frozen=True)
class WaitlistOffer:
    entry_id: int
    practitioner_id: int
    start: datetime


def waitlist_offer_token_make(offer: WaitlistOffer) -> str:
    return signing.dumps(
        {"e": offer.entry_id, "p": offer.practitioner_id, "s": offer.start.isoformat()},
        salt=WAITLIST_OFFER_SALT,
        compress=False,
    )


def waitlist_offer_token_read(token: str) -> WaitlistOffer:
    try:
        data = signing.loads(token, salt=WAITLIST_OFFER_SALT)
        start = datetime.fromisoformat(data["s"])
        if start.tzinfo is None:
            raise ValueError("naive start")
        return WaitlistOffer(entry_id=int(data["e"]), practitioner_id=int(data["p"]), start=start)
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc


def waitlist_offer_url(offer: WaitlistOffer) -> str:
    token = waitlist_offer_token_make(offer)
    return settings.SITE_URL + reverse("bookings:waitlist_offer", kwargs={"token": token})


MY_BOOKINGS_SALT = "bookings.my-bookings"


def my_bookings_token_make(*, email: str) -> str:
    """A link to every booking made with ``email``; it expires (``MY_BOOKINGS_LINK_HOURS``)."""
    return signing.dumps({"m": email.strip().lower()}, salt=MY_BOOKINGS_SALT, compress=False)


def my_bookings_token_read(token: str) -> str:
    """The email address a my-bookings token was made for, or :class:`TokenInvalid`.

    ``signing.SignatureExpired`` (a subclass of ``BadSignature``) also raises TokenInvalid; the
    caller that wants to say "expired" catches it first.
    """
    max_age = settings.MY_BOOKINGS_LINK_HOURS * 3600
    try:
        return str(signing.loads(token, salt=MY_BOOKINGS_SALT, max_age=max_age)["m"])
    except signing.SignatureExpired:
        raise
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc


def my_bookings_url(*, email: str) -> str:
    token = my_bookings_token_make(email=email)
    return settings.SITE_URL + reverse("bookings:my_bookings_list", kwargs={"token": token})


CONFIRMATION_SALT = "bookings.confirmation"


def confirmation_token_make(*, reference: str) -> str:
    """Opens an appointment's confirmation page (and its .ics) in any browser: emailed links."""
    return signing.dumps(reference, salt=CONFIRMATION_SALT, compress=False)


def confirmation_token_matches(token: str, reference: str) -> bool:
    try:
        return signing.loads(token[:200], salt=CONFIRMATION_SALT) == reference
    except signing.BadSignature:
        return False


def confirmation_path(appointment) -> str:
    """The confirmation page of ``appointment``, openable in any browser (site-relative)."""
    token = confirmation_token_make(reference=appointment.reference)
    path = reverse("bookings:confirmed", kwargs={"reference": appointment.reference})
    return f"{path}?t={token}"


def confirmation_url(appointment) -> str:
    return settings.SITE_URL + confirmation_path(appointment)
