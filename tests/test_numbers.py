from decimal import Decimal

import pytest

from evalnb.review.checks import _matches
from evalnb.text.numbers import NumberFormatError, parse_number


@pytest.mark.parametrize(("typed", "unit", "expected"), [
    ("20,094.63", None, "20094.63"),
    ("２０", None, "20"),
    ("９８．７２％", "%", "98.72"),
    ("98.72%", "%", "98.72"),
    ("98.72%", None, "0.9872"),
    ("336家", "家", "336"),
    ("66.71亿元", "亿元", "66.71"),
    (" 1,234,567 ", None, "1234567"),
    ("-3.5", None, "-3.5"),
    (17, "位", "17"),
    (2786.974, "万元", "2786.974"),
])
def test_accepts_numbers_as_typed_in_china(typed, unit, expected):
    assert parse_number(typed, unit) == Decimal(expected)


def test_percent_formatted_cell_means_points_when_unit_is_percent():
    # Excel stores 98% as 0.98 in a cell formatted 0%; the indicator's unit is %.
    assert parse_number(0.98, "%", percent_format=True) == Decimal("98")
    assert parse_number(0.98, "万元", percent_format=True) == Decimal("0.98")


@pytest.mark.parametrize(("typed", "unit"), [
    ("abc", None), ("336个", "家"), ("12,34", None), ("1.2.3", None), ("", None), ("%", "%"),
    ("约300", "家"), (True, None), ("3 3 6家x", "家"),
])
def test_rejects_anything_else(typed, unit):
    with pytest.raises(NumberFormatError) as exc:
        parse_number(typed, unit)
    assert "应为数字" in str(exc.value)


@pytest.mark.parametrize(("typed", "unit", "fragment"), [
    (float("nan"), None, "NaN"), (float("inf"), None, "无穷大"), (float("-inf"), "%", "无穷大"),
    (1e15, None, "绝对值应小于 1e15"), (-1e15, None, "绝对值应小于 1e15"), (10**30, None, "1e15"), ("9" * 400, None, "1e15"),
    ("0.1234567890123456789012345", None, "此值有 25 位"), ("1.0000000000000000000000000001", None, "此值有 28 位"),
    (1 / 3, None, "最多 6 位小数"), (1e-7, None, "此值有 7 位"), ("12.345678%", None, "此值有 8 位"),
])
def test_refuses_numbers_the_store_cannot_keep_exactly(typed, unit, fragment):
    with pytest.raises(NumberFormatError) as exc:
        parse_number(typed, unit)
    assert fragment in str(exc.value)


@pytest.mark.parametrize(("typed", "unit", "percent", "expected"), [
    (0.1 + 0.2, None, False, "0.3"),                      # binary noise beyond Excel's 15 digits
    (85.50000000000001, None, False, "85.5"),
    ("1.50000000000000000000000000000", None, False, "1.5"),   # extra digits that are zeros lose nothing
    ("999,999,999,999,999.999999", None, False, "999999999999999.999999"),
    (0.9872, "%", True, "98.72"),
    ("12.3456%", None, False, "0.123456"),
    (123456.123456, None, False, "123456.123456"),
])
def test_keeps_numbers_within_limits_exactly(typed, unit, percent, expected):
    assert parse_number(typed, unit, percent_format=percent) == Decimal(expected)


def test_limits_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("EVALNB_MAX_DECIMALS", "2")
    monkeypatch.setenv("EVALNB_MAX_VALUE", "1000")
    assert parse_number("1.25") == Decimal("1.25")
    for typed in ("1.255", "1000"):
        with pytest.raises(NumberFormatError):
            parse_number(typed)


@pytest.mark.parametrize("typed", ["1" * 30, "0." + "1" * 30, "3." + "1415926535" * 3, "9" * 400, "0." + "0" * 5000 + "1"])
def test_numbers_typed_in_paragraphs_never_raise(typed):
    """A paragraph may hold a number of any length; comparing it with the data must not raise InvalidOperation."""
    assert _matches(typed, [1.5, 20094.63, 1e23, 2024.0]) is False
    assert _matches("20094.63", [20094.634]) and _matches("2024", [2024.0])
