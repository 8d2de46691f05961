"""Scores computed by hand, with the arithmetic written here, against the engine."""

import json
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalnb import data, scoring
from evalnb.ingest import ingest
from evalnb.rules import load_rulebook
from tests.conftest import SEED_SAMPLE

NATIONAL = load_rulebook("national-2020")
CHONGQING = load_rulebook("chongqing")  # reverse formula: linear


def indicator(**kw) -> pd.Series:
    base = dict(row=2, level1="产出指标", level2="数量指标", name="指标", nature="定量", direction="≥",
                target=100.0, actual=100.0, unit="个", weight=10.0, declared_score=float("nan"),
                actual_text=None, deviation_note=None)
    return pd.Series({**base, **kw})


def test_execution_rate_76_percent_scores_7_6():
    score, basis = scoring.execution_score(0.76, 10)
    assert score == 7.6                         # 76% × 10 = 7.6
    assert basis == "执行率 76.00%，7.6 = 76.00% × 10"


def test_execution_rate_of_the_seed():
    rate = 19837.71876 / 20094.62746           # = 0.98721...
    assert scoring.execution_score(rate, 10)[0] == 9.87
    assert scoring.execution_score(1.02, 10)[0] == 10   # capped at min(rate, 1)


def test_positive_indicator_met_and_missed():
    met = scoring.score_indicator(indicator(target=300, actual=336, unit="家", weight=2), NATIONAL)
    assert met.score == 2 and met.basis == "实际 336家 ≥ 目标 300家，得满分 2"
    missed = scoring.score_indicator(indicator(target=30000, actual=24500, weight=10), NATIONAL)
    assert missed.score == 8.17                 # 24500 / 30000 = 81.67% × 10 = 8.1667 → 8.17
    assert not missed.met


def test_reverse_indicator_both_formulas():
    met = scoring.score_indicator(indicator(direction="≤", target=20, actual=17, unit="位", weight=2), NATIONAL)
    assert met.score == 2 and met.basis == "实际 第17位 ≤ 目标 第20位，得满分 2"
    ratio = scoring.score_indicator(indicator(direction="≤", target=3.2, actual=3.5, weight=10), NATIONAL)
    assert ratio.score == 9.14                  # 3.2 / 3.5 × 10 = 9.142857 → 9.14
    linear = scoring.score_indicator(indicator(direction="≤", target=3.2, actual=3.5, weight=10), CHONGQING)
    assert linear.score == 9.06                 # (1 − 0.3 / 3.2) × 10 = 9.0625 → 9.06
    at_double = scoring.score_indicator(indicator(direction="≤", target=10, actual=20, weight=10), CHONGQING)
    assert at_double.score == 0                 # linear form is 0 at a ≥ 2t
    beyond = scoring.score_indicator(indicator(direction="≤", target=10, actual=25, weight=10), CHONGQING)
    assert beyond.score == 0


def test_equals_indicator_and_zero_target():
    exact = scoring.score_indicator(indicator(direction="=", target=100, actual=100, unit="%"), NATIONAL)
    assert exact.score == 10
    short = scoring.score_indicator(indicator(direction="=", target=100, actual=98, unit="%"), NATIONAL)
    assert short.score == 9.8                   # as 正向: 98 / 100 × 10
    zero_ok = scoring.score_indicator(indicator(direction="=", target=0, actual=0, unit="起"), NATIONAL)
    zero_bad = scoring.score_indicator(indicator(direction="=", target=0, actual=2, unit="起"), NATIONAL)
    assert (zero_ok.score, zero_bad.score) == (10, 0)


@pytest.mark.parametrize(("grade", "declared", "expected"), [
    ("达成年度指标", None, 10),                        # default 100% of 10
    ("达成年度指标", 8.5, 8.5),                         # inside 8–10: the evaluator's choice
    ("部分达成年度指标并具有一定效果", None, 7),          # default 70% of 10
    ("部分达成年度指标并具有一定效果", 9, 8),             # outside 6–8: held to the band's edge
    ("未达成年度指标且效果较差", 5, 5),
    ("未达成年度指标且效果较差", None, 3),
])
def test_qualitative_bands(grade, declared, expected):
    ind = indicator(nature="定性", direction=None, target=None, actual=None, unit=None, actual_text=grade,
                    declared_score=float("nan") if declared is None else declared)
    assert scoring.score_indicator(ind, NATIONAL).score == expected


@pytest.mark.parametrize(("total", "grade"), [
    (59.99, "差"), (60, "中"), (79.99, "中"), (80, "良"), (89.99, "良"), (90, "优"), (100, "优"), (0, "差")])
def test_grade_boundaries(total, grade):
    assert NATIONAL.grade(total) == grade


def test_chongqing_style_table_7_6_plus_90(make_workbook, content, db_url):
    """重庆: 执行率 76% → 7.6; indicators 90 free weights all met → 7.6 + 90 = 97.6."""
    content["基本信息"].append({"字段": "评分规则", "内容": "chongqing"})
    content["项目支出"] = [{"项目名称": "甲", "项目类别": "业务", "资金来源": "本级", "年初预算数（万元）": 100,
                        "全年预算数（万元）": 100, "全年执行数（万元）": 76}]
    content["绩效指标"] = [
        {"一级指标": "核心指标", "二级指标": "数量", "三级指标": f"指标{i}", "指标性质": "定量", "指标方向": "≥",
         "年度指标值": 10, "实际完成值": 10, "计量单位": "个", "分值": 30} for i in range(3)]
    ingest([make_workbook(content)], db_url)
    card = scoring.score(data.load("测试局", 2024, db_url))
    assert (card.execution_score, card.total, card.grade) == (7.6, 97.6, "优秀")


def test_weights_not_summing_to_100_are_rescaled(make_workbook, content, db_url):
    content["绩效指标"][0]["分值"] = 30            # indicators 30 + 30 + 10 = 70, +10 execution = 80
    ingest([make_workbook(content)], db_url)
    card = scoring.score(data.load("测试局", 2024, db_url))
    # execution 155/160 = 96.875% → 9.69; indicators 30 + 30 + 10 = 70; 79.69 / 80 × 100 = 99.6125 → 99.61
    assert card.max_points == 80 and card.total == 99.61
    assert "折算为百分制" in card.total_basis


def test_declared_scores_are_kept_beside_computed(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([SEED_SAMPLE], url)
    card = scoring.score(data.load("科学技术局", 2024, url))
    assert card.declared_total == 100 and card.total == 99.87          # 9.87 + 50 + 30 + 10
    assert all(i.declared_score == i.weight for i in card.indicators)
    assert card.subtotals == {"产出指标": {"weight": 50, "score": 50}, "效益指标": {"weight": 30, "score": 30},
                              "满意度指标": {"weight": 10, "score": 10}}


def test_score_command_json(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([SEED_SAMPLE], url)
    out = subprocess.run([sys.executable, "-m", "evalnb.cli", "score", "--dept", "科学技术局", "--year", "2024",
                          "--db", url, "--json"], capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    assert {"department", "year", "rules", "execution_rate", "execution_score", "total", "grade",
            "declared_total", "indicators"} <= set(result)
    assert (result["execution_score"], result["total"], result["grade"]) == (9.87, 99.87, "优")
    first = result["indicators"][0]
    assert {"level1", "level2", "name", "weight", "score", "declared_score", "basis"} <= set(first)
    sichuan = subprocess.run([sys.executable, "-m", "evalnb.cli", "score", "--dept", "科学技术局", "--year", "2024",
                              "--db", url, "--json", "--rules", "chongqing"], capture_output=True, text=True, check=True)
    assert json.loads(sichuan.stdout)["grade"] == "优秀"


finite = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(target=finite, actual=finite, weight=st.floats(min_value=0, max_value=100),
       direction=st.sampled_from(["≥", "≤", "="]), rules=st.sampled_from([NATIONAL, CHONGQING]))
def test_indicator_score_stays_within_its_weight(target, actual, weight, direction, rules):
    item = scoring.score_indicator(indicator(target=target, actual=actual, weight=weight, direction=direction), rules)
    assert 0 <= item.score <= round(weight, 2) + 1e-9


def department_year(rate: float, rows: list[pd.Series]) -> data.DepartmentYear:
    budget = pd.DataFrame([{"row": 2, "name": "甲", "category": "业务", "source": "本级", "initial": 100.0,
                            "budget": 100.0, "executed": 100.0 * rate, "note": None}])
    return data.DepartmentYear(
        department="测试局", year=2024, parent=None, rules="national-2020", nature="示例", declared_total=None,
        declared_grade=None, source_file="-", sha256="-", loaded_at=None, version="1", texts={}, budget=budget,
        indicators=pd.DataFrame(rows), team=pd.DataFrame())


@settings(max_examples=150, deadline=None)
@given(rate=st.floats(min_value=0, max_value=3), count=st.sampled_from([1, 2, 3, 5, 6, 9, 10, 15, 18]),
       values=st.lists(st.tuples(finite, finite, st.sampled_from(["≥", "≤", "="])), min_size=18, max_size=18))
def test_total_stays_within_0_and_100(rate, count, values):
    rows = [indicator(target=t, actual=a, direction=d, weight=90 / count, row=i, name=f"指标{i}")
            for i, (t, a, d) in enumerate(values[:count])]
    card = scoring.score(department_year(rate, rows), NATIONAL)
    assert card.max_points == 100
    assert 0 <= card.total <= 100
    assert card.grade == NATIONAL.grade(card.total)
