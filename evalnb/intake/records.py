"""The sheets' rows as the store's records: 基本信息, 文字材料, 项目支出, 绩效指标 (targets, directions, ranks,
adjusted targets), 评价工作组, 收支总表, 部门情况, 扣分事项; and the checks across rows (projects, duplicates,
the rulebook's tree)."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from evalnb import limits as _limits
from evalnb import settings
from evalnb.errors import Problem, RulebookError
from evalnb.intake.package import brief
from evalnb.intake.rows import Row, cut_short
from evalnb.intake.sheets import store_widths
from evalnb.rules import DEFAULT_RULES, Rulebook, fit, load_rulebook
from evalnb.store.submission import Submission
from evalnb.text.fmt import RANK_UNITS
from evalnb.text.numbers import NumberFormatError, normalize_text, parse_number, shown
from evalnb.workbook import (
    ACCOUNT_ITEMS,
    ACCOUNTS,
    APPROXIMATE_AFTER,
    APPROXIMATE_BEFORE,
    BUDGET,
    CORE_ANSWERS,
    DATA_NATURES,
    DIRECTIONS,
    EXPENSE_TYPES,
    FACT_ITEMS,
    FACT_UNITS,
    FACTS,
    FUND_NATURES,
    INDICATORS,
    NOT_APPLICABLE,
    PROFILE,
    PROFILE_FIELDS,
    PROJECT,
    PROJECT_INFO,
    REQUIRED_PROFILE_FIELDS,
    TEAM,
    TEAM_ROLES,
    TEXT_ORIGINS,
    TEXT_SECTIONS,
    Sheet,
)

SEPARATORS = r"[;；、]"


# Profile fields stored in a String column of dept_years (the width PostgreSQL enforces).
PROFILE_STORE_COLUMNS = {"部门名称": "department", "上级主管部门": "parent", "评分规则": "rules", "评价等级": "declared_grade",
                         "附件编号": "attachment", "项目评分规则": "project_rules"}


def profile_record(rows: list[Row], file: str, problems: list[Problem], limits: _limits.Limits,
             complain: bool = True) -> dict[str, Any]:
    """The 基本信息 fields; ``complain`` is False when the sheet could not be read at all (already reported)."""
    fields: dict[str, Row] = {}
    widths = store_widths()[PROFILE.name]
    for row in rows:
        name = row.choice("field", tuple(PROFILE_FIELDS))
        if name in fields:
            row.problem("field", f"字段“{name}”重复（第{fields[name].excel_row}行已填写）")
        elif name:
            fields[name] = row
            if name in PROFILE_STORE_COLUMNS:
                row.check_text("value", widths.get(PROFILE_STORE_COLUMNS[name], limits.text_chars))
                row.check_one_line("value")
    for name in REQUIRED_PROFILE_FIELDS:
        if complain and (name not in fields or not fields[name].text("value")) and \
                not (name in fields and "value" in fields[name].bad):
            where = fields[name].excel_row if name in fields else None
            problems.append(Problem(file, PROFILE.name, where, "内容" if where else "字段", None,
                                    f"缺少必填字段“{name}”"))

    def field(name: str, read: str = "text") -> Any:
        row = fields.get(name)
        return getattr(row, read)("value") if row is not None else None

    year = field("年度", "number") if field("年度") else None
    if year is not None and (year != int(year) or not limits.min_year <= year <= limits.max_year):
        fields["年度"].problem("value", f"应为四位整数年份，如 2024（{limits.min_year}–{limits.max_year}）")
        year = None
    nature = fields["数据性质"].choice("value", DATA_NATURES, required=False) if "数据性质" in fields else None
    return {
        "department": field("部门名称"),
        "year": int(year) if year is not None else None,
        "parent": field("上级主管部门"),
        "rules": field("评分规则", "token") or DEFAULT_RULES,
        "nature": nature or "正式",
        "declared_total": field("自评总分", "score"),
        "declared_grade": field("评价等级"),
        "report_date": _date(fields["报告日期"]) if "报告日期" in fields else None,
        "attachment": field("附件编号"),
        "project_rules": field("项目评分规则", "token"),
    }


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def _date(row: Row) -> date | None:
    """报告日期: an Excel date cell, or text such as 2025-03-10, 2025/3/10, 2025.3.10, 2025年3月10日."""
    raw = row.cells.get("value")
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = normalize_text(raw).replace(" ", "")
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    row.problem("value", "应为日期，如 2025-03-10 或 2025年3月10日")
    return None


def named_rulebook(profile_rows: list[Row], rules: str, field: str = "评分规则") -> Rulebook | None:
    """The workbook's rulebook (``field``: 评分规则, or 项目评分规则 for the project forms), or None (with a problem on
    that field) when it names none that loads.

    A workbook names a rulebook; it cannot point at a file (only the person running evalnb can, with --rules)."""
    try:
        if rules.endswith((".yaml", ".yml")) or "/" in rules or "\\" in rules:
            raise RulebookError("工作簿中的评分规则应填规则名称（如 national-2020），不能是文件路径；"
                                f"自定义规则请放入 {settings.RULES_DIR.name} 目录或在命令行用 --rules 指定")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return load_rulebook(rules)
    except (RulebookError, OSError, ValueError) as exc:   # OSError: a name too long for the file system
        row = next(r for r in profile_rows if normalize_text(r.cells.get("field")) == field)
        detail = exc if isinstance(exc, RulebookError) else f"找不到名为 {cut_short(rules)!r} 的评分规则（{brief(exc)}）"
        row.problem("value", f"{field}无效：{detail}")
        return None


def text_record(row: Row) -> dict[str, Any] | None:
    section = row.choice("section", tuple(TEXT_SECTIONS))
    content = row.text("content", required=True)
    origin = row.choice("origin", TEXT_ORIGINS, required=False)
    if section and content:
        return {"row": row.excel_row, "section": section, "content": content, "origin": origin}
    return None


def budget_record(row: Row) -> dict[str, Any] | None:
    record = {
        "row": row.excel_row,
        "name": row.text("name", required=True),
        "category": row.text("category", required=True),
        "source": row.text("source", required=True),
        "initial": row.money("initial", required=True),
        "budget": row.money("budget", required=True),
        "executed": row.money("executed", required=True),
        "note": row.text("note"),
        "expense_type": row.choice("expense_type", EXPENSE_TYPES, required=False) or PROJECT,
        "fund_nature": row.choice("fund_nature", FUND_NATURES, required=False),
    }
    required = ("name", "category", "source", "initial", "budget", "executed")
    return record if all(record[k] is not None for k in required) else None


def indicator_record(row: Row, rulebook: Rulebook | None) -> dict[str, Any] | None:
    level1, level2, name = (row.text(k, required=True) for k in ("level1", "level2", "name"))
    placed = fit.place_row(row, rulebook, level1, level2, name)
    nature = fit.nature(row, placed)
    unit = row.token("unit")
    record: dict[str, Any] = {
        "row": row.excel_row, "level1": level1, "level2": level2, "name": name, "nature": nature, "unit": unit,
        "weight": fit.weight(row, placed), "declared_score": row.score("declared_score"),
        **_comparisons(row, unit), "prior": None,
        "deviation_note": row.text("deviation_note"), "project": row.text("project"), "core": _core(row),
        "direction": None, "target": None, "actual": None, "target_text": None, "actual_text": None,
        "adjusted": None, "adjusted_text": _adjusted_text(row),
        "content": row.text("content"), "standard": row.text("standard"),
    }
    if fit.not_applicable(row):
        record["actual_text"] = NOT_APPLICABLE
        record["target_text"] = row.text("target")
        record["nature"] = nature or NOT_APPLICABLE         # a dropped indicator needs no 指标性质
        ok = _no_adjustment(row, record, "标为不适用的指标")
    elif nature == "定量":
        ok = _quantitative(row, record)
    elif nature == "定性":
        record["target_text"] = row.text("target", required=True)
        record["actual_text"] = row.choice("actual", fit.answers(rulebook, placed))
        ok = record["target_text"] and record["actual_text"]
    elif nature in fit.FIXED_NATURES.values():
        ok = fit.fixed_leaf(row, record, placed) and _no_adjustment(
            row, record, f"指标性质为{record['nature']}的指标由评分规则计分，")
    else:
        ok = False
    required = ("level1", "level2", "name", "weight")
    return record if ok and all(record[k] is not None for k in required) else None


# what forms write in an empty 调整指标值 cell; taken as a target they would replace the real one
NO_ADJUSTMENT = ("/", "／", "-", "--", "–", "—", "——", "无", "暂无", "未调整", "不调整", "无调整", "未变", "无变化", "同上",
                 "同年初", "N/A", "NA", "否", NOT_APPLICABLE)


def _adjusted_text(row: Row) -> str | None:
    text = row.text("adjusted")
    if text is not None and normalize_text(text) in NO_ADJUSTMENT:
        row.problem("adjusted", "指标值未调整的请留空（不填“/”“无”“不适用”等）")
        return None
    return text


def _no_adjustment(row: Row, record: dict[str, Any], which: str) -> bool:
    """A row the rulebook scores (计算, 扣分, 自评) or a 不适用 one has no target of the department's to adjust."""
    if record["adjusted_text"] is None:
        return True
    row.problem("adjusted", f"{which}不填调整指标值")
    return False


def _core(row: Row) -> bool | None:
    """是否核心指标: 是 / 否, or None when the row does not say."""
    answer = row.choice("core", CORE_ANSWERS, required=False)
    return None if answer is None else answer == CORE_ANSWERS[0]


def _quantitative(row: Row, record: dict[str, Any]) -> bool:
    goal = _goal(row, "target")
    unit = record["unit"] or goal.unit
    record["unit"] = unit
    if not unit:
        row.problem("unit", "定量指标必填计量单位", show_value=False)
    record["direction"] = _direction(row, goal, unit)
    record["target"] = row.number("target", unit, required=True, minimum=None, text=goal.text)
    approximate = _approximate(row, unit)
    record["actual"] = row.number("actual", unit, required=True, minimum=None,
                                  text=approximate[0] if approximate else _rank_text(row, "actual"))
    if approximate and record["direction"] != "≥":
        row.problem("actual", "约数（超…、…余）只能用于指标方向为 ≥ 的指标（按约数计分不会高估）：请填写确数")
        record["actual"] = None
    elif approximate:
        record["actual_text"] = approximate[1]       # the figure as the source writes it: 超10亿元, 2700余家
    record["prior"] = row.number("prior", unit, minimum=None, text=_rank_text(row, "prior"))
    record["target_text"] = row.text("target")
    ok = bool(record["direction"] and record["target"] is not None and record["actual"] is not None)
    ok = ok and _adjusted_target(row, record)
    return ok and not (unit == "%" and not _percent_scale_matches(row, record))


def _adjusted_target(row: Row, record: dict[str, Any]) -> bool:
    """调整指标值, written as 年度指标值 is (≥250家, 250): the same direction and unit; blank: not adjusted."""
    if record["adjusted_text"] is None:
        return True
    goal = _goal(row, "adjusted")
    if goal.direction and goal.direction != record["direction"]:
        row.problem("adjusted", f"调整指标值中的方向 {goal.direction} 与指标方向 {record['direction']} 不一致"
                                "（调整的是指标值，不是指标方向）")
        return False
    record["adjusted"] = row.number("adjusted", record["unit"], minimum=None, text=goal.text)
    return record["adjusted"] is not None


@dataclass(frozen=True)
class _Goal:
    """A 年度指标值 cell as real forms write it: "≥50个", "≤90万元", "前20位", "=100%", or a bare number."""

    direction: str | None      # from a leading ≥ ≤ = (or 前, a rank ceiling: ≤)
    text: str | None           # the number with its unit, for parse_number
    unit: str | None           # a unit typed after the number, when 计量单位 is empty


GOAL = re.compile(r"^(?P<direction>>=|<=|[≥≤=≧≦])?\s*(?P<rank>前|第)?\s*(?P<number>[-+]?[\d.,]+)\s*(?P<unit>\D*)$")


# A measure word or unit as forms write it (家, 万元, 平方米, 万人次, %, km): no 以上/以下/左右 qualifiers.
UNIT = re.compile(r"(?!.*(以上|以下|以内|左右|不低于|不高于|不少于|不超过|约))[%‰\u4e00-\u9fffA-Za-z²³/·]{1,8}")


def _goal(row: Row, key: str) -> _Goal:
    """The direction, number and unit of a 年度指标值 (or 调整指标值) cell such as ≥50个 or 前20位."""
    raw = row.cells.get(key)
    match = GOAL.match(normalize_text(raw)) if isinstance(raw, str) else None
    if match is None:              # a number cell, or text parse_number will explain
        return _Goal(None, None, None)
    direction = DIRECTIONS[match["direction"]] if match["direction"] else ("≤" if match["rank"] == "前" else None)
    unit = match["unit"].strip() or None
    if unit and not UNIT.fullmatch(unit):
        return _Goal(None, None, None)         # "100%以上": parse_number refuses it, naming the cell
    return _Goal(direction, f"{match['number']}{unit or ''}", unit)


def _approximate(row: Row, unit: str | None) -> tuple[str, str] | None:
    """An approximate 实际完成值 as the source writes it (超10, 2700余家): the number to score it by and the
    figure as the report shows it, with its unit; None for an exact figure."""
    raw = row.cells.get("actual")
    if not isinstance(raw, str):
        return None
    text = normalize_text(raw).replace(" ", "")
    before = next((w for w in APPROXIMATE_BEFORE if text.startswith(w)), "")
    rest = text[len(before):]
    if unit and rest.endswith(unit):
        rest = rest[:-len(unit)]
    after = next((w for w in APPROXIMATE_AFTER if rest.endswith(w)), "")
    if not (before or after):
        return None
    number = rest[:len(rest) - len(after)]
    return number, f"{before}{number}{after}{unit or ''}"


def _rank_text(row: Row, key: str) -> str | None:
    """第17位 → 17位 (the ordinal is how ranks are written, not part of the number)."""
    raw = row.cells.get(key)
    if isinstance(raw, str) and normalize_text(raw).startswith("第"):
        return normalize_text(raw)[1:]
    return None


def _direction(row: Row, goal: _Goal, unit: str | None) -> str | None:
    """指标方向 from its column, or from the 年度指标值 cell; the two must agree; a rank is ≤ (smaller is better)."""
    typed = row.choice("direction", DIRECTIONS, required=goal.direction is None)
    if typed and goal.direction and typed != goal.direction:
        row.problem("direction", f"与年度指标值“{row.cells.get('target')}”中的方向 {goal.direction} 不一致")
        return None
    direction = typed or goal.direction
    if direction == "≥" and unit in RANK_UNITS:
        row.problem("direction", f"排名（计量单位为{unit}）越小越好，指标方向应为 ≤，或把年度指标值写作“前20{unit}”")
        return None
    return direction


def _percent_scale_matches(row: Row, record: dict[str, Any]) -> bool:
    """A % indicator's target and actual on one scale: 0.93 typed beside 90 means 93, and is refused as such.

    A value counts as a fraction when it was typed as a bare number (not ``0.93%``, not a cell formatted
    as a percentage) in (0, 1], the other value is above 1, and ×100 brings the two within a factor of 10
    of each other; a true 0.5% beside a 5% target is then typed ``0.5%``, as the message says.
    """
    pairs = (("actual", "target"), ("target", "actual"), ("adjusted", "actual"), ("actual", "adjusted"))
    for key, other_key in pairs:
        small, other, raw = record[key], record[other_key], row.cells.get(key)
        if small is None or other is None:
            continue
        typed_percent = "%" in row.formats.get(key, "") or (isinstance(raw, str) and "%" in normalize_text(raw))
        if typed_percent or not 0 < small <= 1 < other or not other / 10 < small * 100 < other * 10:
            continue
        points = shown(small * 100)
        row.problem(key, f"计量单位为%时，{row.header(key)} {shown(small)} 与{row.header(other_key)} {shown(other)} "
                         f"不在同一量级：若指 {points}%，请填写 {points} 或 {points}%；"
                         f"若确为 {shown(small)}%，请填写“{shown(small)}%”")
        return False
    return True


def _comparisons(row: Row, unit: str | None) -> dict[str, str | None]:
    """比较范围 and 比较基数, one pair or several separated by ；(全市；全省 with 33；100)."""
    scopes = [s for s in re.split(SEPARATORS, row.text("scope") or "") if s]
    raw = row.cells.get("base")
    if "base" in row.bad:
        pieces: list[Any] = []
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        pieces = [raw]           # a number cell: parsed as such, not through str() (1e+40, 1e-05)
    else:
        pieces = [b for b in re.split(SEPARATORS, row.text("base") or "") if b]
    bases = []
    for piece in pieces:
        base = _base(row, piece, unit)
        if base is None:
            return {"scope": None, "base": None}
        bases.append(base)
    if len(scopes) != len(bases):
        row.problem("base", f"比较范围有 {len(scopes)} 项、比较基数有 {len(bases)} 项，应一一对应（多项用“；”分隔）")
        return {"scope": None, "base": None}
    return {"scope": "；".join(scopes) or None, "base": "；".join(bases) or None}


def _base(row: Row, piece: Any, unit: str | None) -> str | None:
    """One 比较基数: a total (1244), or a share the source states (27%), kept as typed; None after a problem."""
    share = isinstance(piece, str) and normalize_text(piece).replace(" ", "").endswith(("%", "％"))
    try:
        value = parse_number(normalize_text(piece).replace(" ", "").rstrip("%％") if share else piece,
                             None if share else unit, limits=row.limits)
    except NumberFormatError as exc:
        row.problem("base", str(exc))
        return None
    if value <= 0 or (share and value > 100):
        row.problem("base", "比较基数应为大于 0 的数字，或不超过 100% 的占比")
        return None
    return f"{value.normalize():f}%" if share else f"{value.normalize():f}"


def member_record(row: Row) -> dict[str, Any] | None:
    record = {
        "row": row.excel_row, "name": row.text("name", required=True), "org": row.text("org", required=True),
        "title": row.text("title"), "rank": row.text("rank"), "role": row.choice("role", TEAM_ROLES),
    }
    return record if record["name"] and record["org"] and record["role"] else None


def account_record(row: Row) -> dict[str, Any] | None:
    if row.blank_except("item"):
        return None
    record = {"row": row.excel_row, "item": row.choice("item", tuple(ACCOUNT_ITEMS)),
              "initial": row.money("initial"), "budget": row.money("budget"),
              "final": row.money("final", required=True), "prior_final": row.money("prior_final")}
    return record if record["item"] and record["final"] is not None else None


def fact_record(row: Row) -> dict[str, Any] | None:
    if row.blank_except("item"):
        return None
    item = row.choice("item", tuple(FACT_ITEMS))
    unit = FACT_UNITS.get(item or "", "万元")
    def amount(key: str, required: bool = False) -> Decimal | None:
        return row.money(key, required) if unit == "万元" else row.count(key, f"{item}（{unit}）", required)
    record = {"row": row.excel_row, "item": item, "budget": amount("budget"), "actual": amount("actual", True),
              "prior_budget": amount("prior_budget"), "prior_actual": amount("prior_actual")}
    return record if record["item"] and record["actual"] is not None else None


def report_fit(file: str, issues: list[fit.Issue], rows: dict[str, list[Row]], problems: list[Problem]) -> None:
    """Issues of the workbook against its rulebook, on the rows and columns they concern."""
    by_number = {sheet: {r.excel_row: r for r in sheet_rows} for sheet, sheet_rows in rows.items()}
    for issue in issues:
        row = by_number.get(issue.sheet, {}).get(issue.row)
        if row is not None and issue.column:
            row.problem(issue.column, issue.message)
        else:
            column = INDICATORS.columns[0].header if issue.column == "level1" else None
            problems.append(Problem(file, issue.sheet, issue.row, column, None, issue.message))


def deduction_record(row: Row, rulebook: Rulebook | None) -> dict[str, Any] | None:
    record = {"row": row.excel_row, **{k: row.text(k, required=True) for k in ("level1", "level2", "name", "item")},
              "count": row.number("count", required=True, minimum=Decimal(1)), "reason": row.text("reason", required=True)}
    if record["count"] is not None and record["count"] != int(record["count"]):
        row.problem("count", "次数应为正整数")
        return None
    if any(v is None for v in record.values()):
        return None
    record["count"] = int(record["count"])
    return record if fit.deduction_item(row, rulebook, record) else None


def project_record(row: Row) -> dict[str, Any] | None:
    """One row of 项目情况: what a project's 项目支出绩效自评表 asks beyond its funds and indicators."""
    record = {"row": row.excel_row, **{c.key: row.text(c.key) for c in PROJECT_INFO.columns if c.key != "declared_total"},
              "declared_total": row.score("declared_total")}
    record["name"] = row.text("name", required=True)
    return record if record["name"] else None


def filed_projects(rows: list[Row]) -> set[str]:
    """The 项目名称 listed in 项目情况, as typed: their 绩效指标 rows go on their own forms."""
    return {name for r in rows if (name := r.text("name"))}


def check_project_info(sub: Submission, rows: dict[str, list[Row]], book: Rulebook | None) -> None:
    """Each 项目情况 row names a project of 项目支出, once; texts within the form's limit (四川: 100 字)."""
    projects = {b["name"] for b in sub.budget if b["expense_type"] == PROJECT}
    by_number = {r.excel_row: r for r in rows[PROJECT_INFO.name]}
    seen: dict[str, int] = {}
    limit = book.spec.form.text_chars if book is not None else None
    for info in sub.projects:
        row = by_number[info["row"]]
        if info["name"] not in projects:
            row.problem("name", "应为“项目支出”表中某个项目的项目名称（支出类型为项目支出）")
        elif info["name"] in seen:
            row.problem("name", f"项目重复（第{seen[info['name']]}行已有）")
        seen.setdefault(info["name"], info["row"])
        for key in ("goal", "outcome", "reason"):
            if limit and info[key] and len(info[key]) > limit:
                row.problem(key, f"评分规则“{book.title}”的自评表此栏限{limit}字（现有{len(info[key])}字）",
                            show_value=False)


def check_projects(sub: Submission, rows: dict[str, list[Row]]) -> None:
    """An indicator's 项目名称 names a project of 项目支出 (blank: the department as a whole)."""
    projects = {b["name"] for b in sub.budget if b["expense_type"] == PROJECT}
    by_number = {r.excel_row: r for r in rows[INDICATORS.name]}
    for ind in sub.indicators:
        if ind["project"] and ind["project"] not in projects:
            by_number[ind["row"]].problem("project", "应为“项目支出”表中某个项目的项目名称（支出类型为项目支出），"
                                                     "或留空表示部门整体指标")


def check_budget_total(sub: Submission, rows: dict[str, list[Row]]) -> None:
    """A 全年预算数 total of 0 leaves 预算执行率 without a base (0 ÷ 0): refused here, so that no stored
    department-year can break scoring. A budget with nothing spent yet is fine (执行率 0%)."""
    if sub.budget and sum(line["budget"] for line in sub.budget) == 0:
        first = next(r for r in rows[BUDGET.name] if r.excel_row == sub.budget[0]["row"])
        first.problem("budget", f"各行全年预算数合计为 0：无法计算预算执行率（执行数 ÷ 预算数）；请填写全年预算数"
                                f"（共 {len(sub.budget)} 行，金额单位为万元）", show_value=False)


def check_duplicates(sub: Submission, rows: dict[str, list[Row]]) -> None:
    def dupes(sheet: Sheet, records: list[dict], keys: tuple[str, ...], what: str) -> None:
        seen: dict[tuple, int] = {}
        by_number = {r.excel_row: r for r in rows[sheet.name]}
        for rec in records:
            ident = tuple(rec[k] for k in keys)
            if ident in seen:
                by_number[rec["row"]].problem(keys[0], f"{what}重复（第{seen[ident]}行已有）")
            else:
                seen[ident] = rec["row"]

    dupes(BUDGET, sub.budget, ("name", "source"), "项目名称 + 资金来源")
    dupes(INDICATORS, sub.indicators, ("name", "project"), "三级指标（同一项目内）")
    dupes(TEAM, sub.team, ("name",), "姓名")
    dupes(ACCOUNTS, sub.accounts, ("item",), "科目")
    dupes(FACTS, sub.facts, ("item",), "项目")
