"""Content-addressed cache of executed section notebooks, under ``outputs/.cache/``.

A section is re-executed only if something it reads changed: its notebook, its parameters, the slices
of the department-year's data it shows (``outline.Section.reads``), the rulebook, or evalnb's own code.
Keys are sha256 digests of those contents, never timestamps. Entries are written to a temporary name
and renamed, so an interrupted run leaves only whole entries and the next run picks up from there.

What the cache trusts: an entry is served only with a seal made by a secret that never sits under
``outputs/`` (a key file of mode 0600 in the user's state folder, ``EVALNB_CACHE_KEY`` to name a shared one),
so whoever can write ``outputs/`` (a shared mount) cannot forge an entry: an edited, swapped, re-sealed,
failed or emptied one is evicted with a warning and the section re-runs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from functools import cache
from pathlib import Path

import pandas as pd

from evalnb import settings
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
    projects = dy.project_indicators if dy.project_indicators is not None else dy.indicators.iloc[0:0]
    slices["projects"] = _sha([dy.project_rules, _frame_digest(dy.project_info), _frame_digest(projects)])
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


KEY_BYTES = 32


def has_content(cells: list[dict]) -> bool:
    """Whether an executed section shows anything (a display, a result or printed text; stderr aside)."""
    return any(o.get("output_type") in ("display_data", "execute_result")
               or (o.get("output_type") == "stream" and o.get("name") == "stdout")
               for c in cells for o in c.get("outputs", []))


def key_file(outputs: Path) -> Path:
    """The cache's secret for this ``outputs/`` folder: ``EVALNB_CACHE_KEY``, else one per folder in the
    user's state folder (``$XDG_STATE_HOME/evalnb``, else ``~/.local/state/evalnb``) — never under outputs/."""
    if named := settings.CACHE_KEY.get():
        return Path(named).expanduser()
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "evalnb"
    return state / f"cache-{hashlib.sha256(str(outputs.resolve()).encode()).hexdigest()[:16]}.key"


@cache
def secret(path: Path) -> bytes:
    """The key file's bytes, made (mode 0600, exclusively) on first use."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:                      # another process made it meanwhile
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_bytes(KEY_BYTES))
    return path.read_bytes()


class SectionCache:
    """Executed notebooks of one department-year, one current entry per section.

    Each entry is the executed notebook plus a seal (``.seal.json``: the full key and an HMAC-SHA256, by the
    cache's secret, of the key and the notebook's bytes). An entry is served only if its seal matches the
    key asked for and the bytes, and it holds output and no error output; anything else (truncated, swapped
    for another department's, re-sealed without the secret, emptied, half written) is evicted with a warning
    and the section re-runs."""

    def __init__(self, folder: Path, outputs: Path | None = None):
        self.folder = folder
        self.secret = secret(key_file(outputs if outputs is not None else folder.parents[2]))

    def _mac(self, key: str, content: bytes) -> str:
        return hmac.new(self.secret, key.encode() + b"\0" + content, hashlib.sha256).hexdigest()

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
        if not hmac.compare_digest(str(seal.get("mac", "")), self._mac(key, content)):
            return "内容与封记不符（被截断或替换）"
        try:
            cells = json.loads(content)["cells"]
        except (ValueError, KeyError, TypeError):
            return "不是有效的 notebook"
        outputs = [o for c in cells for o in c.get("outputs", [])]
        if any(o.get("output_type") == "error" for o in outputs):
            return "含有错误输出"
        if not has_content(cells):
            return "没有任何内容"
        return None

    def evict(self, section: Section, key: str) -> None:
        self.path(section, key).unlink(missing_ok=True)
        self.seal_path(section, key).unlink(missing_ok=True)

    def put(self, section: Section, key: str, executed: Path) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        content = executed.read_bytes()
        seal = json.dumps({"key": key, "mac": self._mac(key, content)})
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
