"""Scores computed by hand, with the arithmetic written here, against the engine."""

import ast
import json
import operator
import re
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalnb.errors import RulebookError, WorkbookError
from evalnb.intake.ingest import ingest
from evalnb.rules import load_rulebook, scoring
from evalnb.store import data
from tests.helpers import SEED_SAMPLE

NATIONAL = load_rulebook("national-2020")
CHONGQING = load_rulebook("chongqing-dept")  # reverse formula: linear


def indicator(**kw) -> pd.Series:
    base = dict(row=2, level1="产出指标", level2="数量指标", name="指标", nature="定量", direction="≥",
                target=100.0, actual=100.0, unit="个", weight=10.0, declared_score=float("nan"),
                actual_text=None, deviation_note=None)
    return pd.Series({**base, **kw})


def test_execution_rate_76_percent_scores_7_6():
    score, basis = scoring.execution_score(76, 100, 10)
    assert score == 7.6                         # 76 ÷ 100 × 10 = 7.6
    assert basis == "执行率 76.00%，7.6 = 76 ÷ 100 × 10"


def test_execution_rate_of_the_seed():
    assert scoring.execution_score(19837.71876, 20094.62746, 10)[0] == 9.87      # 0.98721… × 10
    assert scoring.execution_score(102, 100, 10)[0] == 10   # capped at min(rate, 1)


def test_half_up_on_the_exact_value_not_on_a_float():
    """Issue: 执行 360.2 of 400 is exactly 90.05% × 10 = 9.005 → 9.01 (a float gives 9.00499… → 9);
    ≥ 4 with actual 1.9 and weight 3 is exactly 1.425 → 1.43."""
    score, basis = scoring.execution_score(360.2, 400, 10)
    assert score == 9.01 and basis.endswith("9.01 = 360.2 ÷ 400 × 10")
    missed = scoring.score_indicator(indicator(target=4, actual=1.9, weight=3), NATIONAL)
    assert missed.score == 1.43 and missed.basis.endswith("1.43 = 1.9 ÷ 4 × 3")


def test_a_reverse_indicator_with_a_negative_target_reads_and_scores_sensibly():
    """Issue: “三公经费”变动率 ≤ −5%, actual −4.9%: not "0 = -5% ÷ -4.9% × 50" (which equals 51.02), and a
    0.1-point miss does not cost all 50 points: (1 − (−4.9 − (−5)) ÷ 5) × 50 = 0.98 × 50 = 49."""
    item = scoring.score_indicator(indicator(direction="≤", target=-5, actual=-4.9, unit="%", weight=50), NATIONAL)
    assert item.score == 49 and item.basis.endswith("49 = (1 − (-4.9 − (-5)) ÷ 5) × 50")
    assert not item.met


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
    ("部分达成年度指标并具有一定效果", 9, 8),             # above 6–8: lowered to the band's edge 8, as forms print it
    ("达成年度指标", 7, 7),                             # below 8–10: kept as declared, never raised
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


def test_weights_that_do_not_add_up_are_refused_not_rescaled(make_workbook, content, db_url):
    """Issue 10: a wrong table must not score 100 by a silent rescale; intake names the rows and the sum."""
    content["绩效指标"][0]["分值"] = 30            # 产出指标 30 where the rulebook asks 50
    with pytest.raises(WorkbookError) as exc:
        ingest([make_workbook(content)], db_url)
    message = str(exc.value)
    assert "列“分值”" in message and "分值合计 30" in message and "要求 50" in message


def test_data_that_does_not_fit_the_rulebook_is_not_scored_under_it(db_url):
    """Data stored before rulebook v2 (or scored with --rules under another rulebook) whose weights do not add up
    is refused with the misfits named, never rescaled."""
    rows = [indicator(weight=30.0, row=2, name="甲"), indicator(level1="效益指标", weight=30.0, row=3, name="乙"),
            indicator(level1="满意度指标", weight=10.0, row=4, name="丙")]
    with pytest.raises(RulebookError) as exc:
        scoring.score(department_year(1.0, rows), NATIONAL)
    assert "第2行" in str(exc.value) and "分值合计 30" in str(exc.value) and "要求 50" in str(exc.value)


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
@given(rate=st.floats(min_value=0, max_value=3), count=st.sampled_from([1, 2, 4, 5, 8, 10, 16]),
       values=st.lists(st.tuples(finite, finite, st.sampled_from(["≥", "≤", "="])), min_size=18, max_size=18))
def test_total_stays_within_0_and_100(rate, count, values):
    """产出 50 shared by ``count`` indicators (exact shares), 效益 30 and 满意度 10 one each."""
    places = [("产出指标", 50 / count)] * count + [("效益指标", 30.0), ("满意度指标", 10.0)]
    rows = [indicator(level1=level1, target=t, actual=a, direction=d, weight=w, row=i + 2, name=f"指标{i}")
            for i, ((level1, w), (t, a, d)) in enumerate(zip(places, values, strict=False))]
    card = scoring.score(department_year(rate, rows), NATIONAL)
    assert card.max_points == 100
    assert 0 <= card.total <= 100
    assert card.grade == NATIONAL.grade(card.total)


BASIS = re.compile(r"(-?[\d.]+) = ([-\d.() ÷×−]+)$")


def evaluate(expression: str) -> Decimal:
    """The arithmetic of a printed basis, in Decimal: numbers, ( ), ÷, ×, − only."""
    tree = ast.parse(expression.replace("÷", "/").replace("×", "*").replace("−", "-"), mode="eval")

    def value(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return value(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.BinOp):
            ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
            return ops[type(node.op)](value(node.left), value(node.right))
        raise AssertionError(f"not arithmetic: {ast.dump(node)}")

    return value(tree)


typed = st.decimals(min_value=-1000, max_value=100000, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=10000, deadline=None)
@given(target=typed, actual=typed, weight=st.decimals(min_value=0, max_value=100, places=2),
       direction=st.sampled_from(["≥", "≤", "="]), rules=st.sampled_from([NATIONAL, CHONGQING]))
def test_every_printed_basis_recomputes_to_the_printed_score(target, actual, weight, direction, rules):
    item = scoring.score_indicator(indicator(target=float(target), actual=float(actual), weight=float(weight),
                                             direction=direction), rules)
    found = BASIS.search(item.basis)
    if found is None:                     # full marks or none, said in words
        assert item.score in (float(scoring.rounded(weight, 2)), 0.0) and ("满分" in item.basis or "0 分" in item.basis)
        return
    printed, expression = Decimal(found[1]), found[2]
    assert scoring.rounded(evaluate(expression), rules.rounding) == printed == Decimal(str(item.score)), item.basis


def test_an_exact_half_is_rounded_up_even_after_a_division():
    """31 ÷ 120 × 3 = 0.775 exactly: dividing first gives 0.7749999…(28 digits) → 0.77; the engine gives 0.78."""
    item = scoring.score_indicator(indicator(target=120, actual=31, weight=3), NATIONAL)
    assert item.score == 0.78 and item.basis.endswith("0.78 = 31 ÷ 120 × 3")
    assert scoring.score_indicator(indicator(direction="≤", target=31, actual=120, weight=3), NATIONAL).score == 0.78


def test_declared_qualitative_scores_are_shown_as_counted_and_treated_above_their_band_as_the_rulebook_says():
    """Issue 23, item 8: a 定性 score above its band was lowered to "本档次可得的最高分" 7.99 (19.99 of 20), a figure
    no form prints. Now the rulebook says: ``above_band: edge`` (the shipped default) counts the band's upper edge
    as printed — 80% × 10 = 8, 80% × 3.333 = 2.6664 → 2.67 at two decimals; ``keep`` keeps the declared score.
    Either way the review memo flags it."""
    def qualitative(grade, declared, weight=10.0, book=NATIONAL):
        return scoring.score_indicator(indicator(nature="定性", direction=None, target=None, actual=None, unit=None,
                                                 actual_text=grade, declared_score=declared, weight=weight), book)

    odd = qualitative("达成年度指标", 9.125)
    assert odd.score == 9.13 and "按 2 位小数计 9.13" in odd.basis
    assert NATIONAL.qualitative.above_band == "edge"
    edge = qualitative("部分达成年度指标并具有一定效果", 19, weight=20)
    assert edge.score == 16 and "19.99" not in edge.basis and edge.basis.endswith("计 16")
    assert qualitative("部分达成年度指标并具有一定效果", 8).score == 8
    assert qualitative("部分达成年度指标并具有一定效果", 3, weight=3.333).score == 2.67
    from evalnb.rules import Rulebook
    keeping = Rulebook("keep", NATIONAL.path, "-", NATIONAL.spec.model_copy(
        update={"qualitative": NATIONAL.qualitative.model_copy(update={"above_band": "keep"})}))
    kept = qualitative("部分达成年度指标并具有一定效果", 19, weight=20, book=keeping)
    assert kept.score == 19 and "超出本档次" in kept.basis and "按自评计" in kept.basis


def test_an_overshot_equal_target_basis_says_equal_not_at_least():
    """Issue 23, item 8: an "=" target overshot printed "实际 105% ≥ 目标 100%"; the target is an "=" one."""
    over = scoring.score_indicator(indicator(direction="=", target=100.0, actual=105.0, unit="%"), NATIONAL)
    assert over.score == 10 and "≥" not in over.basis and "超出等于目标 100%" in over.basis
    exact = scoring.score_indicator(indicator(direction="=", target=100.0, actual=100.0, unit="%"), NATIONAL)
    assert "实际 100% = 目标 100%" in exact.basis


def test_a_negative_target_has_no_completion_ratio():
    item = scoring.score_indicator(indicator(direction="≤", target=-5, actual=3, unit="%", weight=10), NATIONAL)
    assert item.achievement is None and item.score == 0 and not item.met


def with_quantitative(**options) -> "load_rulebook":
    """national-2020 with other 定量 options (a region's variant), as a loaded Rulebook."""
    from evalnb.rules import Rulebook

    spec = NATIONAL.spec.model_copy(update={"quantitative": NATIONAL.quantitative.model_copy(update=options)})
    return Rulebook("variant", NATIONAL.path, "-", spec)


@settings(max_examples=500, deadline=None)
@given(a=st.decimals(min_value=Decimal("1.3"), max_value=10, places=3), b=st.decimals(min_value=0, max_value=5, places=3))
def test_the_over_achievement_penalty_is_monotone_and_never_below_a_miss(a, b):
    """Issue 10: 200% of target gave 1.5/5, less than a 60% miss. The deviation penalty now falls as the
    overshoot grows and stops at the 达成 band's floor (80% of the weight), above any score of a miss below 80%."""
    rules = with_quantitative(over_penalty="deviation")
    def points(ratio):
        return scoring.score_indicator(indicator(target=100.0, actual=float(ratio * 100), weight=5.0), rules).score
    assert points(a) >= points(a + b)                       # more overshoot never scores more
    assert points(a + b) >= 4.0 > points(Decimal("0.6"))     # floor 0.8 × 5 = 4; a 60% miss earns 3
    assert points(2) == 4.0                                  # the case: 200% of target


def test_an_equal_target_within_tolerance_is_met_and_an_overshoot_can_count_as_a_miss():
    lenient = with_quantitative(equal_tolerance=Decimal("0.05"))
    near = scoring.score_indicator(indicator(direction="=", target=100.0, actual=96.0), lenient)
    assert near.score == 10 and near.met and "容差" in near.basis
    strict = with_quantitative(equal_overshoot="miss")
    over = scoring.score_indicator(indicator(direction="=", target=100.0, actual=130.0), strict)
    assert over.score == 7.69 and not over.met and over.basis.endswith("7.69 = 100 ÷ 130 × 10")   # 1000 ÷ 130 = 7.692…
    assert scoring.score_indicator(indicator(direction="=", target=100.0, actual=130.0), NATIONAL).score == 10


def test_sichuan_units_set_their_own_90_points_without_a_satisfaction_row(make_workbook, content, db_url):
    """四川 项目: the form fixes 绩效指标 at 90 and nothing below it; without a 满意度 indicator the unit gives
    产出 60 (or any split) itself, and nothing is moved or rescaled. 50 + 30 is refused: it adds up to 80."""
    content["基本信息"].append({"字段": "评分规则", "内容": "sichuan-project"})
    content["绩效指标"] = content["绩效指标"][:2]
    content["绩效指标"][0]["分值"] = 50
    with pytest.raises(WorkbookError, match="要求 90"):
        ingest([make_workbook(content)], db_url)
    content["绩效指标"][0]["分值"] = 60
    ingest([make_workbook(content)], db_url)
    card = scoring.score(data.load("测试局", 2024, db_url))
    assert card.max_points == 100 and card.subtotals["产出指标"]["weight"] == 60
    assert card.notes == [] and "满意度指标" not in card.subtotals


def test_a_row_marked_not_applicable_is_left_out_and_the_total_rescaled(make_workbook, content, db_url):
    """national-2020: a 不适用 indicator drops out and the rest is rescaled to 100 — the one case a rescale is the
    rule (domain rules §3). Execution 155/160 → 9.69; 培训人次 50 met; 满意度 10 met; 服务水平 (30) 不适用:
    (9.69 + 50 + 10) ÷ 70 × 100 = 99.557… → 99.56."""
    content["绩效指标"][1]["实际完成值"] = "不适用"
    ingest([make_workbook(content)], db_url)
    card = scoring.score(data.load("测试局", 2024, db_url))
    na = next(i for i in card.indicators if i.name == "服务水平")
    assert not na.applicable and na.score == 0 and "不适用" in na.basis
    assert (card.max_points, card.total) == (100, 99.56)
    assert card.total_basis.endswith("99.56 = 69.69 ÷ 70 × 100")


@settings(max_examples=3000, deadline=None)
@given(value=st.decimals(min_value=-50, max_value=400, places=4), weight=st.decimals(min_value=1, max_value=20, places=1),
       points=st.decimals(min_value=Decimal("0.1"), max_value=3, places=1), per=st.sampled_from([1, 2, 5]),
       side=st.sampled_from(["above", "below"]), whole=st.booleans(), counts=st.lists(st.integers(1, 9), max_size=3))
def test_measure_and_deduction_bases_recompute_to_their_scores(value, weight, points, per, side, whole, counts):
    """The per-point, linear and deduction methods print "S = expression" that re-computes exactly."""
    from evalnb.rules.methods import Inputs, deduction, measured
    from evalnb.rules.model import DeductionLeaf, MeasureLeaf, PerPoint
    from evalnb.store.measures import Measure

    found = {name: Measure(name, "a ÷ b × 100%", value, (("a", value, "人"), ("b", Decimal(100), "人")))
             for name in ("在职人员控制率", "政府采购执行率")}
    leaves = [MeasureLeaf(name="m", weight=weight, method="measure", measure="在职人员控制率", scale="per_point",
                          per_point=PerPoint(limit=Decimal(100), side=side, per=Decimal(per), points=points, whole=whole)),
              MeasureLeaf(name="m", weight=weight, method="measure", measure="政府采购执行率")]
    results = [measured(leaf, Inputs(weight, 2, measures=found)) for leaf in leaves]
    item = DeductionLeaf(name="d", weight=weight, method="deduction",
                         items=[{"name": "问题", "points": points, "per": "次"}])
    results.append(deduction(item, Inputs(weight, 2, deductions=[{"item": "问题", "count": c, "reason": "r"}
                                                                  for c in counts])))
    for result in results:
        assert 0 <= result.score <= weight
        found_basis = BASIS.search(result.basis)
        if found_basis is None:
            assert result.score in (weight, 0) and ("满分" in result.basis or "0 分" in result.basis), result.basis
            continue
        printed = Decimal(found_basis[1])
        assert scoring.rounded(evaluate(found_basis[2]), 2) == printed == result.score, result.basis


def test_measure_variants_the_rulebook_chooses_gross_control_and_execution_with_carry_over(make_workbook, content,
                                                                                          db_url):
    """Issue 23, item 6. A department adds 10 to one line and cuts 10 from another: the net 预算调整率 is 0% and lands
    in dept-53's "=0" band (3 of 3), where 湖南's gross 预算控制率 (本年追加 ÷ 年初) is 10 ÷ 150 = 6.67% and lands in
    "0–10%" (2). And a 决算 that spends 上年结转 prints 100.38% with full marks under 10号's rate; with 上年结转 in
    the base (含结转预算执行率) it is 150.57 ÷ (150 + 10) = 94.11% → 9.41 of 10. Each rulebook names the one it uses."""
    from evalnb.rules.methods import Inputs, measured
    from evalnb.rules.model import MeasureLeaf, Step
    from evalnb.store import measures

    content["项目支出"][0].update({"年初预算数（万元）": 100, "全年预算数（万元）": 90, "全年执行数（万元）": 90.57})
    content["项目支出"][1].update({"年初预算数（万元）": 50, "全年预算数（万元）": 60, "全年执行数（万元）": 60})
    content["收支总表"] = [{"科目": "上年结转", "决算数（万元）": 10}]
    ingest([make_workbook(content)], db_url)
    found = measures.compute(data.load("测试局", 2024, db_url))
    assert found["预算调整率"].value == 0 and round(found["预算控制率"].value, 2) == Decimal("6.67")
    steps = (Step(max=Decimal(0), points=Decimal(3)), Step(above=Decimal(0), max=Decimal(10), points=Decimal(2)),
             Step(above=Decimal(10), points=Decimal(0)))
    for name, points in (("预算调整率", 3), ("预算控制率", 2)):
        leaf = MeasureLeaf(name=name, weight=Decimal(3), method="measure", measure=name, scale="steps", steps=steps)
        assert measured(leaf, Inputs(leaf.weight, 2, measures=found)).score == points
    assert round(found["预算执行率"].value, 2) == Decimal("100.38")
    leaf = MeasureLeaf(name="预算执行率", weight=Decimal(10), method="measure", measure="含结转预算执行率")
    with_carry = measured(leaf, Inputs(leaf.weight, 2, measures=found))
    assert with_carry.score == Decimal("9.41") and "150.57 ÷ 160 × 10" in with_carry.basis


def test_summary_ranks_within_one_rulebook_and_never_mixes_sample_with_real_data(tmp_path, make_workbook, content):
    """Issue 23, item 9: the summary ranked every department in one list, across rulebooks and 示例/正式 alike. Now a
    department is ranked only against those scored by the same rulebook with the same data nature, one table each."""
    from evalnb.sections import summary
    url = f"sqlite:///{tmp_path / 'summary.sqlite'}"
    for name, rules, nature, executed in (("甲局", "national-2020", "正式", 95), ("乙局", "national-2020", "正式", 60),
                                          ("丙局", "national-2020", "示例", 100), ("丁局", "project-2021", "正式", 50)):
        c = {k: [dict(r) for r in v] for k, v in content.items()}
        c["基本信息"] = [{"字段": "部门名称", "内容": name}, {"字段": "年度", "内容": 2024},
                     {"字段": "评分规则", "内容": rules}, {"字段": "数据性质", "内容": nature}]
        c["项目支出"][0]["全年执行数（万元）"] = executed
        if rules == "project-2021":
            c["绩效指标"][0]["分值"] = 50
        ingest([make_workbook(c, f"{name}_2024.xlsx")], url)
    frame = summary.year_overview(2024, url)
    ranks = {r.department: (r.rules, r.sample, int(r.rank)) for r in frame.itertuples()}
    assert ranks == {"甲局": ("national-2020", False, 1), "乙局": ("national-2020", False, 2),
                     "丙局": ("national-2020", True, 1), "丁局": ("project-2021", False, 1)}
    html = summary.ranking_table(frame)
    assert html.count("<table") == 3 and "示例数据，单独排名" in html
    assert html.index("甲局") < html.index("乙局") < html.index("丁局") < html.index("丙局")
