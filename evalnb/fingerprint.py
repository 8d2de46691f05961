"""Whether a report is up to date, decided in a blink: no kernel, no pandas, no nbformat.

A report is a function of the stored department-year (and the year before it, which section 一 compares
with), the rulebook, evalnb's code, the notebooks, the wording overrides and the parameters. Their
fingerprint is written beside the report when it is rendered (``.evalnb-report.json``, with the sha256 of
every file written and what the console said); an unchanged fingerprint with the files as written means the
report would come out the same, and `evalnb report` / `evalnb batch` leave it as it is.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalnb import __version__
from evalnb.console import mask_secrets
from evalnb.digest import code_digest, notebooks_digest, override_digest
from evalnb.paths import notebooks_dir

RECORD = ".evalnb-report.json"


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
        from sqlalchemy import create_engine, text

        engine = create_engine(db)
        try:
            with engine.connect() as conn:
                rows = conn.execute(text(HEADS), args).all()
        finally:
            engine.dispose()
    return {int(r[0]): tuple(str(v) for v in r[1:]) for r in rows}


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
    from evalnb.errors import RulebookError
    from evalnb.rules import rulebook_path

    name = rules or heads[int(year)][3]
    try:
        rulebook = hashlib.sha256(rulebook_path(name).read_bytes()).hexdigest()
    except (RulebookError, OSError):
        return None                          # the full run will say what is wrong
    parts = {"data": heads[int(year)][:3], "prior": heads.get(int(year) - 1, ())[:3], "rules": [name, rulebook],
             "code": code_digest(), "notebooks": notebooks_digest(notebooks_dir()), "wording": override_digest(),
             "store": mask_secrets(db), "evalnb": __version__}
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write(folder: Path, record: dict[str, Any]) -> None:
    tmp = folder / f".{RECORD}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, folder / RECORD)


def record(folder: Path, print_: str, files: list[Path], summary: dict[str, Any]) -> None:
    """After a render: the fingerprint it was made from, the files as written, and what to say next time."""
    _write(folder, {"fingerprint": print_, "files": {f.name: _sha(f) for f in files}, "summary": summary})


def add_files(folder: Path, files: list[Path]) -> None:
    """Files written later from the same report (PDF, Word, Excel) join its record."""
    current = _read(folder)
    if current is not None:
        current["files"].update({f.name: _sha(f) for f in files})
        _write(folder, current)


def forget(folder: Path) -> None:
    """The record no longer holds (a render started): a failure or a kill must not leave it claiming the
    old files are current for new inputs."""
    (folder / RECORD).unlink(missing_ok=True)


def unchanged(folder: Path, department: str, year: int, db: str, rules: str | None,
              wanted: list[str]) -> dict[str, Any] | None:
    """The recorded summary if the report in ``folder`` is current and every ``wanted`` file is there as
    written; else None (render it)."""
    current = _read(folder)
    if current is None or current.get("fingerprint") != fingerprint(department, year, db, rules):
        return None
    files = current.get("files", {})
    for name in wanted:
        path = folder / name
        if name not in files or not path.is_file() or _sha(path) != files[name]:
            return None
    return current.get("summary")


@dataclass(frozen=True)
class Current:
    """A department-year's report found current: where, what the console said, which asked formats to add."""
    folder: Path
    summary: dict[str, Any]
    missing: tuple[str, ...]           # asked formats not written from this report yet (pdf, docx, xlsx)


def current_report(department: str, year: int, db: str, rules: str | None, out_root: Path | None = None,
                   formats: tuple[str, ...] = ()) -> Current | None:
    """The report of a department-year if it is current (report, memo, provenance and named copies as written,
    and every asked format that was written from it); else None."""
    from evalnb.formats import expected_files
    from evalnb.paths import report_dir

    folder = report_dir(department, year, out_root)
    summary = unchanged(folder, department, year, db, rules,
                        ["report.html", "复核意见.html", "provenance.json", *expected_files(department, year, ())])
    if summary is None:
        return None
    missing = tuple(kind for kind, name in zip(formats, expected_files(department, year, formats)[2:], strict=True)
                    if unchanged(folder, department, year, db, rules, [name]) is None)
    return Current(folder, summary, missing)
