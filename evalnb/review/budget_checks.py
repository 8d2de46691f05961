"""Checks of the department's whole budget (收支总表, 项目支出 lines, 部门情况) against itself, of the
共性 indicators typed in 绩效指标 against the values :mod:`evalnb.store.measures` computes from the same data
(and, for 结转结余率, against what the lines leave unspent), and of budget changes made during the year."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import pandas as pd

from evalnb.review.findings import ERROR, INFO, WARNING, Finding
from evalnb.store.measures import Measure, measure_for
from evalnb.text.fmt import fixed, plain
from evalnb.text.prose import say, words
from evalnb.workbook import (
    ACCOUNTS,
    BUDGET,
    CARRIED_IN,
    CARRIED_OUT,
    EXPENSE_ITEMS,
    INCOME_ITEMS,
    INDICATORS,
    OFFICE,
    PERSONNEL,
    PROJECT,
)

if TYPE_CHECKING:
    from evalnb.rules import Rulebook
    from evalnb.rules.scoring import Scorecard
    from evalnb.store.data import DepartmentYear

W = "findings"                                                # evalnb/templates/prose/findings.j2
CENT = Decimal("0.01")                                        # 0.01万元: how far sums may differ
HALF_CENT = 0.005                                             # 万元: a line's change below this is rounding
LINE_TYPES = {"人员经费": PERSONNEL, "公用经费": OFFICE, "项目支出": PROJECT}
SHOWN = 3                                                     # names quoted in one finding


def _amount(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(round(value, 6)))


def carry_over_explains(dy: DepartmentYear, overspend: float) -> bool:
    """Whether spending ``overspend`` 万元 above the 全年预算 is covered by 上年结转 (a 决算 may spend it)."""
    carried = dy.account(CARRIED_IN)
    return carried is not None and carried + 0.005 >= overspend


def income_covers_spending(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """支出 ≤ 收入 + 上年结转, on the 收支总表's 决算 figures."""
    given = [i for i in INCOME_ITEMS if dy.account(i) is not None]
    if dy.accounts.empty or not given:           # a sheet without income rows says nothing about income
        return
    spent = sum((a for i in EXPENSE_ITEMS if (a := _amount(dy.account(i))) is not None), Decimal(0))
    income = sum((a for i in INCOME_ITEMS if (a := _amount(dy.account(i))) is not None), Decimal(0))
    carried = _amount(dy.account(CARRIED_IN)) or Decimal(0)
    if spent > income + carried + CENT:
        yield Finding(ERROR, "spending-above-income",
                      say(W, "spending_above_income", *map(float, (spent, income, carried, income + carried))),
                      ACCOUNTS.name)
    closing = _amount(dy.account(CARRIED_OUT))
    complete = dy.account(CARRIED_IN) is not None and all(dy.account(i) is not None for i in EXPENSE_ITEMS)
    if closing is not None and complete and abs(carried + income - spent - closing) > CENT:
        yield Finding(WARNING, "accounts-unbalanced",
                      say(W, "accounts_unbalanced", *map(float, (carried, income, spent, carried + income - spent)),
                          CARRIED_OUT, float(closing)), ACCOUNTS.name)


def lines_match_accounts(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """Each 支出 科目 of the 收支总表 equals the 项目支出 lines of that 支出类型 (when the workbook lists them)."""
    for item, expense_type in LINE_TYPES.items():
        final = _amount(dy.account(item))
        lines = dy.budget[dy.budget["expense_type"] == expense_type]
        if final is None or lines.empty:
            continue
        total = sum((_amount(v) for v in lines["executed"]), Decimal(0))
        if abs(total - final) > CENT:
            rows = dy.accounts.index[dy.accounts["item"] == item]
            yield Finding(ERROR, "accounts-lines-mismatch",
                          say(W, "accounts_lines_mismatch", item, float(final), expense_type, float(total),
                              float(abs(total - final))), ACCOUNTS.name, int(dy.accounts.loc[rows[0], "row"]))


def _typed_decimals(value: float) -> int:
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _basis(m: Measure) -> str:
    parts = [say(W, "measure_part", name, fixed(float(v), 2) if unit == "万元" else plain(float(v)), unit)
             for name, v, unit in m.parts]
    return say(W, "measure_basis", m.formula, parts)


def common_indicators(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """A 共性 indicator typed in 绩效指标 (结转结余率, “三公经费”控制率 …) equals what the budget data gives;
    where the data cannot give 结转结余率, it is at least what the lines left unspent."""
    measures = dy.measures
    for _, ind in dy.indicators.iterrows():
        name = measure_for(ind["name"])
        if name is None or ind["nature"] != "定量" or ind["unit"] != "%" or isinstance(ind.get("project"), str):
            continue            # a project's own 预算执行率 is not the department's
        m = measures[name]
        where = (INDICATORS.name, int(ind["row"]), ind["name"])
        if not m.computed:
            below = _below_unspent(dy, ind) if name == words(W, "carry_over_rate") else None
            yield (Finding(ERROR, "carry-over-below-unspent", below, *where) if below else
                   Finding(INFO, "common-indicator-unverifiable",
                           say(W, "common_indicator_unverifiable", ind["name"], m.missing), *where))
            continue
        decimals = _typed_decimals(ind["actual"])
        computed = m.value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        typed = Decimal(repr(ind["actual"]))
        if computed != typed:
            yield Finding(ERROR, "common-indicator-mismatch",
                          say(W, "common_indicator_mismatch", ind["name"], ind["actual"], float(m.value), _basis(m)), *where)


def _below_unspent(dy: DepartmentYear, ind: pd.Series) -> str | None:
    """Why a typed 结转结余率 is below what the lines left unspent (1 − 全年执行数 ÷ 全年预算数), or None.

    Lines that hold 基本支出 too are the whole budget: the rate cannot be below their unspent share. Lines of
    projects only bound it less (the whole budget is larger): there only a typed 0% is a contradiction."""
    budget, executed = (sum((_amount(v) for v in dy.budget[c]), Decimal(0)) for c in ("budget", "executed"))
    if budget <= 0 or budget - executed <= CENT:
        return None
    share = (budget - executed) / budget * 100
    typed = Decimal(repr(ind["actual"]))
    shown = share.quantize(Decimal(1).scaleb(-_typed_decimals(ind["actual"])), rounding=ROUND_HALF_UP)
    whole = (dy.budget["expense_type"] != PROJECT).any()
    if typed >= shown or not (whole or typed == 0):
        return None
    return say(W, "carry_over_below_unspent", ind["name"], ind["actual"], float(budget), float(budget - executed),
               float(share / 100))


def _explained(line: pd.Series, explanation: str) -> bool:
    """A line's change is explained by its 备注, or by 预算执行说明 naming it (or a project's 原因 in 项目情况)."""
    note = line["note"]
    return (isinstance(note, str) and bool(note.strip())) or line["name"] in explanation


def budget_changes(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """Budget added to a line that had none (年初预算数 0) or adjusted during the year, without a reason:
    each added line on its own, the adjusted lines together."""
    explanation = "".join(dy.text(words(W, "explanation_section")))
    explanation += "".join(dy.project_info.loc[dy.project_info["reason"].notna(), "name"])
    lines = dy.budget[(dy.budget["budget"] - dy.budget["initial"]).abs() >= HALF_CENT]
    lines = lines.loc[[not _explained(line, explanation) for _, line in lines.iterrows()]]
    added = lines[(lines["initial"].abs() < HALF_CENT) & (lines["budget"] > 0)]
    for _, line in added.iterrows():
        yield Finding(WARNING, "budget-added-unexplained",
                      say(W, "budget_added", line["name"], line["source"], line["budget"]), BUDGET.name, int(line["row"]))
    adjusted = lines.drop(added.index)
    if not adjusted.empty:
        change = adjusted["budget"] - adjusted["initial"]
        # each line with its amounts (年初 → 全年, 追加 or 调减), the largest changes first; 追加 and 调减 summed apart,
        # so a cut on one line does not hide an addition on another (湖南's gross 预算控制率)
        shown = [(r["name"], float(r["initial"]), float(r["budget"]))
                 for _, r in adjusted.loc[change.abs().sort_values(ascending=False).index].iterrows()]
        row = int(adjusted["row"].iloc[0]) if len(adjusted) == 1 else None
        message = say(W, "budget_adjusted", len(adjusted), float(change[change > 0].sum()),
                      float(-change[change < 0].sum()), shown[:SHOWN], len(shown) > SHOWN)
        yield Finding(WARNING, "budget-adjusted-unexplained", message, BUDGET.name, row)


BUDGET_CHECKS = (income_covers_spending, lines_match_accounts, common_indicators, budget_changes)
# What `evalnb ingest` reports right after storing a workbook (the whole budget's consistency).
BUDGET_CODES = ("budget-exceeded", "spending-above-income", "accounts-unbalanced", "accounts-lines-mismatch",
                "common-indicator-mismatch", "carry-over-below-unspent")
