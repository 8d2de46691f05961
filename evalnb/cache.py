"""Content-addressed cache of executed section notebooks, under ``outputs/.cache/``.

A section is re-executed only if something it reads changed: its notebook, its parameters, the slices
of the department-year's data it shows (``outline.Section.reads``), the rulebook, or evalnb's own code.
Keys are sha256 digests of those contents, never timestamps. Entries are written to a temporary name
and renamed, so an interrupted run leaves only whole entries and the next run picks up from there.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from functools import cache
from pathlib import Path

import pandas as pd

from evalnb.data import DepartmentYear
from evalnb.outline import Section
from evalnb.rules import Rulebook

PACKAGE = Path(__file__).resolve().parent


def _sha(payload: object) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def code_digest() -> str:
    """evalnb's source: every file of the package but bytecode (rulebooks are keyed on their own)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _frame_digest(frame: pd.DataFrame) -> str:
    return _sha(frame.drop(columns=["row"], errors="ignore").to_dict(orient="records"))


def data_slices(dy: DepartmentYear) -> dict[str, str]:
    """A digest per slice of a department-year's data, named as ``Section.reads`` names them."""
    slices = {
        "profile": _sha([dy.department, dy.year, dy.parent, dy.rules, dy.declared_total, dy.declared_grade]),
        "budget": _frame_digest(dy.budget), "indicators": _frame_digest(dy.indicators),
        "team": _frame_digest(dy.team),
        "prior": _sha(None if dy.prior is None else [_frame_digest(dy.prior.budget), dy.prior.year]),
    }
    slices.update({f"texts:{name}": _sha(paras) for name, paras in sorted(dy.texts.items())})
    return slices


def section_key(section: Section, notebook: Path, parameters: dict, dy: DepartmentYear, rulebook: Rulebook) -> str:
    slices = data_slices(dy)
    if "*" in section.reads:
        used = slices
    else:
        used = {k: v for k, v in slices.items() if k in section.reads or k.split(":")[0] in section.reads}
        used.update({f"texts:{t}": slices.get(f"texts:{t}", "") for t in section.texts})
    return _sha({"code": code_digest(), "notebook": hashlib.sha256(notebook.read_bytes()).hexdigest(),
                 "parameters": parameters, "data": used, "rules": rulebook.sha256})


class SectionCache:
    """Executed notebooks of one department-year, one current entry per section."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, section: Section, key: str) -> Path:
        return self.folder / f"{Path(section.notebook).stem}-{key[:20]}.ipynb"

    def get(self, section: Section, key: str) -> Path | None:
        path = self.path(section, key)
        return path if path.is_file() else None

    def put(self, section: Section, key: str, executed: Path) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path(section, key)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_bytes(executed.read_bytes())
        os.replace(tmp, target)
        return target

    def prune(self, section: Section, keep: str) -> None:
        """Drop the section's older entries and any temporary file left by a killed run."""
        stem = Path(section.notebook).stem
        for path in self.folder.glob(f"{stem}-*.ipynb"):
            if path != self.path(section, keep):
                path.unlink(missing_ok=True)
        for tmp in self.folder.glob(f".{stem}-*.tmp"):
            tmp.unlink(missing_ok=True)
