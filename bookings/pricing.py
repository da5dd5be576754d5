"""Price arithmetic in Decimal, rounded half-up to the penny (how a patient checks a bill)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Quote:
    """What a patient pays: ``total`` is always ``price - discount``."""

    price: Decimal
    discount: Decimal
    total: Decimal


def quote_calculate(*, price: Decimal, percent_off: Decimal | None = None) -> Quote:
    """Price less ``percent_off`` percent; the discount is rounded, the total follows from it."""
    price = money(price)
    discount = money(price * percent_off / 100) if percent_off else money(0)
    discount = min(discount, price)
    return Quote(price=price, discount=discount, total=price - discount)
