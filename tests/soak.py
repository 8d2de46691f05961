"""Render many reports in one process and print what it holds after each: a soak run for the hardening
test (run as ``python -m tests.soak DB N DEPT...`` under a low ``ulimit -n``, with EVALNB_ROOT set).

Prints one JSON line: per report, the live threads, open file descriptors and resident memory (KiB),
then the child processes left at the end."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path


def resident_kib() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def children() -> list[int]:
    me = str(os.getpid())
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:
            found.append(int(stat.parent.name))
    return found


def main(db: str, count: int, departments: list[str]) -> None:
    from evalnb.report import kernel
    from evalnb.report.render import render_report

    kernel.WARM_IMPORTS = "pass"     # trivial notebooks: the kernel needs none of the sections' imports

    samples = []
    for i in range(count):
        render_report(departments[i % len(departments)], 2024, db, force=True)
        samples.append((threading.active_count(), len(os.listdir("/proc/self/fd")), resident_kib()))
    print(json.dumps({"samples": samples, "children": children()}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
