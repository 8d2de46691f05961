"""The indicator set as a whole, as a reviewer questions it: targets met exactly where they could have been
beaten (a target set from the result), and no 成本指标 where the rulebook's categories include one.

Neither is raised where it is noise: a 100% rate, a ≤ 0 count, a first rank and an "=" target cannot be
beaten, so meeting them exactly says nothing; 部门整体 trees (重庆, 四川, 53号) have no 成本指标 category.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pandas as pd

from evalnb.review.findings import INFO, WARNING, Finding
from evalnb.rules.tree import walk
from evalnb.text.fmt import RANK_UNITS, RATE_UNITS
from evalnb.text.prose import say, words
from evalnb.workbook import INDICATORS, NATURES

if TYPE_CHECKING:
    from evalnb.rules import Rulebook
    from evalnb.rules.scoring import Scorecard
    from evalnb.store.data import DepartmentYear

W = "findings"                  # evalnb/templates/prose/findings.j2
QUANTITATIVE = NATURES[0]       # 定量
FULL_RATE = 100                 # a rate target of 100% has nothing above it
SHOWN = 3                       # names quoted in one finding


def unbeatable(direction: str, target: float, unit: str | None) -> bool:
    """Whether a target cannot be beaten, only met: "=" (exactly), ≥ 100%, ≤ 0, ≤ the first rank."""
    if direction == "=":
        return True
    if direction == "≤":
        return target <= 0 or (unit in RANK_UNITS and target <= 1)
    return unit in RATE_UNITS and target >= FULL_RATE


def met_exactly(dy: DepartmentYear) -> pd.DataFrame:
    """The 定量 indicators whose actual equals a target that could have been beaten. An actual typed with words
    beside its figure (an approximate 超10亿元 against 10亿元) is not exact."""
    ind = dy.indicators
    typed_as_words = ind["actual_text"].map(lambda t: isinstance(t, str) and bool(t.strip()))
    ind = ind[(ind["nature"] == QUANTITATIVE) & ind["target"].notna() & ind["actual"].notna() & ~typed_as_words]
    exact = ind[(ind["actual"] - ind["target"]).abs() < 1e-9]
    return exact.loc[[not unbeatable(r.direction, r.target, r.unit) for r in exact.itertuples()]]


def targets_met_exactly(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    exact = met_exactly(dy)
    if not exact.empty:
        names = list(exact["name"])
        yield Finding(INFO, "targets-met-exactly", say(W, "targets_met_exactly", len(names), names[:SHOWN]),
                      INDICATORS.name)


def cost_is_a_category(dy: DepartmentYear, rules: Rulebook) -> bool:
    """成本指标 belongs to the indicator tree: the rulebook names it, or the workbook uses the 10号 产出
    categories (数量、质量、时效指标) of which it is the fourth."""
    named = any(path[-1] in words(W, "cost_categories") for path, _ in walk(rules.spec.tree))
    return named or bool(set(dy.indicators["level2"]) & set(words(W, "output_categories")))


def cost_indicator_missing(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    used = set(dy.indicators["level1"]) | set(dy.indicators["level2"])
    if not dy.indicators.empty and cost_is_a_category(dy, rules) and not used & set(words(W, "cost_categories")):
        yield Finding(WARNING, "cost-indicator-missing", say(W, "cost_indicator_missing"), INDICATORS.name)


TARGET_CHECKS = (targets_met_exactly, cost_indicator_missing)
