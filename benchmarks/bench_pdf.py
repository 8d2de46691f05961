"""What `--pdf` costs in a batch: the 8 sample reports rendered by `evalnb batch --force` with and without `--pdf`,
side by side in one run (ratios, not absolute times: the machines are shared and noisy).

    .venv/bin/python benchmarks/bench_pdf.py [--workers 2] [--repeat 3] [--chromium]

Prints, for a batch of the 8 samples: the HTML-only batch's wall time, the same batch with --pdf, the PDF cost
per report ((pdf − html) ÷ 8) and the ratio pdf ÷ html (the goal: ≤ 1.25), and its range over the alternating
pairs of runs (how much the machine's other work swung it); then each PDF laid out again in
one process (the engine loaded once, as a batch worker keeps it) and the Word file of each. ``--chromium``
adds what the former writer cost: a headless Chromium started per report (``chromium --print-to-pdf``).
Each batch is run ``--repeat`` times, alternating, and the fastest run counts; the CPU time of all its processes
(the batch, its workers, their kernels) is printed beside the wall time, as a shared machine's load does not
change it. Everything runs in a temporary project (own store and outputs), so outputs/ is left alone.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "sample").glob("*.xlsx"))
GOAL = 1.25


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def batch(work: Path, workers: int, *extra: str) -> tuple[float, float]:
    """Wall time and CPU time (the batch, its workers and their kernels) of one batch run."""
    started, cpu = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, "-m", "evalnb", "batch", "--force", "--workers", str(workers), "-q",
                           *extra], capture_output=True, text=True, env={**os.environ, "EVALNB_ROOT": str(work)})
    if done.returncode != 0:
        raise SystemExit(f"evalnb batch {' '.join(extra)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started, _cpu() - cpu


def project(work: Path) -> None:
    from evalnb.intake.ingest import ingest

    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    (work / "evalnb").mkdir()
    ingest(SAMPLES, f"sqlite:///{work / 'outputs' / 'evalnb.sqlite'}")


def each(label: str, reports: list[Path], write) -> float:
    started = time.perf_counter()
    for html in reports:
        write(html)
    seconds = (time.perf_counter() - started) / len(reports)
    print(f"  {label:<58} {seconds:6.2f} s per report", flush=True)
    return seconds


def chromium_print(html: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-chromium-") as profile:
        subprocess.run([shutil.which("chromium") or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-first-run", "--no-pdf-header-footer", f"--user-data-dir={profile}",
                        f"--print-to-pdf={out}", html.as_uri()], capture_output=True, check=True, timeout=180)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", action="store_true", help="also time the former writer (Chromium per report)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="evalnb-bench-pdf-"))
    try:
        project(work)
        n = len(SAMPLES)
        batch(work, args.workers)                                    # warm the caches of the disk and the kernel
        html_runs, pdf_runs = [], []
        for _ in range(args.repeat):
            html_runs.append(batch(work, args.workers))
            pdf_runs.append(batch(work, args.workers, "--pdf"))
        (html, html_cpu), (pdf, pdf_cpu) = min(html_runs), min(pdf_runs)
        print(f"batch of {n} reports, {args.workers} workers, fastest of {args.repeat} (wall; CPU of all processes):")
        print(f"  {'HTML only':<58} {html:6.2f} s  {html_cpu:6.2f} s CPU")
        print(f"  {'with --pdf':<58} {pdf:6.2f} s  {pdf_cpu:6.2f} s CPU")
        print(f"  {'PDF cost per report':<58} {(pdf - html) / n:6.2f} s  {(pdf_cpu - html_cpu) / n:6.2f} s CPU")
        ratio = pdf / html
        label = f"ratio (goal ≤ {GOAL:.2f})"
        print(f"  {label:<58} {ratio:6.2f}x  {pdf_cpu / html_cpu:6.2f}x CPU  {'met' if ratio <= GOAL else 'NOT met'}")
        pairs = sorted(p / h for (h, _), (p, _) in zip(html_runs, pdf_runs, strict=True))
        label = "ratio of each run with --pdf to the HTML-only run before it"
        print(f"  {label:<58} {pairs[0]:6.2f}x to {pairs[-1]:.2f}x")
        print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall times count other work too)")

        from evalnb.deliver.pdf import engine, write_pdf
        from evalnb.deliver.word import write_docx

        reports = sorted((work / "outputs").glob("*/*/report.html"))
        out = work / "bench"
        out.mkdir()
        started = time.perf_counter()
        engine()
        print(f"in one process, {len(reports)} reports:")
        print(f"  {'PDF engine loaded (once per worker)':<58} {time.perf_counter() - started:6.2f} s")
        each("PDF (WeasyPrint, engine reused)", reports, lambda h: write_pdf(h, out / f"{h.parent.parent.name}.pdf"))
        each("Word (python-docx)", reports, lambda h: write_docx(h, out / f"{h.parent.parent.name}.docx"))
        if args.chromium:
            each("PDF by the former writer (a Chromium per report)", reports,
                 lambda h: chromium_print(h, out / f"{h.parent.parent.name}-chromium.pdf"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
