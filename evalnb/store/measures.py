"""The 共性 measures of 部门整体 frameworks, computed from the department's budget data (domain-rules §4):
预算执行率, 预算调整率, 结转结余率, "三公经费"控制率 and 变动率, 政府采购执行率, 在职人员控制率, 公用经费控制率.

Each :class:`Measure` carries its formula in words and the amounts it was computed from, or, when the
workbook does not hold what it needs, why it cannot be computed ("未提供收支总表，无法计算结转结余率").
Arithmetic is Decimal from the stored amounts (the store keeps six decimals) to the ratio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from evalnb.workbook import (
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


def _ratio(name: str, formula: str, numerator: tuple[str, Decimal | None], denominator: tuple[str, Decimal | None],
           missing: str, change: bool = False, unit: str = "万元") -> Measure:
    """numerator ÷ denominator × 100% (with ``change``: (numerator − denominator) ÷ denominator × 100%)."""
    (top_name, top), (bottom_name, bottom) = numerator, denominator
    if top is None or bottom is None:
        return Measure(name, formula, missing=missing)
    if bottom == 0:
        return Measure(name, formula, missing=f"{bottom_name}为 0，无法计算{name}")
    value = ((top - bottom) if change else top) / bottom * HUNDRED
    return Measure(name, formula, value, ((top_name, top, unit), (bottom_name, bottom, unit)))


def _sum(values: list[float | None]) -> Decimal | None:
    """The exact sum, or None if any part is missing (or there are none)."""
    decimals = [_d(v) for v in values]
    return None if not decimals or any(v is None for v in decimals) else sum(decimals, Decimal(0))


def _lines(dy: DepartmentYear, column: str, expense_type: str | None = None) -> Decimal | None:
    lines = dy.budget if expense_type is None else dy.budget[dy.budget["expense_type"] == expense_type]
    return None if lines.empty else sum((_d(v) for v in lines[column]), Decimal(0))


def _no_sheet(sheet: str, name: str) -> str:
    return f"未提供{sheet}，无法计算{name}"


def execution(dy: DepartmentYear) -> list[Measure]:
    executed, budget, initial = (_lines(dy, c) for c in ("executed", "budget", "initial"))
    return [
        _ratio("预算执行率", "全年执行数 ÷ 全年预算数 × 100%", ("全年执行数", executed), ("全年预算数", budget),
               _no_sheet("项目支出", "预算执行率")),
        _ratio("年初预算执行率", "全年执行数 ÷ 年初预算数 × 100%", ("全年执行数", executed), ("年初预算数", initial),
               _no_sheet("项目支出", "年初预算执行率")),
        _ratio("预算调整率", "（全年预算数 − 年初预算数）÷ 年初预算数 × 100%", ("全年预算数", budget),
               ("年初预算数", initial), _no_sheet("项目支出", "预算调整率"), change=True),
        # 湖南's gross rate: what was added during the year, line by line, however much was cut elsewhere
        _ratio(GROSS_CONTROL[0], GROSS_CONTROL[1], (GROSS_CONTROL[2], _added(dy)), (GROSS_CONTROL[3], initial),
               GROSS_CONTROL[4]),
        # 10号's 全年预算数 includes 上年结转: where the lines leave it out, the 收支总表's 上年结转 joins the base
        _ratio(WITH_CARRY_IN[0], WITH_CARRY_IN[1], (WITH_CARRY_IN[2], executed),
               (WITH_CARRY_IN[3], _with_carry_in(dy, budget)), WITH_CARRY_IN[4]),
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
        missing = _no_sheet("收支总表", "结转结余率")
    elif carried is None:
        missing = f"收支总表未填“{CARRIED_OUT}”，无法计算结转结余率"
    else:
        missing = "收支总表未填人员经费、公用经费、项目支出的全年预算数（项目支出表也只有项目），无法计算结转结余率"
    return [
        _ratio("结转结余率", f"{CARRIED_OUT} ÷ 全年预算数 × 100%", (CARRIED_OUT, carried), ("全年预算数", budget), missing),
        _ratio("结转结余变动率", f"（本年{CARRIED_OUT} − 上年{CARRIED_OUT}）÷ 上年{CARRIED_OUT} × 100%",
               (f"本年{CARRIED_OUT}", carried), (f"上年{CARRIED_OUT}", prior),
               missing if carried is None else "未提供上年年末结转结余，无法计算结转结余变动率", change=True),
    ]


def office_costs(dy: DepartmentYear) -> Measure:
    """公用经费控制率: the 收支总表's 公用经费 (决算 ÷ 全年预算) if given, else the 公用经费 lines of 项目支出."""
    actual, budget = _d(dy.account("公用经费")), _d(dy.account("公用经费", "budget"))
    if actual is None or budget is None:
        actual, budget = _lines(dy, "executed", OFFICE), _lines(dy, "budget", OFFICE)
    return _ratio("公用经费控制率", "公用经费实际支出 ÷ 公用经费预算数 × 100%", ("公用经费实际支出", actual),
                  ("公用经费预算数", budget), "未提供公用经费的预算数和决算数（收支总表或支出类型为基本支出-公用经费的行），"
                                         "无法计算公用经费控制率")


def department_facts(dy: DepartmentYear) -> list[Measure]:
    given = [item for item in THREE_PUBLIC if dy.fact(item) is not None]     # an item left blank is not counted

    def total(column: str) -> Decimal | None:
        return _sum([dy.fact(item, column) for item in given]) if given else None

    sheet = "部门情况"
    return [
        _ratio("“三公经费”控制率", "“三公经费”实际支出 ÷ “三公经费”预算数 × 100%", ("“三公经费”实际支出", total("actual")),
               ("“三公经费”预算数", total("budget")), _no_sheet(f"{sheet}中“三公经费”三项的预算数和实际数", "“三公经费”控制率")),
        _ratio("“三公经费”变动率", "（本年“三公经费” − 上年“三公经费”）÷ 上年“三公经费” × 100%",
               ("本年“三公经费”", total("actual")), ("上年“三公经费”", total("prior_actual")),
               _no_sheet(f"{sheet}中“三公经费”三项的本年和上年实际数", "“三公经费”变动率"), change=True),
        _ratio("“三公经费”预算变动率", "（本年“三公经费”预算数 − 上年“三公经费”预算数）÷ 上年“三公经费”预算数 × 100%",
               ("本年“三公经费”预算数", total("budget")), ("上年“三公经费”预算数", total("prior_budget")),
               _no_sheet(f"{sheet}中“三公经费”三项的本年和上年预算数", "“三公经费”预算变动率"), change=True),
        _ratio("政府采购执行率", "实际采购金额 ÷ 政府采购预算数 × 100%", ("实际采购金额", _d(dy.fact("政府采购"))),
               ("政府采购预算数", _d(dy.fact("政府采购", "budget"))), _no_sheet(f"{sheet}中政府采购的预算数和实际数",
                                                                         "政府采购执行率")),
        _ratio("在职人员控制率", "在职人数 ÷ 编制人数 × 100%", ("在职人数", _d(dy.fact("在职人数"))),
               ("编制人数", _d(dy.fact("编制人数"))), _no_sheet(f"{sheet}中在职人数和编制人数", "在职人员控制率"),
               unit="人"),
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
    "公用经费控制率",
    "“三公经费”控制率",
    "“三公经费”变动率",
    "“三公经费”预算变动率",
    "政府采购执行率",
    "在职人员控制率",
)
