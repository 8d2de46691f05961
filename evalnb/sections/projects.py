"""The 项目支出绩效自评表 of a department-year, one per project, and the 项目自评汇总表.

A project's form is the department's 自评表 (:func:`evalnb.sections.blocks.form_tables`) drawn from the project's
view of the data (:meth:`evalnb.store.data.DepartmentYear.project`) under the 项目评分规则: one layout, one set of
bases, one scoring engine. ``notebooks/project/forms.ipynb`` shows every form of a department-year (or one,
``project``) each as its own output, tagged with the project's name, so the host cuts them into one file each.
"""

from __future__ import annotations

from IPython.display import HTML, display

from evalnb.review.context import ReportContext
from evalnb.rules.projects import ProjectScore, score_projects
from evalnb.sections.blocks import form_tables
from evalnb.sections.outline import sub_number
from evalnb.store import data
from evalnb.text.fmt import fixed, percent, plain
from evalnb.text.html import heading, para, table
from evalnb.text.prose import say, words

PROJECT_MARK = "evalnb_project"          # display metadata: the project a form output belongs to
SUMMARY_MARK = "evalnb_project_summary"  # display metadata: the 项目自评汇总表


def project_scores(department: str, year: int, db: str | None = None, rules: str | None = None,
                   version: str | None = None, project: str | None = None) -> list[ProjectScore]:
    """Every project of a stored department-year scored on its own form (``project``: only that one)."""
    dy = data.load(department, int(year), db, with_prior=False, version=version)
    return score_projects(dy, rules, only=project)


def project_form(scored: ProjectScore) -> str:
    """One 项目支出绩效自评表 as HTML: its heading, what a draft still lacks, then the form."""
    dy = scored.dy
    lacking = [words("projects", "missing")[key] for key in scored.missing]
    return (heading(2, say("projects", "form_heading", dy.department, dy.year, scored.name))
            + (para(say("projects", "draft_note", lacking), cls="draft-note") if lacking else "")
            + form_tables(ReportContext(dy=dy, rulebook=scored.book, card=scored.card, findings=[])))


def summary_rows(scores: list[ProjectScore]) -> list[tuple]:
    """(项目, 全年预算, 执行, 执行率, 得分, 等级) per project; 得分 and 等级 None while a form lacks its indicators."""
    return [(s.name, s.card.budget, s.card.executed, s.card.execution_rate, s.total, s.grade) for s in scores]


def project_summary(scores: list[ProjectScore], caption: str | None = None) -> str:
    """The 项目自评汇总表: one row per project, and the totals."""
    w = words("projects", "summary_table")
    rows = [(name, fixed(budget, 2), fixed(executed, 2), percent(rate),
             w["pending"] if total is None else plain(total), grade or w["pending"])
            for name, budget, executed, rate, total, grade in summary_rows(scores)]
    budget, executed = sum(s.card.budget for s in scores), sum(s.card.executed for s in scores)
    foot = (w["total"], fixed(budget, 2), fixed(executed, 2), percent(executed / budget) if budget else "—", "", "")
    return table(w["columns"], rows, numeric=(1, 2, 3, 4), caption=caption, foot=foot, cls="projects")


def appendix_projects(ctx: ReportContext) -> str:
    """The department report's 附件 （三）项目自评汇总表, where the workbook lists projects in 项目情况 (a department
    that files no project forms, like the seed's, gets none)."""
    if ctx.dy.project_info.empty:
        return ""
    return (heading(3, f"{sub_number(2)}{words('appendix', 'headings')[2]}")
            + project_summary(score_projects(ctx.dy)))


def show_forms(scores: list[ProjectScore]) -> None:
    """Each form as its own output tagged with its project, then the 汇总表 (the notebook's one display cell)."""
    for scored in scores:
        display(HTML(project_form(scored)), metadata={PROJECT_MARK: scored.name})
    display(HTML(heading(2, words("projects", "summary_title")) + project_summary(scores)),
            metadata={SUMMARY_MARK: True})
