"""The 项目支出绩效自评表 of a department-year: ``notebooks/project/forms.ipynb`` run once (all projects in one
kernel run, cached and keyed like a section), its outputs cut into one HTML page per project and the 项目自评汇总表,
written under ``outputs/<部门>/<年度>/项目自评表/`` — staged, then swapped into place, so a failed run loses nothing.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from evalnb.paths import (
    LONG_NAME_BYTES,
    STAGING_PREFIX,
    cache_dir,
    default_db_url,
    notebooks_dir,
    outputs_dir,
    report_dir,
    safe_name,
    write_atomic,
)
from evalnb.report.cache import SectionCache, section_key
from evalnb.report.kernel import KernelSession
from evalnb.report.lock import OutputLock
from evalnb.report.render import (
    REPORT_LOCK_WAIT,
    Progress,
    _replace_dir,
    execute_section,
    notebook_parameters,
    open_session,
    store_identity,
)
from evalnb.report.stitch import Page, export_html, provenance, report_date
from evalnb.rules.projects import ProjectScore, project_rulebook, score_projects
from evalnb.sections.outline import PROJECT_FORMS as FORMS
from evalnb.sections.projects import PROJECT_MARK, SUMMARY_MARK
from evalnb.store import data
from evalnb.text.prose import say, words


@dataclass
class ProjectsResult:
    department: str
    year: int
    folder: Path
    forms: dict[str, Path]                 # project name → its form's HTML file
    summary: Path
    scores: list[ProjectScore]
    seconds: float
    reused: bool = False
    drafts: list[str] = field(default_factory=list)      # projects whose forms are drafts


def forms_dir(department: str, year: int, root: Path | None = None) -> Path:
    """outputs/<部门>/<年度>/项目自评表."""
    return report_dir(department, year, root) / words("projects", "folder")


def form_name(department: str, year: int, project: str, suffix: str = ".html") -> str:
    """A file name for people, like the report's own: 农业农村局_2024年度项目支出绩效自评表_种业振兴行动.html (the form
    travels alone by mail); hostile text made safe, a long name cut at its end, distinct names kept distinct."""
    return safe_name(say("projects", "form_file", department, year, project), LONG_NAME_BYTES) + suffix


def summary_name(department: str, year: int, suffix: str = ".html") -> str:
    """农业农村局_2024年度项目自评汇总表.html"""
    return safe_name(say("projects", "summary_file", department, year), LONG_NAME_BYTES) + suffix


def workbook_name(department: str, year: int) -> str:
    """农业农村局_2024年度项目支出绩效自评表.xlsx: every project's form, a sheet each."""
    return safe_name(say("projects", "workbook_file", department, year), LONG_NAME_BYTES) + ".xlsx"


def render_projects(department: str, year: int, db: str | None = None, rules: str | None = None,
                    out_root: Path | None = None, progress: Progress | None = None, force: bool = False,
                    session: KernelSession | None = None, lock_wait: float = REPORT_LOCK_WAIT) -> ProjectsResult:
    """Every project's form of one department-year, and the 汇总表; the notebook runs once, or not at all when
    nothing it reads changed (``force``: run anyway). A ``session`` (a warm kernel) is used and left open."""
    started = time.perf_counter()
    db = db or default_db_url()
    out = report_dir(department, year, out_root)
    out.mkdir(parents=True, exist_ok=True)
    with OutputLock(out, wait=lock_wait, what=say("projects", "lock_what", department, year)):
        return _render(department, year, db, rules, out_root, progress, force, session, out, started)


def _render(department: str, year: int, db: str, rules: str | None, out_root: Path | None, progress: Progress | None,
            force: bool, session: KernelSession | None, out: Path, started: float) -> ProjectsResult:
    dy = data.load(department, int(year), db, with_prior=False)
    book = project_rulebook(dy, rules)
    scores = score_projects(dy, book)
    parameters = {**notebook_parameters(department, year, rules, dy.version), "project": None}
    key = section_key(FORMS, notebooks_dir() / FORMS.notebook,
                      {**parameters, "version": None, "store": store_identity(db)}, dy, book)
    cache = SectionCache(cache_dir(department, year, out_root), out_root or outputs_dir())
    executed = None if force else cache.get(FORMS, key)
    reused = executed is not None
    if progress:
        progress(say("projects", "progress", len(scores), reused))
    if executed is None:
        executed = _run(parameters, session, db, out, cache, key)
    folder = forms_dir(department, year, out_root)
    forms, summary = _write(executed, dy, book, scores, folder, out)
    return ProjectsResult(department, int(year), folder, forms, summary, scores, time.perf_counter() - started, reused,
                          [s.name for s in scores if s.draft])


def _run(parameters: dict, session: KernelSession | None, db: str, out: Path, cache: SectionCache, key: str) -> Path:
    """The notebook run in a staging folder, its result kept in the cache (the staging folder removed); on
    ``session``, else on a kernel started for it (only now: forms found in the cache start none)."""
    kernel = session or open_session(db)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    try:
        executed = cache.put(FORMS, key, execute_section(FORMS, staging, parameters, kernel, staging / "forms.ipynb"))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if session is None:
            kernel.close()
    cache.prune(FORMS, key)
    return executed


def _outputs(executed: Path) -> tuple[dict[str, dict], dict | None]:
    """The executed notebook's form outputs by project, and the 汇总表's output."""
    forms, summary = {}, None
    for cell in nbformat.read(executed, as_version=4).cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {})
            if PROJECT_MARK in meta:
                forms[meta[PROJECT_MARK]] = output
            elif SUMMARY_MARK in meta:
                summary = output
    return forms, summary


def _page(output: dict, dy: data.DepartmentYear, book: object, heading: str, draft: list[str] | None) -> str:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [output]
    nb.cells = [cell]
    page = Page(kicker=dy.department, heading=heading, meta=[], toc=[],
                sample=words("page", "sample_notice") if dy.is_sample else None, draft=draft,
                closing=[dy.department, report_date(dy)], provenance=provenance(dy, book))
    return export_html(nb, page)


def _write(executed: Path, dy: data.DepartmentYear, book: object, scores: list[ProjectScore], folder: Path,
           out: Path) -> tuple[dict[str, Path], Path]:
    outputs, summary = _outputs(executed)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    try:
        written = {}
        for scored in scores:
            lacking = [words("projects", "missing")[k] for k in scored.missing] or None
            html = _page(outputs[scored.name], dy, book, say("projects", "page_heading", dy.year), lacking)
            written[scored.name] = write_atomic(staging / form_name(dy.department, dy.year, scored.name), html)
        heading = say("projects", "summary_heading", dy.year)
        write_atomic(staging / summary_name(dy.department, dy.year), _page(summary, dy, book, heading, None))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace_dir(staging, folder)
    return {name: folder / path.name for name, path in written.items()}, folder / summary_name(dy.department, dy.year)
