"""The scoring methods a rulebook leaf can name, as a registry: ``ratio``, ``bands``, ``deduction``,
``measure``, ``declared``. Each takes the leaf's options and its inputs and gives a score with its basis,
worded by ``templates/prose/bases.j2`` (one macro per outcome; this module passes the exact numbers); a basis
that shows arithmetic re-computes exactly to the score (Decimal, half up per rulebook).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

import pandas as pd

from evalnb.rules.exact import clamp, dec, fewest, recomputing, rounded
from evalnb.rules.model import Bands, DeductionLeaf, MeasureLeaf, PerPoint, Ratio
from evalnb.store.measures import Measure
from evalnb.text.fmt import measure
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
@dataclass(frozen=True)
class Figures:
    """A 定量 row's numbers and how its basis shows them (with their units, as typed)."""
    actual: Decimal
    target: Decimal
    weight: Decimal
    shown_actual: str
    shown_target: str


def _basis(sentence: str, *args: object) -> str:
    return say("bases", sentence, *args)


def _points(score: Decimal | None) -> Decimal:
    """A score, or 0 where the basis says none was left (passed to the template as none)."""
    return Decimal(0) if score is None else score


@register("ratio")
def ratio(rule: Ratio, given: Inputs) -> Scored:
    """正向 a ÷ t × w; 反向 by ``rule.reverse``; a ≤ target below 0 by the excess over |t|."""
    ind, w, digits = given.row, given.weight, given.digits
    t, a = dec(ind["target"]), dec(ind["actual"])
    shown_a = measure(float(a), ind["unit"])
    if isinstance(ind.get("actual_text"), str) and ind["actual_text"]:
        shown_a = ind["actual_text"]          # an approximate figure as typed (超10亿元), scored by its number
    f = Figures(a, t, w, shown_a, measure(float(t), ind["unit"]))
    if ind["direction"] == "≤" or (ind["direction"] == "=" and rule.equal_overshoot == "miss" and t > 0
                                   and a > t * (1 + rule.equal_tolerance)):
        return _reverse(rule, f, digits, ind["direction"])
    if t <= 0:
        met = a <= 0 if ind["direction"] == "=" else a >= t
        return Scored(w if met else Decimal(0), _basis("zero_target", f, met), 1.0 if met else 0.0, met)
    achievement = a / t
    if ind["direction"] == "=" and achievement >= 1 - rule.equal_tolerance and achievement < 1:
        return Scored(w, _basis("within_tolerance", f, float(rule.equal_tolerance)), float(achievement), True)
    if achievement >= 1:
        if rule.over_penalty == "deviation" and achievement > rule.over_threshold:
            return _over(rule, f, digits)
        if ind["direction"] == "=" and a != t:         # an overshot = target is not a ≥ one: say so
            return Scored(w, _basis("overshot_equal", f), float(achievement), True)
        return Scored(w, _basis("met", f, "=" if ind["direction"] == "=" else "≥"), float(achievement), True)
    if achievement <= 0:
        return Scored(Decimal(0), _basis("below", f, float(achievement), None), float(achievement), False)
    score = rounded(a * w / t, digits)          # multiply first: one rounding instead of two
    return Scored(score, _basis("below", f, float(achievement), score), float(achievement), False)


def _reverse(rule: Ratio, f: Figures, digits: int, direction: str) -> Scored:
    t, a, w = f.target, f.actual, f.weight
    if a <= t:
        return Scored(w, _basis("met", f, "≤"), float(t / a) if a > 0 else math.inf, True)
    if t == 0:
        return Scored(Decimal(0), _basis("zero_target", f, False), 0.0, False)
    if t < 0:            # "三公经费"变动率 ≤ −5%: the miss measured against |t|; no completion ratio below 0
        return _linear((abs(t) - (a - t)) * w / abs(t), f, abs(t), digits, None)
    if rule.reverse == "ratio":
        score = rounded(t * w / a, digits)
        return Scored(score, _basis("reverse_ratio", f, direction, score), float(t / a), False)
    return _linear((2 * t - a) * w / t, f, t, digits, float(t / a))


def _linear(raw: Decimal, f: Figures, base: Decimal, digits: int, achievement: float | None) -> Scored:
    """A miss scored as (1 − (a − t) ÷ base) × w: 0 at twice the target or beyond."""
    score = rounded(raw, digits) if raw > 0 else None
    return Scored(_points(score), _basis("reverse_linear", f, base, score), achievement, False)


def _over(rule: Ratio, f: Figures, digits: int) -> Scored:
    """Over-achievement beyond the threshold: (1 − (a ÷ t − threshold)) × w, never below floor × w — so the
    score falls as the overshoot grows and an over-achiever never scores below the 达成 band's floor."""
    t, a, w = f.target, f.actual, f.weight
    threshold, floor = rule.over_threshold, rule.over_floor
    raw = (t * (1 + threshold) - a) * w / t
    floored = raw <= floor * w
    score = rounded(floor * w if floored else raw, digits)
    basis = _basis("over", f, float(a / t), threshold, float(threshold), score, floor if floored else None)
    return Scored(score, basis, float(a / t), True)


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
    g = (grade, float(band.low), float(band.high), top, low, high)

    def scored(value: Decimal, sentence: str, *args: object) -> Scored:
        return Scored(value, _basis(sentence, g, *args), None, grade == rule.bands[0].grade, points, top)

    if pd.isna(ind["declared_score"]):
        score = rounded(band.default * w, digits)
        return scored(score, "band_default", score, band.default, w)
    declared = dec(ind["declared_score"])
    kept = rounded(declared, digits)
    if in_band(float(declared), points, top):
        return scored(kept, "in_band", declared, kept, digits)
    if declared >= high and rule.above_band == "keep":
        return scored(kept, "above_kept", declared, kept, digits)
    if declared >= high:
        cap = rounded(high, digits)              # the band's upper edge, as the form prints it (80% × 10 = 8)
        return scored(cap, "above_edge", declared, cap)
    return scored(kept, "below_band", declared, kept, digits)


# ---------------------------------------------------------------- deduction (扣分)
@register("deduction")
def deduction(rule: DeductionLeaf, given: Inputs) -> Scored:
    """评价标准 with deduction items: points per occurrence (次) or once per item (项, however many rows), floored
    at 0; the reasons the workbook gives are named."""
    w = given.weight
    if not given.deductions:
        return Scored(w, _basis("no_deduction", w))
    found = []
    for item in rule.items:
        rows = [d for d in given.deductions if d["item"] == item.name]
        if rows:
            per_time = item.per == "次"
            times = sum(int(d["count"]) for d in rows) if per_time else 1
            found.append((item.name, [str(d["reason"]) for d in rows], per_time, times, item.points,
                          item.points * times))
    terms = [off for *_, off in found]
    taken = sum(terms, Decimal(0))
    score = w - taken if taken < w else None
    return Scored(_points(score), _basis("deducted", found, w, taken, terms, score), met=False)


# ---------------------------------------------------------------- measure (计算)
@register("measure")
def measured(rule: MeasureLeaf, given: Inputs) -> Scored:
    """A 共性 measure computed from the budget data, scored linearly (min(比率, 100%) × w) or by a step table."""
    w, digits = given.weight, given.digits
    found = given.measures.get(rule.measure)
    if found is None or found.value is None:
        return Scored(Decimal(0), _basis("not_computed", found and found.missing, rule.measure), met=False)
    value = found.value
    if rule.scale == "per_point":
        return _per_point(rule, found, w, digits)
    if rule.scale == "linear":
        return _linear_measure(found, w, digits)
    step = next((s for s in rule.steps if s.holds(value)), None)
    shown = _shown(found, fewest((value,), lambda v: next((s for s in rule.steps if s.holds(v)), None) is step)[0])
    if step is None:
        return Scored(Decimal(0), _basis("off_steps", shown), float(value / 100), False)
    return Scored(step.points, _basis("step", shown, step.text(), step.points), float(value / 100),
                  step.points == w)


def _shown(found: Measure, value: Decimal) -> tuple[str, Decimal, str]:
    """The measure as a basis names it (name, value, formula), at the decimals its caller found enough (98.72%,
    94.996%)."""
    return found.name, value, found.formula


def _linear_measure(found: Measure, w: Decimal, digits: int) -> Scored:
    """min(比率, 100%) × w, its amounts at the report's two decimals where they still give the score."""
    value = found.value
    shown = _shown(found, fewest((value,), lambda v: (v >= 100, v <= 0) == (value >= 100, value <= 0))[0])
    if value >= 100:
        return Scored(w, _basis("rate_full", shown, w), float(value / 100), True)
    if value <= 0:
        return Scored(Decimal(0), _basis("rate_nothing", shown), float(value / 100), False)
    top, bottom = _parts(found)
    score = rounded(top * w / bottom, digits)
    top, bottom = recomputing((top, bottom), lambda t, b: t * w / b, score, digits)
    return Scored(score, _basis("rate_share", shown, score, top, bottom, w), float(value / 100), False)


def _per_point(rule: MeasureLeaf, found: Measure, w: Decimal, digits: int) -> Scored:
    """``points`` off per ``per`` percentage points beyond ``limit``; the rate and the points beyond shown at the
    fewest decimals (two at least) that give the same deduction."""
    per, value = rule.per_point, found.value
    taken = _taken(per, value, digits)
    beyond_it = _beyond(per, value) > 0
    shown_value = fewest((value,), lambda v: _taken(per, v, digits) == taken and (_beyond(per, v) > 0) == beyond_it)[0]
    shown = _shown(found, shown_value)
    if not beyond_it:
        return Scored(w, _basis("within_limit", shown, per, w), float(value / 100), True)
    score = w - taken if taken < w else None
    basis = _basis("per_point", shown, per, _beyond(per, shown_value), taken / per.points if per.whole else None,
                   taken, w, score)
    return Scored(_points(score), basis, float(value / 100), score is not None and taken == 0)


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
    return Scored(score, _basis("evaluator", score, w, ind["actual_text"]))    # no target to miss
