"""One data row of a sheet, with typed getters that record located problems (file, sheet, Excel row, column
header as written) instead of raising."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from openpyxl.utils.cell import get_column_letter

from evalnb import limits as _limits
from evalnb.errors import Problem
from evalnb.text.numbers import NumberFormatError, NumberTooLarge, normalize_text, parse_number, shown
from evalnb.workbook import (
    Sheet,
)

# C0 controls other than tab/newline, DEL and lone surrogates (from _xD800_ escapes): no store keeps them.
INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Bidirectional controls: a name holding U+202E shows reversed in the report, the memo and a mail subject
# (display spoofing); Chinese workbooks never need them.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


SHOWN_CHARS = 60


def cut_short(value: object) -> str | None:
    """A cell value for a message, cut short: nobody wants a 10 000-character paragraph echoed back."""
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}…（共 {len(text)} 字）"


def column_letter(column: int) -> str:
    try:
        return get_column_letter(column)
    except ValueError:
        return f"第{column}列"


class Row:
    """One data row of a sheet; the typed getters record problems instead of raising."""

    def __init__(self, file: str, sheet: Sheet, excel_row: int, cells: dict[str, Any],
                 formats: dict[str, str], headers: dict[str, str], problems: list[Problem],
                 limits: _limits.Limits | None = None):
        self.file, self.sheet, self.excel_row = file, sheet, excel_row
        self.cells, self.formats, self.headers, self.problems = cells, formats, headers, problems
        self.limits = limits or _limits.current()
        self.bad: set[str] = set()       # cells already refused (too long, control characters)

    def header(self, key: str) -> str:
        return self.headers.get(key, key)

    def blank_except(self, key: str) -> bool:
        """Only ``key`` is filled: a 科目 the template lists that the department left empty."""
        return all(normalize_text(v) == "" for k, v in self.cells.items() if k != key)

    def problem(self, key: str, expected: str, show_value: bool = True) -> None:
        shown_value = cut_short(self.cells.get(key)) if show_value else None
        self.problems.append(Problem(self.file, self.sheet.name, self.excel_row, self.header(key), shown_value, expected))

    def check_text(self, key: str, limit: int) -> None:
        """Refuse text longer than ``limit`` or holding control characters; the getters then skip the cell."""
        value = self.cells.get(key)
        if not isinstance(value, str) or key in self.bad:
            return
        if len(value) > limit:
            self.problem(key, f"文字过长：共 {len(value)} 个字符，此列最多 {limit} 个字符")
            self.bad.add(key)
        elif match := INVISIBLE.search(value):
            self.problem(key, f"含有不可见的控制字符（U+{ord(match.group()):04X}，第 {match.start() + 1} 个字符），"
                              "请删除后再保存")
            self.bad.add(key)
        elif match := BIDI.search(value):
            self.problem(key, f"含有不可见的文字方向控制字符（U+{ord(match.group()):04X}，第 {match.start() + 1} 个字符），"
                              "会使文字显示得与实际不同：请删除后再保存")
            self.bad.add(key)

    def check_one_line(self, key: str) -> None:
        """A name (部门名称 …) goes into file names, mail subjects and titles: no line breaks (Alt+Enter)."""
        value = self.cells.get(key)
        if isinstance(value, str) and key not in self.bad and ("\n" in value.strip() or "\r" in value.strip()):
            self.problem(key, "不能换行（单元格中按了 Alt+Enter）：请写在一行内")
            self.bad.add(key)

    def text(self, key: str, required: bool = False) -> str | None:
        """Text as typed (trimmed); full-width punctuation of Chinese prose is kept."""
        if key in self.bad:
            return None
        raw = self.cells.get(key)
        value = "" if raw is None else str(raw).strip()
        if not value and required and key in self.cells:  # a missing column is reported once, on row 1
            self.problem(key, "必填，不能为空", show_value=False)
        return value or None

    def token(self, key: str) -> str | None:
        """A short code-like value (unit, rulebook name): full-width characters folded to half-width."""
        return None if key in self.bad else normalize_text(self.cells.get(key)) or None

    def choice(self, key: str, choices: dict[str, str] | tuple[str, ...], required: bool = True) -> str | None:
        if self.text(key, required) is None:
            return None
        value = normalize_text(self.cells.get(key))
        # keys as normalize_text folds them: 因公出国（境）费 typed with either kind of bracket
        mapping = {normalize_text(k): v for k, v in (choices.items() if isinstance(choices, dict) else
                                                     ((c, c) for c in choices))}
        if value not in mapping:
            allowed = "、".join(dict.fromkeys(mapping.values()))
            self.problem(key, f"应为以下之一：{allowed}")
            return None
        return mapping[value]

    def number(self, key: str, unit: str | None = None, required: bool = False,
               minimum: Decimal | None = Decimal(0), too_big: str | None = None,
               text: str | None = None) -> Decimal | None:
        """The cell's number (``text``: the part of the cell that holds it, e.g. 50个 of ≥50个)."""
        if key in self.bad:
            return None
        raw = self.cells.get(key) if text is None else text
        if raw is None or normalize_text(raw) == "":
            if required and key in self.cells:
                self.problem(key, "必填，应为数字", show_value=False)
            return None
        percent = "%" in self.formats.get(key, "")
        try:
            value = parse_number(raw, unit, percent_format=percent, limits=self.limits)
        except NumberTooLarge as exc:
            self.problem(key, too_big or str(exc))
            return None
        except NumberFormatError as exc:
            self.problem(key, str(exc))
            return None
        if minimum is not None and value < minimum:
            self.problem(key, f"应为不小于 {minimum} 的数字")
            return None
        return value

    def money(self, key: str, required: bool = False) -> Decimal | None:
        """An amount in 万元, below ``limits.money``; a percentage (``12%``, or a cell formatted as one) is not
        an amount and is refused, never read as 0.12 万元."""
        raw = self.cells.get(key)
        typed_percent = isinstance(raw, str) and normalize_text(raw).replace(" ", "").endswith("%")
        if key not in self.bad and (typed_percent or (isinstance(raw, int | float) and "%" in self.formats.get(key, ""))):
            self.problem(key, "应为金额（万元），不能是百分数：请填写金额，比率由程序计算")
            return None
        too_big = f"金额过大：应小于 {shown(self.limits.money)} 万元（金额单位为万元，请确认没有按元填写）"
        value = self.number(key, required=required, too_big=too_big)
        if value is not None and value >= self.limits.money:
            self.problem(key, too_big)
            return None
        return value

    def count(self, key: str, what: str, required: bool = False) -> Decimal | None:
        """A number of people or units (人数, 机构数): a whole number, not negative."""
        value = self.number(key, required=required)
        if value is not None and value != value.to_integral_value():
            self.problem(key, f"{what}应为整数")
            return None
        return value

    def score(self, key: str, required: bool = False) -> Decimal | None:
        """Points: 0 to ``limits.score``."""
        too_big = f"分值应在 0 到 {shown(self.limits.score)} 之间"
        value = self.number(key, required=required, too_big=too_big)
        if value is not None and value > self.limits.score:
            self.problem(key, too_big)
            return None
        return value
