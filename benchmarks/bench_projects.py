"""Time the project forms (issue 25) against the department's own report, as ratios in one run (the machines are
shared and noisy).

    .venv/bin/python benchmarks/bench_projects.py [--dept 科学技术局] [--year 2024]
    .venv/bin/python benchmarks/bench_projects.py --scale 20,200 [--workers 2]

Default: in a temporary project holding the samples, (a) `evalnb report --force` (cold) for the department-year;
(c) `evalnb report --force --projects`: the report and all its project forms on one kernel; the forms' cost
(c − a) ÷ a (goal ≤ 0.5); (b) the forms alone in a fresh process (interpreter, imports, a kernel of their own, one
notebook run, one page per project), b ÷ a. --scale N,…: the department-year cloned into N departments, each with all its
projects, through `evalnb batch --projects` (report and forms per job): seconds per department, kernels alive at
the end (goal: time per department flat, 0 kernels).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_report import SAMPLES, TreeMemory, project

FORMS = ("import sys; from evalnb.report.projects import render_projects; "
         "render_projects(sys.argv[1], int(sys.argv[2]), force=True)")


def run(work: Path, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          env={**os.environ, "EVALNB_ROOT": str(work)})
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started


def default_run(args: argparse.Namespace) -> None:
    from evalnb.store import data

    work = Path(tempfile.mkdtemp(prefix="evalnb-projects-"))
    db = project(work, SAMPLES)
    count = len(data.load(args.dept, args.year, db).project_names)
    print(f"evalnb project forms benchmark — {args.dept} {args.year}, {count} projects, {os.cpu_count()} cores")
    command = ("-m", "evalnb", "report", "--dept", args.dept, "--year", str(args.year), "--force")
    times: dict[str, list[float]] = {"a": [], "c": [], "b": []}
    for _ in range(args.repeat):           # interleaved, so a load that comes and goes hits all three alike
        times["a"].append(run(work, *command))
        times["c"].append(run(work, *command, "--projects"))
        times["b"].append(run(work, "-c", FORMS, args.dept, str(args.year)))
    report, both, forms = (statistics.median(times[k]) for k in "acb")
    on_report, on_forms = shared_kernel(args, db)
    print(f"  medians of {args.repeat} runs each")
    print(f"  (a) evalnb report, cold                                            {report:7.2f} s")
    print(f"  (c) evalnb report --projects, cold (report and forms, one kernel)   {both:7.2f} s")
    print(f"  (b) the forms alone, cold, in a new process (own kernel)           {forms:7.2f} s")
    print(f"\n  the forms' cost in `report --projects`: (c − a) ÷ a = {(both - report) / report:.2f} (goal ≤ 0.5); "
          f"standalone b ÷ a = {forms / report:.2f} (interpreter, imports and a kernel of their own); "
          f"{(both - report) / count:.3f} s per project form")
    print(f"  (d) in this process, one kernel, as `report --projects` runs them: report {on_report:.2f} s, then the forms "
          f"{on_forms:.2f} s: ratio {on_forms / on_report:.2f} (goal ≤ 0.5); {on_forms / count:.3f} s per project form")
    shutil.rmtree(work, ignore_errors=True)


def shared_kernel(args: argparse.Namespace, db: str) -> tuple[float, float]:
    """(d) the report cold and then every form cold on the same kernel, timed apart (medians)."""
    from evalnb.report.projects import render_projects
    from evalnb.report.render import open_session, render_report

    reports, forms = [], []
    for _ in range(args.repeat):
        with open_session(db) as kernel:
            started = time.perf_counter()
            render_report(args.dept, args.year, db, force=True, session=kernel)
            reports.append(time.perf_counter() - started)
            started = time.perf_counter()
            render_projects(args.dept, args.year, db, force=True, session=kernel)
            forms.append(time.perf_counter() - started)
    return statistics.median(reports), statistics.median(forms)


def clones(n: int, folder: Path, source: Path) -> list[Path]:
    from openpyxl import load_workbook

    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        book = load_workbook(source)
        for row in book["基本信息"].iter_rows(min_row=2):
            if row[0].value == "部门名称":
                row[1].value = f"{row[1].value}{i:04d}"
        made.append(folder / f"{i:04d}_{source.name}")
        book.save(made[-1])
    return made


def scale_batch(n: int, workers: int, source: Path) -> dict[str, float]:
    """N clones of ``source`` through batch --projects, in a project and a TMPDIR of their own (both removed)."""
    work = Path(tempfile.mkdtemp(prefix=f"evalnb-projects-scale{n}-"))
    before = os.environ.get("TMPDIR")
    scratch = own_temp(work)
    try:
        return _scale_batch(n, workers, source, work, scratch)
    finally:
        if before is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = before
        tempfile.tempdir = None
        shutil.rmtree(work, ignore_errors=True)


def _scale_batch(n: int, workers: int, source: Path, work: Path, scratch: Path) -> dict[str, float]:
    from evalnb.batch.run import Job, run_batch
    from evalnb.store import data
    from evalnb.store import sql as store

    db = project(work, clones(n, work / "workbooks", source))
    pairs = store.department_years(store.open_store(db))
    projects = len(data.load(*pairs[0], db).project_names)
    jobs = [Job(d, y, None, db, True, str(work), projects=True) for d, y in pairs]
    with TreeMemory() as memory:
        started = time.perf_counter()
        results = run_batch(jobs, workers)
        seconds = time.perf_counter() - started
    failed = [r for r in results if r.status != "ok"]
    if failed:
        raise SystemExit(f"{len(failed)} jobs failed, e.g. {failed[0].error}")
    forms = sum(len(list((work / "outputs").glob(f"*/{y}/项目自评表/*.html"))) for y in {y for _, y in pairs})
    kernels = subprocess.run(["pgrep", "-f", f"ipykernel_launcher.*{scratch}"], capture_output=True, text=True)
    return {"n": n, "projects": projects, "per_dept": seconds / n, "peak_mb": memory.peak / 2**20,
            "kernels": len(kernels.stdout.split()), "forms": forms}


def own_temp(work: Path) -> Path:
    """A temporary folder of this run's own: the kernels' connection folders are made under it, so the kernels
    left at the end are counted as this run's, not the machine's (other users' kernels are no concern here)."""
    scratch = work / "tmp"
    scratch.mkdir()
    os.environ["TMPDIR"] = str(scratch)
    tempfile.tempdir = None             # tempfile reads TMPDIR again
    return scratch


def scale_run(args: argparse.Namespace) -> None:
    source = next(p for p in SAMPLES if p.stem == f"{args.dept}_{args.year}")
    sizes = [int(n) for n in args.scale.split(",") if n]
    print(f"evalnb batch --projects at scale — {args.dept} {args.year} cloned, workers={args.workers}")
    print(f"  {'N':>5} {'projects':>9} {'s/dept':>8} {'forms written':>14} {'peak RSS MB':>12} {'kernels at end':>15}")
    rows = []
    for n in sizes:
        row = scale_batch(n, args.workers, source)
        rows.append(row)
        print(f"  {n:>5} {row['projects']:>9} {row['per_dept']:>8.2f} {row['forms']:>14} {row['peak_mb']:>12.0f} "
              f"{row['kernels']:>15}", flush=True)
    for row in rows[1:]:
        print(f"  N = {row['n']}: time per department × {row['per_dept'] / rows[0]['per_dept']:.2f} of N = "
              f"{rows[0]['n']} (goal ≤ 1.2), kernels at end {row['kernels']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dept", default="科学技术局")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--scale", help="comma-separated numbers of department-years")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (medians)")
    args = parser.parse_args()
    scale_run(args) if args.scale else default_run(args)


if __name__ == "__main__":
    main()
