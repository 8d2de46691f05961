"""Keep JupyterLab's outputs out of the committed section notebooks.

``strip_section_notebook`` is a Jupyter Server pre-save hook. This module is also a server extension
that registers it, enabled by ``etc/jupyter/jupyter_server_config.d/evalnb.json`` in the environment
(files in ``jupyter_server_config.d`` are read only for ``ServerApp.jpserver_extensions``, so the hook
cannot be set there as ``ContentsManager.pre_save_hook``). When an analyst saves a section notebook after
"Run All", the file is written as committed: no outputs, no execution counts, no run or view state, the
committed kernelspec and language_info. Only edited sources reach the disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalnb.sections.outline import SECTIONS

KERNELSPEC = {"display_name": "Python (evalnb)", "language": "python", "name": "evalnb"}
LANGUAGE_INFO = {"name": "python"}
# Written by JupyterLab (or its extensions, papermill, nbclient) when cells run or are collapsed.
VOLATILE_CELL_METADATA = ("collapsed", "scrolled", "execution", "ExecuteTime", "jupyter", "trusted", "papermill")
VOLATILE_NOTEBOOK_METADATA = ("widgets", "papermill")


def strip_notebook(nb: dict[str, Any]) -> dict[str, Any]:
    """The notebook (a JSON dict, changed in place) without outputs, counts and volatile metadata."""
    for cell in nb.get("cells", []):
        metadata = cell.get("metadata", {})
        for key in VOLATILE_CELL_METADATA:
            metadata.pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        elif "attachments" in cell and not cell["attachments"]:
            del cell["attachments"]
    metadata = nb.setdefault("metadata", {})
    for key in VOLATILE_NOTEBOOK_METADATA:
        metadata.pop(key, None)
    metadata["kernelspec"] = dict(KERNELSPEC)
    metadata["language_info"] = dict(LANGUAGE_INFO)
    return nb


def is_section_notebook(os_path: Path) -> bool:
    """In a section-notebook folder: a ``notebooks/`` folder (or one below it) holding the first section,
    as ``paths.notebooks_dir`` finds them (a checkout's, an evalnb home's, the installed copies), whatever
    folder the server serves. The kernel does not matter: an analyst without the evalnb kernel who picks
    "Python 3" in JupyterLab's kernel dialog still saves the notebook as committed."""
    return any(folder.name == "notebooks" and (folder / SECTIONS[0].notebook).is_file() for folder in os_path.parents)


def strip_section_notebook(model: dict[str, Any], path: str, contents_manager: Any, **kwargs: Any) -> None:
    """Jupyter Server pre-save hook: strip a section notebook's model before it is written."""
    content = model.get("content")
    if model.get("type") != "notebook" or not isinstance(content, dict):
        return
    os_path = Path(getattr(contents_manager, "root_dir", ""), path.strip("/")).absolute()
    if is_section_notebook(os_path):
        strip_notebook(content)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "evalnb.sections.jupyter"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    serverapp.contents_manager.register_pre_save_hook(strip_section_notebook)
    serverapp.log.info("evalnb: section notebooks are saved without outputs (evalnb.sections.jupyter.strip_section_notebook)")
