"""Content-addressed cache of executed section notebooks, under ``outputs/.cache/``.

A section is re-executed only if something it reads changed: its notebook, its parameters, the slices
of the department-year's data it shows (``outline.Section.reads``), the rulebook, or evalnb's own code.
Keys are sha256 digests of those contents, never timestamps. Entries are written to a temporary name
and renamed, so an interrupted run leaves only whole entries and the next run picks up from there.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pandas as pd

from evalnb.paths import write_atomic
from evalnb.report.digest import code_digest, override_digest
from evalnb.rules import Rulebook
from evalnb.sections.outline import Section
from evalnb.store.data import DepartmentYear

log = logging.getLogger("evalnb")


def _sha(payload: object) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _frame_digest(frame: pd.DataFrame) -> str:
    return _sha(frame.drop(columns=["row"], errors="ignore").to_dict(orient="records"))


def data_slices(dy: DepartmentYear) -> dict[str, str]:
    """A digest per slice of a department-year's data, named as ``Section.reads`` names them."""
    slices = {
        "profile": _sha([dy.department, dy.year, dy.parent, dy.rules, dy.declared_total, dy.declared_grade]),
        "budget": _frame_digest(dy.budget), "indicators": _frame_digest(dy.indicators),
        "team": _frame_digest(dy.team), "accounts": _frame_digest(dy.accounts), "facts": _frame_digest(dy.facts),
        "deductions": _frame_digest(dy.deductions),
        "prior": _sha(None if dy.prior is None else [_frame_digest(dy.prior.budget), _frame_digest(dy.prior.accounts),
                                                     dy.prior.year]),
    }
    slices.update({f"texts:{name}": _sha(paras) for name, paras in sorted(dy.texts.items())})
    slices["drafted"] = _sha(dy.drafted)
    return slices


def section_key(section: Section, notebook: Path, parameters: dict, dy: DepartmentYear, rulebook: Rulebook) -> str:
    slices = data_slices(dy)
    if "*" in section.reads:
        used = slices
    else:
        used = {k: v for k, v in slices.items() if k in section.reads or k.split(":")[0] in section.reads}
        used.update({f"texts:{t}": slices.get(f"texts:{t}", "") for t in section.texts})
    return _sha({"code": code_digest(), "notebook": hashlib.sha256(notebook.read_bytes()).hexdigest(),
                 "parameters": parameters, "data": used, "rules": rulebook.sha256, "wording": override_digest()})


class SectionCache:
    """Executed notebooks of one department-year, one current entry per section.

    Each entry is the executed notebook plus a seal (``.seal.json``: the full key and the sha256 of the
    notebook's bytes). An entry is served only if its seal matches the key asked for and the bytes, and
    it holds no error output; anything else (truncated, swapped for another department's, half written)
    is evicted with a warning and the section re-runs."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, section: Section, key: str) -> Path:
        return self.folder / f"{Path(section.notebook).stem}-{key[:20]}.ipynb"

    def seal_path(self, section: Section, key: str) -> Path:
        return self.path(section, key).with_suffix(".seal.json")

    def get(self, section: Section, key: str) -> Path | None:
        path = self.path(section, key)
        if not path.exists() and not self.seal_path(section, key).exists():
            return None
        problem = self._problem(section, key)
        if problem is None:
            return path
        log.warning("缓存条目 %s 无效（%s），已删除并重新运行该章节", path.name, problem)
        self.evict(section, key)
        return None

    def _problem(self, section: Section, key: str) -> str | None:
        try:
            content = self.path(section, key).read_bytes()
            seal = json.loads(self.seal_path(section, key).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return f"无法读取：{type(exc).__name__}"
        if not isinstance(seal, dict) or seal.get("key") != key:
            return "不属于本次的章节和数据"
        if seal.get("sha256") != hashlib.sha256(content).hexdigest():
            return "内容与封记不符（被截断或替换）"
        try:
            cells = json.loads(content)["cells"]
        except (ValueError, KeyError, TypeError):
            return "不是有效的 notebook"
        if any(o.get("output_type") == "error" for c in cells for o in c.get("outputs", [])):
            return "含有错误输出"
        return None

    def evict(self, section: Section, key: str) -> None:
        self.path(section, key).unlink(missing_ok=True)
        self.seal_path(section, key).unlink(missing_ok=True)

    def put(self, section: Section, key: str, executed: Path) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        content = executed.read_bytes()
        seal = json.dumps({"key": key, "sha256": hashlib.sha256(content).hexdigest()})
        target = self.path(section, key)
        write_atomic(target, content)
        write_atomic(self.seal_path(section, key), seal.encode("utf-8"))
        return target

    def prune(self, section: Section, keep: str) -> None:
        """Drop the section's older entries and any temporary file left by a killed run (the caller
        holds the department-year's lock, so no other run is writing here)."""
        stem = Path(section.notebook).stem
        keep_names = {self.path(section, keep).name, self.seal_path(section, keep).name}
        for path in self.folder.glob(f"{stem}-*"):
            if path.name not in keep_names:
                path.unlink(missing_ok=True)
        for tmp in self.folder.glob(f".{stem}-*.tmp"):
            tmp.unlink(missing_ok=True)
