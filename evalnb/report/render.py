"""Run the section notebooks with papermill and stitch them with nbconvert into one HTML report.

``render_report`` writes ``outputs/<department>/<year>/report.html`` and keeps the executed section
notebooks in ``sections/`` beside it. All sections of a report run in one kernel (each after a
``%reset -f``); a section whose inputs did not change is reused from ``outputs/.cache/``. A failed
section leaves the previous report and sections as they were: everything is produced in a staging
folder and moved into place only on success.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError
from sqlalchemy.engine import make_url

from evalnb import settings
from evalnb.errors import DraftError, NotFoundError, ReportError, StaleDataError, from_kernel
from evalnb.paths import (
    FAILED_DIR,
    MEMO_FILE,
    PROVENANCE_FILE,
    REPORT_FILE,
    SECTIONS_DIR,
    STAGING_PREFIX,
    cache_dir,
    default_db_url,
    document_name,
    notebooks_dir,
    outputs_dir,
    report_dir,
    summary_dir,
    write_atomic,
)
from evalnb.report import fingerprint
from evalnb.report.cache import SectionCache, has_content, section_key
from evalnb.report.kernel import ENGINE_NAME, KernelSession, ensure_kernel
from evalnb.report.lock import OutputLock
from evalnb.report.stitch import Page, export_html, memo_page, merge, provenance_json, report_page
from evalnb.review.context import build_context
from evalnb.review.memo import deadline_days, draft_reasons
from evalnb.rules import Rulebook
from evalnb.rules.scoring import Scorecard
from evalnb.sections.outline import SECTIONS, Section
from evalnb.store import data
from evalnb.store import sql as store
from evalnb.text.prose import say, words

RESET_TAG = "evalnb-reset"
RESET_CELL = "%reset -f"
Progress = Callable[[str], None]
T = TypeVar("T")


@dataclass
class ReportResult:
    html: Path
    sections: list[Path]
    seconds: float
    reused: int = 0
    score: float | None = None          # the total and grade of the version the report shows
    grade: str | None = None
    memo: Path | None = None            # the review memo beside the report
    draft: list[str] = field(default_factory=list)     # why the report is still a draft (empty: final)
    version: str | None = None          # the stored version of the data it shows
    phases: list[tuple[str, float]] = field(default_factory=list)   # where the time went (evalnb report --profile)


def open_session(db: str) -> KernelSession:
    """A kernel for a report's sections; it reads the store named by ``db`` through ``EVALNB_DB``."""
    return KernelSession(ensure_kernel(), notebooks_dir(), env={settings.DB.name: db})


def notebook_parameters(department: str, year: int, rules: str | None, version: str | None = None) -> dict:
    """What papermill injects: the stored ``version`` every section must read, and no store URL (it may
    hold a password; the kernel has it in its environment)."""
    return {"department": department, "year": int(year), "db": None, "rules": rules, "version": version}


def parameters_of(section: Section, parameters: dict) -> dict:
    """What papermill injects into ``section``: the report's parameters and, for the review memo, its 整改时限
    (from the department-year's params file, else the wording's default), so that changing it re-renders the memo."""
    if section != MEMO:
        return parameters
    return {**parameters, "rectify_days": deadline_days(parameters["department"], parameters["year"])}


def store_identity(db: str) -> str:
    """Which store a report reads, as part of its sections' cache keys: the store's own id (kept by a copy of the
    store, so a copied or moved project reuses its sections; never shared by another store), else — a store whose
    id row was removed — its URL with any password masked. Never a secret."""
    return store.store_id(store.open_store(db)) or make_url(db).render_as_string(hide_password=True)


def _with_reset(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RESET_CELL, metadata={"tags": [RESET_TAG]}))
    return nb


def execute_section(section: Section, out: Path, parameters: dict, session: KernelSession,
                    target: Path | None = None) -> Path:
    """Execute one section notebook into ``out``; raise ReportError naming section, cell and error."""
    target = target or out / section.notebook
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            _with_reset(notebooks_dir() / section.notebook), _literal_path(target), parameters=parameters,
            kernel_name=session.kernel_name, engine_name=ENGINE_NAME, session=session, progress_bar=False,
            log_output=False, language="python",
            request_save_on_cell_execute=False)   # one write at the end, not one per cell
    except PapermillExecutionError as exc:
        if (error := from_kernel(exc.ename, exc.evalue)) is not None:   # its own message says what to do
            raise error from exc
        cell = _source_cell_number(target, exc.cell_index)
        first_line = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        raise ReportError(f"章节“{section.title}”（{section.notebook}）第{cell}个单元格出错"
                          f"（`{first_line}`）：{exc.ename}: {exc.evalue}") from exc
    return target


def _literal_path(path: Path) -> str:
    """papermill formats the output path with the parameters (str.format): braces in a department's
    name must stay braces, never a format field."""
    return str(path).replace("{", "{{").replace("}", "}}")


def _source_cell_number(executed: Path, index: int) -> int:
    """1-based cell number in the notebook as committed (without the cells evalnb and papermill add)."""
    cells = nbformat.read(executed, as_version=4).cells
    added = [i for i, c in enumerate(cells) if {"injected-parameters", RESET_TAG} & set(c.metadata.get("tags", []))]
    return index + 1 - sum(1 for i in added if i < index)


def _replace_dir(staging: Path, final: Path) -> None:
    """Swap a folder into place: the old one is moved aside first, then removed."""
    old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


REPORT_LOCK_WAIT = 600.0      # seconds `evalnb report` waits for another run of the same department-year
MEMO = Section(str(Path("review") / "memo.ipynb"), "memo")


class Phases:
    """Wall time per phase of a render, in order (store read, kernel start, each section, stitch, write)."""

    def __init__(self) -> None:
        self.spent: list[tuple[str, float]] = []
        self._mark = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.spent.append((name, now - self._mark))
        self._mark = now


@dataclass
class _Run:
    """One department-year's rendering: the version read, what its sections are keyed on, where they go."""

    dy: data.DepartmentYear
    book: Rulebook
    card: Scorecard
    draft: list[str]
    parameters: dict
    keys: dict[str, str]
    cache: SectionCache
    out: Path
    phases: Phases = field(default_factory=Phases)


def render_report(department: str, year: int, db: str | None = None, rules: str | None = None,
                  out_root: Path | None = None, progress: Progress | None = None,
                  force: bool = False, lock_wait: float = REPORT_LOCK_WAIT, final: bool = False,
                  session: KernelSession | None = None) -> ReportResult:
    """Render one report and its review memo; sections whose inputs did not change are taken from the
    cache (unless ``force``). With ``final``, a report that is still a draft is refused (DraftError).

    One run at a time writes a department-year's folder (a second one waits ``lock_wait`` seconds, then
    gives up with LockedError). The report reads one stored version of the data: if the department-year
    is re-ingested while it runs, the run starts over once on the new version. A ``session`` (a batch
    worker's warm kernel, for the same store) is used and left open; without one, a kernel is started for
    this report — launched first, so it starts while the store is read — and shut down at the end."""
    def attempt(out: Path) -> ReportResult:
        before = fingerprint.fingerprint(department, year, db, rules)
        fingerprint.forget(out)           # until this run succeeds, nothing here is known to be current
        kernel = session or open_session(db)
        try:
            kernel.launch()
            run = _prepare(department, year, db, rules, out, out_root, (*SECTIONS, MEMO))
            if final and run.draft:
                raise DraftError.listing(run.draft)
            result = _write_report(run, kernel, progress, force, started)
        finally:
            if session is None:
                kernel.close()
        if before is not None and fingerprint.fingerprint(department, year, db, rules) == before:   # not re-ingested
            fingerprint.record(out, before, _written(run), _summary(result))
        return result

    started = time.perf_counter()
    db = db or default_db_url()
    return _locked(report_dir(department, year, out_root), f"{department} {year} 的报告", lock_wait, progress, attempt)


def render_review(department: str, year: int, db: str | None = None, rules: str | None = None,
                  out_root: Path | None = None, progress: Progress | None = None,
                  lock_wait: float = REPORT_LOCK_WAIT) -> Path:
    """Render only the review memo, ``outputs/<department>/<year>/复核意见.html``."""
    def attempt(out: Path) -> Path:
        run = _prepare(department, year, db, rules, out, out_root, (MEMO,))
        with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=out) as staging, open_session(db) as session:
            memo, _ = _section(run, MEMO, session, Path(staging), False, progress)
            html = memo_page(memo, run.dy, run.book)
        write_atomic(out / MEMO_FILE, html)
        _write_named(run, None, html)
        run.cache.prune(MEMO, run.keys[MEMO.notebook])
        return out / MEMO_FILE

    db = db or default_db_url()
    return _locked(report_dir(department, year, out_root), f"{department} {year} 的复核意见", lock_wait, progress,
                   attempt)


def _locked(out: Path, what: str, wait: float, progress: Progress | None, attempt: Callable[[Path], T]) -> T:
    """Run ``attempt`` holding the folder's lock; once more if the data was re-ingested meanwhile."""
    with OutputLock(out, wait=wait, what=what):
        for leftover in out.glob(f"{STAGING_PREFIX}*"):      # left by a run that was killed
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            return attempt(out)
        except StaleDataError:
            if progress:
                progress("数据在生成期间被重新导入，按新数据重新生成")
            return attempt(out)


def _prepare(department: str, year: int, db: str, rules: str | None, out: Path, out_root: Path | None,
             sections: tuple[Section, ...]) -> _Run:
    started = time.perf_counter()
    ctx = build_context(data.load(department, int(year), db), rules)         # fails fast, listing what is stored
    dy, book, card = ctx.dy, ctx.rulebook, ctx.card
    draft = draft_reasons(ctx)
    parameters = notebook_parameters(department, year, rules, dy.version)
    keyed = {**parameters, "version": None, "store": store_identity(db)}     # content is keyed, not its id
    keys = {s.notebook: section_key(s, notebooks_dir() / s.notebook, parameters_of(s, keyed), dy, book) for s in sections}
    cache = SectionCache(cache_dir(department, year, out_root), out_root or outputs_dir())
    run = _Run(dy, book, card, draft, parameters, keys, cache, out)
    run.phases.spent.append(("读取数据、评分与复核", time.perf_counter() - started))
    return run


def _section(run: _Run, section: Section, session: KernelSession, staging: Path, force: bool,
             progress: Progress | None, label: str = "") -> tuple[Path, bool]:
    """The executed notebook of one section, and whether it came from the cache (else it runs now)."""
    key = run.keys[section.notebook]
    cached = None if force else run.cache.get(section, key)
    if progress:
        progress(f"{label}{section.title}" + ("（未变化，沿用）" if cached else ""))
    if cached:
        run.phases.done(f"{section.title}（缓存）")
        return cached, True
    if session.kc is None:
        session.start()
        run.phases.done("等待内核就绪")
    executed = execute_section(section, staging, parameters_of(section, run.parameters), session)
    if not has_content(json.loads(executed.read_bytes())["cells"]):      # the stitch would silently lack it
        raise ReportError(f"章节“{section.title}”（{section.notebook}）运行后没有任何内容：请检查该 notebook 的单元格")
    done = run.cache.put(section, key, executed)
    run.phases.done(section.title)
    return done, False


def _written(run: _Run) -> list[Path]:
    """The files a report run writes beside the sections."""
    named = [run.out / document_name(run.dy.department, run.dy.year, kind) for kind in ("", "复核意见")]
    sections = [run.out / SECTIONS_DIR / s.notebook for s in (*SECTIONS, MEMO)]     # the mail's charts come from here
    return [run.out / REPORT_FILE, run.out / MEMO_FILE, run.out / PROVENANCE_FILE, *named, *sections]


def _summary(result: ReportResult) -> dict:
    """What the console says of a report, kept for when it is found unchanged."""
    return {"html": result.html.name, "memo": result.memo.name if result.memo else None,
            "sections": len(result.sections), "score": result.score, "grade": result.grade, "draft": result.draft,
            "version": result.version}


def _write_named(run: _Run, html: str | None, memo_html: str) -> None:
    """The same documents under names for people (an email attachment, a folder of a city's reports):
    科学技术局_2024年度整体支出绩效自评报告.html and …_复核意见.html; report.html stays for scripts."""
    department, year = run.dy.department, run.dy.year
    if html is not None:
        write_atomic(run.out / document_name(department, year), html)
    write_atomic(run.out / document_name(department, year, "复核意见"), memo_html)


def _write_report(run: _Run, session: KernelSession, progress: Progress | None, force: bool,
                  started: float) -> ReportResult:
    out = run.out
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    staging.chmod(0o755)
    executed: list[Path] = []
    reused = 0
    try:
        for i, section in enumerate(SECTIONS, start=1):
            path, from_cache = _section(run, section, session, staging, force, progress, f"[{i}/{len(SECTIONS)}] ")
            executed.append(path)
            reused += from_cache
        memo, _ = _section(run, MEMO, session, staging, force, progress, "[复核] ")
        html = report_page(executed, run.dy, run.book, run.draft)
        memo_html = memo_page(memo, run.dy, run.book)
        run.phases.done("拼接报告与复核意见（nbconvert）")
    except (KeyboardInterrupt, SystemExit, StaleDataError):
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except BaseException:
        failed = out / FAILED_DIR
        shutil.rmtree(failed, ignore_errors=True)
        staging.rename(failed)     # the executed notebooks, up to the failing one, for inspection
        raise
    for section, path in zip((*SECTIONS, MEMO), (*executed, memo), strict=True):
        target = staging / section.notebook
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        run.cache.prune(section, run.keys[section.notebook])
    write_atomic(out / PROVENANCE_FILE, provenance_json(run.dy, run.book))
    write_atomic(out / MEMO_FILE, memo_html)
    write_atomic(out / REPORT_FILE, html)
    _write_named(run, html, memo_html)
    _replace_dir(staging, out / SECTIONS_DIR)
    shutil.rmtree(out / FAILED_DIR, ignore_errors=True)
    sections = [out / SECTIONS_DIR / s.notebook for s in SECTIONS]
    run.phases.done("写出文件")
    return ReportResult(out / REPORT_FILE, sections, time.perf_counter() - started, reused, run.card.total,
                        run.card.grade, out / MEMO_FILE, run.draft, run.dy.version, run.phases.spent)


SUMMARY_NOTEBOOK = Path("summary") / "overview.ipynb"
SUMMARY = "summary"          # its wording: evalnb/templates/prose/summary.j2


def render_summary(year: int, db: str | None = None, rules: str | None = None,
                   out_root: Path | None = None) -> Path:
    """The cross-department overview of ``year`` as ``outputs/summary/<year>.html``."""
    db = db or default_db_url()
    stored = sorted({y for _, y in store.department_years(store.open_store(db))})
    if int(year) not in stored:
        raise NotFoundError(f"库中没有 {year} 年度的数据，无法汇总；库中已有的年度："
                            f"{'、'.join(map(str, stored)) or '（无）'}")
    out = summary_dir(out_root)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=STAGING_PREFIX) as staging:
        executed = Path(staging) / "overview.ipynb"
        section = Section(str(SUMMARY_NOTEBOOK), "summary", label=say(SUMMARY, "page_section", year))
        with open_session(db) as session:
            execute_section(section, Path(staging), {"year": int(year), "db": None, "rules": rules}, session, executed)
        departments = [d for d in data.departments(db) if int(year) in data.years(d, db)]
        samples = [d for d in departments if data.load(d, int(year), db, with_prior=False).is_sample]
        page = Page(kicker=words(SUMMARY, "page_kicker"), heading=say(SUMMARY, "page_heading", year),
                    meta=[say(SUMMARY, "page_meta", len(departments), date.today().isoformat()),
                          say(SUMMARY, "page_rules", rules)],
                    toc=list(words(SUMMARY, "headings").items()),
                    sample=say(SUMMARY, "page_samples", samples) if samples else None)
        html = export_html(merge([executed]), page)
    target = out / f"{year}.html"
    write_atomic(target, html)
    return target
