"""The 自评表 and its review as two Excel workbooks (openpyxl), so that what a department files holds nothing
of the review:

- …_自评表.xlsx (:func:`write_xlsx`): the one sheet 自评表, the appendix's form as filed (funds, overall goal,
  indicators with one score column and the 总分 row);
- …_复核意见.xlsx (:func:`write_review_xlsx`), for the finance bureau's reviewer and the officer: 计分依据
  (declared against computed, with the basis of every point), 复核发现 (every finding, with what to do),
  共性指标 (the measures computed from the budget, with their formulas).

Chinese headers; numbers are numbers (not text), with two-decimal formats for money and scores.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evalnb.paths import atomic_path
from evalnb.review.context import ReportContext
from evalnb.review.memo import advice_for, severity_word
from evalnb.sections import form
from evalnb.text.prose import words

HEAD_FONT, HEAD_FILL = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
MONEY, SCORE = "0.00", "0.##"
WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[tuple], widths: dict[int, int],
           formats: dict[int, str] | None = None, start: int = 1) -> Worksheet:
    ws = book[title] if title in book.sheetnames else book.create_sheet(title)
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(start, col, header)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
    for r, row in enumerate(rows, start=start + 1):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(r, col, value)
            if isinstance(value, str):
                cell.data_type = "s"        # text stays text: "=100个" or a name starting with = is no formula
            if formats and col in formats and isinstance(value, int | float):
                cell.number_format = formats[col]
            if isinstance(value, str) and len(value) > 20:
                cell.alignment = WRAP
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    return ws


def _form(book: Workbook, ctx: ReportContext, title: str = "自评表") -> None:
    """The form on sheet ``title``: its header rows (填报单位 / 单位：万元 … as the rulebook's form prints them), funds,
    goals, indicators with the 总分, closing rows and signatures."""
    card, dy, rules = ctx.card, ctx.dy, ctx.rulebook
    funds_w, goal_w = (words("appendix", n) for n in ("funds_table", "goal_table"))
    scored = bool(card.execution_weight)        # a rulebook without a 预算执行率 row leaves those cells empty
    row = 1
    head = form.header(card, dy, rules)
    if head:
        _sheet(book, title, [f for f, _ in head], [tuple(v for _, v in head)], {}, start=row)
        row += 3
    funds = [(funds_w["total"], dy.total("initial"), card.budget, card.executed,
              card.execution_weight if scored else None, card.execution_rate,
              card.execution_score if scored else None)]
    funds += [(f"{funds_w['part']}{name}", initial, budget, executed, None, executed / budget if budget else None, None)
              for name, initial, budget, executed in form.funds(card, dy, rules)]
    columns = [c or "项目" for c in funds_w["columns"]]
    _sheet(book, title, columns, funds, {1: 24, 2: 16, 3: 16, 4: 16, 5: 8, 6: 10, 7: 8},
           {2: MONEY, 3: MONEY, 4: MONEY, 5: SCORE, 6: "0.00%", 7: SCORE}, start=row)
    row += len(funds) + 2
    goal = [("；".join(dy.text("年度总体目标")), "；".join(dy.text("总体目标实现情况")))]
    _sheet(book, title, goal_w["columns"], goal, {}, start=row)
    row += 3
    indicators = [*form.rows(card, dy, rules, typed=True), form.foot(card, rules, typed=True)]
    keys = form.columns(rules)
    widths = {i + 1: 40 for i in form.wide(rules)}
    numbers = {i + 1: ("0.00%" if k == "coefficient" else SCORE) for i, k in enumerate(keys) if k in form.NUMERIC}
    ws = _sheet(book, title, form.headers(rules), indicators, widths, numbers, start=row)
    _printable(ws, row)
    row += len(indicators) + 2
    closing, signed = form.closing(card, dy, rules), form.signatures(dy, rules)
    if closing:
        _sheet(book, title, [f for f, _ in closing], [tuple(v for _, v in closing)], {}, start=row)
        row += 3
    if signed:
        _sheet(book, title, [who for who, _ in signed], [tuple(name for _, name in signed)], {}, start=row)


def write_forms_xlsx(contexts: list[tuple[str, ReportContext]], path: Path) -> Path:
    """Several forms in one workbook, one sheet each (the project forms, for keying into a provincial system);
    sheet titles are the names made safe for Excel (31 characters, no []:*?/\\), distinct (write-then-rename)."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for name, ctx in contexts:
        _form(book, ctx, _sheet_title(name, taken))
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path


def _sheet_title(name: str, taken: set[str]) -> str:
    cleaned = re.sub(r"[\\[\]:*?/\x00-\x1f]", "_", name).strip("'") or "_"
    title, n = cleaned[:31], 1
    while title.lower() in taken:
        n += 1
        title = f"{cleaned[:31 - len(str(n)) - 1]}_{n}"
    taken.add(title.lower())
    return title


def _printable(ws: Worksheet, header_row: int) -> None:
    """The 自评表 as it is printed and filed: A4 landscape, every column on the page's width, the indicator
    table's header repeated on each page, and the sheet's first header frozen on screen."""
    ws.freeze_panes = "A2"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0      # as wide as one page, as long as it needs
    ws.print_options.horizontalCentered = True


def _basis(book: Workbook, ctx: ReportContext) -> None:
    card = ctx.card
    rows = [("预算执行率", card.execution_weight, None, card.execution_score, None, card.execution_basis)] \
        if card.execution_weight else []
    rows += [(i.name, i.weight, i.declared_score, i.score,
              None if i.declared_score is None else round(i.declared_score - i.score, 2), i.basis)
             for i in card.items]
    rows.append(("总分", card.max_points, card.declared_total, card.total,
                 None if card.declared_total is None else round(card.declared_total - card.total, 2), card.total_basis))
    ws = _sheet(book, "计分依据", ["项目", "分值", "自评得分", "计算得分", "差额", "计分依据"], rows,
                {1: 30, 2: 8, 3: 10, 4: 10, 5: 8, 6: 80}, {2: SCORE, 3: SCORE, 4: SCORE, 5: SCORE})
    ws.freeze_panes = "A2"


def _findings(book: Workbook, ctx: ReportContext) -> None:
    rows = [(severity_word(f.severity), f.location, f.message, advice_for(f), "、".join(f.codes))
            for f in ctx.findings]
    ws = _sheet(book, "复核发现", ["严重程度", "位置", "发现", "处理", "编号"], rows, {1: 10, 2: 30, 3: 70, 4: 50, 5: 26})
    ws.freeze_panes = "A2"


def _measures(book: Workbook, ctx: ReportContext) -> None:
    rows = [(m.name, float(m.value) / 100 if m.computed else None, m.formula, m.missing)
            for m in ctx.dy.measures.values()]
    _sheet(book, "共性指标", ["指标", "按数据计算", "公式", "无法计算的原因"], rows, {1: 20, 2: 12, 3: 50, 4: 50},
           {2: "0.00%"})


Part = Callable[[Workbook, ReportContext], None]


def write_xlsx(ctx: ReportContext, path: Path) -> Path:
    """The 自评表 of one department-year as the department files it: the form alone (write-then-rename)."""
    return _write(ctx, path, (_form,))


def write_review_xlsx(ctx: ReportContext, path: Path) -> Path:
    """The review of that 自评表, never filed with it: 计分依据, 复核发现, 共性指标 (write-then-rename)."""
    return _write(ctx, path, (_basis, _findings, _measures))


def _write(ctx: ReportContext, path: Path, parts: tuple[Part, ...]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for part in parts:
        part(book, ctx)
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path
