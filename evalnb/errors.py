"""Exception hierarchy: one base class, one subclass per kind of failure."""

from __future__ import annotations

from dataclasses import dataclass


class EvalnbError(Exception):
    """Base class of every error evalnb raises on purpose."""

    exit_code = 1


FILE_LEVEL = "-"          # Problem.sheet of a problem with the file itself (not a workbook, encrypted, too large)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workbook, located as the user sees it in Excel."""

    file: str
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [f"文件 {self.file}"]
        if self.sheet and self.sheet != FILE_LEVEL:        # a problem of the file as a whole names no sheet
            where.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column is not None:
            where.append(f"列“{self.column}”")
        got = "" if self.value is None else f"值 {self.value!r}："
        return "，".join(where) + f"：{got}{self.expected}"


class WorkbookError(EvalnbError):
    """A workbook failed validation; carries every problem found, not just the first."""

    exit_code = 2
    problems: tuple[Problem, ...] | list[Problem] = ()    # none when rebuilt from a kernel (from_kernel)

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"发现 {len(problems)} 处问题，未导入任何数据：\n{lines}")


class UsageError(EvalnbError):
    """A command asked for something it cannot do as given (an existing file, a bad option value)."""

    exit_code = 2


class ProjectError(EvalnbError):
    """Raised when a command runs outside an evalnb project (no checkout, no store, no EVALNB_HOME up from here),
    or ``ingest`` would start a new store without ``--init``: says where it looked and how to get there."""

    exit_code = 2


class NotFoundError(EvalnbError):
    """A department-year (or other stored thing) that is not in the store."""

    exit_code = 3


class StaleDataError(EvalnbError):
    """Raised when the stored department-year is not the version a report was started on (it was
    re-ingested meanwhile)."""

    exit_code = 1


class DraftError(EvalnbError):
    """Raised when ``report --final`` is asked for a report that is still a draft; lists why."""

    exit_code = 1

    @classmethod
    def listing(cls, reasons: list[str]) -> DraftError:
        return cls("报告仍为草稿，未写出。须先处理：\n" + "\n".join(f"  - {r}" for r in reasons))


class LockedError(EvalnbError):
    """Raised when another run is writing the same output folder."""

    exit_code = 1


class RulebookError(EvalnbError):
    """A rulebook file is missing or malformed."""

    exit_code = 2


class ReportError(EvalnbError):
    """Rendering a report failed; names the section, cell and error."""

    exit_code = 1


class WordingError(EvalnbError):
    """A wording template (a region's copy in EVALNB_TEMPLATES) lacks a sentence or value this version asks
    for, or takes other arguments: names the file and what to add."""

    exit_code = 2


class ParamsError(EvalnbError):
    """A params file that is not what a report needs."""

    exit_code = 2


class BatchError(EvalnbError):
    """A batch that cannot be run as asked."""

    exit_code = 2


class MailError(EvalnbError):
    """A report that cannot be mailed as asked: no recipients, no SMTP settings, a refused send."""

    exit_code = 1


class MailUncertainError(MailError):
    """The server dropped the link after the message was handed over: it may have arrived, so it is logged
    and not sent again without --resend."""


def from_kernel(ename: str, evalue: str) -> EvalnbError | None:
    """The evalnb error a section notebook raised in its kernel, rebuilt on this side: only the class name
    and the message cross over, and the rebuilt error keeps its class and so its exit code. None for an
    exception that is not an evalnb error (the caller reports it with the section and cell)."""
    pending = [EvalnbError]
    while pending:
        cls = pending.pop()
        if cls.__name__ == ename:
            error = cls.__new__(cls)
            Exception.__init__(error, evalue)
            return error
        pending.extend(cls.__subclasses__())
    return None
