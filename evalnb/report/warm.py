"""The warm kernel a batch worker keeps between reports, one per store and project.

A report's sections already run in one kernel, each after ``%reset -f``; a worker that renders report
after report keeps that kernel instead of starting one per report (the kernel's own imports are the
largest part of a cold report). Sections share nothing but imported modules and the per-version context
cache (keyed on the data version, evalnb.review.context). A kernel that dies is replaced. Every warm kernel is
shut down when the worker ends — normally (a multiprocessing finalizer, atexit), or on SIGTERM.
"""

from __future__ import annotations

import atexit
import os
import threading
from multiprocessing import util
from typing import TYPE_CHECKING

from evalnb import settings
from evalnb.paths import default_db_url

if TYPE_CHECKING:             # Jupyter is imported by the first report, not by `evalnb batch` finding nothing to do
    from evalnb.report.kernel import KernelSession

_sessions: dict[tuple, KernelSession] = {}
_lock = threading.Lock()               # a dask worker may run several jobs at once, each on its own thread
_registered_in: int | None = None      # the process that registered the shutdown (a forked worker registers anew)


def session_for(db: str | None) -> KernelSession:
    """This thread's kernel for the store ``db`` (and the current project and wording overrides): a kernel
    runs one report at a time, so threads running jobs side by side each have their own."""
    global _registered_in
    with _lock:
        if _registered_in != os.getpid():
            _sessions.clear()             # a forked worker: kernels it inherited belong to its parent
            util.Finalize(None, close_all, exitpriority=10)       # a pool worker's normal end
            atexit.register(close_all)                            # any other process
            _registered_in = os.getpid()
        key = (db or default_db_url(), settings.ROOT.get(), settings.TEMPLATES.get(),
               threading.get_ident())
        session = _sessions.get(key)
        if session is None:
            from evalnb.report.render import open_session  # lazy: Jupyter is imported by the first report only

            session = _sessions[key] = open_session(key[0])
        return session


def discard(session: KernelSession) -> None:
    """Shut a (dead or suspect) kernel down and forget it: the next report starts a new one."""
    with _lock:
        for key, held in list(_sessions.items()):
            if held is session:
                del _sessions[key]
    session.close()


def close_all() -> None:
    with _lock:
        held = list(_sessions.values())
        _sessions.clear()
    for session in held:
        try:
            session.close()
        except BaseException:                  # noqa: BLE001  closing the others matters more (a dying worker)
            pass


def alive() -> int:
    """How many warm kernels this process holds (for tests and the benchmark)."""
    return len(_sessions)
