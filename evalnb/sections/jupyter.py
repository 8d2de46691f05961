"""JupyterLab and the committed section notebooks: outputs stay on disk, never reach git, and a notebook opens clean.

Outputs are kept out of git by git, not by JupyterLab: ``make setup`` installs nbstripout as the clean filter of
``*.ipynb`` (``.gitattributes``; the Makefile's ``git-filters`` target says which keys it drops). A notebook on
disk keeps what the analyst ran; ``git status`` and ``git diff`` see it as committed unless its sources changed.
Nothing here writes a notebook.

This module is a Jupyter Server extension (enabled by ``etc/jupyter/jupyter_server_config.d/evalnb.json`` in the
environment) for two things. After a committed section notebook is saved, git's index learns that the file is still
as committed when only outputs changed (:func:`refresh_git_index`): git decides "modified" from a file's size before
it runs a clean filter, so without this ``git status`` would list the notebook although ``git diff`` is empty.
And a committed section notebook must not be dirty (●) as soon as it is opened. JupyterLab
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
import subprocess
from pathlib import Path
from typing import Any

from evalnb.sections.outline import PROJECT_FORMS, SECTIONS

KERNEL_NAME = "evalnb"
COMMITTED = (*(s.notebook for s in SECTIONS), "review/memo.ipynb", "summary/overview.ipynb", PROJECT_FORMS.notebook)


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


def refresh_git_index(os_path: str, model: dict[str, Any], contents_manager: Any, **kwargs: Any) -> None:
    """Jupyter Server post-save hook: for a committed section notebook whose content, through git's clean filter, is
    what the index holds (`git diff --quiet`), `git add` it, which changes nothing but the index's stat record. A
    notebook whose sources were edited stays modified; without the filter (no `make setup`) outputs are a change and
    nothing is added. Any failure of git (not a checkout, a locked index) leaves things as they are."""
    path = Path(os_path)
    if model.get("type") != "notebook" or not committed_section(path):
        return
    git = ["git", "-C", str(path.parent)]
    try:
        tracked = subprocess.run([*git, "ls-files", "--error-unmatch", "--", path.name], capture_output=True, timeout=60)
        if tracked.returncode == 0 and \
                subprocess.run([*git, "diff", "--quiet", "--", path.name], capture_output=True, timeout=60).returncode == 0:
            subprocess.run([*git, "add", "--", path.name], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return


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
    serverapp.contents_manager.register_post_save_hook(refresh_git_index)
    serverapp.log.info("evalnb: committed section notebooks open with this Python's version in language_info and "
                       "are re-indexed by git after a save (evalnb.sections.jupyter); outputs are kept out of git by "
                       "the nbstripout filter (make setup)")
