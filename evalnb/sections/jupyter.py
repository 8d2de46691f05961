"""JupyterLab and the committed section notebooks: outputs stay on disk, never reach git, and a notebook opens clean.

Outputs are kept out of git by git, not by JupyterLab: ``make setup`` installs nbstripout as the clean filter of
``*.ipynb`` (``.gitattributes``; :data:`GIT_FILTER` is what it configures). A notebook on disk keeps what the analyst
ran; ``git status`` and ``git diff`` see it as committed unless its sources changed. Nothing here writes a notebook.

This module is a Jupyter Server extension (enabled by ``etc/jupyter/jupyter_server_config.d/evalnb.json`` in the
environment) for one thing: a committed section notebook must not be dirty (●) as soon as it is opened. JupyterLab
writes the kernel's ``language_info`` into a notebook when the kernel starts, and marks it changed when that differs
from the file; the Python version in it differs from machine to machine, so it is not committed (the clean filter
drops it) and the extension adds this server's (the evalnb kernel's Python) when a committed section notebook is
loaded. Only committed sections with the evalnb kernelspec are touched, only in the loaded model: an analyst's own
notebook, a Lab duplicate and a copy from ``evalnb notebook`` are served as they are on disk.
"""

from __future__ import annotations

import functools
import inspect
import platform
from pathlib import Path
from typing import Any

from evalnb.sections.outline import SECTIONS

KERNEL_NAME = "evalnb"
COMMITTED = (*(s.notebook for s in SECTIONS), "review/memo.ipynb", "summary/overview.ipynb")
# What `make setup` configures (git config filter.nbstripout.*): outputs, counts and run state never reach git, nor
# the Python version JupyterLab writes; cell ids are kept (sections name their cells).
NBSTRIPOUT_OPTIONS = "--keep-id"
EXTRA_KEYS = ("metadata.language_info.version", "cell.metadata.jupyter.outputs_hidden", "cell.metadata.trusted",
              "metadata.papermill", "cell.metadata.papermill")


def committed_section(os_path: Path) -> bool:
    """A committed section notebook: one of COMMITTED in a ``notebooks/`` folder that holds the first section."""
    for folder in os_path.parents:
        if folder.name == "notebooks" and (folder / SECTIONS[0].notebook).is_file():
            return os_path.relative_to(folder).as_posix() in COMMITTED
    return False


def with_kernel_version(model: dict[str, Any], os_path: Path) -> dict[str, Any]:
    """The loaded model of a committed section notebook on the evalnb kernel, with the Python version the kernel
    will report in its ``language_info`` (changed in place); any other model as it is."""
    content = model.get("content")
    if model.get("type") != "notebook" or not isinstance(content, dict) or not committed_section(os_path):
        return model
    metadata = content.get("metadata", {})
    info = metadata.get("language_info")
    if metadata.get("kernelspec", {}).get("name") == KERNEL_NAME and isinstance(info, dict) and \
            info.get("name") == "python" and "version" not in info:
        metadata["language_info"] = {**info, "version": platform.python_version()}
    return model


def _os_path(contents_manager: Any, path: str) -> Path:
    return Path(getattr(contents_manager, "root_dir", ""), path.strip("/")).absolute()


def _wrap_get(contents_manager: Any) -> None:
    """Wrap the contents manager's ``get`` (sync or async) with :func:`with_kernel_version`."""
    original = contents_manager.get
    if inspect.iscoroutinefunction(original):
        @functools.wraps(original)
        async def get(path: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
            return with_kernel_version(await original(path, *args, **kwargs), _os_path(contents_manager, path))
    else:
        @functools.wraps(original)
        def get(path: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
            return with_kernel_version(original(path, *args, **kwargs), _os_path(contents_manager, path))
    contents_manager.get = get


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "evalnb.sections.jupyter"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    _wrap_get(serverapp.contents_manager)
    serverapp.log.info("evalnb: committed section notebooks open with this Python's version in language_info "
                       "(evalnb.sections.jupyter); outputs are kept out of git by the nbstripout filter (make setup)")
