"""Content digests of what a report is made from — evalnb's code, the section notebooks, the wording
overrides — cheap to import (no pandas, no Jupyter), so an unchanged report is recognised in a blink."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from evalnb.paths import PACKAGE, override_dirs


def _tree_digest(folder: Path, pattern: str = "*") -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob(pattern)) if folder.is_dir() else []:
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc" \
                and ".ipynb_checkpoints" not in path.parts:
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def code_digest() -> str:
    """evalnb's source: every file of the package but bytecode (rulebooks are keyed on their own)."""
    return _tree_digest(PACKAGE)


_NOTEBOOKS: dict[tuple, str] = {}


def notebooks_digest(folder: Path) -> str:
    """The section notebooks and the memo notebook. Read again only when a notebook's size or time changed:
    a batch checks hundreds of department-years against the same notebooks before its workers start."""
    stamp = tuple((str(p), s.st_mtime_ns, s.st_size) for p in sorted(folder.rglob("*.ipynb")) if (s := p.stat()))
    if stamp not in _NOTEBOOKS:
        _NOTEBOOKS.clear()
        _NOTEBOOKS[stamp] = _tree_digest(folder, "*.ipynb")
    return _NOTEBOOKS[stamp]


def override_digest() -> str:
    """The content of every override template in use: part of the section cache keys."""
    digest = hashlib.sha256()
    for folder in override_dirs():
        for path in sorted(folder.glob("*.j2")) if folder.is_dir() else []:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
