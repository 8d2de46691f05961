"""Everything a section notebook needs for one department-year, loaded once per kernel."""

from __future__ import annotations

from dataclasses import dataclass

from evalnb import data
from evalnb.checks import Finding, run_checks
from evalnb.rules import Rulebook, load_rulebook
from evalnb.scoring import Scorecard, score


@dataclass(frozen=True)
class ReportContext:
    dy: data.DepartmentYear
    rulebook: Rulebook
    card: Scorecard
    findings: list[Finding]


def load_context(department: str, year: int, db: str | None = None, rules: str | None = None,
                 version: str | None = None) -> ReportContext:
    """The department-year (the stored ``version`` when a report names one, else the latest), its rulebook,
    scorecard and review findings."""
    dy = data.load(department, int(year), db, version=version)
    book = load_rulebook(rules or dy.rules)
    card = score(dy, book)
    return ReportContext(dy=dy, rulebook=book, card=card, findings=run_checks(dy, book, card))
