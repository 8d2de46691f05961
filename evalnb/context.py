"""Everything a section notebook needs for one department-year, loaded once per kernel."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from evalnb import data
from evalnb.checks import Finding, run_checks
from evalnb.paths import default_db_url
from evalnb.rules import Rulebook, load_rulebook
from evalnb.scoring import Scorecard, score


@dataclass(frozen=True)
class ReportContext:
    dy: data.DepartmentYear
    rulebook: Rulebook
    card: Scorecard
    findings: list[Finding]


_RECENT: OrderedDict[tuple, tuple[ReportContext, int]] = OrderedDict()
KEEP = 2       # a report's sections share one context; a warm kernel moves on to the next report


def load_context(department: str, year: int, db: str | None = None, rules: str | None = None,
                 version: str | None = None) -> ReportContext:
    """The department-year (the stored ``version`` when a report names one, else the latest), its rulebook,
    scorecard and review findings. A named version is read once per kernel: the sections of a report share
    it (a version is immutable; the rulebook file is checked for changes). The latest is always read anew."""
    if version is None:
        return _load(department, year, db, rules, None)
    key = (department, int(year), db or default_db_url(), rules, version)
    hit = _RECENT.get(key)
    if hit is not None and hit[1] == _stamp(hit[0].rulebook):
        _RECENT.move_to_end(key)
        return hit[0]
    ctx = _load(department, year, db, rules, version)
    _RECENT[key] = (ctx, _stamp(ctx.rulebook))
    while len(_RECENT) > KEEP:
        _RECENT.popitem(last=False)
    return ctx


def _stamp(book: Rulebook) -> int:
    return book.path.stat().st_mtime_ns


def _load(department: str, year: int, db: str | None, rules: str | None, version: str | None) -> ReportContext:
    dy = data.load(department, int(year), db, version=version)
    book = load_rulebook(rules or dy.rules)
    card = score(dy, book)
    return ReportContext(dy=dy, rulebook=book, card=card, findings=run_checks(dy, book, card))
