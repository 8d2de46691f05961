"""A finding: what a finance-bureau reviewer would flag, with where it is and how serious.

The stable English ``code`` is for ``--json`` and the memo's small print; users read the Chinese message.
Findings on the same row of a sheet are one finding (:func:`merge_by_cell`): a reviewer reads one item per
indicator or budget line, with every reason it is flagged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
JOIN = "；"          # messages of one cell, as one sentence


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    indicator: str | None = None
    also: tuple[str, ...] = ()          # codes of the findings merged into this one (same cell)

    @property
    def codes(self) -> tuple[str, ...]:
        """This finding's code and those merged into it."""
        return (self.code, *self.also)

    @property
    def location(self) -> str:
        parts = [p for p in (self.sheet, f"第{self.row}行" if self.row else None, self.indicator) if p]
        return " · ".join(parts)

    def to_dict(self) -> dict:
        return {**asdict(self), "codes": list(self.codes),
                "location": {"sheet": self.sheet, "row": self.row, "indicator": self.indicator}}


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then information; otherwise in the order found."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def merge_by_cell(findings: list[Finding]) -> list[Finding]:
    """One finding per located row (sheet, row, indicator): the most serious one's code and severity, every
    message joined. Findings without a row (a sheet or a text as a whole) stay as they are."""
    merged: dict[tuple, list[Finding]] = {}
    for f in by_severity(findings):
        key = (f.sheet, f.row, f.indicator) if f.row is not None else (id(f),)
        merged.setdefault(key, []).append(f)
    return [_one(group) for group in merged.values()]


def _one(group: list[Finding]) -> Finding:
    first = group[0]
    if len(group) == 1:
        return first
    messages = list(dict.fromkeys(f.message for f in group))
    codes = [c for f in group for c in f.codes if c != first.code]
    return Finding(first.severity, first.code, JOIN.join(messages), first.sheet, first.row, first.indicator,
                   tuple(dict.fromkeys(codes)))
