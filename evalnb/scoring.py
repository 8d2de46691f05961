"""Scores from the published rules: execution rate, every indicator, subtotals, total and grade.

Every score carries its basis in Chinese words, so a reader can redo the arithmetic. Declared scores
(自评得分, 自评总分) are kept beside the computed ones and never overwritten.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import pandas as pd

from evalnb.data import DepartmentYear
from evalnb.fmt import fixed, measure, percent, plain
from evalnb.rules import Rulebook, load_rulebook

EPSILON = 1e-9


@dataclass(frozen=True)
class IndicatorScore:
    row: int
    level1: str
    level2: str
    name: str
    nature: str
    weight: float
    score: float
    declared_score: float | None
    basis: str
    achievement: float | None = None     # actual ÷ target toward the indicator's direction (1 = met)
    met: bool = True
    band: tuple[float, float] | None = None  # qualitative: the grade's score band in points


@dataclass(frozen=True)
class Scorecard:
    department: str
    year: int
    rules: str
    rules_title: str
    budget: float
    executed: float
    execution_rate: float
    execution_weight: float
    execution_score: float
    execution_basis: str
    indicators: list[IndicatorScore]
    subtotals: dict[str, dict[str, float]]
    max_points: float
    total: float
    total_basis: str
    grade: str
    declared_total: float | None
    declared_grade: str | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-safe data (an infinite achievement, 0 actual on a ≤ target, becomes None)."""
        result = asdict(self)
        for item in result["indicators"]:
            if item["achievement"] is not None and math.isinf(item["achievement"]):
                item["achievement"] = None
        return result


def _r(value: float, digits: int) -> float:
    """Round half up (a score of 9.875 is 9.88, not Python's banker's 9.88/9.87)."""
    return float(fixed(value, digits))


def _clamp(value: float, weight: float) -> float:
    return min(max(value, 0.0), weight)


def execution_score(rate: float, weight: float, digits: int = 2) -> tuple[float, str]:
    if rate >= 1 - EPSILON:
        return _r(weight, digits), f"执行率 {percent(rate)}，得满分 {plain(weight)}"
    score = _r(rate * weight, digits)
    return score, f"执行率 {percent(rate)}，{fixed(score, digits, strip=True)} = {percent(rate)} × {plain(weight)}"


def _quantitative(ind: pd.Series, rules: Rulebook) -> tuple[float, str, float, bool]:
    """(raw score, basis, achievement, met) of one 定量 indicator."""
    w, t, a, unit, direction = ind["weight"], ind["target"], ind["actual"], ind["unit"], ind["direction"]
    shown_a, shown_t = measure(a, unit), measure(t, unit)
    if direction == "≤":
        if a <= t:
            achievement = t / a if a > 0 else math.inf
            return w, f"实际 {shown_a} ≤ 目标 {shown_t}，得满分 {plain(w)}", achievement, True
        if rules.reverse_formula == "ratio" or t <= 0:
            raw = t / a * w if t > 0 else 0.0
            return raw, f"实际 {shown_a} 超过目标 {shown_t}，{_pts(raw, rules)} = {shown_t} ÷ {shown_a} × {plain(w)}", \
                t / a, False
        raw = max(0.0, 1 - (a - t) / t) * w
        return raw, (f"实际 {shown_a} 超过目标 {shown_t}，{_pts(raw, rules)} = (1 − ({plain(a)} − {plain(t)}) ÷ "
                     f"{plain(t)}) × {plain(w)}，超出一倍及以上得 0 分"), t / a, False
    if t <= 0:
        met = a <= 0 if direction == "=" else a >= t
        basis = f"目标 {shown_t}，实际 {shown_a}，" + (f"得满分 {plain(w)}" if met else "得 0 分")
        return (w if met else 0.0), basis, (1.0 if met else 0.0), met
    achievement = a / t
    if achievement >= 1 - EPSILON:
        sign = "=" if direction == "=" and abs(a - t) < EPSILON else "≥"
        basis = f"实际 {shown_a} {sign} 目标 {shown_t}，得满分 {plain(w)}"
        if rules.over_penalty == "deviation" and achievement > rules.over_threshold:
            raw = max(0.0, 1 - (achievement - rules.over_threshold)) * w
            basis = (f"实际 {shown_a} 达目标 {shown_t} 的 {percent(achievement)}，超过 {percent(rules.over_threshold)} "
                     f"的部分扣分：{_pts(raw, rules)} = (1 − ({percent(achievement)} − "
                     f"{percent(rules.over_threshold)})) × {plain(w)}")
            return raw, basis, achievement, True
        return w, basis, achievement, True
    raw = achievement * w
    return raw, (f"实际 {shown_a} 低于目标 {shown_t}，完成率 {percent(achievement)}，"
                 f"{_pts(raw, rules)} = {percent(achievement)} × {plain(w)}"), achievement, False


def _pts(raw: float, rules: Rulebook) -> str:
    return fixed(raw, rules.rounding, strip=True)


def _qualitative(ind: pd.Series, rules: Rulebook) -> tuple[float, str, tuple[float, float]]:
    w, grade, declared = ind["weight"], ind["actual_text"], ind["declared_score"]
    band = rules.qualitative[grade]
    low, high = band.low * w, band.high * w
    span = f"{percent(band.low, strip=True)}–{percent(band.high, strip=True)}（{plain(low)}–{plain(high)} 分）"
    if pd.notna(declared) and low - EPSILON <= declared <= high + EPSILON:
        return declared, f"定性“{grade}”，档次 {span}，取自评得分 {plain(declared)}", (low, high)
    if pd.notna(declared):
        score = min(max(declared, low), high)
        basis = f"定性“{grade}”，档次 {span}；自评得分 {plain(declared)} 超出档次，按档次边界计 {plain(score)}"
        return score, basis, (low, high)
    score = band.default * w
    return score, (f"定性“{grade}”，档次 {span}，未填自评得分，按默认 {percent(band.default, strip=True)} × "
                   f"{plain(w)} = {plain(score)}"), (low, high)


def score_indicator(ind: pd.Series, rules: Rulebook) -> IndicatorScore:
    declared = None if pd.isna(ind["declared_score"]) else float(ind["declared_score"])
    common = dict(row=int(ind["row"]), level1=ind["level1"], level2=ind["level2"], name=ind["name"],
                  nature=ind["nature"], weight=float(ind["weight"]), declared_score=declared)
    if ind["nature"] == "定性":
        raw, basis, band = _qualitative(ind, rules)
        score = _r(_clamp(raw, ind["weight"]), rules.rounding)
        return IndicatorScore(**common, score=score, basis=basis, met=ind["actual_text"] == "达成年度指标",
                              band=band)
    raw, basis, achievement, met = _quantitative(ind, rules)
    score = _r(_clamp(raw, ind["weight"]), rules.rounding)
    return IndicatorScore(**common, score=score, basis=basis, achievement=achievement, met=met)


def score(dy: DepartmentYear, rules: Rulebook | str | None = None) -> Scorecard:
    """Score a department-year under ``rules`` (default: the workbook's 评分规则)."""
    book = rules if isinstance(rules, Rulebook) else load_rulebook(rules or dy.rules)
    rate = dy.execution_rate
    exec_score, exec_basis = execution_score(rate, book.execution_weight, book.rounding)
    items = [score_indicator(ind, book) for _, ind in dy.indicators.iterrows()]
    subtotals: dict[str, dict[str, float]] = {}
    for item in items:
        sub = subtotals.setdefault(item.level1, {"weight": 0.0, "score": 0.0})
        sub["weight"] = _r(sub["weight"] + item.weight, 6)
        sub["score"] = _r(sub["score"] + item.score, book.rounding)
    max_points = _r(book.execution_weight + math.fsum(i.weight for i in items), 6)
    raw_total = _r(exec_score + math.fsum(i.score for i in items), book.rounding)
    if abs(max_points - 100) < EPSILON or max_points <= 0:
        total, total_basis = raw_total, f"{fixed(raw_total, book.rounding, strip=True)} = 执行率得分 + 各指标得分之和"
    else:
        total = _r(raw_total / max_points * 100, book.rounding)
        total_basis = (f"各项满分合计 {plain(max_points)} 分，得分 {fixed(raw_total, book.rounding, strip=True)}，"
                       f"折算为百分制 {fixed(total, book.rounding, strip=True)} = "
                       f"{fixed(raw_total, book.rounding, strip=True)} ÷ {plain(max_points)} × 100")
    return Scorecard(
        department=dy.department, year=dy.year, rules=book.name, rules_title=book.title,
        budget=dy.total("budget"), executed=dy.total("executed"), execution_rate=rate,
        execution_weight=book.execution_weight, execution_score=exec_score, execution_basis=exec_basis,
        indicators=items, subtotals=subtotals, max_points=max_points, total=total, total_basis=total_basis,
        grade=book.grade(total), declared_total=dy.declared_total, declared_grade=dy.declared_grade,
    )
