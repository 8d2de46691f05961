"""A validated workbook as plain records: what intake hands the store (the store knows nothing of Excel)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Submission:
    """A validated workbook: plain records ready for the store."""

    file: str
    sha256: str
    profile: dict[str, Any]
    texts: list[dict[str, Any]]
    budget: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    team: list[dict[str, Any]]
    accounts: list[dict[str, Any]] = field(default_factory=list)     # 收支总表 (optional sheet)
    facts: list[dict[str, Any]] = field(default_factory=list)        # 部门情况 (optional sheet)
    deductions: list[dict[str, Any]] = field(default_factory=list)   # 扣分事项 (optional sheet)
    projects: list[dict[str, Any]] = field(default_factory=list)     # 项目情况 (optional sheet)
    notes: list[str] = field(default_factory=list)
    path: str | None = None                                           # the resolved absolute path it was read from

    @property
    def row_counts(self) -> dict[str, int]:
        return {"texts": len(self.texts), "budget": len(self.budget), "indicators": len(self.indicators),
                "team": len(self.team), "accounts": len(self.accounts), "facts": len(self.facts),
                "deductions": len(self.deductions), "projects": len(self.projects)}
