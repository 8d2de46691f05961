"""Time evalnb against the naive papermill loop, side by side in one run (ratios, not absolute times).

    .venv/bin/python benchmarks/bench_report.py [--profile]

(a) naive: papermill each section notebook of 科学技术局 2024 (a fresh kernel each), then one nbconvert
    HTML export; (b) `evalnb report` cold; (c) `evalnb report` after one text paragraph changed;
(d) `evalnb batch` over every sample department-year, cold, against the naive loop over them.
Everything runs in a temporary project (its own store and outputs), so outputs/ is left alone.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPT, YEAR = "科学技术局", 2024


def naive_report(department: str, year: int, db: str, out: Path) -> None:
    """What one would write without evalnb: papermill per notebook, then nbconvert on the lot."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    from evalnb.outline import SECTIONS
    from evalnb.report import ensure_kernel

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


def timed(label: str, fn, *args, **kwargs) -> float:
    started = time.perf_counter()
    fn(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"  {label:<58} {seconds:7.1f} s", flush=True)
    return seconds


def change_one_paragraph(db: str, work: Path) -> None:
    from openpyxl import load_workbook

    from evalnb.ingest import ingest

    path = work / f"{DEPT}_{YEAR}.xlsx"
    shutil.copyfile(ROOT / "data" / "sample" / path.name, path)
    book = load_workbook(path)
    for row in book["文字材料"].iter_rows(min_row=2):
        if row[0].value == "改进措施":
            row[1].value = row[1].value + "（已修改）"
    book.save(path)
    ingest([path], db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="print where the time of (b) goes (cProfile)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="evalnb-bench-"))
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    (work / "evalnb").mkdir()
    os.environ["EVALNB_ROOT"] = str(work)
    sys.path.insert(0, str(ROOT))

    from evalnb import store
    from evalnb.batch import jobs_from_store, run_batch
    from evalnb.ingest import ingest
    from evalnb.report import render_report

    db = f"sqlite:///{work / 'outputs' / 'evalnb.sqlite'}"
    ingest(sorted((ROOT / "data" / "sample").glob("*.xlsx")), db)
    pairs = store.department_years(store.open_store(db))
    print(f"evalnb benchmark — {len(pairs)} sample department-years, {os.cpu_count()} cores, workers={args.workers}")

    a = timed("(a) naive: papermill × 7 sections + nbconvert", naive_report, DEPT, YEAR, db, work / "naive" / "one")
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    b = timed("(b) evalnb report, cold", render_report, DEPT, YEAR, db)
    if profiler:
        profiler.disable()
    change_one_paragraph(db, work)
    c = timed("(c) evalnb report after one text paragraph changed", render_report, DEPT, YEAR, db)
    naive = timed(f"naive loop over all {len(pairs)} department-years",
                  lambda: [naive_report(d, y, db, work / "naive" / f"{d}-{y}") for d, y in pairs])
    shutil.rmtree(work / "outputs" / ".cache")
    d = timed(f"(d) evalnb batch over all {len(pairs)}, cold", run_batch, jobs_from_store(db), args.workers)

    print("\nratios (aim on 2 cores: b/a ≤ 0.5, c/a ≤ 0.15, d/naive ≤ 0.5)")
    print(f"  b/a     = {b / a:.2f}\n  c/a     = {c / a:.2f}\n  d/naive = {d / naive:.2f}")
    if profiler:
        print("\nwhere (b) spends its time (cumulative, top 25):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
