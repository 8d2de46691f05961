"""Exact arithmetic for money and scores: the typed decimal, half-up rounding, and how a basis prints it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def dec(value: object) -> Decimal:
    """The exact decimal of a stored value: the store keeps six decimals, so the float's shortest repr
    after rounding to six places is the number as typed (360.2, not 360.19999999999998863131622783839702606201171875)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(round(float(value), 6)))


def rounded(value: Decimal, digits: int) -> Decimal:
    """Half up at ``digits`` decimals: 9.005 → 9.01, 1.425 → 1.43 (exact: no float in between)."""
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def num(value: Decimal) -> str:
    """A decimal as a basis prints it: no exponent, no trailing zeros (10, 0.475, 2786.974)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def clamp(value: Decimal, weight: Decimal) -> Decimal:
    """Within [0, weight]."""
    return min(max(value, Decimal(0)), weight)
