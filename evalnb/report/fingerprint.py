"""Whether a report is up to date, decided in a blink: no kernel, no pandas, no nbformat.

A report is a function of the stored department-year (and the year before it, which section 一 compares
with), the rulebook, evalnb's code, the notebooks, the wording overrides and the parameters. Their
fingerprint is written beside the report when it is rendered (``.evalnb-report.json``, with the sha256 of
every file written and what the console said); an unchanged fingerprint with the files as written means the
report would come out the same, and `evalnb report` / `evalnb batch` leave it as it is.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalnb import __version__, settings
from evalnb.console import mask_secrets
from evalnb.errors import RulebookError
from evalnb.paramfiles import rectify_days
from evalnb.paths import RECORD_FILE, notebooks_dir, report_dir, write_atomic
from evalnb.report.digest import code_digest, notebooks_digest, override_digest

RECORD = RECORD_FILE


HEADS = "SELECT year, id, sha256, loaded_at, rules FROM dept_years WHERE department = :d AND year IN (:y, :p)"


def _heads(db: str, department: str, year: int) -> dict[int, tuple[str, ...]]:
    """(id, sha256, loaded_at, rules) of this year's and last year's stored rows, by year; SQLite is read
    with the standard library (SQLAlchemy alone takes longer to import than the whole check may)."""
    args = {"d": department, "y": int(year), "p": int(year) - 1}
    if db.startswith("sqlite:///"):
        path = Path(db.removeprefix("sqlite:///"))
        if not path.is_file():
            return {}
        try:
            with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
                rows = conn.execute(HEADS, args).fetchall()
        except sqlite3.Error:              # no table yet, or not a store: the full run will say
            return {}
    else:
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with _engine(db).connect() as conn:
                rows = conn.execute(text(HEADS), args).all()
        except SQLAlchemyError:            # unreachable or not a store yet: the full run says what is wrong
            return {}
    return {int(r[0]): tuple(str(v) for v in r[1:]) for r in rows}


@functools.cache
def _engine(db: str) -> Any:
    from sqlalchemy import create_engine

    return create_engine(db)


# What the stitched HTML depends on besides evalnb: the packages that render and convert it.
RENDERING = ("nbconvert", "nbformat", "jinja2", "mistune", "pygments", "matplotlib", "pandas", "ipykernel")


@functools.cache
def _packages() -> dict[str, str | None]:
    """The rendering packages' versions, looked up once per process (each lookup scans the environment)."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None
    return {name: installed(name) for name in RENDERING}


def _environment() -> dict[str, Any]:
    return {"packages": _packages(), "font": settings.FONT.get(), "tz": os.environ.get("TZ"), "tzname": time.tzname}


def department_years(db: str) -> list[tuple[str, int]] | None:
    """Every stored (department, year), read quickly from a SQLite store; None for another kind of store."""
    if not db.startswith("sqlite:///"):
        return None
    path = Path(db.removeprefix("sqlite:///"))
    if not path.is_file():
        return None
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
            rows = conn.execute("SELECT department, year FROM dept_years ORDER BY department, year").fetchall()
    except sqlite3.Error:
        return None
    return [(str(d), int(y)) for d, y in rows]


def fingerprint(department: str, year: int, db: str, rules: str | None) -> str | None:
    """What the report of this department-year would be made from; None if it is not stored."""
    heads = _heads(db, department, year)
    if int(year) not in heads:
        return None
    from evalnb.rules import rulebook_path, source_digest  # lazy: the no-op check imports no pydantic

    name = rules or heads[int(year)][3]
    try:
        rulebook = source_digest(rulebook_path(name))          # its bases too: editing one changes the report
    except (RulebookError, OSError):
        return None                          # the full run will say what is wrong
    parts = {"data": heads[int(year)][:3], "prior": heads.get(int(year) - 1, ())[:3], "rules": [name, rulebook],
             "code": code_digest(), "notebooks": notebooks_digest(notebooks_dir()), "wording": override_digest(),
             "store": mask_secrets(db), "evalnb": __version__, "environment": _environment(),
             "rectify_days": rectify_days(department, int(year))}
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write(folder: Path, record: dict[str, Any]) -> None:
    write_atomic(folder / RECORD, json.dumps(record, ensure_ascii=False, indent=1))


def record(folder: Path, print_: str, files: list[Path], summary: dict[str, Any]) -> None:
    """After a render: the fingerprint it was made from, the files as written (by path within the folder),
    and what to say next time."""
    _write(folder, {"fingerprint": print_, "files": _hashes(folder, files), "formats": {}, "summary": summary})


def _hashes(folder: Path, files: list[Path]) -> dict[str, str]:
    return {f.relative_to(folder).as_posix(): _sha(f) for f in files}


def add_files(folder: Path, files: list[Path], version: str | None) -> None:
    """Files written later from the report of data ``version`` (PDF, Word, Excel) join its record — only if
    the record is of that report still."""
    current = _read(folder)
    if current is not None and current.get("summary", {}).get("version") == version:
        current.setdefault("formats", {}).update(_hashes(folder, files))
        _write(folder, current)


def forget(folder: Path) -> None:
    """The record no longer holds (a render started): a failure or a kill must not leave it claiming the
    old files are current for new inputs."""
    (folder / RECORD).unlink(missing_ok=True)


def _intact(folder: Path, hashes: dict[str, str]) -> bool:
    return all((folder / name).is_file() and _sha(folder / name) == sha for name, sha in hashes.items())


@dataclass(frozen=True)
class Current:
    """A department-year's report found current: where, what the console said, which asked formats to add."""
    folder: Path
    summary: dict[str, Any]
    missing: tuple[str, ...]           # asked formats not written from this report yet (pdf, docx, xlsx)


def current_report(department: str, year: int, db: str, rules: str | None, out_root: Path | None = None,
                   wanted: Mapping[str, str] | None = None) -> Current | None:
    """The report of a department-year if it is current: made from the same inputs, every file the render
    wrote (report, memo, provenance, named copies, executed sections) as written; and which of the asked
    formats (``wanted``: format → its file name) were not written from it yet. None: render it."""
    folder = report_dir(department, year, out_root)
    current = _read(folder)
    if current is None or current.get("fingerprint") != fingerprint(department, year, db, rules):
        return None
    if not _intact(folder, current.get("files", {})):
        return None
    written = current.get("formats", {})
    missing = []
    for kind, name in (wanted or {}).items():
        if name not in written or not _intact(folder, {name: written[name]}):
            missing.append(kind)
    return Current(folder, current["summary"], tuple(missing))
