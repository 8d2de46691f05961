"""Number formatting of report text (domain-rules §7); the policy itself is in evalnb/fmt.py's docstring."""

import pytest

from evalnb.text.fmt import (
    change,
    counted,
    fixed,
    measure,
    money,
    pct,
    percent,
    points,
    rate_change,
    share,
    wan,
    yi_from_wan,
    yoy,
)


def test_money_in_text():
    assert wan(20094.62746) == "20094.63万元"
    assert wan(282796.9, sep=True) == "282,796.90万元"
    assert yi_from_wan(667100) == "66.71亿元"
    assert money(667100) == "66.71亿元" and money(19837.71876) == "19837.72万元"
    assert wan(0.005) == "0.01万元"                 # half up, not banker's rounding
    assert wan(-0.001) == "0.00万元" and fixed(-0.004, 2) == "0.00"     # no "-0.00"


def test_percentages_and_shares():
    assert percent(19837.71876 / 20094.62746) == "98.72%"
    assert share(1881, 13436) == "14%"              # 13.9997% → 14.00 → trailing zeros dropped
    assert share(898, 4157) == "21.6%"
    assert share(66.71, 271.4) == "24.58%"
    assert share(336, 1244) == "27.01%"             # the seed's "27%" was rounded to a whole percent


def test_prose_percentages_drop_trailing_zeros_table_cells_keep_two_decimals():
    assert pct(0.1) == "10%" and pct(0.9872) == "98.72%" and pct(0.216) == "21.6%" and pct(1) == "100%"
    assert percent(0.1) == "10.00%" and percent(1) == "100.00%"     # table cells: one form per column
    assert pct(-0.00001) == "0%"


def test_ranks_read_as_places_and_move_the_right_way():
    assert measure(17, "位") == "第17位" and measure(336, "家") == "336家"
    assert change(17, 19, "位") == "较上年上升2位"       # 19th → 17th is better
    assert change(5, 3, "名") == "较上年下降2名"


def test_quantities_change_on_the_prior_year_base():
    assert change(110, 100, "家") == "同比增长10%"     # (110 − 100) / 100, trailing zeros dropped
    assert change(90, 100, "家") == "同比下降10%"
    assert change(100, 100, "家") == "与上年持平"
    assert yoy(2786.974, 2516.3) == "同比增长10.76%"
    assert yoy(5, 0) == "" and change(5, None, "家") == ""


def test_rates_change_in_percentage_points_not_percent():
    assert change(98, 97, "%") == "较上年提高1个百分点"        # not "同比增长1.03%"
    assert change(95.6, 94.2, "%") == "较上年提高1.4个百分点"  # 1.3999999999999915 as floats
    assert change(99, 99.5, "%") == "较上年降低0.5个百分点"
    assert change(100, 100, "%") == "与上年持平"
    assert points(98.72, 96.81) == "提高1.91个百分点" and points(90.62, 96.19) == "降低5.57个百分点"
    assert rate_change(19837.71876 / 20094.62746, 0.968128) == "由96.81%提高到98.72%，提高1.91个百分点"
    assert rate_change(0.9062, 0.9619) == "由96.19%降低到90.62%，降低5.57个百分点"
    assert rate_change(0.98721, 0.98719) == "与上年持平，为98.72%"


def test_the_difference_is_between_the_rates_as_shown():
    """98.724% − 96.806% = 1.918, but the text shows 98.72% and 96.81%: the reader's 1.91 is what it says."""
    assert rate_change(0.98724, 0.96806) == "由96.81%提高到98.72%，提高1.91个百分点"


@pytest.mark.parametrize(("name", "unit", "said"), [
    ("认定高新技术企业数量", "家", "认定高新技术企业"),       # the seed: "认定高新技术企业336家"
    ("银企对接活动场次", "场", "银企对接活动"),
    ("获市级引进国外智力项目立项数量", "项", "获市级引进国外智力项目立项"),
    ("争取科技项目专项资金", "万元", "争取科技项目专项资金"),
    ("科技扶持资金拨付及时率", "%", "科技扶持资金拨付及时率"),
    ("企业数量", "亿元", "企业数量"),                           # not a counted value: the name stays whole
    ("数量", "家", "数量"),
])
def test_a_counted_value_drops_the_names_own_count_word(name, unit, said):
    assert counted(name, unit) == said
