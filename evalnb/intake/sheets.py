"""A sheet's XML scanned in one streaming pass for data beyond :mod:`evalnb.limits` and for cells openpyxl could
not convert; only then read by openpyxl, in read-only mode and within those bounds, into :class:`Row` objects."""

from __future__ import annotations

import functools
import math
import warnings
import xml.etree.ElementTree as ET
import zipfile
from typing import Any

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_ISO8601

from evalnb import limits as _limits
from evalnb import settings
from evalnb.errors import Problem
from evalnb.intake.package import RESAVE, brief, chart_message
from evalnb.intake.rows import Row, column_letter, cut_short
from evalnb.store import sql as store
from evalnb.text.numbers import normalize_text
from evalnb.workbook import (
    ACCOUNTS,
    BUDGET,
    DEDUCTIONS,
    FACTS,
    INDICATORS,
    PROFILE,
    PROJECT_INFO,
    TEAM,
    TEXTS,
    Sheet,
)


def sheet_rows(file: str, book: Any, archive: zipfile.ZipFile, sheet: Sheet, problems: list[Problem],
                notes: list[str], limits: _limits.Limits) -> list[Row] | None:
    """The sheet's non-empty data rows, or None when it is missing or unreadable (the problems say why)."""
    def report(row: int | None, column: str | None, value: str | None, expected: str) -> None:
        problems.append(Problem(file, sheet.name, row, column, value, expected))

    if sheet.name not in book.sheetnames:
        if not sheet.optional:
            report(None, None, None, f"缺少工作表“{sheet.name}”；工作簿中现有：{'、'.join(book.sheetnames)}")
        return None
    ws = book[sheet.name]
    if not hasattr(ws, "iter_rows"):
        report(None, None, None, chart_message(sheet.name))
        return None
    try:
        found, titles = _scan_sheet(archive, ws._worksheet_path, getattr(ws, "_shared_strings", None), limits)
        grid = [] if found else _read_grid(ws, limits)
    except Exception as exc:  # the XML parser and openpyxl raise anything on a damaged sheet
        report(None, None, None, f"无法读取该工作表：文件已损坏（{brief(exc)}）")
        return None
    if found:
        for row, column, value, expected in found:
            where = None if column is None else titles.get(column) or column_letter(column)
            report(row, where, cut_short(value), expected)
        return None

    header = grid[0] if grid else ()
    if sheet.optional and not any(normalize_text(c.value) for c in header):
        return None                 # an optional sheet left empty (even its header cleared): not provided
    positions: dict[str, list[int]] = {}
    for idx, cell in enumerate(header, start=1):
        if norm := normalize_text(cell.value):
            positions.setdefault(norm, []).append(idx)
    wanted = {normalize_text(col.header): col for col in sheet.columns}
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for norm, col in wanted.items():
        where = positions.get(norm, [])
        if len(where) > 1:
            both = " 与 ".join(f"{column_letter(i)} 列“{str(header[i - 1].value).strip()}”" for i in where)
            report(1, col.header, None, f"表头重复：{both} 是同一列，每列只能出现一次，请删除或改名多余的列")
        elif where:
            columns[col.key] = where[0]
            headers[col.key] = str(header[where[0] - 1].value).strip()
        elif col.required:
            report(1, col.header, None, f"缺少列“{col.header}”；第1行应为表头：{' | '.join(sheet.headers)}")
    extra = [h if len(h) <= 40 else h[:40] + "…" for h in positions if h not in wanted]
    if extra:
        notes.append(f"{file}“{sheet.name}”：已忽略多余的列 {'、'.join(extra)}")

    lengths = _text_limits(sheet, limits)
    result = []
    for excel_row, cells_row in enumerate(grid[1:], start=2):
        cells = {key: cells_row[idx - 1].value for key, idx in columns.items()}
        if all(normalize_text(v) == "" for v in cells.values()):
            continue
        formats = {key: _number_format(cells_row[idx - 1]) for key, idx in columns.items()}
        row = Row(file, sheet, excel_row, cells, formats, headers, problems, limits)
        for key in cells:
            row.check_text(key, lengths[key])
        result.append(row)
    return result


def _read_grid(ws: Any, limits: _limits.Limits) -> list[tuple]:
    """Rows 1..limits.rows, columns 1..limits.columns: never the sheet's own <dimension>, which can be forged."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(ws.iter_rows(min_row=1, max_row=limits.rows, max_col=limits.columns))


def _number_format(cell: Any) -> str:
    try:
        return cell.number_format or ""
    except (IndexError, KeyError, AttributeError, TypeError):  # a style the (damaged) styles part lacks
        return ""


@functools.cache
def store_widths() -> dict[str, dict[str, int]]:
    """Widths of the store's String columns by sheet and key: PostgreSQL refuses longer text."""
    tables = {TEXTS.name: store.texts, BUDGET.name: store.budget_lines, INDICATORS.name: store.indicators,
              TEAM.name: store.team, PROFILE.name: store.dept_years, ACCOUNTS.name: store.accounts,
              DEDUCTIONS.name: store.deductions, PROJECT_INFO.name: store.projects,
              FACTS.name: store.facts}
    return {name: {c.name: c.type.length for c in table.columns if getattr(c.type, "length", None)}
            for name, table in tables.items()}


def _text_limits(sheet: Sheet, limits: _limits.Limits) -> dict[str, int]:
    widths = store_widths()[sheet.name]
    return {col.key: min(limits.paragraph_chars if col.paragraph else limits.text_chars, widths.get(col.key, math.inf))
            for col in sheet.columns}


Found = list[tuple[int | None, int | None, str | None, str]]


def _scan_sheet(archive: zipfile.ZipFile, member: str, shared: list | None,
                limits: _limits.Limits) -> tuple[Found, dict[int, str]]:
    """One streaming pass over a sheet's XML before openpyxl reads it.

    Returns (row, column, value, problem) tuples, and row 1's headers by column number to name them by.

    Stops at the first cell with content beyond ``limits.rows``/``limits.columns`` (one cell at XFD1048576
    costs a few microseconds here, and gigabytes to a reader that trusts the sheet's extent), and finds the
    cells openpyxl would choke on: NaN/inf numbers, a shared-string index out of range, rows out of order.
    Memory stays flat: every finished row is dropped.
    """
    found: Found = []
    titles: dict[int, str] = {}
    shared_count = None if shared is None else len(shared)
    depth = row = column = 0
    sheet_data = None
    with archive.open(member) as source:
        try:
            for event, element in ET.iterparse(source, events=("start", "end")):
                tag = element.tag.rpartition("}")[2]
                if event == "start":
                    depth += 1
                    if tag == "sheetData":
                        sheet_data = element
                    elif tag == "row":
                        number = _row_number(element.get("r"), row)
                        if number is None or number <= row:
                            at = element.get("r")
                            why = f"行号无效或顺序错乱（{at!r} 出现在第{row}行之后）：文件已损坏，{RESAVE}"
                            return [*found, (row + 1, None, at, why)], titles
                        row, column = number, 0
                    continue
                depth -= 1
                if tag == "c":
                    ref = element.get("r")
                    try:
                        column = coordinate_to_tuple(ref)[1] if ref else column + 1
                    except ValueError:
                        return [*found, (row, None, ref, f"单元格地址 {ref!r} 无效：文件已损坏，{RESAVE}")], titles
                    value = _cell_content(element)
                    if value is not None:
                        if row > limits.rows or column > limits.columns:
                            return [*found, (row, column, None, _beyond(row, column, limits))], titles
                        if why := _cell_problem(element, value, shared_count):
                            found.append((row, column, value, why))
                        elif row == 1:
                            title = shared[int(value)] if shared is not None and element.get("t") == "s" else value
                            titles[column] = str(title).strip()[:40]
                    element.clear()
                elif tag == "row":
                    element.clear()
                    if sheet_data is not None and depth == 2:
                        sheet_data.remove(element)
                elif depth <= 1:
                    element.clear()
        except ET.ParseError as exc:   # raised where expat stopped: ``row`` is the row being read
            near = f"（第{row}行附近）" if row else ""
            why = f"工作表内容不是有效的 XML{near}：文件已损坏或含有非法字符（如控制字符），{RESAVE}（{exc}）"
            return [*found, (row or None, None, None, why)], titles
    return found, titles


def _beyond(row: int, column: int, limits: _limits.Limits) -> str:
    return (f"数据超出允许范围：单元格 {column_letter(column)}{row} 有内容，而每个工作表最多 {limits.rows} 行、"
            f"{limits.columns} 列（到 {column_letter(limits.columns)} 列）；请删除多余的行、列后再导入"
            f"（上限可用环境变量 {settings.MAX_ROWS.name}、{settings.MAX_COLUMNS.name} 调整）")


def _row_number(ref: str | None, previous: int) -> int | None:
    if ref is None:
        return previous + 1
    try:
        number = float(ref)
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 1 else None


def _cell_content(element: ET.Element) -> str | None:
    """What a <c> holds as openpyxl would read it (value, cached formula result, inline string); None if empty."""
    inline = element.get("t") == "inlineStr"
    for child in element:
        name = child.tag.rpartition("}")[2]
        if name == "v" and not inline and child.text:
            return child.text
        if name == "is" and inline:
            return "".join(child.itertext()) or None
    return None


def _cell_problem(element: ET.Element, value: str, shared_count: int | None) -> str | None:
    kind = element.get("t", "n")
    try:
        int(element.get("s", "0"))
        if kind == "n":
            if not math.isfinite(float(value)):
                return "单元格中的数值为 NaN 或无穷大：应为有限的数字"
        elif kind == "s":
            index = int(value)
            if shared_count is not None and not 0 <= index < shared_count:
                return f"共享字符串编号 {index} 超出范围（共 {shared_count} 个）：文件已损坏，{RESAVE}"
        elif kind == "b":
            int(value)
        elif kind == "d":
            from_ISO8601(value)
    except (ValueError, TypeError, OverflowError):
        return f"单元格内容与其类型（{kind}）不符：文件已损坏，{RESAVE}"
    return None
