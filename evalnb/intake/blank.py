"""Write an empty department-year workbook: the sheets, headers, drop-downs and a 说明 sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from evalnb.paths import atomic_path
from evalnb.rules import Rulebook
from evalnb.rules.fit import LEAF_NATURES
from evalnb.rules.model import Slot
from evalnb.rules.tree import ends
from evalnb.workbook import (
    ACCOUNT_ITEMS,
    ACCOUNTS,
    FACT_ITEMS,
    FACTS,
    INDICATORS,
    PROFILE,
    PROFILE_FIELDS,
    SHEETS,
    TEXT_SECTIONS,
    Sheet,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LAST_ROW = 1000
# Sheets whose first column is written out in the template, one row per field or 科目, to fill in beside it.
PREFILLED: dict[str, tuple[str, ...]] = {PROFILE.name: tuple(PROFILE_FIELDS), ACCOUNTS.name: tuple(ACCOUNT_ITEMS),
                                         FACTS.name: tuple(FACT_ITEMS)}


def _add_choices(ws, column: int, choices: tuple[str, ...], title: str) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle=title, error=f"请选择：{'、'.join(choices)}")
    letter = get_column_letter(column)
    dv.add(f"{letter}2:{letter}{LAST_ROW}")
    ws.add_data_validation(dv)


def _write_sheet(book: Workbook, sheet: Sheet) -> None:
    ws = book.create_sheet(sheet.name)
    for idx, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, idx, col.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[get_column_letter(idx)].width = max(12, 2 * len(col.header) + 4)
        if col.choices:
            _add_choices(ws, idx, col.choices, col.header)
    ws.freeze_panes = "A2"
    for row, name in enumerate(PREFILLED.get(sheet.name, ()), start=2):
        ws.cell(row, 1, name)


def _write_help(book: Workbook) -> None:
    ws = book.create_sheet("说明", 0)
    ws.append(["部门整体支出绩效自评 数据工作簿（evalnb）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["每个部门每个年度一个工作簿。工作表名称与表头请勿修改；可增加列，增加的列会被忽略。"])
    ws.append(["数字可写作 20094.63、20,094.63、全角 ２０、98.72%，或带计量单位如 336家。"])
    ws.append([])
    ws.append(["工作表", "列", "说明"])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for sheet in SHEETS:
        ws.append([sheet.name, "", sheet.help])
        for col in sheet.columns:
            need = "（必填）" if col.required else ""
            choices = f" 可选值：{'、'.join(col.choices)}" if col.choices and sheet is not PROFILE else ""
            ws.append(["", col.header + need, col.help + choices])
    ws.append([])
    ws.append(["基本信息 字段", "", ""])
    for name, text in PROFILE_FIELDS.items():
        ws.append(["", name, text])
    ws.append(["文字材料 章节", "", ""])
    for name, text in TEXT_SECTIONS.items():
        ws.append(["", name, text])
    for letter, width in (("A", 18), ("B", 26), ("C", 90)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=5):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")


def _blank_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        _write_sheet(book, sheet)
    _write_help(book)
    return book


def _save(book: Workbook, path: Path) -> Path:
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path


def write_template(path: str | Path, rulebook: Rulebook | None = None) -> Path:
    """Write the empty workbook to ``path`` (write-then-rename, so a failure leaves no half file). With a
    rulebook, 基本信息 names it and 绩效指标 lists its fixed leaves (一级/二级/三级, 指标性质, 分值) to fill in."""
    book = _blank_book()
    if rulebook is not None:
        _prefill_rulebook(book, rulebook)
    return _save(book, Path(path))


def _prefill_rulebook(book: Workbook, rulebook: Rulebook) -> None:

    profile = book[PROFILE.name]
    for row in profile.iter_rows(min_row=2):
        if row[0].value == "评分规则":
            row[1].value = rulebook.name
    ws = book[INDICATORS.name]
    headers = INDICATORS.headers
    for path, node in ends(rulebook.spec.tree):
        if isinstance(node, Slot) or node is rulebook.execution:
            continue
        level2 = path[1] if len(path) > 1 else path[0]
        values = {"一级指标": path[0], "二级指标": level2, "三级指标": path[-1], "指标性质": LEAF_NATURES[type(node)],
                  "分值": float(node.weight)}
        ws.append([values.get(h) for h in headers])


def write_workbook(path: str | Path, content: dict[str, list[dict[str, object]]]) -> Path:
    """Write a filled workbook: ``content`` maps a sheet name to rows, each a dict keyed by column header.

    基本信息 rows are ``{"字段": ..., "内容": ...}`` and replace the template's field list; the 收支总表 and
    部门情况 rows replace their 科目 lists (no rows: the sheet is left empty, i.e. not provided).
    """
    book = _blank_book()
    for sheet in SHEETS:
        rows = content.get(sheet.name, [])
        ws = book[sheet.name]
        if sheet.name in PREFILLED and (rows or sheet.optional):
            ws.delete_rows(2, ws.max_row)
        for row in rows:
            ws.append([row.get(header) for header in sheet.headers])
    return _save(book, Path(path))
