"""Parse numbers as people in China type them into Excel.

Accepted: plain numbers, thousands separators (``20,094.63``), full-width characters (``２０``,
``９８．７２％``), a trailing percent sign and a trailing unit that matches the column's unit
(``336家`` where the unit is 家). Anything else raises :class:`NumberFormatError` with a message
saying what was expected.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
EXPECTED = "应为数字，如 20094.63、20,094.63、２０、98.72%，或带计量单位的数值如 336家"


class NumberFormatError(ValueError):
    """A cell that should hold a number holds something else."""


def normalize_text(value: object) -> str:
    """Full-width to half-width (NFKC), trimmed; ``None`` becomes ``""``."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_number(value: object, unit: str | None = None, percent_format: bool = False) -> Decimal:
    """Return the number a cell holds, in the column's unit.

    ``unit`` is the indicator's 计量单位 where there is one: a suffix equal to it is dropped, and for
    unit ``%`` a value typed as ``98.72%`` (or a numeric cell formatted as a percentage in Excel,
    ``percent_format``) means 98.72. Without a ``%`` unit, ``98.72%`` means 0.9872.
    """
    if isinstance(value, bool):
        raise NumberFormatError(EXPECTED)
    unit_text = normalize_text(unit)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        return number * 100 if percent_format and unit_text == "%" else number
    text = normalize_text(value).replace(" ", "")
    if unit_text and unit_text != "%" and text.endswith(unit_text):
        text = text[: -len(unit_text)]
    scale = Decimal(1)
    if text.endswith("%"):
        text = text[:-1]
        scale = Decimal(1) if unit_text == "%" else Decimal("0.01")
    if not text or not _NUMBER.match(text) or text in {"+", "-", "."}:
        raise NumberFormatError(EXPECTED if not unit_text else f"{EXPECTED}（本行计量单位为 {unit_text}）")
    try:
        return Decimal(text.replace(",", "")) * scale
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid literals
        raise NumberFormatError(EXPECTED) from exc
