"""One writer per output folder: a lock file holding the writer's host, pid and start time.

A lock whose holder is a process of this host that no longer runs is stale and is broken; a lock held
by a live process (or by another host) makes the next writer wait, then give up with
:class:`LockedError` naming the holder.
"""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import datetime
from pathlib import Path

from evalnb.errors import LockedError
from evalnb.paths import LOCK_FILE

LOCK_NAME = LOCK_FILE
POLL_SECONDS = 0.5


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OutputLock:
    """``with OutputLock(folder, wait=30):`` — held for the block, released (file removed) on exit."""

    def __init__(self, folder: Path, wait: float = 0.0, what: str = ""):
        self.path = folder / LOCK_NAME
        self.wait, self.what = wait, what
        self.held = False

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.wait
        while not self._try_acquire():
            holder = self.holder()
            if holder is not None and self._is_stale(holder):
                self.path.unlink(missing_ok=True)
                continue
            if time.monotonic() >= deadline:
                raise LockedError(self._busy_message(holder))
            time.sleep(POLL_SECONDS)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        if self.held:
            holder = self.holder()
            if holder and holder.get("pid") == os.getpid() and holder.get("host") == socket.gethostname():
                self.path.unlink(missing_ok=True)
            self.held = False

    def _try_acquire(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"host": socket.gethostname(), "pid": os.getpid(),
                       "since": datetime.now().isoformat(timespec="seconds")}, handle)
        self.held = True
        return True

    def holder(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {}          # half-written by a writer that was killed while creating it

    def _is_stale(self, holder: dict) -> bool:
        if not holder:
            return self._age() > 10            # an empty or unreadable lock, older than any writer needs
        pid = holder.get("pid")
        return holder.get("host") == socket.gethostname() and (not isinstance(pid, int) or pid <= 0 or not _alive(pid))

    def _age(self) -> float:
        try:
            return time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    def _busy_message(self, holder: dict | None) -> str:
        who = "另一个进程"
        if holder:
            who = f"主机 {holder.get('host')} 上的进程 {holder.get('pid')}（自 {holder.get('since')} 起）"
        return f"{self.what or self.path.parent} 正由{who}生成，本次跳过；待其完成后再运行"
