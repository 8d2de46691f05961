"""Copies of the section notebooks for exploring one department-year in JupyterLab: executed, with the department
and year filled in, under ``work/<部门>/<年度>/`` (ignored by git). The committed notebooks keep the sample's
defaults; an analyst's copy is never overwritten unless asked (``evalnb notebook --force``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from sqlalchemy.engine import make_url

from evalnb.errors import UsageError
from evalnb.paths import default_db_url, project_root, safe_name, write_atomic
from evalnb.report.render import RESET_TAG, execute_section, notebook_parameters, open_session
from evalnb.sections.outline import SECTIONS, Section
from evalnb.store import data

WORK_DIR = "work"


def work_dir(department: str, year: int, root: Path | None = None) -> Path:
    """work/<部门>/<年度> under the project: where an analyst's copies go."""
    return (root or project_root()) / WORK_DIR / safe_name(department) / str(year)


def pick(wanted: Sequence[str] | None) -> list[Section]:
    """The sections asked for by anchor (s1, appendix), number (1, 01) or notebook name (01_basic_info); all if none."""
    if not wanted:
        return list(SECTIONS)
    chosen = []
    for name in wanted:
        key = name.strip().removesuffix(".ipynb")
        found = [s for s in SECTIONS if key in (s.anchor, s.notebook.removesuffix(".ipynb"), s.notebook[:2])
                 or (key.isdigit() and int(key) == SECTIONS.index(s) + 1)]
        if not found:
            choices = "、".join(f"{s.anchor}（{s.notebook.removesuffix('.ipynb')}）" for s in SECTIONS)
            raise UsageError(f"没有章节“{name}”：可选 {choices}，也可写序号 1–{len(SECTIONS)}")
        chosen += [s for s in found if s not in chosen]
    return chosen


@dataclass(frozen=True)
class Copy:
    path: Path
    written: bool            # False: an earlier copy was kept


def write_copies(department: str, year: int, db: str | None = None, rules: str | None = None,
                 sections: Sequence[str] | None = None, force: bool = False,
                 progress: Callable[[str], None] | None = None) -> list[Copy]:
    """Execute the chosen sections for one department-year into work/<部门>/<年度>/ and return the copies;
    ``progress`` is told each notebook before it runs."""
    chosen = pick(sections)
    url = db or default_db_url()
    data.load(department, year, url, with_prior=False)        # not stored: the store's message, before any kernel
    out = work_dir(department, year)
    todo = [s for s in chosen if force or not (out / s.notebook).exists()]
    copies = {s.notebook: Copy(out / s.notebook, False) for s in chosen if s not in todo}
    # A URL given on the command line goes into the copies (so that a re-run in JupyterLab reads the same store) unless
    # it holds a password; otherwise the kernel finds the project's store from the copy's folder, as the CLI does.
    parameters = notebook_parameters(department, year, rules)
    if db and make_url(db).password is None:
        parameters["db"] = db
    if todo:
        with open_session(url) as session:
            for section in todo:
                if progress:
                    progress(section.notebook)
                target = execute_section(section, out, parameters, session)
                _drop_reset_cell(target)
                copies[section.notebook] = Copy(target, True)
    return [copies[s.notebook] for s in chosen]


def _drop_reset_cell(path: Path) -> None:
    """The `%reset -f` cell a report puts first (its sections share one kernel) is no part of an analyst's copy."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if RESET_TAG not in c.metadata.get("tags", [])]
    write_atomic(path, nbformat.writes(nb))
