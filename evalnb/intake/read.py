"""Read and validate a department-year workbook.

:func:`read_workbook` returns a :class:`Submission` or raises :class:`WorkbookError` carrying every
problem found, each located by file, sheet, Excel row and column header as the user wrote them.
Nothing here touches the store.

Whatever the file holds, those are the only two outcomes. The bytes are read once (regular files only,
size-capped) and sniffed, so that an .xls, an encrypted workbook, a PDF or a CSV is named as what it is,
and the zip package is checked (:mod:`evalnb.intake.package`); each sheet's XML is scanned in one
streaming pass for data beyond :mod:`evalnb.limits` before openpyxl reads it within those bounds
(:mod:`evalnb.intake.sheets`), into rows whose getters record problems (:mod:`evalnb.intake.rows`); the
rows become the store's records and are checked across rows (:mod:`evalnb.intake.records`).
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from evalnb import limits as _limits
from evalnb.errors import Problem, WorkbookError
from evalnb.intake.package import chartsheets, load_book, open_package, read_bytes
from evalnb.intake.records import (
    account_record,
    budget_record,
    check_budget_total,
    check_duplicates,
    check_project_info,
    check_projects,
    deduction_record,
    fact_record,
    filed_projects,
    indicator_record,
    member_record,
    named_rulebook,
    profile_record,
    project_record,
    report_fit,
    text_record,
)
from evalnb.intake.rows import Row
from evalnb.intake.sheets import sheet_rows
from evalnb.rules import DEFAULT_RULES, Rulebook, fit
from evalnb.store.submission import Submission
from evalnb.workbook import (
    ACCOUNTS,
    BUDGET,
    DEDUCTIONS,
    FACTS,
    INDICATORS,
    PROFILE,
    PROJECT_INFO,
    SHEETS,
    TEAM,
    TEXTS,
)


def read_workbook(path: str | Path, limits: _limits.Limits | None = None) -> Submission:
    limits = limits or _limits.current()
    path = Path(path)
    file = path.name or str(path)
    data = read_bytes(path, file, limits)
    archive = open_package(data, file, limits)
    try:
        book = load_book(data, file, chartsheets(archive))
        try:
            return _validate(file, data, book, archive, limits)
        finally:
            book.close()
    finally:
        archive.close()


def _validate(file: str, data: bytes, book: Any, archive: zipfile.ZipFile, limits: _limits.Limits) -> Submission:
    problems: list[Problem] = []
    notes: list[str] = []
    rows: dict[str, list[Row]] = {}
    readable: set[str] = set()
    for sheet in SHEETS:
        got = sheet_rows(file, book, archive, sheet, problems, notes, limits)
        rows[sheet.name] = got or []
        if got is not None:
            readable.add(sheet.name)
    profile = profile_record(rows[PROFILE.name], file, problems, limits, complain=PROFILE.name in readable)
    rulebook = named_rulebook(rows[PROFILE.name], profile["rules"])
    project_book = named_rulebook(rows[PROFILE.name], profile["project_rules"] or DEFAULT_RULES, "项目评分规则")
    filed = filed_projects(rows[PROJECT_INFO.name])

    def book_of(row: Row) -> Rulebook | None:      # a listed project's rows are scored on its own form
        return project_book if row.text("project") in filed else rulebook
    submission = Submission(
        file=file, sha256=hashlib.sha256(data).hexdigest(), profile=profile,
        texts=[t for r in rows[TEXTS.name] if (t := text_record(r))],
        budget=[b for r in rows[BUDGET.name] if (b := budget_record(r))],
        indicators=[i for r in rows[INDICATORS.name] if (i := indicator_record(r, book_of(r)))],
        team=[m for r in rows[TEAM.name] if (m := member_record(r))],
        accounts=[a for r in rows[ACCOUNTS.name] if (a := account_record(r))],
        facts=[f for r in rows[FACTS.name] if (f := fact_record(r))],
        deductions=[d for r in rows[DEDUCTIONS.name] if (d := deduction_record(r, rulebook))],
        projects=[p for r in rows[PROJECT_INFO.name] if (p := project_record(r))],
        notes=notes,
    )
    check_projects(submission, rows)
    check_project_info(submission, rows, project_book)
    check_budget_total(submission, rows)
    check_duplicates(submission, rows)
    if INDICATORS.name in readable and not any(p.sheet == INDICATORS.name for p in problems):
        _fit(file, submission, rulebook, project_book, filed, rows, problems)
    for sheet in (BUDGET, INDICATORS, TEAM):
        if sheet.name in readable and not rows[sheet.name]:
            problems.append(Problem(file, sheet.name, 2, None, None, "至少需要一行数据"))
    if problems:
        raise WorkbookError(problems)
    return submission


def _fit(file: str, sub: Submission, rulebook: Rulebook | None, project_book: Rulebook | None, filed: set[str],
         rows: dict[str, list[Row]], problems: list[Problem]) -> None:
    """The department's rows against its rulebook; each listed project's rows, as a whole, against the project
    rulebook (a listed project without rows is a draft form, not an error)."""
    if rulebook is not None:
        own = [i for i in sub.indicators if i["project"] not in filed]
        report_fit(file, fit.check(rulebook, own, sub.deductions), rows, problems)
    if project_book is None:
        return
    for name in sorted(filed):
        mine = [i for i in sub.indicators if i["project"] == name]
        if mine:
            issues = [replace(i, message=f"项目“{name}”：{i.message}") for i in fit.check(project_book, mine, [])]
            report_fit(file, issues, rows, problems)
