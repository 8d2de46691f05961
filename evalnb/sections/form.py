"""The 自评表's indicator block as the rulebook lays it out: its columns, in its order, one row per scored leaf
(the department's indicators and the rulebook's own 计算/扣分 rows), for the report's appendix and the Excel
export alike.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalnb.rules import Rulebook
from evalnb.rules.model import CLOSING_FIELDS, HEADER_FIELDS
from evalnb.rules.scoring import IndicatorScore, Scorecard
from evalnb.store.data import DepartmentYear
from evalnb.text.fmt import goal, measure, percent, plain
from evalnb.text.prose import say, shipped_words, words
from evalnb.workbook import CORE_ANSWERS, NOT_APPLICABLE, SIGNERS

NUMERIC = ("weight", "coefficient", "score")
TEXT = ("content", "standard", "basis", "deviation_note")


def header(card: Scorecard, dy: DepartmentYear, book: Rulebook) -> list[tuple[str, str]]:
    """The form's header fields as the region prints them, each with its value (blank where the data has none:
    联系人 and 联系电话 are filled in by hand on the printed form; 单位：万元 is a label alone)."""
    values = {"department": dy.department, "parent": dy.parent or "", "total": plain(card.total),
              "date": dy.report_date.isoformat() if dy.report_date else "", "unit": "",
              "project": dy.project_name or "", "implementer": dy.project_details.get("unit", dy.department)}
    shape = book.spec.form
    fields = shape.project_header if dy.project_name and shape.project_header else shape.header
    return [(field, values.get(HEADER_FIELDS[field], "")) for field in fields]


def closing(card: Scorecard, dy: DepartmentYear, book: Rulebook) -> list[tuple[str, str]]:
    """The form's closing rows (评价结论 / 存在问题 / 改进措施): the score and grade (or a project's own 评价结论),
    the department's own words."""
    def said(field: str) -> str:
        section = CLOSING_FIELDS[field]
        if section is None:
            return "；".join(dy.text(field)) or say("appendix", "form_conclusion", card.total, card.grade)
        return "；".join(dy.text(section))
    return [(field, said(field)) for field in book.spec.form.closing]


def signatures(dy: DepartmentYear, book: Rulebook) -> list[tuple[str, str]]:
    """The form's signature lines, each with the name the project's 项目情况 gives (blank: signed by hand)."""
    return [(who, dy.project_details.get(SIGNERS.get(who, ""), "")) for who in book.spec.form.signatures]


def funds(card: Scorecard, dy: DepartmentYear, book: Rulebook) -> list[tuple[str, float, float, float]]:
    """The funds block's parts (name, 年初, 全年, 执行), after the total: the rulebook's ``funds_rows`` by 资金性质 (each
    printed, 0 where no line has it); else the 10号 rows when every line gives its 资金性质; else by 资金来源."""
    lines = dy.budget
    if book.spec.form.funds_rows:
        return [(name, *(float(lines.loc[lines["fund_nature"] == name, c].sum()) for c in ("initial", "budget",
                                                                                          "executed")))
                for name in book.spec.form.funds_rows]
    by = "fund_nature" if lines["fund_nature"].notna().all() else "source"
    return [(name, float(g["initial"].sum()), float(g["budget"].sum()), float(g["executed"].sum()))
            for name, g in lines.groupby(by, sort=False)]


def funds_points(book: Rulebook) -> bool:
    """Whether the funds block carries 分值 and 得分 (10号, 四川) or only amounts and the rate (石家庄)."""
    return book.spec.form.funds_points


def columns(book: Rulebook) -> list[str]:
    return [c.key for c in book.spec.form.columns]


def headers(book: Rulebook) -> list[str]:
    """The rulebook's header where it names one, else the template's word for the column (the shipped word
    where a region's copy of the template predates the column)."""
    default = words("appendix", "indicator_table")["headers"]
    return [c.header if c.header is not None else default[c.key] if c.key in default
            else shipped_words("appendix", "indicator_table")["headers"][c.key] for c in book.spec.form.columns]


def wide(book: Rulebook) -> tuple[int, ...]:
    """The columns of running text (评价标准, 偏差原因…), given room to read in the report."""
    return tuple(i for i, key in enumerate(columns(book)) if key in TEXT)


def numeric(book: Rulebook) -> tuple[int, ...]:
    return tuple(i for i, key in enumerate(columns(book)) if key in NUMERIC)


def target_text(r: Any) -> str:
    """The target in force as the 自评表 writes it: ≥300家, or a 定性 target's words."""
    return _goal(r, r.target, r.target_text)


def initial_text(r: Any) -> str:
    """年初指标值: the 年度指标值 as typed (the target in force when it was not adjusted)."""
    return _goal(r, r.get("initial_target"), r.get("initial_target_text")) if adjusted(r) else target_text(r)


def adjusted(r: Any) -> bool:
    """Whether a 调整指标值 was typed (data.in_force): the form prints it, equal to the first target or not."""
    flag = r.get("target_adjusted", False)
    return pd.notna(flag) and bool(flag)


def changed(r: Any) -> bool:
    """Whether the 调整指标值 differs from the 年度指标值: a target changed during the year, to be told."""
    return adjusted(r) and initial_text(r) != target_text(r)


def _goal(r: Any, value: object, text: object) -> str:
    if r.nature != "定量" or pd.isna(value):           # 定性, 自评, or a 不适用 row as typed
        return text if isinstance(text, str) else ""
    shown = goal(value, r.unit, r.direction)
    return shown if shown.startswith("前") else f"{r.direction}{shown}"      # 前20位, ≥300家


def rows(card: Scorecard, dy: DepartmentYear, book: Rulebook, typed: bool = False) -> list[tuple]:
    """One tuple per scored leaf in tree order; ``typed``: numbers stay numbers (Excel), else shown as text."""
    by_row = {int(r["row"]): r for _, r in dy.indicators.iterrows()}
    keys = columns(book)
    return [tuple(cell(key, item, by_row.get(item.row) if item.row else None, typed) for key in keys)
            for item in card.items]


def foot(card: Scorecard, book: Rulebook, typed: bool = False) -> tuple:
    """The 总分 row: its label in the first column, the points under 分值 and 得分."""
    label = words("appendix", "indicator_table")["total"]
    values = {"weight": card.max_points if typed else plain(card.max_points),
              "score": card.total if typed else f"{card.total:.2f}".rstrip("0").rstrip(".")}
    keys = columns(book)
    return tuple(label if i == 0 else values.get(key, None if typed else "") for i, key in enumerate(keys))


def cell(key: str, item: IndicatorScore, r: pd.Series | None, typed: bool = False) -> object:
    """One cell of an indicator's row."""
    if key in ("weight", "score", "coefficient"):
        return _number(key, item, typed)
    if key == "actual":
        return _actual(item, r)
    if key in TARGETS:
        return (TARGETS[key](r) if r is not None else "") or ("" if not typed else None)
    if key in ("unit", "deviation_note"):
        value = r[key] if r is not None else None
        return value if isinstance(value, str) else ("" if not typed else None)
    if key == "basis":
        return item.basis
    if key == "core":
        return _core(r, typed)
    return getattr(item, key) or ""


def _number(key: str, item: IndicatorScore, typed: bool) -> object:
    if not item.applicable and key != "weight":
        return None if typed else words("appendix", "indicator_table")["not_applicable"]
    value = item.coefficient if key == "coefficient" else getattr(item, key)
    if typed:
        return value
    return percent(value, strip=True) if key == "coefficient" else plain(value)


TARGETS = {"target": target_text, "initial_target": initial_text,
           "adjusted_target": lambda r: target_text(r) if adjusted(r) else ""}


def _core(r: pd.Series | None, typed: bool) -> str | None:
    """是否核心指标 as the row says it: 是, 否, or blank (not said, or a row of the rulebook's own)."""
    said = r.get("core") if r is not None else None
    if said is None or pd.isna(said):
        return None if typed else ""
    return CORE_ANSWERS[0] if said else CORE_ANSWERS[1]


def _actual(item: IndicatorScore, r: pd.Series | None) -> str:
    if not item.applicable:
        return NOT_APPLICABLE
    if item.method == "measure":
        return percent(item.measured / 100) if item.measured is not None else "—"
    if item.method == "deduction":
        return "；".join(item.reasons) or _indicator_words("no_deductions")
    if r is None:
        return ""
    return actual_shown(r) if r["nature"] == "定量" else (r["actual_text"] or "")


def approximate(r: pd.Series) -> bool:
    """A 定量 actual the department typed as an approximate figure (超10亿元, 2700余家)."""
    return isinstance(r["actual_text"], str) and bool(r["actual_text"])


def actual_shown(r: pd.Series) -> str:
    """A 定量 actual as the report writes it: 336家, 第17位; an approximate figure as typed (超10亿元)."""
    return r["actual_text"] if approximate(r) else measure(r["actual"], r["unit"])


def _indicator_words(key: str) -> str:
    """A word of the indicator table; a region's copy made before ``key`` existed gets the shipped one."""
    return words("appendix", "indicator_table").get(key) or shipped_words("appendix", "indicator_table")[key]
