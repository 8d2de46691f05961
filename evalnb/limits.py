"""Bounds on what ``evalnb ingest`` accepts, so that a careless or hostile workbook is refused, not obeyed.

Every limit has a default suited to a department-year workbook (a few dozen rows, well under 1 MB) and an
environment variable to override it (both declared in :mod:`evalnb.settings`), read each time :func:`current`
is called:

========================  ===========================  =======================================================
limit                     environment variable         default
========================  ===========================  =======================================================
file_mb                   EVALNB_MAX_FILE_MB           20 (size of the .xlsx file)
unzipped_mb               EVALNB_MAX_UNZIPPED_MB       200 (all parts of the .xlsx once decompressed)
rows                      EVALNB_MAX_ROWS              5000 per sheet, header included
columns                   EVALNB_MAX_COLUMNS           50 per sheet
text_chars                EVALNB_MAX_TEXT_CHARS        2000 per cell (names, units, short fields)
paragraph_chars           EVALNB_MAX_PARAGRAPH_CHARS   10000 per cell (文字材料 内容, 备注, 偏差原因…)
money                     EVALNB_MAX_MONEY             1e12 (万元; |amount| must be smaller)
score                     EVALNB_MAX_SCORE             100 (分值, 自评得分, 自评总分)
value                     EVALNB_MAX_VALUE             1e15 (|any other number| must be smaller)
decimals                  EVALNB_MAX_DECIMALS          6 (more significant decimals is an error, never rounded)
min_year / max_year       EVALNB_MIN_YEAR / _MAX_YEAR  1990 / 2100
========================  ===========================  =======================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from evalnb import settings
from evalnb.errors import EvalnbError

# Each limit's setting (its environment variable and default: evalnb.settings).
SETTINGS = {"file_mb": settings.MAX_FILE_MB, "unzipped_mb": settings.MAX_UNZIPPED_MB, "rows": settings.MAX_ROWS,
            "columns": settings.MAX_COLUMNS, "text_chars": settings.MAX_TEXT_CHARS,
            "paragraph_chars": settings.MAX_PARAGRAPH_CHARS, "money": settings.MAX_MONEY, "score": settings.MAX_SCORE,
            "value": settings.MAX_VALUE, "decimals": settings.MAX_DECIMALS, "min_year": settings.MIN_YEAR,
            "max_year": settings.MAX_YEAR}


def _default(name: str, kind: type = int):
    return kind(SETTINGS[name].default)


@dataclass(frozen=True)
class Limits:
    file_mb: int = _default("file_mb")
    unzipped_mb: int = _default("unzipped_mb")
    rows: int = _default("rows")
    columns: int = _default("columns")
    text_chars: int = _default("text_chars")
    paragraph_chars: int = _default("paragraph_chars")
    money: Decimal = _default("money", Decimal)
    score: Decimal = _default("score", Decimal)
    value: Decimal = _default("value", Decimal)
    decimals: int = _default("decimals")
    min_year: int = _default("min_year")
    max_year: int = _default("max_year")

    @property
    def file_bytes(self) -> int:
        return self.file_mb * 1024 * 1024

    @property
    def unzipped_bytes(self) -> int:
        return self.unzipped_mb * 1024 * 1024


def env_name(field_name: str) -> str:
    """``rows`` → ``EVALNB_MAX_ROWS``; ``min_year`` → ``EVALNB_MIN_YEAR``."""
    return SETTINGS[field_name].name


def current(environ: Mapping[str, str] | None = None) -> Limits:
    """The defaults, overridden by any ``EVALNB_MAX_…`` variable set in ``environ`` (default: os.environ)."""
    environ = os.environ if environ is None else environ
    overrides: dict[str, int | Decimal] = {}
    for f in fields(Limits):
        name = env_name(f.name)
        raw = SETTINGS[f.name].get(environ)
        if raw is None:
            continue
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value <= 0 or (f.type == "int" and value != value.to_integral_value()):
            kind = "正整数" if f.type == "int" else "正数"
            raise EvalnbError(f"环境变量 {name} 应为{kind}，实际为 {raw!r}")
        overrides[f.name] = int(value) if f.type == "int" else value
    return Limits(**overrides)
