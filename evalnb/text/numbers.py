"""Parse numbers as people in China type them into Excel.

Accepted: plain numbers, thousands separators (``20,094.63``), full-width characters (``２０``,
``９８．７２％``), a trailing percent sign and a trailing unit that matches the column's unit
(``336家`` where the unit is 家). Anything else raises :class:`NumberFormatError` with a message
saying what was expected, and so does a number the store could not keep exactly: NaN or infinity,
a magnitude beyond :attr:`Limits.value`, or more than :attr:`Limits.decimals` significant decimals
(never rounded away silently).
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from evalnb import limits as _limits

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
EXPECTED = "应为数字，如 20094.63、20,094.63、２０、98.72%，或带计量单位的数值如 336家"
# Excel keeps 15 significant digits; a float cell's 16th-17th digits are binary noise (0.1 + 0.2).
EXCEL_DIGITS = 15


class NumberFormatError(ValueError):
    """A cell that should hold a number holds something else."""


class NumberTooLarge(NumberFormatError):
    """A number whose magnitude is beyond ``Limits.value``."""


def normalize_text(value: object) -> str:
    """Full-width to half-width (NFKC), trimmed; ``None`` becomes ``""``."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def shown(number: Decimal | float | int) -> str:
    """A limit or value for a message: ``1e15`` for powers of ten from a million up, else plain (``0.93``)."""
    number = Decimal(str(number))
    if abs(number) >= 10**6 and number.normalize().as_tuple().digits == (1,):
        return f"{'-' if number < 0 else ''}1e{number.adjusted()}"
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimal_places(number: Decimal) -> int:
    """Significant decimals of an exact Decimal (trailing zeros do not count), without context rounding."""
    _, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or not any(digits):
        return 0
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + zeros))


def parse_number(value: object, unit: str | None = None, percent_format: bool = False,
                 limits: _limits.Limits | None = None) -> Decimal:
    """Return the number a cell holds, in the column's unit.

    ``unit`` is the indicator's 计量单位 where there is one: a suffix equal to it is dropped, and for
    unit ``%`` a value typed as ``98.72%`` (or a numeric cell formatted as a percentage in Excel,
    ``percent_format``) means 98.72. Without a ``%`` unit, ``98.72%`` means 0.9872.
    """
    limits = limits or _limits.current()
    if isinstance(value, bool):
        raise NumberFormatError(EXPECTED)
    unit_text = normalize_text(unit)
    shift = 0                                   # the power of ten the typed number is scaled by
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberFormatError("应为有限的数字，不能是 NaN 或无穷大")
        number = Decimal(format(value, f".{EXCEL_DIGITS}g"))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        text = normalize_text(value).replace(" ", "")
        if unit_text and unit_text != "%" and text.endswith(unit_text):
            text = text[: -len(unit_text)]
        if text.endswith("%"):
            text = text[:-1]
            shift = 0 if unit_text == "%" else -2
        if not text or not _NUMBER.match(text) or text in {"+", "-", "."}:
            raise NumberFormatError(EXPECTED if not unit_text else f"{EXPECTED}（本行计量单位为 {unit_text}）")
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid literals
            raise NumberFormatError(EXPECTED) from exc
    if isinstance(value, int | float | Decimal) and percent_format and unit_text == "%":
        shift = 2
    return _checked(number, shift, limits)


def _checked(number: Decimal, shift: int, limits: _limits.Limits) -> Decimal:
    """``number`` × 10^shift, refused unless finite, within ``limits.value`` and ``limits.decimals``.

    Checked on the exact literal before any arithmetic, so a 30-digit literal is refused rather than
    rounded to the 28 digits of the default decimal context.
    """
    if not number.is_finite():
        raise NumberFormatError("应为有限的数字，不能是 NaN 或无穷大")
    if abs(number) >= limits.value.scaleb(-shift):
        raise NumberTooLarge(f"数值超出范围：绝对值应小于 {shown(limits.value)}")
    places = max(0, decimal_places(number) - shift)
    if places > limits.decimals:
        raise NumberFormatError(f"小数位数过多：最多 {limits.decimals} 位小数（此值有 {places} 位），请四舍五入后再填写")
    return number.scaleb(shift).quantize(Decimal(1).scaleb(-places))
