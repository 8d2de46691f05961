"""The 共性 measures of 部门整体 frameworks, computed from the department's budget data (domain-rules §4):
预算执行率, 预算调整率, 结转结余率, "三公经费"控制率 and 变动率, 政府采购执行率, 在职人员控制率, 公用经费控制率.

Each :class:`Measure` carries its formula in words (worded by ``templates/prose/measures.j2``; the measures'
names, the rulebooks' keys, stay here) and the amounts it was computed from, or, when the
workbook does not hold what it needs, why it cannot be computed ("未提供收支总表，无法计算结转结余率").
Arithmetic is Decimal from the stored amounts (the store keeps six decimals) to the ratio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from evalnb.text.prose import say, words
from evalnb.workbook import (
    BALANCE_TO_CARRY_IN,
    CARRIED_IN,
    CARRIED_OUT,
    EXPENSE_ITEMS,
    GROSS_CONTROL,
    OFFICE,
    PROJECT,
    THREE_PUBLIC,
    WITH_CARRY_IN,
)

if TYPE_CHECKING:
    from evalnb.store.data import DepartmentYear

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Measure:
    name: str
    formula: str                                   # in words: 年末结转结余 ÷ 全年预算数 × 100%
    value: Decimal | None = None                   # in percent (24 means 24%); None: cannot be computed
    parts: tuple[tuple[str, Decimal, str], ...] = ()   # (name in the formula, amount, unit) it was computed from
    missing: str | None = None                     # why it cannot be computed

    @property
    def computed(self) -> bool:
        return self.value is not None


def _d(value: float | None) -> Decimal | None:
    """A stored amount as the exact decimal it was typed as (the store keeps six decimals)."""
    return None if value is None else Decimal(repr(round(value, 6)))


Why = str | tuple[str, ...]   # why a measure cannot be computed: said, or a sentence of measures.j2 and its values
#                               before the measure's name


def _ratio(name: str, top: Decimal | None, bottom: Decimal | None, missing: Why, change: bool = False,
           unit: str = "万元", defined: tuple[str, str, str] | None = None) -> Measure:
    """top ÷ bottom × 100% (with ``change``: (top − bottom) ÷ bottom × 100%); its formula and terms as
    ``measures.j2`` words them, or as ``defined`` (formula, top's name, bottom's name) by the workbook."""
    formula, top_name, bottom_name = defined or _formula(name, change)
    if top is None or bottom is None:
        return Measure(name, formula, missing=missing if isinstance(missing, str) else say("measures", *missing, name))
    if bottom == 0:
        return Measure(name, formula, missing=say("measures", "zero", bottom_name, name))
    value = ((top - bottom) if change else top) / bottom * HUNDRED
    return Measure(name, formula, value, ((top_name, top, unit), (bottom_name, bottom, unit)))


def _formula(name: str, change: bool) -> tuple[str, str, str]:
    top, bottom = words("measures", "terms")[name]
    return say("measures", "formula", top, bottom, change), top, bottom


def _sum(values: list[float | None]) -> Decimal | None:
    """The exact sum, or None if any part is missing (or there are none)."""
    decimals = [_d(v) for v in values]
    return None if not decimals or any(v is None for v in decimals) else sum(decimals, Decimal(0))


def _lines(dy: DepartmentYear, column: str, expense_type: str | None = None) -> Decimal | None:
    lines = dy.budget if expense_type is None else dy.budget[dy.budget["expense_type"] == expense_type]
    return None if lines.empty else sum((_d(v) for v in lines[column]), Decimal(0))


def execution(dy: DepartmentYear) -> list[Measure]:
    executed, budget, initial = (_lines(dy, c) for c in ("executed", "budget", "initial"))
    return [
        _ratio("预算执行率", executed, budget, ("not_given", "budget")),
        _ratio("年初预算执行率", executed, initial, ("not_given", "budget")),
        _ratio("预算调整率", budget, initial, ("not_given", "budget"), change=True),
        # 湖南's gross rate: what was added during the year, line by line, however much was cut elsewhere
        _ratio(GROSS_CONTROL[0], _added(dy), initial, GROSS_CONTROL[4], defined=GROSS_CONTROL[1:4]),
        # 10号's 全年预算数 includes 上年结转: where the lines leave it out, the 收支总表's 上年结转 joins the base
        _ratio(WITH_CARRY_IN[0], executed, _with_carry_in(dy, budget), WITH_CARRY_IN[4], defined=WITH_CARRY_IN[1:4]),
    ]


def _with_carry_in(dy: DepartmentYear, budget: Decimal | None) -> Decimal | None:
    carried = None if dy.accounts.empty else _d(dy.account(CARRIED_IN))
    return None if budget is None or carried is None else budget + carried


def _added(dy: DepartmentYear) -> Decimal | None:
    """本年追加: the sum of each line's increase over its 年初预算数 (a cut elsewhere does not offset it)."""
    if dy.budget.empty:
        return None
    return sum((max(_d(b) - _d(i), Decimal(0)) for b, i in zip(dy.budget["budget"], dy.budget["initial"], strict=True)),
               Decimal(0))


def carry_over(dy: DepartmentYear) -> list[Measure]:
    """结转结余率 on the 全年预算 of all spending: the 收支总表's 支出 科目 when they all give it, else the lines."""
    carried = _d(dy.account(CARRIED_OUT)) if not dy.accounts.empty else None
    listed = [item for item in EXPENSE_ITEMS if dy.account(item) is not None]      # the 支出 科目 the sheet gives
    planned = _sum([dy.account(item, "budget") for item in listed])
    whole = (dy.budget["expense_type"] != PROJECT).any()      # the lines hold 基本支出 too: the whole budget
    budget = planned if planned is not None else (_lines(dy, "budget") if whole else None)
    prior = _d(dy.account(CARRIED_OUT, "prior_final")) if not dy.accounts.empty else None
    if prior is None and dy.comparable_prior is not None and not dy.comparable_prior.accounts.empty:
        prior = _d(dy.comparable_prior.account(CARRIED_OUT))
    if dy.accounts.empty:
        missing: Why = ("not_given", "accounts")
    elif carried is None:
        missing = ("unfilled", CARRIED_OUT)
    else:
        missing = ("no_spending_budget",)
    return [
        _ratio("结转结余率", carried, budget, missing),
        _ratio("结转结余变动率", carried, prior,      # no 年末结转结余: the rate's own reason, as it is
               ("not_given", "prior_carry") if carried is not None else say("measures", *missing, "结转结余率"),
               change=True),
        _ratio(BALANCE_TO_CARRY_IN[0], carried, _d(dy.account(CARRIED_IN)) if not dy.accounts.empty else None,
               BALANCE_TO_CARRY_IN[4], defined=BALANCE_TO_CARRY_IN[1:4]),
    ]


def office_costs(dy: DepartmentYear) -> Measure:
    """公用经费控制率: the 收支总表's 公用经费 (决算 ÷ 全年预算) if given, else the 公用经费 lines of 项目支出."""
    actual, budget = _d(dy.account("公用经费")), _d(dy.account("公用经费", "budget"))
    if actual is None or budget is None:
        actual, budget = _lines(dy, "executed", OFFICE), _lines(dy, "budget", OFFICE)
    return _ratio("公用经费控制率", actual, budget, ("not_given", "office"))


def department_facts(dy: DepartmentYear) -> list[Measure]:
    given = [item for item in THREE_PUBLIC if dy.fact(item) is not None]     # an item left blank is not counted

    def total(column: str) -> Decimal | None:
        return _sum([dy.fact(item, column) for item in given]) if given else None

    return [
        _ratio("“三公经费”控制率", total("actual"), total("budget"), ("not_given", "three_public")),
        _ratio("“三公经费”变动率", total("actual"), total("prior_actual"),
               ("not_given", "three_public_prior"), change=True),
        _ratio("“三公经费”预算变动率", total("budget"), total("prior_budget"),
               ("not_given", "three_public_budgets"), change=True),
        _ratio("政府采购执行率", _d(dy.fact("政府采购")), _d(dy.fact("政府采购", "budget")),
               ("not_given", "procurement")),
        _ratio("在职人员控制率", _d(dy.fact("在职人数")), _d(dy.fact("编制人数")), ("not_given", "staff"), unit="人"),
    ]


def compute(dy: DepartmentYear) -> dict[str, Measure]:
    """Every 共性 measure by name, computed or saying why not."""
    found = [*execution(dy), *carry_over(dy), office_costs(dy), *department_facts(dy)]
    return {m.name: m for m in found}


ALIASES = {"预算完成率": "预算执行率", "支出预算执行率": "预算执行率", "部门预算执行率": "预算执行率",
           "结转结余资金率": "结转结余率", "三公经费控制率": "“三公经费”控制率", "三公经费变动率": "“三公经费”变动率",
           "在职人员控制率": "在职人员控制率", "政府采购执行率": "政府采购执行率"}
_QUOTES = re.compile(r"[\"“”'‘’「」\s]")


def measure_for(indicator_name: str) -> str | None:
    """The measure an indicator typed in 绩效指标 reports, by its name ("三公经费"控制率 and “三公经费”控制率
    alike); None if it is not a 共性 measure."""
    bare = _QUOTES.sub("", indicator_name)
    names = {_QUOTES.sub("", n): n for n in MEASURE_NAMES}
    return names.get(bare) or ALIASES.get(bare)


MEASURE_NAMES = (
    "预算执行率",
    "年初预算执行率",
    WITH_CARRY_IN[0],
    "预算调整率",
    GROSS_CONTROL[0],
    "结转结余率",
    "结转结余变动率",
    BALANCE_TO_CARRY_IN[0],
    "公用经费控制率",
    "“三公经费”控制率",
    "“三公经费”变动率",
    "“三公经费”预算变动率",
    "政府采购执行率",
    "在职人员控制率",
)
