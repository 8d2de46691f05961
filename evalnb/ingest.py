"""Validate workbooks, then load them all in one transaction (or none, if any is invalid)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from evalnb import store
from evalnb.errors import Problem, WorkbookError
from evalnb.intake import Submission, read_workbook


@dataclass
class Loaded:
    submission: Submission
    replaced: bool


def validate_all(paths: Iterable[str | Path]) -> list[Submission]:
    """Read every workbook; raise one WorkbookError with the problems of all of them."""
    submissions: list[Submission] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, int], str] = {}
    for path in paths:
        try:
            sub = read_workbook(path)
        except WorkbookError as exc:
            problems += exc.problems
            continue
        key = (sub.profile["department"], sub.profile["year"])
        if key in seen:
            problems.append(Problem(sub.file, "基本信息", None, None, None,
                                    f"{key[0]} {key[1]} 与 {seen[key]} 重复：同一部门同一年度只能导入一个工作簿"))
        seen[key] = sub.file
        submissions.append(sub)
    if problems:
        raise WorkbookError(problems)
    return submissions


def ingest(paths: Iterable[str | Path], db: str | None = None) -> list[Loaded]:
    submissions = validate_all(paths)
    engine = store.open_store(db, create=True)
    try:
        replaced = store.save(engine, submissions)
    finally:
        engine.dispose()
    return [Loaded(s, r) for s, r in zip(submissions, replaced, strict=True)]
