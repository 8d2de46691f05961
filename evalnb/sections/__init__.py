"""What the section notebooks import: the blocks of each section, charts, the appendix form, the summary page,
the outline, fonts and the Jupyter save hook.

A section notebook imports one line, ``from evalnb import sections as s``, and calls ``s.load_context``,
``s.show`` and the blocks of :mod:`evalnb.sections.blocks` (``s.preamble(ctx)`` …). They are resolved on
first use, so importing a light module of this package (``evalnb.sections.outline``) imports nothing heavy.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent
# Names a notebook needs from below this package.
_ELSEWHERE = {"load_context": "evalnb.review.context", "show": "evalnb.text.html",
              **dict.fromkeys(("project_scores", "show_forms", "project_summary", "appendix_projects"),
                              "evalnb.sections.projects")}


def __getattr__(name: str) -> Any:
    if name.startswith("_") or (_HERE / f"{name}.py").is_file() or (_HERE / name).is_dir():
        raise AttributeError(name)          # a submodule not imported yet: the import system loads it
    blocks = import_module(_ELSEWHERE.get(name, "evalnb.sections.blocks"))
    try:
        return getattr(blocks, name)
    except AttributeError:
        raise AttributeError(f"module 'evalnb.sections' has no attribute {name!r}") from None
