"""The scoring methods a rulebook leaf can name, as a registry: ``ratio``, ``bands``, ``deduction``,
``measure``, ``declared``. Each takes the leaf's options and its inputs and gives a score with its basis
in words; a basis that shows arithmetic re-computes exactly to the score (Decimal, half up per rulebook).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

import pandas as pd

from evalnb.rules.exact import clamp, dec, fewest, num, recomputing, rounded
from evalnb.rules.model import Bands, DeductionLeaf, MeasureLeaf, PerPoint, Ratio
from evalnb.store.measures import Measure
from evalnb.text.fmt import measure, percent
from evalnb.text.prose import say


@dataclass(frozen=True)
class Inputs:
    """What a leaf is scored from: its 绩效指标 row (if any), its 扣分事项, the computed measures."""
    weight: Decimal                                 # the points it is scored out of (after 不适用 moves)
    digits: int
    row: pd.Series | None = None
    deductions: list[dict[str, Any]] = field(default_factory=list)
    measures: dict[str, Measure] = field(default_factory=dict)


@dataclass(frozen=True)
class Scored:
    score: Decimal
    basis: str
    achievement: float | None = None       # actual ÷ target toward the indicator's direction (1 = met)
    met: bool = True
    band: tuple[float, float] | None = None  # qualitative: the grade's score band in points
    band_includes_top: bool = True


Method = Callable[[Any, Inputs], Scored]
METHODS: dict[str, Method] = {}


def register(name: str) -> Callable[[Method], Method]:
    def add(fn: Method) -> Method:
        METHODS[name] = fn
        return fn
    return add


# ---------------------------------------------------------------- ratio (定量)
@register("ratio")
def ratio(rule: Ratio, given: Inputs) -> Scored:
    """正向 a ÷ t × w; 反向 by ``rule.reverse``; a ≤ target below 0 by the excess over |t|."""
    ind, w, digits = given.row, given.weight, given.digits
    t, a = dec(ind["target"]), dec(ind["actual"])
    shown_a, shown_t = measure(float(a), ind["unit"]), measure(float(t), ind["unit"])
    if isinstance(ind.get("actual_text"), str) and ind["actual_text"]:
        shown_a = ind["actual_text"]          # an approximate figure as typed (超10亿元), scored by its number
    full = f"得满分 {num(w)}"
    if ind["direction"] == "≤" or (ind["direction"] == "=" and rule.equal_overshoot == "miss" and t > 0
                                   and a > t * (1 + rule.equal_tolerance)):
        return _reverse(rule, w, t, a, shown_a, shown_t, digits, ind["direction"])
    if t <= 0:
        met = a <= 0 if ind["direction"] == "=" else a >= t
        return Scored(w if met else Decimal(0), f"目标 {shown_t}，实际 {shown_a}，" + (full if met else "得 0 分"),
                      1.0 if met else 0.0, met)
    achievement = a / t
    if ind["direction"] == "=" and achievement >= 1 - rule.equal_tolerance and achievement < 1:
        return Scored(w, f"实际 {shown_a} 在目标 {shown_t} 的容差 {percent(float(rule.equal_tolerance))} 以内，{full}",
                      float(achievement), True)
    if achievement >= 1:
        if rule.over_penalty == "deviation" and achievement > rule.over_threshold:
            return _over(rule, w, t, a, shown_a, shown_t, digits)
        if ind["direction"] == "=" and a != t:         # an overshot = target is not a ≥ one: say so
            said = "超出等于目标"
            return Scored(w, f"实际 {shown_a} {said} {shown_t}，{full}", float(achievement), True)
        sign = "=" if ind["direction"] == "=" else "≥"
        return Scored(w, f"实际 {shown_a} {sign} 目标 {shown_t}，{full}", float(achievement), True)
    head = f"实际 {shown_a} 低于目标 {shown_t}，完成率 {percent(float(achievement))}，"
    if achievement <= 0:
        return Scored(Decimal(0), head + "得 0 分", float(achievement), False)
    score = rounded(a * w / t, digits)          # multiply first: one rounding instead of two
    return Scored(score, head + f"{num(score)} = {num(a)} ÷ {num(t)} × {num(w)}", float(achievement), False)


def _reverse(rule: Ratio, w: Decimal, t: Decimal, a: Decimal, shown_a: str, shown_t: str, digits: int,
             direction: str) -> Scored:
    if a <= t:
        achievement = float(t / a) if a > 0 else math.inf
        return Scored(w, f"实际 {shown_a} ≤ 目标 {shown_t}，得满分 {num(w)}", achievement, True)
    if t == 0:
        return Scored(Decimal(0), f"目标 {shown_t}，实际 {shown_a}，得 0 分", 0.0, False)
    if t < 0:            # "三公经费"变动率 ≤ −5%: the miss measured against |t|; no completion ratio below 0
        raw = (abs(t) - (a - t)) * w / abs(t)
        expr = f"(1 − ({num(a)} − ({num(t)})) ÷ {num(abs(t))}) × {num(w)}"
        return _linear(raw, expr, shown_a, shown_t, digits, None)
    said = "超过目标" if direction == "≤" else "超出等于目标"
    if rule.reverse == "ratio":
        score = rounded(t * w / a, digits)
        return Scored(score, f"实际 {shown_a} {said} {shown_t}，{num(score)} = {num(t)} ÷ {num(a)} × {num(w)}",
                      float(t / a), False)
    raw = (2 * t - a) * w / t
    expr = f"(1 − ({num(a)} − {num(t)}) ÷ {num(t)}) × {num(w)}"
    return _linear(raw, expr, shown_a, shown_t, digits, float(t / a))


def _linear(raw: Decimal, expr: str, shown_a: str, shown_t: str, digits: int, achievement: float | None) -> Scored:
    """A miss scored as (1 − relative excess) × w: 0 at twice the target or beyond."""
    if raw <= 0:
        return Scored(Decimal(0), f"实际 {shown_a} 超过目标 {shown_t} 一倍及以上，得 0 分", achievement, False)
    score = rounded(raw, digits)
    return Scored(score, f"实际 {shown_a} 超过目标 {shown_t}，{num(score)} = {expr}", achievement, False)


def _over(rule: Ratio, w: Decimal, t: Decimal, a: Decimal, shown_a: str, shown_t: str, digits: int) -> Scored:
    """Over-achievement beyond the threshold: (1 − (a ÷ t − threshold)) × w, never below floor × w — so the
    score falls as the overshoot grows and an over-achiever never scores below the 达成 band's floor."""
    threshold, floor = rule.over_threshold, rule.over_floor
    head = (f"实际 {shown_a} 达目标 {shown_t} 的 {percent(float(a / t))}，超过 {percent(float(threshold))} 的部分"
            "扣分：")
    raw = (t * (1 + threshold) - a) * w / t
    if raw <= floor * w:
        score = rounded(floor * w, digits)
        return Scored(score, head + f"扣至下限 {num(score)} = {num(floor)} × {num(w)}", float(a / t), True)
    score = rounded(raw, digits)
    return Scored(score, head + f"{num(score)} = (1 − ({num(a)} ÷ {num(t)} − {num(threshold)})) × {num(w)}",
                  float(a / t), True)


# ---------------------------------------------------------------- bands (定性)
def in_band(value: float, band: tuple[float, float], includes_top: bool) -> bool:
    """Whether a declared score lies in its grade's band: [low, high] for the top band, [low, high) below it."""
    low, high = band
    return low <= value <= high if includes_top else low <= value < high


@register("bands")
def bands(rule: Bands, given: Inputs) -> Scored:
    """A grade's band of the weight (10号: the top band includes both ends, the others their lower end). A
    declared score inside its band is the evaluator's choice; one above it is treated as the rulebook says
    (``above_band``: ``edge`` lowers it to the band's upper edge, the figure a form prints — 8 of 10 for
    部分达成, never 7.99; ``keep`` keeps it), one below it is kept as declared (never raised); either is a
    review finding. Without a declared score, the band's default point."""
    ind, w, digits = given.row, given.weight, given.digits
    grade = ind["actual_text"]
    band = rule.band(grade)
    top = band.high >= 1
    low, high = band.low * w, band.high * w
    points = (float(low), float(high))
    span = (f"{percent(float(band.low), strip=True)}（含）–{percent(float(band.high), strip=True)}"
            f"{'（含）' if top else '（不含）'}，{num(low)}–{num(high)} 分")
    head = f"定性“{grade}”，档次 {span}"
    met = grade == rule.bands[0].grade
    if pd.notna(ind["declared_score"]):
        declared = dec(ind["declared_score"])
        kept = rounded(declared, digits)
        said = num(declared) if kept == declared else f"{num(declared)}（按 {digits} 位小数计 {num(kept)}）"
        if in_band(float(declared), points, top):
            return Scored(kept, f"{head}，取自评得分 {said}", None, met, points, top)
        if declared >= high and rule.above_band == "keep":
            return Scored(kept, head + say("rules", "above_band_kept", said), None, met, points, top)
        if declared >= high:
            cap = rounded(high, digits)              # the band's upper edge, as the form prints it (80% × 10 = 8)
            return Scored(cap, f"{head}；自评得分 {num(declared)} 超出本档次，按本档次可得的最高分计 {num(cap)}",
                          None, met, points, top)
        return Scored(kept, f"{head}；自评得分 {said} 低于本档次，按自评计", None, met, points, top)
    score = rounded(band.default * w, digits)
    return Scored(score, f"{head}，未填自评得分，按默认 {num(score)} = {num(band.default)} × {num(w)}", None, met,
                  points, top)


# ---------------------------------------------------------------- deduction (扣分)
@register("deduction")
def deduction(rule: DeductionLeaf, given: Inputs) -> Scored:
    """评价标准 with deduction items: points per occurrence (次) or once per item (项, however many rows), floored
    at 0; the reasons the workbook gives are named."""
    w = given.weight
    if not given.deductions:
        return Scored(w, f"未发现扣分事项，得满分 {num(w)}")
    parts, terms = [], []
    for item in rule.items:
        found = [d for d in given.deductions if d["item"] == item.name]
        if not found:
            continue
        reasons = "；".join(str(d["reason"]) for d in found)
        if item.per == "次":
            times = sum(int(d["count"]) for d in found)
            terms.append(item.points * times)
            parts.append(f"{item.name}（{reasons}）{times} 次，每次扣 {num(item.points)} 分，扣 {num(terms[-1])} 分")
        else:
            terms.append(item.points)
            parts.append(f"{item.name}（{reasons}），扣 {num(item.points)} 分")
    taken = sum(terms, Decimal(0))
    if taken >= w:
        return Scored(Decimal(0), "；".join(parts) + f"；扣分合计 {num(taken)} 达到分值 {num(w)}，扣完为止，得 0 分",
                      met=False)
    return Scored(w - taken, "；".join(parts) + f"；{num(w - taken)} = {num(w)} − {' − '.join(num(t) for t in terms)}",
                  met=False)


# ---------------------------------------------------------------- measure (计算)
@register("measure")
def measured(rule: MeasureLeaf, given: Inputs) -> Scored:
    """A 共性 measure computed from the budget data, scored linearly (min(比率, 100%) × w) or by a step table."""
    w, digits = given.weight, given.digits
    found = given.measures.get(rule.measure)
    if found is None or found.value is None:
        why = found.missing if found is not None else f"无法计算{rule.measure}"
        return Scored(Decimal(0), f"{why}，得 0 分", met=False)
    value = found.value
    if rule.scale == "per_point":
        return _per_point(rule, found, w, digits)
    if rule.scale == "linear":
        return _linear_measure(found, w, digits)
    step = next((s for s in rule.steps if s.holds(value)), None)
    shown = _shown(found, fewest((value,), lambda v: next((s for s in rule.steps if s.holds(v)), None) is step)[0])
    if step is None:
        return Scored(Decimal(0), f"{shown}，不在评分标准所列任何一档，得 0 分", float(value / 100), False)
    return Scored(step.points, f"{shown}，属“{step.text()}”一档，得 {num(step.points)} 分", float(value / 100),
                  step.points == w)


def _shown(found: Measure, value: Decimal) -> str:
    """The measure as a basis names it, at the decimals its caller found enough (98.72%, 94.996%)."""
    return f"{found.name} {num(value)}%（计算方法：{found.formula}）"


def _linear_measure(found: Measure, w: Decimal, digits: int) -> Scored:
    """min(比率, 100%) × w, its amounts at the report's two decimals where they still give the score."""
    value = found.value
    shown = _shown(found, fewest((value,), lambda v: (v >= 100, v <= 0) == (value >= 100, value <= 0))[0])
    if value >= 100:
        return Scored(w, f"{shown}，得满分 {num(w)}", float(value / 100), True)
    if value <= 0:
        return Scored(Decimal(0), f"{shown}，得 0 分", float(value / 100), False)
    top, bottom = _parts(found)
    score = rounded(top * w / bottom, digits)
    top, bottom = recomputing((top, bottom), lambda t, b: t * w / b, score, digits)
    return Scored(score, f"{shown}，{num(score)} = {num(top)} ÷ {num(bottom)} × {num(w)}", float(value / 100), False)


def _per_point(rule: MeasureLeaf, found: Measure, w: Decimal, digits: int) -> Scored:
    """``points`` off per ``per`` percentage points beyond ``limit``; the rate and the points beyond shown at the
    fewest decimals (two at least) that give the same deduction."""
    per, value = rule.per_point, found.value
    taken = _taken(per, value, digits)
    beyond_it = _beyond(per, value) > 0
    shown_value = fewest((value,), lambda v: _taken(per, v, digits) == taken and (_beyond(per, v) > 0) == beyond_it)[0]
    shown, beyond = _shown(found, shown_value), _beyond(per, shown_value)
    if not beyond_it:
        return Scored(w, f"{shown}，{'未超过' if per.side == 'above' else '不低于'} {num(per.limit)}%，得满分 {num(w)}",
                      float(value / 100), True)
    side = "超过" if per.side == "above" else "低于"
    if per.whole:
        steps = taken / per.points
        how = (f"{side} {num(beyond)} 个百分点，每满 {num(per.per)} 个百分点扣 {num(per.points)} 分，"
               f"共 {num(steps)} 步")
        expr = f"{num(w)} − {num(steps)} × {num(per.points)}"
    else:
        how = f"{side} {num(beyond)} 个百分点，每 {num(per.per)} 个百分点扣 {num(per.points)} 分"
        expr = f"{num(w)} − {num(taken)}"
    if taken >= w:
        return Scored(Decimal(0), f"{shown}，{how}，扣分达到分值 {num(w)}，扣完为止，得 0 分", float(value / 100), False)
    score = w - taken
    return Scored(score, f"{shown}，{how}，{num(score)} = {expr}", float(value / 100), taken == 0)


def _beyond(per: PerPoint, value: Decimal) -> Decimal:
    return value - per.limit if per.side == "above" else per.limit - value


def _taken(per: PerPoint, value: Decimal, digits: int) -> Decimal:
    """The points a rate loses: whole steps of ``per`` beyond the limit, or pro rata (rounded at ``digits``)."""
    beyond = _beyond(per, value)
    if beyond <= 0:
        return Decimal(0)
    if per.whole:
        return (beyond / per.per).to_integral_value(rounding=ROUND_DOWN) * per.points
    return rounded(beyond * per.points / per.per, digits)


def _parts(found: Measure) -> tuple[Decimal, Decimal]:
    (_, top, _), (_, bottom, _) = found.parts
    return top, bottom


# ---------------------------------------------------------------- declared (自评)
@register("declared")
def declared(rule: Any, given: Inputs) -> Scored:
    """The evaluator's score within [0, w], with the basis the workbook gives."""
    w, ind = given.weight, given.row
    score = rounded(clamp(dec(ind["declared_score"]), w), given.digits)
    return Scored(score, f"评价人打分 {num(score)}（分值 {num(w)}）：{ind['actual_text']}")    # no target to miss
