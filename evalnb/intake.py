"""Read and validate a department-year workbook.

:func:`read_workbook` returns a :class:`Submission` or raises :class:`WorkbookError` carrying every
problem found, each located by file, sheet, Excel row and column header as the user wrote them.
Nothing here touches the store.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from evalnb.errors import Problem, RulebookError, WorkbookError
from evalnb.numbers import NumberFormatError, normalize_text, parse_number
from evalnb.rules import DEFAULT_RULES, load_rulebook
from evalnb.workbook import (
    BUDGET,
    DATA_NATURES,
    DIRECTIONS,
    INDICATORS,
    PROFILE,
    PROFILE_FIELDS,
    QUALITATIVE_GRADES,
    REQUIRED_PROFILE_FIELDS,
    SHEETS,
    TEAM,
    TEAM_ROLES,
    TEXT_SECTIONS,
    TEXTS,
    Sheet,
)


@dataclass
class Submission:
    """A validated workbook: plain records ready for the store."""

    file: str
    sha256: str
    profile: dict[str, Any]
    texts: list[dict[str, Any]]
    budget: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    team: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    @property
    def row_counts(self) -> dict[str, int]:
        return {"texts": len(self.texts), "budget": len(self.budget),
                "indicators": len(self.indicators), "team": len(self.team)}


SEPARATORS = r"[;；、]"


class _Row:
    """One data row of a sheet; the typed getters record problems instead of raising."""

    def __init__(self, file: str, sheet: Sheet, excel_row: int, cells: dict[str, Any],
                 formats: dict[str, str], headers: dict[str, str], problems: list[Problem]):
        self.file, self.sheet, self.excel_row = file, sheet, excel_row
        self.cells, self.formats, self.headers, self.problems = cells, formats, headers, problems

    def problem(self, key: str, expected: str, show_value: bool = True) -> None:
        value = self.cells.get(key)
        shown = None if not show_value or value is None else str(value)
        self.problems.append(Problem(self.file, self.sheet.name, self.excel_row,
                                     self.headers.get(key, key), shown, expected))

    def text(self, key: str, required: bool = False) -> str | None:
        """Text as typed (trimmed); full-width punctuation of Chinese prose is kept."""
        raw = self.cells.get(key)
        value = "" if raw is None else str(raw).strip()
        if not value and required and key in self.cells:  # a missing column is reported once, on row 1
            self.problem(key, "必填，不能为空", show_value=False)
        return value or None

    def token(self, key: str) -> str | None:
        """A short code-like value (unit, rulebook name): full-width characters folded to half-width."""
        return normalize_text(self.cells.get(key)) or None

    def choice(self, key: str, choices: dict[str, str] | tuple[str, ...], required: bool = True) -> str | None:
        if self.text(key, required) is None:
            return None
        value = normalize_text(self.cells.get(key))
        mapping = choices if isinstance(choices, dict) else {c: c for c in choices}
        if value not in mapping:
            allowed = "、".join(dict.fromkeys(mapping.values()))
            self.problem(key, f"应为以下之一：{allowed}")
            return None
        return mapping[value]

    def number(self, key: str, unit: str | None = None, required: bool = False,
               minimum: Decimal | None = Decimal(0)) -> Decimal | None:
        raw = self.cells.get(key)
        if raw is None or normalize_text(raw) == "":
            if required and key in self.cells:
                self.problem(key, "必填，应为数字", show_value=False)
            return None
        percent = "%" in self.formats.get(key, "")
        try:
            value = parse_number(raw, unit, percent_format=percent)
        except NumberFormatError as exc:
            self.problem(key, str(exc))
            return None
        if minimum is not None and value < minimum:
            self.problem(key, f"应为不小于 {minimum} 的数字")
            return None
        return value


def read_workbook(path: str | Path) -> Submission:
    path = Path(path)
    data = _read_bytes(path)
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise WorkbookError([Problem(path.name, "-", None, None, None,
                                     f"无法打开：应为 Excel .xlsx 工作簿（{exc.__class__.__name__}）")]) from exc
    problems: list[Problem] = []
    notes: list[str] = []
    rows = {sheet.name: _sheet_rows(path.name, book, sheet, problems, notes) for sheet in SHEETS}
    profile = _profile(rows[PROFILE.name], path.name, problems)
    allowed_level1 = _allowed_level1(rows[PROFILE.name], profile["rules"])
    submission = Submission(
        file=path.name, sha256=hashlib.sha256(data).hexdigest(), profile=profile,
        texts=[t for r in rows[TEXTS.name] if (t := _text(r))],
        budget=[b for r in rows[BUDGET.name] if (b := _budget(r))],
        indicators=[i for r in rows[INDICATORS.name] if (i := _indicator(r, allowed_level1))],
        team=[m for r in rows[TEAM.name] if (m := _member(r))],
        notes=notes,
    )
    _check_duplicates(submission, rows)
    for sheet in (BUDGET, INDICATORS, TEAM):
        if sheet.name in book.sheetnames and not rows[sheet.name]:
            problems.append(Problem(path.name, sheet.name, 2, None, None, "至少需要一行数据"))
    if problems:
        raise WorkbookError(problems)
    return submission


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise WorkbookError([Problem(path.name, "-", None, None, None, f"无法读取文件：{exc.strerror}")]) from exc


def _sheet_rows(file: str, book: Any, sheet: Sheet, problems: list[Problem], notes: list[str]) -> list[_Row]:
    if sheet.name not in book.sheetnames:
        problems.append(Problem(file, sheet.name, None, None, None,
                                f"缺少工作表「{sheet.name}」；工作簿中现有：{'、'.join(book.sheetnames)}"))
        return []
    ws = book[sheet.name]
    header_cells = next(ws.iter_rows(min_row=1, max_row=1), ())
    by_header = {normalize_text(c.value): c.column for c in header_cells if normalize_text(c.value)}
    wanted = {normalize_text(col.header): col for col in sheet.columns}
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for norm, col in wanted.items():
        if norm in by_header:
            columns[col.key] = by_header[norm]
            headers[col.key] = str(ws.cell(1, by_header[norm]).value).strip()
        elif col.required:
            problems.append(Problem(file, sheet.name, 1, col.header, None,
                                    f"缺少列「{col.header}」；第1行应为表头：{' | '.join(sheet.headers)}"))
    extra = [h for h in by_header if h not in wanted]
    if extra:
        notes.append(f"{file}「{sheet.name}」: ignored extra column(s) {', '.join(extra)}")
    result = []
    for excel_row in ws.iter_rows(min_row=2):
        cells = {key: excel_row[idx - 1].value if idx <= len(excel_row) else None for key, idx in columns.items()}
        if all(normalize_text(v) == "" for v in cells.values()):
            continue
        formats = {key: excel_row[idx - 1].number_format for key, idx in columns.items() if idx <= len(excel_row)}
        result.append(_Row(file, sheet, excel_row[0].row, cells, formats, headers, problems))
    return result


def _profile(rows: list[_Row], file: str, problems: list[Problem]) -> dict[str, Any]:
    fields: dict[str, _Row] = {}
    for row in rows:
        name = row.choice("field", tuple(PROFILE_FIELDS))
        if name in fields:
            row.problem("field", f"字段「{name}」重复（第{fields[name].excel_row}行已填写）")
        elif name:
            fields[name] = row
    for name in REQUIRED_PROFILE_FIELDS:
        if name not in fields or not fields[name].text("value"):
            where = fields[name].excel_row if name in fields else None
            problems.append(Problem(file, PROFILE.name, where, "内容" if where else "字段", None,
                                    f"缺少必填字段「{name}」"))

    def field(name: str, read: str = "text") -> Any:
        row = fields.get(name)
        return getattr(row, read)("value") if row is not None else None

    year = field("年度", "number") if field("年度") else None
    if year is not None and (year != int(year) or not 1990 <= year <= 2100):
        fields["年度"].problem("value", "应为四位整数年份，如 2024")
        year = None
    nature = fields["数据性质"].choice("value", DATA_NATURES, required=False) if "数据性质" in fields else None
    return {
        "department": field("部门名称"),
        "year": int(year) if year is not None else None,
        "parent": field("上级主管部门"),
        "rules": field("评分规则", "token") or DEFAULT_RULES,
        "nature": nature or "正式",
        "declared_total": field("自评总分", "number"),
        "declared_grade": field("评价等级"),
    }


def _allowed_level1(profile_rows: list[_Row], rules: str) -> list[str] | None:
    """The rulebook's 一级指标 names, or None when any is allowed or the rulebook is invalid."""
    try:
        names = load_rulebook(rules).level1_names
    except RulebookError as exc:
        row = next(r for r in profile_rows if normalize_text(r.cells.get("field")) == "评分规则")
        row.problem("value", f"评分规则无效：{exc}")
        return None
    return names or None


def _text(row: _Row) -> dict[str, Any] | None:
    section = row.choice("section", tuple(TEXT_SECTIONS))
    content = row.text("content", required=True)
    if section and content:
        return {"row": row.excel_row, "section": section, "content": content}
    return None


def _budget(row: _Row) -> dict[str, Any] | None:
    record = {
        "row": row.excel_row,
        "name": row.text("name", required=True),
        "category": row.text("category", required=True),
        "source": row.text("source", required=True),
        "initial": row.number("initial", required=True),
        "budget": row.number("budget", required=True),
        "executed": row.number("executed", required=True),
        "note": row.text("note"),
    }
    required = ("name", "category", "source", "initial", "budget", "executed")
    return record if all(record[k] is not None for k in required) else None


def _indicator(row: _Row, allowed_level1: list[str] | None) -> dict[str, Any] | None:
    level1 = row.choice("level1", tuple(allowed_level1)) if allowed_level1 else row.text("level1", required=True)
    nature = row.choice("nature", ("定量", "定性"))
    unit = row.token("unit")
    record: dict[str, Any] = {
        "row": row.excel_row, "level1": level1, "level2": row.text("level2", required=True),
        "name": row.text("name", required=True), "nature": nature, "unit": unit,
        "weight": row.number("weight", required=True), "declared_score": row.number("declared_score"),
        **_comparisons(row, unit), "prior": None,
        "deviation_note": row.text("deviation_note"),
        "direction": None, "target": None, "actual": None, "target_text": None, "actual_text": None,
    }
    if nature == "定量":
        if not unit:
            row.problem("unit", "定量指标必填计量单位", show_value=False)
        record["direction"] = row.choice("direction", DIRECTIONS)
        record["target"] = row.number("target", unit, required=True, minimum=None)
        record["actual"] = row.number("actual", unit, required=True, minimum=None)
        record["prior"] = row.number("prior", unit, minimum=None)
        record["target_text"] = row.text("target")
        ok = record["direction"] and record["target"] is not None and record["actual"] is not None
    elif nature == "定性":
        record["target_text"] = row.text("target", required=True)
        record["actual_text"] = row.choice("actual", QUALITATIVE_GRADES)
        ok = record["target_text"] and record["actual_text"]
    else:
        ok = False
    required = ("level1", "level2", "name", "weight")
    return record if ok and all(record[k] is not None for k in required) else None


def _comparisons(row: _Row, unit: str | None) -> dict[str, str | None]:
    """比较范围 and 比较基数, one pair or several separated by ；(全市；全省 with 33；100)."""
    scopes = [s for s in re.split(SEPARATORS, row.text("scope") or "") if s]
    pieces = [b for b in re.split(SEPARATORS, row.text("base") or "") if b]
    bases = []
    for piece in pieces:
        try:
            value = parse_number(piece, unit)
        except NumberFormatError as exc:
            row.problem("base", str(exc))
            return {"scope": None, "base": None}
        if value <= 0:
            row.problem("base", "比较基数应为大于 0 的数字")
            return {"scope": None, "base": None}
        bases.append(value)
    if len(scopes) != len(bases):
        row.problem("base", f"比较范围有 {len(scopes)} 项、比较基数有 {len(bases)} 项，应一一对应（多项用“；”分隔）")
        return {"scope": None, "base": None}
    return {"scope": "；".join(scopes) or None, "base": "；".join(f"{b.normalize():f}" for b in bases) or None}


def _member(row: _Row) -> dict[str, Any] | None:
    record = {
        "row": row.excel_row, "name": row.text("name", required=True), "org": row.text("org", required=True),
        "title": row.text("title"), "rank": row.text("rank"), "role": row.choice("role", TEAM_ROLES),
    }
    return record if record["name"] and record["org"] and record["role"] else None


def _check_duplicates(sub: Submission, rows: dict[str, list[_Row]]) -> None:
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
    dupes(INDICATORS, sub.indicators, ("name",), "三级指标")
    dupes(TEAM, sub.team, ("name",), "姓名")
