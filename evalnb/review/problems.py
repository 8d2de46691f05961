"""Problems the data shows, each with its numbers and a matching improvement measure.

Used by the review memo (what the report does not mention) and by ``evalnb draft`` (rows drafted into
文字材料 as 存在问题 / 改进措施 for the officer to edit). Every number comes from the department-year.
Only problems a department can state about itself are drafted (``DerivedProblem.drafted``); a reviewer's
observations (a declared total above the rules', targets met exactly) stay in the memo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from evalnb.rules.scoring import Scorecard
from evalnb.store.data import DepartmentYear
from evalnb.text.fmt import RATE_UNITS, goal, measure
from evalnb.text.prose import say, words

WORDING = "problems"          # evalnb/templates/prose/problems.j2
COST_INDICATOR = "成本指标"    # the 二级指标 of cost indicators, as workbooks name it
MONEY_TOLERANCE = 0.005       # 万元: differences below half a hundredth are rounding


@dataclass(frozen=True)
class DerivedProblem:
    kind: str           # stable id
    problem: str        # a 存在问题 paragraph
    measure: str        # the matching 改进措施 paragraph
    drafted: bool = True    # the department's own voice: drafted into its workbook (else for the memo only)


def _problem(kind: str, *figures: object, drafted: bool = True) -> DerivedProblem:
    """The problem ``kind`` in words: macros ``<kind>`` and ``<kind>_measure`` of problems.j2."""
    sentence = kind.replace("-", "_")
    return DerivedProblem(kind, say(WORDING, sentence, *figures), say(WORDING, f"{sentence}_measure"), drafted)


def derive(dy: DepartmentYear, card: Scorecard) -> list[DerivedProblem]:
    """The problems of one department-year, in a fixed order; empty where the data shows none."""
    found = [_declared_higher(card), _unspent(dy), _adjusted(dy), _targets_lowered(dy), _targets_below_prior(dy),
             _met_exactly(dy), _no_cost_indicator(dy, card)]
    return [p for p in found if p is not None]


def for_department(dy: DepartmentYear, card: Scorecard) -> list[DerivedProblem]:
    """The problems a department states about itself: what ``evalnb draft`` writes into its workbook."""
    return [p for p in derive(dy, card) if p.drafted]


def stale_drafts(dy: DepartmentYear, card: Scorecard) -> list[str]:
    """存在问题 paragraphs drafted by evalnb (recognised by their lead, 预算执行还不够到位：…) whose figures the data
    no longer gives: the data changed after the draft was accepted, so the filed sentence would be untrue."""
    current = {p.problem for p in derive(dy, card)}
    leads = tuple(f"{label}：" for label in words(WORDING, "labels").values())
    numbered = re.compile(words("s5", "enumerated"))            # 1.预算执行… as the officer may number it

    def bare(text: str) -> str:
        return numbered.sub("", text, count=1) if numbered.match(text) else text

    return [t for t in dy.text("存在问题") if bare(t).startswith(leads) and bare(t) not in current]


def is_placeholder(text: object) -> bool:
    """A 存在问题 paragraph that only says there is none: “无问题存在。”, “暂无”, “无”."""
    if not isinstance(text, str):
        return False
    return text.strip().rstrip("。.！!；;").strip() in words(WORDING, "placeholders")


def _declared_higher(card: Scorecard) -> DerivedProblem | None:
    if card.declared_total is None or card.declared_total - card.total < MONEY_TOLERANCE:
        return None
    return _problem("declared-higher", card.declared_total, card.total, card.declared_total - card.total,
                    drafted=False)


def _unspent(dy: DepartmentYear) -> DerivedProblem | None:
    """What the lines below 100% left unspent (lines that spent 上年结转 above their budget don't offset it)."""
    below = dy.budget[dy.budget["executed"] < dy.budget["budget"] - MONEY_TOLERANCE]
    if below.empty:
        return None
    unspent = round(float((below["budget"] - below["executed"]).sum()), 6)
    return _problem("unspent", unspent, len(dy.budget), len(below))


def _adjusted(dy: DepartmentYear) -> DerivedProblem | None:
    changed = dy.budget[(dy.budget["budget"] - dy.budget["initial"]).abs() >= MONEY_TOLERANCE]
    unexplained = changed[~changed["note"].map(lambda n: isinstance(n, str) and bool(n.strip()))]
    if unexplained.empty:
        return None
    net = (unexplained["budget"] - unexplained["initial"]).sum()
    return _problem("adjusted-unexplained", len(unexplained), net >= 0, abs(net))


def quantitative_rows(dy: DepartmentYear) -> pd.DataFrame:
    ind = dy.indicators
    return ind[(ind["nature"] == "定量") & ind["target"].notna() & ind["actual"].notna()]


def _targets_below_prior(dy: DepartmentYear) -> DerivedProblem | None:
    """Targets easier than last year's actual: a ≥ target below it, a ≤ target (a rank, a cost) above it."""
    ind = quantitative_rows(dy)
    low = ind[easier(ind, ind["prior"])]
    if low.empty:
        return None
    examples = [(r.name, _goal(r), measure(r.prior, r.unit)) for r in low.head(3).itertuples()]
    return _problem("targets-below-prior", len(low), examples)


def _targets_lowered(dy: DepartmentYear) -> DerivedProblem | None:
    """Targets adjusted during the year to easier ones: a ≥ target lowered, a ≤ target (a rank, a cost) raised."""
    ind = quantitative_rows(dy)
    if "initial_target" not in ind:
        return None
    low = ind[easier(ind, ind["initial_target"])]
    if low.empty:
        return None
    examples = [(r.name, _goal(r, r.initial_target), _goal(r)) for r in low.head(3).itertuples()]
    return _problem("targets-lowered", len(low), examples)


def easier(ind: pd.DataFrame, than: pd.Series) -> pd.Series:
    """Targets easier than ``than`` (where given): a ≥ target below it, a ≤ target (a rank, a cost) above it."""
    return than.notna() & (((ind["direction"] == "≥") & (ind["target"] < than))
                           | ((ind["direction"] == "≤") & (ind["target"] > than)))


def _goal(row: object, value: float | None = None) -> str:
    return goal(row.target if value is None else value, row.unit, row.direction)


def _met_exactly(dy: DepartmentYear) -> DerivedProblem | None:
    """Actuals exactly at their target, except a rate at its 100% ceiling (a 100% target can only be met so)
    and an approximate figure (超10亿元 against 10亿元)."""
    ind = quantitative_rows(dy)
    ceiling = ind["unit"].isin(RATE_UNITS) & (ind["target"] == 100) & (ind["direction"] == "≥")
    approximate = ind["actual_text"].map(lambda t: isinstance(t, str) and bool(t))      # 超10 is not exactly 10
    exact = ind[((ind["actual"] - ind["target"]).abs() < 1e-9) & ~ceiling & ~approximate]
    if exact.empty:
        return None
    return _problem("targets-met-exactly", len(exact), drafted=False)


def _no_cost_indicator(dy: DepartmentYear, card: Scorecard) -> DerivedProblem | None:
    """No 成本指标 where the rulebook's form has a place for one (under 产出指标, or as an 一级 of its own);
    部门整体 trees without such a category are not faulted for it."""
    if dy.indicators.empty or (dy.indicators[["level1", "level2"]] == COST_INDICATOR).any(axis=None):
        return None
    if not set(words(WORDING, "cost_parents")) & {item.level1 for item in card.items}:
        return None
    return _problem("no-cost-indicator")
