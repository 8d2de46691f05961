"""Validate workbooks, then load them all in one transaction (or none, if any is invalid).

Excel's lock files (``~$科学技术局_2024.xlsx``, left beside a workbook that is open in Excel and picked up by
a shell glob) are skipped, not refused: each skip is a :class:`Skipped` in the ``skipped`` list of the
result, for the caller to print.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from evalnb.errors import Problem, WorkbookError
from evalnb.intake.read import read_workbook
from evalnb.limits import Limits, current
from evalnb.store import sql as store
from evalnb.store.submission import Submission

LOCK_PREFIX = "~$"


@dataclass
class Loaded:
    submission: Submission
    replaced: bool


@dataclass(frozen=True)
class Skipped:
    """A path given to ingest that is not a workbook to load; ``str()`` is the note to show the user."""

    file: str
    reason: str

    def __str__(self) -> str:
        return f"已跳过 {self.file}：{self.reason}"


LOCK_FILE = "这是 Excel 打开工作簿时生成的临时锁定文件（以 ~$ 开头），不是工作簿"
LIBREOFFICE_LOCK = "这是 WPS/LibreOffice 打开工作簿时生成的临时锁定文件（.~lock. 开头），不是工作簿"


class Validated(list[Submission]):
    """The valid submissions (a plain list for existing callers), plus the paths skipped."""

    def __init__(self, submissions: Iterable[Submission] = (), skipped: Iterable[Skipped] = ()):
        super().__init__(submissions)
        self.skipped: list[Skipped] = list(skipped)


class Ingested(list[Loaded]):
    """What ingest loaded, one :class:`Loaded` per workbook (a plain list for existing callers), plus the skips."""

    def __init__(self, loaded: Iterable[Loaded] = (), skipped: Iterable[Skipped] = ()):
        super().__init__(loaded)
        self.skipped: list[Skipped] = list(skipped)


def is_lock_file(path: str | Path) -> bool:
    """Excel's and WPS's ``~$name.xlsx`` (a few hundred bytes naming who has it open), or LibreOffice's
    ``.~lock.name.xlsx#``. A real workbook that happens to be named ``~$…`` (a zip package) is not one."""
    name = Path(path).name
    if name.startswith(".~lock.") and name.endswith("#"):
        return True
    if not name.startswith(LOCK_PREFIX):
        return False
    try:
        with open(path, "rb") as handle:
            return handle.read(4) != b"PK\x03\x04"
    except OSError:
        return True                    # unreadable: skipped as the lock file its name says it is


def validate_all(paths: Iterable[str | Path], limits: Limits | None = None) -> Validated:
    """Read every workbook; raise one WorkbookError with the problems of all of them.

    Lock files are skipped (``result.skipped``); an error elsewhere still refuses the whole batch.
    """
    limits = limits or current()
    result = Validated()
    problems: list[Problem] = []
    seen: dict[tuple[str, int], str] = {}
    for path in paths:
        if is_lock_file(path):
            name = Path(path).name
            result.skipped.append(Skipped(name, LOCK_FILE if name.startswith(LOCK_PREFIX) else LIBREOFFICE_LOCK))
            continue
        try:
            sub = read_workbook(path, limits)
        except WorkbookError as exc:
            problems += exc.problems
            continue
        sub.path = str(Path(path).resolve())     # where `evalnb draft` finds it again, from any working directory
        key = (sub.profile["department"], sub.profile["year"])
        if key in seen:
            problems.append(Problem(sub.file, "基本信息", None, None, None,
                                    f"{key[0]} {key[1]} 与 {seen[key]} 重复：同一部门同一年度只能导入一个工作簿"))
        seen[key] = sub.file
        result.append(sub)
    if problems:
        raise WorkbookError(problems)
    return result


def ingest(paths: Iterable[str | Path], db: str | None = None) -> Ingested:
    """Validate all, then store all in one transaction; the store is not opened unless every workbook is valid."""
    submissions = validate_all(paths)
    if not submissions:
        return Ingested([], submissions.skipped)
    engine = store.open_store(db, create=True)
    try:
        replaced = store.save(engine, list(submissions))
    finally:
        engine.dispose()
    return Ingested((Loaded(s, r) for s, r in zip(submissions, replaced, strict=True)), submissions.skipped)
