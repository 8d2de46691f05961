"""Number formatting of report text (domain-rules §7)."""

from evalnb.fmt import change, measure, money, percent, share, wan, yi_from_wan


def test_money_in_text():
    assert wan(20094.62746) == "20094.63万元"
    assert wan(282796.9, sep=True) == "282,796.90万元"
    assert yi_from_wan(667100) == "66.71亿元"
    assert money(667100) == "66.71亿元" and money(19837.71876) == "19837.72万元"
    assert wan(0.005) == "0.01万元"                 # half up, not banker's rounding


def test_percentages_and_shares():
    assert percent(19837.71876 / 20094.62746) == "98.72%"
    assert share(1881, 13436) == "14%"              # 13.9997% → 14.00 → trailing zeros dropped
    assert share(898, 4157) == "21.6%"
    assert share(66.71, 271.4) == "24.58%"
    assert share(336, 1244) == "27.01%"             # the seed's "27%" was rounded to a whole percent


def test_ranks_read_as_places_and_move_the_right_way():
    assert measure(17, "位") == "第17位" and measure(336, "家") == "336家"
    assert change(17, 19, "位") == "较上年上升2位"       # 19th → 17th is better
    assert change(5, 3, "名") == "较上年下降2名"
    assert change(110, 100, "家") == "同比增长10.00%"     # (110 − 100) / 100
    assert change(90, 100, "家") == "同比下降10.00%"
    assert change(100, 100, "家") == "与上年持平"
