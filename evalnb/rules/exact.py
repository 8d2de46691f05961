"""Exact arithmetic for money and scores: the typed decimal, half-up rounding, and how a basis prints it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from evalnb.text.fmt import exact as num  # noqa: F401  (a decimal as a basis prints it; the bases' `num` filter)


def dec(value: object) -> Decimal:
    """The exact decimal of a stored value: the store keeps six decimals, so the float's shortest repr
    after rounding to six places is the number as typed (360.2, not 360.19999999999998863131622783839702606201171875)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(round(float(value), 6)))


def rounded(value: Decimal, digits: int) -> Decimal:
    """Half up at ``digits`` decimals: 9.005 → 9.01, 1.425 → 1.43 (exact: no float in between)."""
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def clamp(value: Decimal, weight: Decimal) -> Decimal:
    """Within [0, weight]."""
    return min(max(value, Decimal(0)), weight)


def places(value: Decimal) -> int:
    """The decimals a value carries (19837.71876 → 5, 336 → 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def fewest(values: Sequence[Decimal], holds: Callable[..., bool], least: int = 2) -> tuple[Decimal, ...]:
    """``values`` at the fewest decimals (``least`` at the least, as the report shows amounts) for which
    ``holds(*shown)`` is still true; the exact values when no fewer decimals do."""
    for digits in range(least, max(map(places, values), default=0)):
        shown = tuple(rounded(v, digits) for v in values)
        try:
            if holds(*shown):
                return shown
        except ArithmeticError:          # an amount that rounds to 0 under a ÷
            continue
    return tuple(values)


def recomputing(values: Sequence[Decimal], gives: Callable[..., Decimal], score: Decimal,
                digits: int) -> tuple[Decimal, ...]:
    """Amounts as a basis prints them: at two decimals when ``gives`` over the printed amounts, rounded half
    up at ``digits``, is still ``score``, else at the fewest decimals that are (19837.72 ÷ 20094.63 × 10
    gives 9.87 as 19837.71876 ÷ 20094.62746 × 10 does)."""
    return fewest(values, lambda *shown: rounded(gives(*shown), digits) == score)
