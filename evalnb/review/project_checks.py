"""The project forms as a reviewer reads them, in the department's memo: a listed project's form that needs a 原因
(执行率 below the rulebook's threshold, a budget added or cut in the year, an in-year project) without one (an
unlisted project's lines are the department's budget checks'), targets easier than last
year's actual, forms without indicators, a declared 自评总分 the rules do not give. Warnings: the department's own
report is not held back by a project's form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from evalnb.review.findings import WARNING, Finding
from evalnb.review.problems import easier, quantitative_rows
from evalnb.rules.projects import needs_reason, score_projects
from evalnb.text.prose import say
from evalnb.workbook import INDICATORS, PROJECT_INFO

if TYPE_CHECKING:
    from evalnb.rules import Rulebook
    from evalnb.rules.projects import ProjectScore
    from evalnb.rules.scoring import Scorecard
    from evalnb.store.data import DepartmentYear

W = "findings"          # evalnb/templates/prose/findings.j2
SHOWN = 5               # project names quoted in one finding
TOLERANCE = 0.005


def project_forms(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """Every finding on the department's project forms (scored under the 项目评分规则), for a department that files
    them (lists projects in 项目情况): one that does not, like the seed's, is told on each draft form, not here."""
    if dy.projects.empty or dy.project_info.empty:
        return
    scores = score_projects(dy)
    bare = [s.name for s in scores if s.dy.indicators.empty]
    if bare:
        yield Finding(WARNING, "project-form-without-indicators",
                      say(W, "project_form_without_indicators", len(bare), len(scores), bare[:SHOWN]), INDICATORS.name)
    for scored in scores:
        yield from _one(scored)


def _one(scored: ProjectScore) -> Iterator[Finding]:
    view, details = scored.dy, scored.dy.project_details
    if details and needs_reason(view, scored.book) and "reason" not in details and not view.budget["note"].notna().any():
        rate = scored.card.execution_rate
        yield Finding(WARNING, "project-reason-missing",
                      say(W, "project_reason_missing", scored.name, view.total("initial"), view.total("budget"), rate,
                          scored.book.low_execution_threshold),
                      PROJECT_INFO.name, int(details["row"]))
    low = quantitative_rows(view)
    low = low[easier(low, low["prior"])]
    if not low.empty:
        yield Finding(WARNING, "project-target-below-prior",
                      say(W, "project_target_below_prior", scored.name, list(low["name"])[:SHOWN]), INDICATORS.name,
                      int(low["row"].iloc[0]))
    declared = view.declared_total
    if declared is not None and scored.total is not None and abs(declared - scored.total) > TOLERANCE:
        yield Finding(WARNING, "project-declared-total-mismatch",
                      say(W, "project_declared_total", scored.name, declared, scored.total), PROJECT_INFO.name,
                      int(details["row"]))


PROJECT_CHECKS = (project_forms,)
