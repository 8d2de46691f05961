"""Time evalnb against the naive papermill loop and against its own floor, side by side in one run
(ratios, not absolute times: the machines are shared and noisy).

    .venv/bin/python benchmarks/bench_report.py [--profile] [--workers N]
    .venv/bin/python benchmarks/bench_report.py --scale 50,200 [--dask]

Default run, on the samples (科学技术局 2024 for single reports):
(a) naive: papermill each section notebook (a fresh kernel each), then one nbconvert export;
(b) `evalnb report` cold; (c) after one text paragraph changed; (d) `evalnb batch` cold against the naive
loop over all; (e) the in-process floor: every section's cells run in one fresh Python process through
IPython's InteractiveShell (same code, same output formatting; no kernel, papermill, nbformat or stitch);
(f) no-op: `evalnb report` and `evalnb batch` with nothing changed, each a new process (interpreter start
included); (g) warm: a report on a batch worker's warm kernel.
--scale N,…: clones the samples into N department-years and runs a cold batch on each: wall time per report,
peak RSS of the whole process tree, kernels alive at the end, outputs + cache on disk per report; with
--dask also through `--scheduler local` against the process pool.
Everything runs in temporary projects (own store and outputs), so outputs/ is left alone.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPT, YEAR = "科学技术局", 2024
SAMPLES = sorted((ROOT / "data" / "sample").glob("*.xlsx"))


def naive_report(department: str, year: int, db: str, out: Path) -> None:
    """What one would write without evalnb: papermill per notebook, then nbconvert on the lot."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    from evalnb.report.kernel import ensure_kernel
    from evalnb.sections.outline import SECTIONS

    out.mkdir(parents=True, exist_ok=True)
    kernel = ensure_kernel()
    merged = nbformat.v4.new_notebook()
    for section in SECTIONS:
        target = out / section.notebook
        papermill.execute_notebook(str(ROOT / "notebooks" / section.notebook), str(target), kernel_name=kernel,
                                   parameters={"department": department, "year": year, "db": db},
                                   progress_bar=False, cwd=str(ROOT / "notebooks"),
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"])   # quiet, same speed
        merged.cells += nbformat.read(target, as_version=4).cells
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(merged)
    (out / "report.html").write_text(body, encoding="utf-8")


FLOOR = r"""
import json, os, sys, time
started = time.perf_counter()
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance(colors="nocolor")
root, department, year, db, version = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[6]
os.environ["EVALNB_DB"] = db
for name in json.loads(sys.argv[5]):
    cells = json.load(open(os.path.join(root, "notebooks", name), encoding="utf-8"))["cells"]
    shell.reset(new_session=False)
    shell.user_ns.update(department=department, year=year, db=None, rules=None, version=version)
    for cell in cells:
        if cell["cell_type"] == "code" and "parameters" not in cell.get("metadata", {}).get("tags", []):
            result = shell.run_cell("".join(cell["source"]), store_history=False, silent=False)
            if not result.success:
                raise SystemExit(f"{name}: {result.error_in_exec!r}")
print(time.perf_counter() - started)
"""


def floor(db: str, work: Path) -> float:
    """(e) every section notebook's cells in one fresh process: imports and all, no kernel; the stored version
    passed as a report passes it, so the sections share one loaded context as they do in a kernel."""
    from evalnb.sections.outline import SECTIONS
    from evalnb.store import sql as store

    names = [s.notebook for s in SECTIONS] + [str(Path("review") / "memo.ipynb")]
    started = time.perf_counter()
    version = store.current_version(store.open_store(db), DEPT, YEAR)
    done = subprocess.run([sys.executable, "-c", FLOOR, str(work), DEPT, str(YEAR), db, json.dumps(names), version],
                          capture_output=True, text=True, env={**os.environ, "EVALNB_ROOT": str(work)},
                          cwd=work / "notebooks")
    if done.returncode != 0:
        raise SystemExit(f"floor failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started


def timed(label: str, fn, *args, **kwargs) -> float:
    started = time.perf_counter()
    fn(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"  {label:<62} {seconds:7.2f} s", flush=True)
    return seconds


def cli(work: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "evalnb", *args], capture_output=True, text=True,
                          env={**os.environ, "EVALNB_ROOT": str(work)})
    if done.returncode != 0:
        raise SystemExit(f"evalnb {' '.join(args)} failed: {done.stderr[-2000:]}")


def change_one_paragraph(db: str, work: Path) -> None:
    from openpyxl import load_workbook

    from evalnb.intake.ingest import ingest

    path = work / f"{DEPT}_{YEAR}.xlsx"
    shutil.copyfile(ROOT / "data" / "sample" / path.name, path)
    book = load_workbook(path)
    for row in book["文字材料"].iter_rows(min_row=2):
        if row[0].value == "改进措施":
            row[1].value = row[1].value + "（已修改）"
    book.save(path)
    ingest([path], db)


def project(work: Path, workbooks: list[Path]) -> str:
    """A temporary project: notebooks copied, a store with the workbooks; EVALNB_ROOT points at it."""
    from evalnb.intake.ingest import ingest

    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    (work / "evalnb").mkdir()
    os.environ["EVALNB_ROOT"] = str(work)
    db = f"sqlite:///{work / 'outputs' / 'evalnb.sqlite'}"
    ingest(workbooks, db)
    return db


def default_run(args: argparse.Namespace) -> None:
    from evalnb.batch.run import Job, jobs_from_store, run_batch, run_job
    from evalnb.report import warm
    from evalnb.report.render import render_report
    from evalnb.store import sql as store

    work = Path(tempfile.mkdtemp(prefix="evalnb-bench-"))
    db = project(work, SAMPLES)
    pairs = store.department_years(store.open_store(db))
    print(f"evalnb benchmark — {len(pairs)} sample department-years, {os.cpu_count()} cores, workers={args.workers}")
    a = timed("(a) naive: papermill × 7 sections + nbconvert", naive_report, DEPT, YEAR, db, work / "naive" / "one")
    e = timed("(e) floor: every section's cells in one process, no kernel", floor, db, work)
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    b = timed("(b) evalnb report, cold", render_report, DEPT, YEAR, db, force=True)
    if profiler:
        profiler.disable()
    f_report = timed("(f) evalnb report, nothing changed (a new process)", cli, work, "report", "--dept", DEPT,
                     "--year", str(YEAR), "--db", db)
    change_one_paragraph(db, work)
    c = timed("(c) evalnb report after one text paragraph changed", render_report, DEPT, YEAR, db)
    other = next((d, y) for d, y in pairs if d != DEPT)
    run_job(Job(*other, None, db, True, str(work)))       # warms this process's kernel on another department
    g = timed("(g) evalnb report on a warm kernel (batch worker)", run_job, Job(DEPT, YEAR, None, db, True, str(work)))
    warm.close_all()
    naive = timed(f"naive loop over all {len(pairs)} department-years",
                  lambda: [naive_report(d, y, db, work / "naive" / f"{d}-{y}") for d, y in pairs])
    shutil.rmtree(work / "outputs" / ".cache")
    d = timed(f"(d) evalnb batch over all {len(pairs)}, cold", run_batch,
              [Job(dd, yy, None, db, True, str(work)) for dd, yy in pairs], args.workers)
    run_batch(jobs_from_store(db), args.workers)          # the sections' cache and fingerprints are now current
    f_batch = timed(f"(f) evalnb batch over all {len(pairs)}, nothing changed (a new process)", cli, work, "batch",
                    "--db", db, "-q")

    print("\nratios (goals on 2 cores in brackets)")
    print(f"  b/a           = {b / a:.2f}   cold report against the naive loop      (≤ 0.5)")
    print(f"  c/a           = {c / a:.2f}   one paragraph changed                   (≤ 0.15)")
    print(f"  d/naive       = {d / naive:.2f}   cold batch against the naive loop       (≤ 0.5)")
    print(f"  b/e           = {b / e:.2f}   cold report against the in-process floor (≤ 2)")
    print(f"  g/e           = {g / e:.2f}   warm report against the floor            (≤ 1.3)")
    print(f"  f(batch)/d    = {f_batch / d:.3f}  no-op batch against the cold batch      (≤ 0.05)")
    print(f"  f(report)     = {f_report:.2f} s  no-op report, interpreter start included (≤ 0.5 s)")
    if profiler:
        print("\nwhere (b) spends its time (cumulative, top 25):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- scale
def clones(n: int, folder: Path) -> list[Path]:
    """N department-years: the samples over and over, each copy a department of its own (科学技术局007)."""
    from openpyxl import load_workbook

    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        source = SAMPLES[i % len(SAMPLES)]
        book = load_workbook(source)
        for row in book["基本信息"].iter_rows(min_row=2):
            if row[0].value == "部门名称":
                row[1].value = f"{row[1].value}{i // len(SAMPLES):03d}"
        path = folder / f"{i:04d}_{source.name}"
        book.save(path)
        made.append(path)
    return made


class TreeMemory:
    """Peak resident memory of this process and all its descendants, sampled every 0.2 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, sum(_rss(p) for p in _tree(os.getpid())))


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def kernels_alive() -> int:
    found = subprocess.run(["pgrep", "-f", "ipykernel_launcher.*evalnb-kernel"], capture_output=True, text=True)
    return len(found.stdout.split())


def disk(paths: list[Path]) -> int:
    return sum(f.stat().st_size for p in paths if p.exists() for f in p.rglob("*") if f.is_file())


def scale_batch(n: int, workers: int, scheduler: str | None = None) -> dict[str, float]:
    from evalnb.batch.run import Job, run_batch
    from evalnb.paths import outputs_dir, safe_name
    from evalnb.store import sql as store

    work = Path(tempfile.mkdtemp(prefix=f"evalnb-scale{n}-"))
    db = project(work, clones(n, work / "workbooks") if n != len(SAMPLES) else SAMPLES)
    pairs = store.department_years(store.open_store(db))
    jobs = [Job(d, y, None, db, True, str(work)) for d, y in pairs]
    with TreeMemory() as memory:
        started = time.perf_counter()
        results = run_batch(jobs, workers, scheduler)
        seconds = time.perf_counter() - started
    failed = [r for r in results if r.status != "ok"]
    if failed:
        raise SystemExit(f"{len(failed)} reports failed, e.g. {failed[0].error}")
    folders = [outputs_dir() / safe_name(d) / str(y) for d, y in pairs]
    caches = [outputs_dir() / ".cache" / safe_name(d) / str(y) for d, y in pairs]
    row = {"n": n, "per_report": seconds / n, "peak_mb": memory.peak / 2**20, "kernels": kernels_alive(),
           "kb_per_report": disk(folders + caches) / n / 1024}
    shutil.rmtree(work, ignore_errors=True)
    return row


def scale_run(args: argparse.Namespace) -> None:
    sizes = [len(SAMPLES), *(int(n) for n in args.scale.split(",") if n)]
    print(f"evalnb scale benchmark — cold batches of {', '.join(map(str, sizes))} department-years, "
          f"{os.cpu_count()} cores, workers={args.workers}")
    print(f"  {'N':>5} {'s/report':>9} {'peak RSS MB':>12} {'kernels at end':>15} {'KB/report':>10}")
    rows = []
    for n in sizes:
        row = scale_batch(n, args.workers)
        rows.append(row)
        print(f"  {n:>5} {row['per_report']:>9.2f} {row['peak_mb']:>12.0f} {row['kernels']:>15} "
              f"{row['kb_per_report']:>10.0f}", flush=True)
    base = rows[0]
    print(f"\nratios against N = {base['n']} (goal: time per report ≤ 1.2, memory flat, 0 kernels)")
    for row in rows[1:]:
        print(f"  N = {row['n']:>4}: time per report × {row['per_report'] / base['per_report']:.2f}, "
              f"peak RSS × {row['peak_mb'] / base['peak_mb']:.2f}, kernels at end {row['kernels']}")
    if args.dask:
        n = max(sizes[1:] or sizes)
        pool = scale_batch(n, args.workers)
        dask = scale_batch(n, args.workers, "local")
        print(f"\n  dask LocalCluster ({args.workers} workers) against the process pool, N = {n}: "
              f"× {dask['per_report'] / pool['per_report']:.2f} (goal ≤ 1.2); "
              f"throughput {1 / dask['per_report'] / args.workers:.2f} reports/s per worker core with dask, "
              f"{1 / pool['per_report'] / args.workers:.2f} with the pool")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="print where the time of (b) goes (cProfile)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--scale", help="comma-separated sizes of synthetic batches, e.g. 50,200")
    parser.add_argument("--dask", action="store_true", help="with --scale: also through --scheduler local")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.scale:
        scale_run(args)
    else:
        default_run(args)


if __name__ == "__main__":
    main()
