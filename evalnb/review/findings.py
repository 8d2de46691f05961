"""A finding: what a finance-bureau reviewer would flag, with where it is and how serious.

The stable English ``code`` is for ``--json`` and the memo's small print; users read the Chinese message.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    indicator: str | None = None

    @property
    def location(self) -> str:
        parts = [p for p in (self.sheet, f"第{self.row}行" if self.row else None, self.indicator) if p]
        return " · ".join(parts)

    def to_dict(self) -> dict:
        return {**asdict(self), "location": {"sheet": self.sheet, "row": self.row, "indicator": self.indicator}}
