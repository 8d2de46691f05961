"""The warm kernel a batch worker keeps between reports, one per store and project.

A report's sections already run in one kernel, each after ``%reset -f``; a worker that renders report
after report keeps that kernel instead of starting one per report (the kernel's own imports are the
largest part of a cold report). Sections share nothing but imported modules and the per-version context
cache (keyed on the data version, evalnb.context). A kernel that dies is replaced. Every warm kernel is
shut down when the worker ends — normally (a multiprocessing finalizer, atexit), or on SIGTERM.
"""

from __future__ import annotations

import atexit
import os
from multiprocessing import util
from typing import TYPE_CHECKING

from evalnb.paths import default_db_url

if TYPE_CHECKING:             # Jupyter is imported by the first report, not by `evalnb batch` finding nothing to do
    from evalnb.kernel import KernelSession

_sessions: dict[tuple[str, str | None, str | None], KernelSession] = {}
_registered_in: int | None = None      # the process that registered the shutdown (a forked worker registers anew)


def session_for(db: str | None) -> KernelSession:
    """This worker's kernel for the store ``db`` (and the current project and wording overrides)."""
    global _registered_in
    if _registered_in != os.getpid():
        _sessions.clear()             # a forked worker: kernels it inherited belong to its parent
    key = (db or default_db_url(), os.environ.get("EVALNB_ROOT"), os.environ.get("EVALNB_TEMPLATES"))
    session = _sessions.get(key)
    if session is None:
        from evalnb.report import open_session

        session = _sessions[key] = open_session(key[0])
    if _registered_in != os.getpid():
        util.Finalize(None, close_all, exitpriority=10)       # a pool worker's normal end
        atexit.register(close_all)                            # any other process
        _registered_in = os.getpid()
    return session


def discard(session: KernelSession) -> None:
    """Shut a (dead or suspect) kernel down and forget it: the next report starts a new one."""
    for key, held in list(_sessions.items()):
        if held is session:
            del _sessions[key]
    session.close()


def close_all() -> None:
    while _sessions:
        _, session = _sessions.popitem()
        session.close()


def alive() -> int:
    """How many warm kernels this process holds (for tests and the benchmark)."""
    return len(_sessions)
