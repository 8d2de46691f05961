"""evalnb: 部门整体支出绩效自评报告 from department-year workbooks, through parameterized notebooks.

The public API, one name per step of the data flow (resolved on first use, so ``import evalnb`` stays
instant and a report with nothing to do imports nothing heavy)::

    import evalnb
    evalnb.ingest(["科学技术局_2024.xlsx"])                   # intake → store
    dy = evalnb.load("科学技术局", 2024)                      # the data API
    card = evalnb.score(dy, evalnb.load_rulebook(dy.rules))  # rules
    ctx = evalnb.load_context("科学技术局", 2024)             # data + rulebook + scorecard + findings
    evalnb.publish("科学技术局", 2024, formats=("pdf",))      # render if changed, then the formats

The subpackages follow the data flow, each importing only those below it: ``text`` → ``store`` →
``rules`` → ``intake`` | ``review`` → ``sections`` → ``report`` → ``deliver`` → ``batch`` → ``cli``, on a
foundation of ``errors``, ``settings``, ``paths``, ``limits``, ``workbook``, ``safeyaml`` and ``console``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "ingest": "evalnb.intake.ingest", "Ingested": "evalnb.intake.ingest",
    "load": "evalnb.store.data", "DepartmentYear": "evalnb.store.data",
    "load_rulebook": "evalnb.rules", "Rulebook": "evalnb.rules",
    "score": "evalnb.rules.scoring", "Scorecard": "evalnb.rules.scoring",
    "load_context": "evalnb.review.context", "ReportContext": "evalnb.review.context",
    "run_checks": "evalnb.review.checks", "Finding": "evalnb.review.findings",
    "render_report": "evalnb.report.render", "ReportResult": "evalnb.report.render",
    "publish": "evalnb.deliver.publish", "Published": "evalnb.deliver.publish",
    "run_batch": "evalnb.batch.run", "Job": "evalnb.batch.run", "JobResult": "evalnb.batch.run",
}
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'evalnb' has no attribute {name!r}")
