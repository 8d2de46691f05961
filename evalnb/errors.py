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

    @classmethod
    def department_year(cls, department: str, year: int, stored: list[tuple[str, int]], years: list[int],
                        nearest: int | None, similar: list[str]) -> NotFoundError:
        """Not stored: the department's years and the nearest one, or departments named like it; then all stored."""
        listed = "；".join(f"{d} {y}" for d, y in stored) or "（无）"
        if years:
            return cls(f"库中没有 {department} {year} 的数据：{department} 已有的年度为 {'、'.join(map(str, years))}，"
                       f"是不是要找 {nearest} 年度？库中已有：{listed}")
        guess = f"；是不是要找：{'、'.join(similar)}？" if similar else ""
        return cls(f"库中没有 {department} {year} 的数据；库中已有：{listed}{guess}")


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


# YAML from users (evalnb.safeyaml): PyYAML's messages (problem, or context then problem), as the file's author reads them.
YAML_TOKENS = {"<stream end>": "文件末尾", "<block end>": "缩进结束", "<block mapping start>": "新的键值",
          "<block sequence start>": "新的列表", "<scalar>": "一个值", "<document start>": "文档开始",
          "<flow mapping end>": "“}”", "<flow sequence end>": "“]”", "<block entry>": "“-” 列表项", "<key>": "键",
          "<value>": "值", ",": "“,”", "]": "“]”", "}": "“}”", ":": "“:”", "-": "“-”", "?": "“?”"}
YAML_MESSAGES = [
    (r"expected ',' or '(\]|\})', but got '?([^']*)'?", "缺少“,”或{0}：括号没有闭合，或其中的项之间少了逗号（遇到{1}）"),
    (r"expected the node content, but found '?([^']*)'?", "此处缺少值（遇到{0}）"),
    (r"mapping values are not allowed here", "此处不能出现“:”：值中含“: ”时请给整个值加引号，或检查缩进"),
    (r"could not find expected ':'", "缺少“:”：每个键后应有“: 值”，或上一行的引号没有闭合"),
    (r"found character '\\t' that cannot start any token", "不能用制表符（Tab）缩进，请改用空格"),
    (r"found character '(.*)' that cannot start any token", "字符“{0}”不能出现在这里：请给整个值加引号"),
    (r"found unexpected end of stream", "引号没有闭合：到文件末尾也没有找到对应的引号"),
    (r"did not find expected key", "缺少键或缩进不一致：同一层的键应对齐"),
    (r"did not find expected '-' indicator", "列表项的缩进不一致：同一列表的“-”应对齐"),
    (r"did not find expected <document start>", "文件中有多余的内容：检查缩进"),
    (r"expected <block end>, but found '?([^']*)'?", "缩进不一致（遇到{0}）：同一层的键应对齐"),
    (r"expected <document start>, but found '?([^']*)'?", "缩进不一致（遇到{0}）：文件只能有一个顶层映射"),
    (r"found unhashable key", "键不能是列表或映射"),
    (r"found unknown escape character '(.*)'", "双引号中的转义“\\{0}”无效：路径等文字请用单引号"),
    (r"found undefined alias '?([^']*)'?", "不允许使用 YAML 别名（*{0}）"),
    (r"found a tab character that violates indentation", "不能用制表符（Tab）缩进，请改用空格"),
    (r"found a tab character where an indentation space is expected", "不能用制表符（Tab）缩进，请改用空格"),
]


def _token(text: str) -> str:
    return YAML_TOKENS.get(text, f"“{text}”")


def yaml_message(problem: str, where: tuple[int, int] | None) -> str:
    """A malformed YAML file's problem as PyYAML words it, in Chinese, after its line and column (from 1)."""
    import re

    where_ = f"第 {where[0]} 行第 {where[1]} 列：" if where else ""
    if re.search(r"[\u4e00-\u9fff]", problem):        # ours (aliases, depth, size, duplicate keys): already Chinese
        return where_ + problem
    for pattern, chinese in YAML_MESSAGES:
        if found := re.fullmatch(pattern, problem):
            return where_ + chinese.format(*(_token(g) for g in found.groups()))
    return where_ + "YAML 格式有误：请检查这一处的引号、冒号、括号和缩进"


def not_utf8(position: int) -> str:
    return f"不是 UTF-8 编码的文本（第 {position} 个字节无法识别）：请另存为 UTF-8 编码"


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
