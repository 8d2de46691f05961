"""The one sequence that makes a department-year's documents: ``evalnb report``, ``evalnb batch`` and their
workers all call :func:`publish`.

A report found current (:mod:`evalnb.report.fingerprint`) is kept and only the asked formats it lacks are
written; otherwise it is rendered (:func:`evalnb.report.render.render_report`) and every asked format is
written from it (:mod:`evalnb.deliver.formats`). Importing this module imports neither Jupyter nor pandas,
so a report with nothing to do is recognised in a blink.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evalnb.deliver.formats import Source, file_names, path_of, write_formats
from evalnb.errors import DraftError
from evalnb.paths import default_db_url
from evalnb.report.fingerprint import Current, current_report

if TYPE_CHECKING:
    from evalnb.report.render import ReportResult


@dataclass(frozen=True)
class Published:
    """What :func:`publish` made or kept."""

    html: Path
    memo: Path
    version: str | None
    score: float | None
    grade: str | None
    draft: list[str]                    # why the report is still a draft (empty: it may be filed)
    sections: int
    reused: int                         # sections not re-executed (all of them when the report was current)
    current: bool                       # the report was current: nothing was rendered
    seconds: float
    formats: dict[str, Path] = field(default_factory=dict)     # every asked format's file
    written: tuple[Path, ...] = ()      # the files of ``formats`` written by this call
    phases: list[tuple[str, float]] = field(default_factory=list)


def find_current(department: str, year: int, db: str | None, rules: str | None, formats: tuple[str, ...] = (),
                 out_root: Path | None = None) -> Current | None:
    """The department-year's report if it is current (with the asked formats it still lacks), else None."""
    return current_report(department, year, db or default_db_url(), rules, out_root,
                          file_names(department, year, formats))


def publish(department: str, year: int, db: str | None = None, rules: str | None = None, *,
            formats: tuple[str, ...] = (), out_root: Path | None = None, force: bool = False, final: bool = False,
            progress: Callable[[str], None] | None = None,
            render: Callable[[], ReportResult] | None = None) -> Published:
    """The report of a department-year and the asked ``formats`` beside it: kept if current (unless
    ``force``), else rendered — by ``render`` if given (a batch worker's warm kernel), else on a new kernel.
    ``final`` refuses a draft (:class:`DraftError`, listing what to fix) without touching what is there."""
    started = time.perf_counter()
    found = None if force else find_current(department, year, db, rules, formats, out_root)
    if found is not None:
        if final and found.summary["draft"]:
            raise DraftError.listing(found.summary["draft"])
        return _kept(found, department, year, db, rules, formats, started, progress)
    if render is None:
        from evalnb.report.render import render_report  # lazy: Jupyter is imported only to render

        def render() -> ReportResult:
            return render_report(department, year, db, rules, out_root=out_root, force=force, progress=progress,
                                 final=final)
    result = render()
    written = write_formats(Source(result.html, department, year, db, rules, result.version), formats, progress)
    assert result.memo is not None
    return Published(result.html, result.memo, result.version, result.score, result.grade, result.draft,
                     len(result.sections), result.reused, False, time.perf_counter() - started,
                     {kind: path_of(result.html.parent, department, year, kind) for kind in formats}, tuple(written),
                     result.phases)


def _kept(found: Current, department: str, year: int, db: str | None, rules: str | None,
          formats: tuple[str, ...], started: float, progress: Callable[[str], None] | None = None) -> Published:
    summary = found.summary
    html = found.folder / summary["html"]
    written = write_formats(Source(html, department, year, db, rules, summary["version"]), found.missing, progress)
    return Published(html, found.folder / summary["memo"], summary["version"], summary["score"], summary["grade"],
                     summary["draft"], summary["sections"], summary["sections"], True, time.perf_counter() - started,
                     {kind: path_of(found.folder, department, year, kind) for kind in formats}, tuple(written))
