"""Run the section notebooks with papermill and stitch them with nbconvert into one HTML report.

``render_report`` writes ``outputs/<department>/<year>/report.html`` and keeps the executed section
notebooks in ``sections/`` beside it. All sections of a report run in one kernel (each after a
``%reset -f``); a section whose inputs did not change is reused from ``outputs/.cache/``. A failed
section leaves the previous report and sections as they were: everything is produced in a staging
folder and moved into place only on success.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter
from papermill.exceptions import PapermillExecutionError
from sqlalchemy.engine import make_url

import evalnb
from evalnb import data, store
from evalnb.cache import SectionCache, section_key
from evalnb.errors import NotFoundError, ReportError, StaleDataError
from evalnb.kernel import ENGINE_NAME, KernelSession, ensure_kernel
from evalnb.lock import OutputLock
from evalnb.outline import SECTIONS, Section
from evalnb.paths import default_db_url, notebooks_dir, outputs_dir, safe_name
from evalnb.rules import Rulebook, load_rulebook
from evalnb.scoring import score

TEMPLATES = Path(__file__).with_name("templates")
HIDDEN_TAGS = ("parameters", "injected-parameters", "evalnb-reset")
RESET_TAG = "evalnb-reset"
RESET_CELL = "%reset -f"
Progress = Callable[[str], None]


@dataclass
class ReportResult:
    html: Path
    sections: list[Path]
    seconds: float
    reused: int = 0
    score: float | None = None          # the total and grade of the version the report shows
    grade: str | None = None


def report_dir(department: str, year: int, root: Path | None = None) -> Path:
    return (root or outputs_dir()) / safe_name(department) / str(year)


def open_session(db: str) -> KernelSession:
    """A kernel for a report's sections; it reads the store named by ``db`` through ``EVALNB_DB``."""
    return KernelSession(ensure_kernel(), notebooks_dir(), env={"EVALNB_DB": db})


def notebook_parameters(department: str, year: int, rules: str | None, version: str | None = None) -> dict:
    """What papermill injects: the stored ``version`` every section must read, and no store URL (it may
    hold a password; the kernel has it in its environment)."""
    return {"department": department, "year": int(year), "db": None, "rules": rules, "version": version}


def store_identity(db: str) -> str:
    """The store's URL with any password masked: part of a cache key, never a secret."""
    return make_url(db).render_as_string(hide_password=True)


def _with_reset(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RESET_CELL, metadata={"tags": [RESET_TAG]}))
    return nb


def execute_section(section: Section, out: Path, parameters: dict, session: KernelSession,
                    target: Path | None = None) -> Path:
    """Execute one section notebook into ``out``; raise ReportError naming section, cell and error."""
    target = target or out / section.notebook
    try:
        papermill.execute_notebook(
            _with_reset(notebooks_dir() / section.notebook), _literal_path(target), parameters=parameters,
            kernel_name=session.kernel_name, engine_name=ENGINE_NAME, session=session, progress_bar=False,
            log_output=False, language="python",
            request_save_on_cell_execute=False)   # one write at the end, not one per cell
    except PapermillExecutionError as exc:
        if exc.ename == StaleDataError.__name__:
            raise StaleDataError(exc.evalue) from exc
        cell = _source_cell_number(target, exc.cell_index)
        first_line = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        raise ReportError(f"章节「{section.title}」（{section.notebook}）第{cell}个单元格出错"
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


def merge(executed: list[Path]) -> nbformat.NotebookNode:
    """One notebook of the report cells: parameter cells and stderr streams left out."""
    merged = nbformat.v4.new_notebook()
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        merged.metadata = merged.metadata or nb.metadata
        for cell in nb.cells:
            if set(cell.metadata.get("tags", [])) & set(HIDDEN_TAGS):
                continue
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
            merged.cells.append(cell)
    return merged


@dataclass(frozen=True)
class Page:
    """What the page template shows around the notebook outputs."""

    kicker: str
    heading: str
    meta: list[str]
    toc: list[tuple[str, str]]
    sample: str | None = None       # the 示例数据 notice, when the data is sample data


def export_html(nb: nbformat.NotebookNode, page: Page) -> str:
    """One self-contained HTML page from executed cells (nbconvert, template ``evalnb``)."""
    exporter = HTMLExporter(template_name="evalnb", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    resources = {"evalnb": {**asdict(page), "version": evalnb.__version__}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


SAMPLE_NOTICE = "本报告由示例数据生成，仅供演示，不代表任何单位的真实情况。"


def stitch(executed: list[Path], dy: data.DepartmentYear, book: Rulebook) -> str:
    page = Page(
        kicker=dy.department, heading=f"{dy.year}年度整体支出绩效自评报告",
        meta=[f"评分规则：{book.title}（{book.name}）",
              f"生成日期：{date.today().isoformat()}　数据：{dy.source_file}（{dy.sha256[:12]}）"],
        toc=[(s.anchor, s.title) for s in SECTIONS], sample=SAMPLE_NOTICE if dy.is_sample else None)
    return export_html(merge(executed), page)


def _replace_dir(staging: Path, final: Path) -> None:
    """Swap a folder into place: the old one is moved aside first, then removed."""
    old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def cache_dir(department: str, year: int, root: Path | None = None) -> Path:
    return (root or outputs_dir()) / ".cache" / safe_name(department) / str(year)


REPORT_LOCK_WAIT = 600.0      # seconds `evalnb report` waits for another run of the same department-year


def render_report(department: str, year: int, db: str | None = None, rules: str | None = None,
                  out_root: Path | None = None, progress: Progress | None = None,
                  force: bool = False, lock_wait: float = REPORT_LOCK_WAIT) -> ReportResult:
    """Render one report; sections whose inputs did not change are taken from the cache (unless ``force``).

    One run at a time writes a department-year's folder (a second one waits ``lock_wait`` seconds, then
    gives up with LockedError). The report reads one stored version of the data: if the department-year
    is re-ingested while it runs, the run starts over once on the new version."""
    started = time.perf_counter()
    db = db or default_db_url()
    out = report_dir(department, year, out_root)
    with OutputLock(out, wait=lock_wait, what=f"{department} {year} 的报告"):
        for leftover in out.glob(".staging-*"):      # left by a run that was killed
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            return _render(department, year, db, rules, out, out_root, progress, force, started)
        except StaleDataError:
            if progress:
                progress("数据在生成期间被重新导入，按新数据重新生成")
            return _render(department, year, db, rules, out, out_root, progress, force, started)


def _render(department: str, year: int, db: str, rules: str | None, out: Path, out_root: Path | None,
            progress: Progress | None, force: bool, started: float) -> ReportResult:
    dy = data.load(department, int(year), db)         # fails fast, listing what is stored
    book = load_rulebook(rules or dy.rules)
    cache = SectionCache(cache_dir(department, year, out_root))
    parameters = notebook_parameters(department, year, rules, dy.version)
    keyed = {**parameters, "version": None, "store": store_identity(db)}     # content is keyed, not its id
    keys = {s.notebook: section_key(s, notebooks_dir() / s.notebook, keyed, dy, book) for s in SECTIONS}
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    staging.chmod(0o755)
    executed, reused = [], 0
    try:
        with open_session(db) as session:
            for i, section in enumerate(SECTIONS, start=1):
                key = keys[section.notebook]
                cached = None if force else cache.get(section, key)
                if progress:
                    progress(f"[{i}/{len(SECTIONS)}] {section.title}" + ("（未变化，沿用）" if cached else ""))
                if cached is None:
                    cached = cache.put(section, key, execute_section(section, staging, parameters, session))
                else:
                    reused += 1
                executed.append(cached)
        html = stitch(executed, dy, book)
    except (KeyboardInterrupt, SystemExit, StaleDataError):
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except BaseException:
        failed = out / "failed"
        shutil.rmtree(failed, ignore_errors=True)
        staging.rename(failed)     # the executed notebooks, up to the failing one, for inspection
        raise
    for section, path in zip(SECTIONS, executed, strict=True):
        shutil.copyfile(path, staging / section.notebook)
        cache.prune(section, keys[section.notebook])
    write_atomic(out / "report.html", html)
    _replace_dir(staging, out / "sections")
    shutil.rmtree(out / "failed", ignore_errors=True)
    sections = [out / "sections" / s.notebook for s in SECTIONS]
    card = score(dy, book)
    return ReportResult(out / "report.html", sections, time.perf_counter() - started, reused, card.total, card.grade)


SUMMARY_NOTEBOOK = Path("summary") / "overview.ipynb"


def render_summary(year: int, db: str | None = None, rules: str | None = None,
                   out_root: Path | None = None) -> Path:
    """The cross-department overview of ``year`` as ``outputs/summary/<year>.html``."""
    db = db or default_db_url()
    stored = sorted({y for _, y in store.department_years(store.open_store(db))})
    if int(year) not in stored:
        raise NotFoundError(f"库中没有 {year} 年度的数据，无法汇总；库中已有的年度："
                            f"{'、'.join(map(str, stored)) or '（无）'}")
    out = (out_root or outputs_dir()) / "summary"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".staging-") as staging:
        executed = Path(staging) / "overview.ipynb"
        section = Section(str(SUMMARY_NOTEBOOK), "summary", f"{year}年度汇总")
        with open_session(db) as session:
            execute_section(section, Path(staging), {"year": int(year), "db": None, "rules": rules}, session, executed)
        departments = [d for d in data.departments(db) if int(year) in data.years(d, db)]
        samples = [d for d in departments if data.load(d, int(year), db, with_prior=False).is_sample]
        page = Page(kicker="部门整体支出绩效自评", heading=f"{year}年度各部门自评汇总",
                    meta=[f"部门数：{len(departments)}　生成日期：{date.today().isoformat()}",
                          f"评分规则：{rules or '各部门工作簿所填规则'}"],
                    toc=[("summary", "一、总体情况"), ("ranking", "二、各部门得分与排名"), ("grades", "三、等级分布"),
                         ("findings", "四、复核发现最多的部门")],
                    sample=f"汇总含示例数据（{'、'.join(samples)}），仅供演示。" if samples else None)
        html = export_html(merge([executed]), page)
    target = out / f"{year}.html"
    write_atomic(target, html)
    return target
