"""Discount codes: whether one may be used, counting a use, giving one back."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import (
    Appointment,
    DiscountCode,
    DiscountRedemption,
    Service,
)
from ..pricing import Quote, quote_calculate
from ..selectors import discount_code_get
from .errors import DiscountCodeInvalid


def email_normalise(email: str) -> str:
    return email.strip().lower()


def discount_code_check(
    *, code: str, service: Service, email: str = "", now: datetime | None = None
) -> DiscountCode:
    """The :class:`DiscountCode` for ``code`` if this patient may use it now for ``service``.

    Raises :class:`DiscountCodeInvalid` with the reason as its ``code``. Reads only: the
    booking service re-checks the limits with a conditional update when it books.
    """
    now = now or timezone.now()
    discount = discount_code_get(code=code)
    if discount is None:
        raise DiscountCodeInvalid(
            _("We don't recognise that discount code. Check the spelling, or leave it empty."),
            code="unknown",
        )
    name = discount.code
    if not discount.active:
        raise DiscountCodeInvalid(
            _("The discount code %(code)s is no longer active.") % {"code": name},
            code="inactive",
        )
    if discount.valid_from and now < discount.valid_from:
        raise DiscountCodeInvalid(
            _("The discount code %(code)s can be used from %(date)s.")
            % {"code": name, "date": date_format(timezone.localtime(discount.valid_from))},
            code="not_yet_valid",
        )
    if discount.valid_until and now > discount.valid_until:
        raise DiscountCodeInvalid(
            _("The discount code %(code)s expired on %(date)s.")
            % {"code": name, "date": date_format(timezone.localtime(discount.valid_until))},
            code="expired",
        )
    services = list(discount.services.all())
    if services and service not in services:
        raise DiscountCodeInvalid(
            _("The discount code %(code)s can't be used for %(service)s; it applies to %(list)s.")
            % {
                "code": name,
                "service": service.name,
                "list": ", ".join(s.name for s in services),
            },
            code="wrong_service",
        )
    if discount.max_uses is not None and discount.times_used >= discount.max_uses:
        raise _used_up(discount)
    if email and discount.max_uses_per_email is not None:
        used = DiscountRedemption.objects.filter(
            code=discount, email=email_normalise(email)
        ).count()
        if used >= discount.max_uses_per_email:
            raise _used_by_email(discount)
    return discount


def _used_up(discount: DiscountCode) -> DiscountCodeInvalid:
    return DiscountCodeInvalid(
        _("The discount code %(code)s has been used as many times as it can be.")
        % {"code": discount.code},
        code="used_up",
    )


def _used_by_email(discount: DiscountCode) -> DiscountCodeInvalid:
    return DiscountCodeInvalid(
        _("The discount code %(code)s has already been used with this email address.")
        % {"code": discount.code},
        code="used_by_email",
    )


def booking_quote(*, service: Service, discount: DiscountCode | None) -> Quote:
    return quote_calculate(
        price=service.price, percent_off=discount.percent_off if discount else None
    )


def discount_redeem(*, discount: DiscountCode, appointment: Appointment, email: str) -> None:
    """Count one use of ``discount``, within its limits, or raise :class:`DiscountCodeInvalid`."""
    # The condition is evaluated against the latest committed row (PostgreSQL re-checks it
    # after waiting for a concurrent update), so max_uses holds however many book at once.
    used = (
        DiscountCode.objects.filter(pk=discount.pk, active=True)
        .filter(Q(max_uses__isnull=True) | Q(times_used__lt=F("max_uses")))
        .update(times_used=F("times_used") + 1)
    )
    if not used:
        discount.refresh_from_db(fields=["active", "times_used"])
        if not discount.active:
            raise DiscountCodeInvalid(
                _("The discount code %(code)s is no longer active.") % {"code": discount.code},
                code="inactive",
            )
        raise _used_up(discount)
    address = email_normalise(email)
    # The UPDATE above holds the code's row lock until commit, so no other booking with this
    # code is between its count and its insert.
    uses = DiscountRedemption.objects.filter(code=discount, email=address).aggregate(
        count=Count("pk"), last=Max("sequence")
    )
    if discount.max_uses_per_email is not None and uses["count"] >= discount.max_uses_per_email:
        raise _used_by_email(discount)
    try:
        with transaction.atomic():
            DiscountRedemption.objects.create(
                code=discount,
                appointment=appointment,
                email=address,
                sequence=(uses["last"] or 0) + 1,
            )
    except IntegrityError as exc:
        raise _used_by_email(discount) from exc


def discount_release(*, appointment: Appointment) -> None:
    """Give a cancelled appointment's discount use back, so the code can be used again."""
    redemption = DiscountRedemption.objects.filter(appointment=appointment).first()
    if redemption is not None:
        DiscountCode.objects.filter(pk=redemption.code_id, times_used__gt=0).update(
            times_used=F("times_used") - 1
        )
        redemption.delete()
