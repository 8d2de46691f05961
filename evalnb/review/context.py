"""Everything a section notebook needs for one department-year, loaded once per kernel."""

from __future__ import annotations

import warnings
from collections import OrderedDict
from dataclasses import dataclass

from evalnb.paths import default_db_url
from evalnb.review.checks import Finding, run_checks
from evalnb.rules import Rulebook, load_rulebook, rulebook_path, source_digest
from evalnb.rules.scoring import Scorecard, score
from evalnb.store import data
from evalnb.store import sql as store


@dataclass(frozen=True)
class ReportContext:
    dy: data.DepartmentYear
    rulebook: Rulebook
    card: Scorecard
    findings: list[Finding]


_RECENT: OrderedDict[tuple, ReportContext] = OrderedDict()
KEEP = 2       # a report's sections share one context; a warm kernel moves on to the next report


def load_context(department: str, year: int, db: str | None = None, rules: str | None = None,
                 version: str | None = None) -> ReportContext:
    """The department-year (the stored ``version`` when a report names one, else the latest), its rulebook,
    scorecard and review findings. A named version is read once per kernel and shared by the report's
    sections, keyed on everything the context is made of: the version, the version of the year before
    (section 一 compares with it) and the rulebook's file and content. The latest is always read anew."""
    if version is None:
        return _load(department, year, db, rules, None)
    key = _key(department, int(year), db or default_db_url(), rules, version)
    if key in _RECENT:
        _RECENT.move_to_end(key)
        return _RECENT[key]
    ctx = _load(department, year, db, rules, version)
    _RECENT[key] = ctx
    while len(_RECENT) > KEEP:
        _RECENT.popitem(last=False)
    return ctx


def _key(department: str, year: int, db: str, rules: str | None, version: str) -> tuple:
    engine = store.open_store(db)
    name = rules or store.stored_rules(engine, department, year)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)        # an old name: _load says nothing either
        path = rulebook_path(name) if name else None
    book = source_digest(path) if path else None
    return (department, year, db, rules, version, store.current_version(engine, department, year - 1), str(path), book)


def _load(department: str, year: int, db: str | None, rules: str | None, version: str | None) -> ReportContext:
    return build_context(data.load(department, int(year), db, version=version), rules)


def build_context(dy: data.DepartmentYear, rules: str | None = None) -> ReportContext:
    """The context of a loaded department-year: its rulebook (``rules``, else the workbook's), scorecard
    and findings. The one builder: a report's host process and its kernels, and the summary page, use it."""
    book = load_rulebook(rules or dy.rules)
    card = score(dy, book)
    return ReportContext(dy=dy, rulebook=book, card=card, findings=run_checks(dy, book, card))
