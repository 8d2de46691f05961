"""The project forms of a department-year in every asked format: the HTML forms and the 项目自评汇总表 are rendered
(:func:`evalnb.report.projects.render_projects`); PDF and Word are written from each form's HTML by the report's own
writers, Excel as one workbook with one sheet per project (for keying into a provincial system)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from evalnb.deliver.formats import REGISTRY
from evalnb.deliver.publish import Published, publish
from evalnb.paths import default_db_url
from evalnb.report.kernel import KernelSession
from evalnb.report.projects import ProjectsResult, form_name, render_projects, workbook_name
from evalnb.report.render import REPORT_LOCK_WAIT
from evalnb.text.prose import words

FORM_FORMATS = ("pdf", "docx", "xlsx")


@dataclass(frozen=True)
class PublishedProjects:
    result: ProjectsResult
    files: dict[str, list[Path]] = field(default_factory=dict)     # format → the files written


def publish_projects(department: str, year: int, db: str | None = None, rules: str | None = None, *,
                     formats: tuple[str, ...] = (), out_root: Path | None = None, force: bool = False,
                     progress: Callable[[str], None] | None = None, session: KernelSession | None = None,
                     lock_wait: float = REPORT_LOCK_WAIT) -> PublishedProjects:
    """Every project's form (HTML), and the asked ``formats`` of them beside it; ``session``: a warm kernel (batch)."""
    result = render_projects(department, year, db, rules, out_root, progress, force, session, lock_wait)
    files: dict[str, list[Path]] = {}
    for kind in (k for k in formats if k in FORM_FORMATS):
        if progress:
            progress(f"[{REGISTRY[kind].label or kind}] {words('projects', 'folder')}")
        files[kind] = WRITERS[kind](result)
    return PublishedProjects(result, files)


def publish_with_projects(department: str, year: int, db: str | None = None, rules: str | None = None, *,
                          formats: tuple[str, ...] = (), out_root: Path | None = None, force: bool = False,
                          final: bool = False, progress: Callable[[str], None] | None = None,
                          ) -> tuple[Published, PublishedProjects]:
    """The report (:func:`evalnb.deliver.publish.publish`) and then the project forms, on one kernel: the forms cost
    their own notebook run, not a second kernel start."""
    from evalnb.report.render import open_session, render_report  # lazy: Jupyter is imported only to render

    db = db or default_db_url()
    with open_session(db) as kernel:
        report = publish(department, year, db, rules, formats=formats, out_root=out_root, force=force, final=final,
                         progress=progress,
                         render=lambda: render_report(department, year, db, rules, out_root=out_root, force=force,
                                                      progress=progress, final=final, session=kernel))
        forms = publish_projects(department, year, db, None, formats=formats, out_root=out_root, force=force,
                                 progress=progress, session=kernel)
    return report, forms


def _each(result: ProjectsResult, suffix: str, write: Callable[[Path, Path], Path]) -> list[Path]:
    return [write(html, result.folder / form_name(result.department, result.year, name, suffix))
            for name, html in result.forms.items()]


def _pdf(result: ProjectsResult) -> list[Path]:
    from evalnb.deliver.pdf import write_pdf  # lazy: a writer's library on first use

    return _each(result, ".pdf", write_pdf)


def _docx(result: ProjectsResult) -> list[Path]:
    from evalnb.deliver.word import write_docx  # lazy: a writer's library on first use

    return _each(result, ".docx", write_docx)


def _xlsx(result: ProjectsResult) -> list[Path]:
    from evalnb.deliver.xlsx import write_forms_xlsx  # lazy: a writer's library on first use
    from evalnb.review.context import ReportContext

    contexts = [(s.name, ReportContext(dy=s.dy, rulebook=s.book, card=s.card, findings=[])) for s in result.scores]
    return [write_forms_xlsx(contexts, result.folder / workbook_name(result.department, result.year))]


WRITERS: dict[str, Callable[[ProjectsResult], list[Path]]] = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}
