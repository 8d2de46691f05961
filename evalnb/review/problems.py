"""Problems the data shows, each with its numbers and a matching improvement measure.

Used by the review memo (what the report does not mention) and by ``evalnb draft`` (rows drafted into
文字材料 as 存在问题 / 改进措施 for the officer to edit). Every number comes from the department-year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evalnb.rules.scoring import Scorecard
from evalnb.store.data import DepartmentYear
from evalnb.text.fmt import fixed, goal, measure, plain, wan

MONEY_TOLERANCE = 0.005       # 万元: differences below half a hundredth are rounding


@dataclass(frozen=True)
class DerivedProblem:
    kind: str           # stable id
    problem: str        # a 存在问题 paragraph
    measure: str        # the matching 改进措施 paragraph


def derive(dy: DepartmentYear, card: Scorecard) -> list[DerivedProblem]:
    """The problems of one department-year, in a fixed order; empty where the data shows none."""
    found = [_declared_higher(card), _unspent(dy), _adjusted(dy), _targets_lowered(dy), _targets_below_prior(dy),
             _met_exactly(dy), _no_cost_indicator(dy)]
    return [p for p in found if p is not None]


def _declared_higher(card: Scorecard) -> DerivedProblem | None:
    if card.declared_total is None or card.declared_total - card.total < MONEY_TOLERANCE:
        return None
    gap = fixed(card.declared_total - card.total, 2, strip=True)
    return DerivedProblem(
        "declared-higher",
        f"自评打分不够严格：自评总分为{plain(card.declared_total)}分，按评分规则逐项计算为"
        f"{fixed(card.total, 2, strip=True)}分，高出{gap}分。",
        "严格按照评分规则逐项计分，预算执行率按实际执行率折算，做到每一项得分都有数据依据。")


def _unspent(dy: DepartmentYear) -> DerivedProblem | None:
    """What the lines below 100% left unspent (lines that spent 上年结转 above their budget don't offset it)."""
    below = dy.budget[dy.budget["executed"] < dy.budget["budget"] - MONEY_TOLERANCE]
    if below.empty:
        return None
    unspent = round(float((below["budget"] - below["executed"]).sum()), 6)
    return DerivedProblem(
        "unspent",
        f"预算执行不够到位：全年预算未支出{wan(unspent)}，{len(dy.budget)}个预算行中有{len(below)}个执行率未达到100%。",
        "加强预算执行进度管理，按月调度项目支出进度，对执行偏慢的项目及时分析原因、督促推进。")


def _adjusted(dy: DepartmentYear) -> DerivedProblem | None:
    changed = dy.budget[(dy.budget["budget"] - dy.budget["initial"]).abs() >= MONEY_TOLERANCE]
    unexplained = changed[~changed["note"].map(lambda n: isinstance(n, str) and bool(n.strip()))]
    if unexplained.empty:
        return None
    net = (unexplained["budget"] - unexplained["initial"]).sum()
    direction = "净调增" if net >= 0 else "净调减"
    return DerivedProblem(
        "adjusted-unexplained",
        f"预算调整说明不充分：{len(unexplained)}个预算行年中调整了预算（{direction}{wan(abs(net))}），未逐项说明调整原因。",
        "规范预算调整程序，年中调整预算须逐项说明原因和依据，并同步调整相应的绩效目标。")


def _quantitative(dy: DepartmentYear) -> pd.DataFrame:
    ind = dy.indicators
    return ind[(ind["nature"] == "定量") & ind["target"].notna() & ind["actual"].notna()]


def _targets_below_prior(dy: DepartmentYear) -> DerivedProblem | None:
    """Targets easier than last year's actual: a ≥ target below it, a ≤ target (a rank, a cost) above it."""
    ind = _quantitative(dy)
    low = ind[_easier(ind, ind["prior"])]
    if low.empty:
        return None
    examples = "；".join(f"“{r.name}”目标{_goal(r)}，上年已达{measure(r.prior, r.unit)}" for r in low.head(3).itertuples())
    return DerivedProblem(
        "targets-below-prior",
        f"绩效目标设定偏保守：{len(low)}个指标的年度目标低于上年实际水平（如{examples}）。",
        "以上年实际完成值为基础科学设定年度绩效目标，目标值原则上不低于上年实际水平。")


def _targets_lowered(dy: DepartmentYear) -> DerivedProblem | None:
    """Targets adjusted during the year to easier ones: a ≥ target lowered, a ≤ target (a rank, a cost) raised."""
    ind = _quantitative(dy)
    if "initial_target" not in ind:
        return None
    low = ind[_easier(ind, ind["initial_target"])]
    if low.empty:
        return None
    examples = "；".join(f"“{r.name}”由{_goal(r, r.initial_target)}调整为{_goal(r)}" for r in low.head(3).itertuples())
    return DerivedProblem(
        "targets-lowered",
        f"绩效目标年中调低：{len(low)}个指标的年度目标在年中调整后低于年初目标（{examples}）。",
        "严格绩效目标调整程序，确需调整的按规定报批并说明理由，不以调低目标代替完成目标。")


def _easier(ind: pd.DataFrame, than: pd.Series) -> pd.Series:
    """Targets easier than ``than`` (where given): a ≥ target below it, a ≤ target (a rank, a cost) above it."""
    return than.notna() & (((ind["direction"] == "≥") & (ind["target"] < than))
                           | ((ind["direction"] == "≤") & (ind["target"] > than)))


def _goal(row: object, value: float | None = None) -> str:
    return goal(row.target if value is None else value, row.unit, row.direction)


def _met_exactly(dy: DepartmentYear) -> DerivedProblem | None:
    ind = _quantitative(dy)
    exact = ind[(ind["actual"] - ind["target"]).abs() < 1e-9]
    if exact.empty:
        return None
    return DerivedProblem(
        "targets-met-exactly",
        f"部分指标完成值与目标值完全相同：{len(exact)}个指标的实际完成值恰好等于年度目标值，目标设定与完成情况的"
        "真实性有待进一步核实。",
        "按实际完成情况如实填报完成值，并保留统计台账等佐证材料备查。")


def _no_cost_indicator(dy: DepartmentYear) -> DerivedProblem | None:
    if (dy.indicators["level2"] == "成本指标").any() or dy.indicators.empty:
        return None
    return DerivedProblem(
        "no-cost-indicator",
        "绩效指标体系不够完整：未设置成本指标，无法反映资金使用的经济性。",
        "补充设置成本指标（如单位成本、成本控制率），完善产出、效益、成本相结合的指标体系。")
