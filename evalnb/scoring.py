"""Scores from the published rules: execution rate, every indicator, subtotals, total and grade.

Every score carries its basis in Chinese words, so a reader can redo the arithmetic. Declared scores
(自评得分, 自评总分) are kept beside the computed ones and never overwritten.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pandas as pd

from evalnb.data import DepartmentYear
from evalnb.fmt import measure, percent
from evalnb.rules import Rulebook, load_rulebook


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
    band_includes_top: bool = True            # 10号: only the top band includes its upper end


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


def _clamp(value: Decimal, weight: Decimal) -> Decimal:
    return min(max(value, Decimal(0)), weight)


def execution_score(executed: float | Decimal, budget: float | Decimal, weight: float | Decimal,
                    digits: int = 2) -> tuple[float, str]:
    """min(全年执行数 ÷ 全年预算数, 1) × 分值, exactly; the basis re-computes to the score."""
    e, b, w = dec(executed), dec(budget), dec(weight)
    rate = e / b if b else Decimal(0)
    shown = percent(float(rate))
    if rate >= 1:
        return float(rounded(w, digits)), f"执行率 {shown}，得满分 {num(w)}"
    score = rounded(e * w / b, digits)          # multiply first: one rounding (at 28 digits) instead of two
    return float(score), f"执行率 {shown}，{num(score)} = {num(e)} ÷ {num(b)} × {num(w)}"


def _quantitative(ind: pd.Series, rules: Rulebook) -> tuple[Decimal, str, float, bool]:
    """(score, basis, achievement, met) of one 定量 indicator; the score is rounded and its basis re-computes
    to it: "S = a ÷ t × w" with the typed values."""
    w, t, a = dec(ind["weight"]), dec(ind["target"]), dec(ind["actual"])
    unit, direction, digits = ind["unit"], ind["direction"], rules.rounding
    shown_a, shown_t = measure(float(a), unit), measure(float(t), unit)
    full = f"得满分 {num(w)}"
    if direction == "≤":
        if a <= t:
            achievement = float(t / a) if a > 0 else math.inf
            return w, f"实际 {shown_a} ≤ 目标 {shown_t}，{full}", achievement, True
        if t == 0:
            return Decimal(0), f"目标 {shown_t}，实际 {shown_a}，得 0 分", 0.0, False
        if t < 0:            # "三公经费"变动率 ≤ −5%: the miss measured against |t|
            raw = (abs(t) - (a - t)) * w / abs(t)
            expr = f"(1 − ({num(a)} − ({num(t)})) ÷ {num(abs(t))}) × {num(w)}"
            return (*_linear(raw, expr, shown_a, shown_t, digits), None, False)     # no completion ratio below 0
        if rules.reverse_formula == "ratio":
            score = rounded(t * w / a, digits)
            return score, f"实际 {shown_a} 超过目标 {shown_t}，{num(score)} = {num(t)} ÷ {num(a)} × {num(w)}", \
                float(t / a), False
        raw = (2 * t - a) * w / t
        expr = f"(1 − ({num(a)} − {num(t)}) ÷ {num(t)}) × {num(w)}"
        return (*_linear(raw, expr, shown_a, shown_t, digits), float(t / a), False)
    if t <= 0:
        met = a <= 0 if direction == "=" else a >= t
        return (w if met else Decimal(0)), f"目标 {shown_t}，实际 {shown_a}，" + (full if met else "得 0 分"), \
            (1.0 if met else 0.0), met
    achievement = a / t
    if achievement >= 1:
        sign = "=" if direction == "=" and a == t else "≥"
        if rules.over_penalty == "deviation" and achievement > dec(rules.over_threshold):
            threshold = dec(rules.over_threshold)
            raw = (t * (1 + threshold) - a) * w / t
            expr = f"(1 − ({num(a)} ÷ {num(t)} − {num(threshold)})) × {num(w)}"
            basis = (f"实际 {shown_a} 达目标 {shown_t} 的 {percent(float(achievement))}，超过 "
                     f"{percent(float(threshold))} 的部分扣分：")
            score = rounded(_clamp(raw, w), digits)
            return score, basis + (f"{num(score)} = {expr}" if raw > 0 else "得 0 分"), float(achievement), True
        return w, f"实际 {shown_a} {sign} 目标 {shown_t}，{full}", float(achievement), True
    head = f"实际 {shown_a} 低于目标 {shown_t}，完成率 {percent(float(achievement))}，"
    if achievement <= 0:
        return Decimal(0), head + "得 0 分", float(achievement), False
    score = rounded(a * w / t, digits)
    return score, head + f"{num(score)} = {num(a)} ÷ {num(t)} × {num(w)}", float(achievement), False


def _linear(raw: Decimal, expr: str, shown_a: str, shown_t: str, digits: int) -> tuple[Decimal, str]:
    """A miss scored as (1 − relative excess) × w: 0 at twice the target or beyond."""
    if raw <= 0:
        return Decimal(0), f"实际 {shown_a} 超过目标 {shown_t} 一倍及以上，得 0 分"
    score = rounded(raw, digits)
    return score, f"实际 {shown_a} 超过目标 {shown_t}，{num(score)} = {expr}"


def in_band(value: float, band: tuple[float, float], includes_top: bool) -> bool:
    """Whether a declared score lies in its grade's band: [low, high] for the top band, [low, high) below it."""
    low, high = band
    return low <= value <= high if includes_top else low <= value < high


def _qualitative(ind: pd.Series, rules: Rulebook) -> tuple[Decimal, str, tuple[float, float], bool]:
    """A 定性 grade's band of the weight. Bands follow 10号: the top band includes both ends, the others
    their lower end only (100–80%（含）, 80–60%（含）, 60–0%). A declared score inside its band is the
    evaluator's choice; one above it is lowered to the band's top, one below it is kept as declared (never
    raised); either is a review finding. Without a declared score, the band's default point."""
    w, grade = dec(ind["weight"]), ind["actual_text"]
    band = rules.qualitative[grade]
    top = band.high >= 1
    low, high = dec(band.low) * w, dec(band.high) * w
    points = (float(low), float(high))
    span = (f"{percent(band.low, strip=True)}（含）–{percent(band.high, strip=True)}{'（含）' if top else '（不含）'}"
            f"，{num(low)}–{num(high)} 分")
    head = f"定性“{grade}”，档次 {span}"
    if pd.notna(ind["declared_score"]):
        declared = dec(ind["declared_score"])
        kept = rounded(declared, rules.rounding)
        said = num(declared) if kept == declared else f"{num(declared)}（按 {rules.rounding} 位小数计 {num(kept)}）"
        if in_band(float(declared), points, top):
            return kept, f"{head}，取自评得分 {said}", points, top
        if declared >= high:
            cap = _band_cap(high, top, rules.rounding)
            return cap, f"{head}；自评得分 {num(declared)} 超出本档次，按本档次可得的最高分计 {num(cap)}", points, top
        return kept, f"{head}；自评得分 {said} 低于本档次，按自评计", points, top
    default = dec(band.default)
    score = rounded(default * w, rules.rounding)
    return score, f"{head}，未填自评得分，按默认 {num(score)} = {num(default)} × {num(w)}", points, top


def _band_cap(high: Decimal, includes_top: bool, digits: int) -> Decimal:
    """The highest score at ``digits`` decimals inside a band: its top, or just below it when the band
    excludes its top (80% of 10 belongs to the band above: 部分达成 can give 7.99 at most)."""
    step = Decimal(1).scaleb(-digits)
    cap = high.quantize(step, rounding=ROUND_DOWN)
    return cap - step if not includes_top and cap >= high else cap


def score_indicator(ind: pd.Series, rules: Rulebook) -> IndicatorScore:
    declared = None if pd.isna(ind["declared_score"]) else float(ind["declared_score"])
    common = dict(row=int(ind["row"]), level1=ind["level1"], level2=ind["level2"], name=ind["name"],
                  nature=ind["nature"], weight=float(ind["weight"]), declared_score=declared)
    weight = dec(ind["weight"])
    if ind["nature"] == "定性":
        score, basis, band, includes_top = _qualitative(ind, rules)
        return IndicatorScore(**common, score=_final(score, weight, rules), basis=basis,
                              met=ind["actual_text"] == "达成年度指标", band=band, band_includes_top=includes_top)
    score, basis, achievement, met = _quantitative(ind, rules)
    return IndicatorScore(**common, score=_final(score, weight, rules), basis=basis, achievement=achievement, met=met)


def _final(score: Decimal, weight: Decimal, rules: Rulebook) -> float:
    """Within [0, weight], rounded half up (a score from a basis expression is already rounded)."""
    return float(rounded(_clamp(score, weight), rules.rounding))


def _exact_total(dy: DepartmentYear, column: str) -> Decimal:
    return sum((dec(v) for v in dy.budget[column]), Decimal(0))


def score(dy: DepartmentYear, rules: Rulebook | str | None = None) -> Scorecard:
    """Score a department-year under ``rules`` (default: the workbook's 评分规则)."""
    book = rules if isinstance(rules, Rulebook) else load_rulebook(rules or dy.rules)
    rate = dy.execution_rate
    exec_score, exec_basis = execution_score(_exact_total(dy, "executed"), _exact_total(dy, "budget"),
                                             book.execution_weight, book.rounding)
    items = [score_indicator(ind, book) for _, ind in dy.indicators.iterrows()]
    sums: dict[str, list[Decimal]] = {}
    for item in items:
        sub = sums.setdefault(item.level1, [Decimal(0), Decimal(0)])
        sub[0] += dec(item.weight)
        sub[1] += dec(item.score)
    subtotals = {name: {"weight": float(w), "score": float(s)} for name, (w, s) in sums.items()}
    max_d = dec(book.execution_weight) + sum((w for w, _ in sums.values()), Decimal(0))
    raw_d = dec(exec_score) + sum((s for _, s in sums.values()), Decimal(0))
    max_points, raw_total = float(max_d), float(raw_d)
    if max_d == 100 or max_d <= 0:
        total, total_basis = raw_total, f"{num(raw_d)} = 执行率得分 + 各指标得分之和"
    else:
        total_d = rounded(raw_d / max_d * 100, book.rounding)
        total = float(total_d)
        total_basis = (f"各项满分合计 {num(max_d)} 分，得分 {num(raw_d)}，"
                       f"折算为百分制 {num(total_d)} = {num(raw_d)} ÷ {num(max_d)} × 100")
    return Scorecard(
        department=dy.department, year=dy.year, rules=book.name, rules_title=book.title,
        budget=dy.total("budget"), executed=dy.total("executed"), execution_rate=rate,
        execution_weight=book.execution_weight, execution_score=exec_score, execution_basis=exec_basis,
        indicators=items, subtotals=subtotals, max_points=max_points, total=total, total_basis=total_basis,
        grade=book.grade(total), declared_total=dy.declared_total, declared_grade=dy.declared_grade,
    )
