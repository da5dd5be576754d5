from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookings.pricing import quote_calculate


@pytest.mark.parametrize(
    ("price", "percent", "discount", "total"),
    [
        ("60.00", "15", "9.00", "51.00"),
        ("45.00", "15", "6.75", "38.25"),
        ("33.33", "15", "5.00", "28.33"),  # 4.9995 rounds half-up to 5.00
        ("0.10", "5", "0.01", "0.09"),  # 0.005 rounds up, not to even
        ("60.00", "100", "60.00", "0.00"),
        ("60.00", None, "0.00", "60.00"),
    ],
)
def test_quote_rounds_half_up_to_the_penny(price, percent, discount, total):
    quote = quote_calculate(price=Decimal(price), percent_off=Decimal(percent) if percent else None)
    assert (quote.price, quote.discount, quote.total) == (
        Decimal(price),
        Decimal(discount),
        Decimal(total),
    )


@given(
    price=st.decimals(min_value=0, max_value=999999, places=2),
    percent=st.decimals(min_value=Decimal("0.01"), max_value=100, places=2),
)
def test_total_is_always_price_less_discount_and_never_negative(price, percent):
    quote = quote_calculate(price=price, percent_off=percent)
    assert quote.total == quote.price - quote.discount
    assert Decimal(0) <= quote.discount <= quote.price
    assert quote.discount.as_tuple().exponent == -2
