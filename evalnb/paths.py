"""Where the project lives: every default path is relative to the project root."""

from __future__ import annotations

import os
import re
from pathlib import Path


def project_root() -> Path:
    """The evalnb checkout: ``$EVALNB_ROOT``, else the nearest folder up from the working directory
    that holds ``notebooks/`` and ``evalnb/``, else the folder above the installed package."""
    env = os.environ.get("EVALNB_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks").is_dir() and (folder / "evalnb").is_dir():
            return folder
    return Path(__file__).resolve().parents[1]


def outputs_dir() -> Path:
    return project_root() / "outputs"


def default_db_url() -> str:
    """``$EVALNB_DB`` if set, else the SQLite file ``outputs/evalnb.sqlite``."""
    return os.environ.get("EVALNB_DB") or f"sqlite:///{outputs_dir() / 'evalnb.sqlite'}"


def safe_name(text: str) -> str:
    """A path component from a department name: keeps Chinese, drops path separators and controls."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .")
    return cleaned or "_"
