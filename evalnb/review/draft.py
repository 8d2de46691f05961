"""``evalnb draft``: a copy of the department's workbook whose 文字材料 gains drafted 存在问题 and 改进措施
rows (来源 = 草拟), derived from the data, for the officer to edit in Excel and ingest again.

The copy is made from the very workbook that was ingested (its sha256 must match the store's), so
the officer's own formatting and rows are kept; rows are added, except that a placeholder such as
“无问题存在。” under 存在问题 is replaced by the first drafted problem (a report must not say "no problems"
above the problems it lists). Only what a department states about itself is drafted
(:func:`evalnb.review.problems.for_department`).
"""

from __future__ import annotations

import hashlib
import shlex
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from evalnb.errors import UsageError
from evalnb.paths import atomic_path
from evalnb.review.problems import DerivedProblem, for_department, is_placeholder
from evalnb.rules import load_rulebook
from evalnb.rules.scoring import score
from evalnb.store import data
from evalnb.workbook import DRAFTED, TEXTS

ORIGIN_HEADER = next(c.header for c in TEXTS.columns if c.key == "origin")


@dataclass(frozen=True)
class Drafted:
    path: Path
    problems: list[DerivedProblem]


def write_draft(department: str, year: int, out: Path, source: Path | None = None, db: str | None = None,
                force: bool = False) -> Drafted:
    dy = data.load(department, int(year), db, with_prior=True)
    source = _source(dy, source)
    if out.exists() and not force:
        raise UsageError(f"{out} 已存在，未覆盖；确需覆盖请加 --force")
    if out.resolve() == source.resolve():
        raise UsageError("草拟稿不能覆盖原工作簿：请用 --out 指定另一个文件名")
    problems = for_department(dy, score(dy, load_rulebook(dy.rules)))
    book = load_workbook(source)
    sheet = book[TEXTS.name]
    headers = [str(c.value).strip() if c.value is not None else "" for c in sheet[1]]
    if ORIGIN_HEADER not in headers:
        headers.append(ORIGIN_HEADER)
        sheet.cell(row=1, column=len(headers), value=ORIGIN_HEADER)
    column = {h: i + 1 for i, h in enumerate(headers)}
    slots = _placeholder_rows(sheet, column) if problems else []
    for extra in reversed(slots[1:]):
        sheet.delete_rows(extra)
    row = _last_row(sheet) + 1
    for section, texts in (("存在问题", [p.problem for p in problems]), ("改进措施", [p.measure for p in problems])):
        for text in texts:
            if section == "存在问题" and slots:
                at = slots.pop(0)
            else:
                at, row = row, row + 1
            sheet.cell(row=at, column=column["章节"], value=section)
            sheet.cell(row=at, column=column["内容"], value=text)
            sheet.cell(row=at, column=column[ORIGIN_HEADER], value=DRAFTED)
    with atomic_path(out) as tmp:
        book.save(tmp)
    return Drafted(out, problems)


def _source(dy: data.DepartmentYear, given: Path | None) -> Path:
    """The ingested workbook: the one given with --from, else the path it was ingested from (found from any
    working directory); a department-year ingested before paths were stored knows only its file name, looked
    up in the working directory. Either way its sha256 must still be the stored one."""
    if given is not None:
        return _checked(dy, given)
    if dy.source_path is None:
        return _checked(dy, Path(dy.source_file), legacy=True)
    path = Path(dy.source_path)
    if not path.is_file():
        raise UsageError(f"找不到导入时的工作簿：{dy.department} {dy.year} 是从 {path} 导入的，该文件已不在原处"
                         "（已移动、改名或删除）。请用 --from 指定它现在的位置，或重新导入后再生成草拟稿")
    if _sha256(path) != dy.sha256:
        raise UsageError(f"导入时的工作簿 {path} 在导入后内容已改动，与库中 {dy.department} {dy.year} 的数据不一致。"
                         f"请先重新导入（evalnb ingest {shlex.quote(str(path))}），再生成草拟稿")
    return path


def _checked(dy: data.DepartmentYear, path: Path, legacy: bool = False) -> Path:
    """A workbook named by --from (or, for an old store, by its file name): it must be the ingested one."""
    if not path.is_file():
        raise UsageError(f"找不到导入时的工作簿 {path}：请用 --from 指定 {dy.department} {dy.year} 导入时所用的工作簿"
                         + ("（该数据导入时尚未记录工作簿的位置；重新导入一次后即可省略 --from）" if legacy else ""))
    if _sha256(path) != dy.sha256:
        raise UsageError(f"{path} 与库中 {dy.department} {dy.year} 的数据不是同一份工作簿（内容已改动或不是该部门年度）："
                         "请先导入最新的工作簿，再生成草拟稿")
    return path


def _placeholder_rows(sheet, column: dict[str, int]) -> list[int]:
    """The rows of 存在问题 that only say there is none (“无问题存在。”, “暂无”), top to bottom."""
    return [r for r in range(2, sheet.max_row + 1)
            if sheet.cell(r, column["章节"]).value == "存在问题" and is_placeholder(sheet.cell(r, column["内容"]).value)]


def _last_row(sheet) -> int:
    """The last row with anything in it (openpyxl's max_row counts formatted empty rows too)."""
    for row in range(sheet.max_row, 1, -1):
        if any(cell.value not in (None, "") for cell in sheet[row]):
            return row
    return 1


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
