"""Per-project scoring: each project of 项目支出 on its own 项目支出绩效自评表, by the same engine as the
department (:func:`evalnb.rules.scoring.score` on the project's view, :meth:`DepartmentYear.project`), under the
项目评分规则 chosen apart from the department's 评分规则.

A project whose form lacks something (no 项目情况 row, no indicators, no 年度目标 …) is still scored as far as
its data goes (the 执行率 row from its funds) and is a draft: ``missing`` names what to fill in (wording in
``templates/prose/projects.j2``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from evalnb.console import closest
from evalnb.errors import NotFoundError
from evalnb.rules import DEFAULT_RULES, Rulebook, load_rulebook
from evalnb.rules.exact import dec
from evalnb.rules.scoring import Scorecard, funds_only, score
from evalnb.store.data import DepartmentYear

# what a project's form needs, in the order a draft lists it: 项目情况 row, indicators, then its texts
REQUIRED_TEXTS = ("goal", "outcome")


@dataclass(frozen=True)
class ProjectScore:
    """One project's form: its view of the data, the rulebook it is scored by, its scorecard, what it lacks."""

    name: str
    dy: DepartmentYear
    book: Rulebook
    card: Scorecard
    missing: tuple[str, ...] = ()     # keys of projects.j2's ``missing`` (info, indicators, goal, outcome, reason)

    @property
    def draft(self) -> bool:
        return bool(self.missing)

    @property
    def total(self) -> float | None:
        """The form's 总分; None while its indicators are missing (the 执行率 row alone is no score)."""
        return None if "indicators" in self.missing or "info" in self.missing else self.card.total

    @property
    def grade(self) -> str | None:
        return None if self.total is None else self.card.grade


def project_rulebook(dy: DepartmentYear, rules: Rulebook | str | None = None) -> Rulebook:
    """``rules`` if given, else the workbook's 项目评分规则, else the default (10号's project form)."""
    if isinstance(rules, Rulebook):
        return rules
    return load_rulebook(rules or dy.project_rules or DEFAULT_RULES)


def score_projects(dy: DepartmentYear, rules: Rulebook | str | None = None,
                   only: str | None = None) -> list[ProjectScore]:
    """Every project of the department-year (``only``: one, by name), in 项目支出 order."""
    book = project_rulebook(dy, rules)
    if only is not None and only not in dy.project_names:
        hint = closest(only, dy.project_names)
        raise NotFoundError(f"{dy.department} {dy.year} 的项目支出表中没有项目“{only}”"
                            + (f"；是不是要找：{'、'.join(hint)}？" if hint else f"；有：{'、'.join(dy.project_names)}"))
    names = dy.project_names if only is None else [only]
    return [score_project(dy.project(name), book) for name in names]


def score_project(view: DepartmentYear, book: Rulebook) -> ProjectScore:
    """One project's view (:meth:`DepartmentYear.project`) scored under ``book``."""
    missing = _missing(view, book)
    card = funds_only(view, book) if view.indicators.empty else score(view, book)
    return ProjectScore(view.project_name or "", view, book, card, missing)


def _missing(view: DepartmentYear, book: Rulebook) -> tuple[str, ...]:
    details = view.project_details
    if not details:
        return ("info", "indicators")
    missing = [] if not view.indicators.empty else ["indicators"]
    missing += [key for key in REQUIRED_TEXTS if key not in details]
    if needs_reason(view, book) and "reason" not in details:
        missing.append("reason")
    return tuple(missing)


def needs_reason(view: DepartmentYear, book: Rulebook) -> bool:
    """Whether the form requires a 原因: 执行率 below the rulebook's threshold, or a budget added or cut in the year
    (全年预算数 ≠ 年初预算数, a project whose 年初预算 is 0 included)."""
    budget, initial = (sum((dec(v) for v in view.budget[c]), Decimal(0)) for c in ("budget", "initial"))
    executed = sum((dec(v) for v in view.budget["executed"]), Decimal(0))
    low = budget > 0 and executed / budget < dec(book.low_execution_threshold)
    return low or budget != initial
