from decimal import Decimal

import pytest

from evalnb.numbers import NumberFormatError, parse_number


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
