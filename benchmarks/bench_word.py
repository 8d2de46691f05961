"""What carrying its CJK font costs a Word file: each rendered report written as .docx with the embedded font subset
and without it (the font step left out), side by side in one process — time and size as ratios.

    .venv/bin/python benchmarks/bench_word.py [--outputs outputs] [--repeat 3]

Needs the rendered reports (``outputs/<部门>/<年度>/report.html``, as ``make report`` leaves them). For each report
prints the .docx size without and with the font, the embedded font part's size, and the fastest of ``--repeat``
writes each way (alternating, so a shared machine's load falls on both); then the totals and the ratios.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import zipfile
from pathlib import Path
from unittest import mock

from evalnb.deliver import word, wordfont

ROOT = Path(__file__).resolve().parents[1]


def timed(html: Path, out: Path, embed: bool) -> float:
    started = time.perf_counter()
    if embed:
        word.write_docx(html, out)
    else:
        with mock.patch.object(wordfont, "embed", lambda doc, faces: ""):
            word.write_docx(html, out)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--outputs", type=Path, default=ROOT / "outputs")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    reports = sorted(args.outputs.glob("*/*/report.html"))
    if not reports:
        raise SystemExit(f"no report.html under {args.outputs}: run `make report` first")
    totals = {"plain": 0.0, "font": 0.0, "plain_size": 0, "font_size": 0}
    print(f"{'report':<22} {'docx without':>13} {'with font':>10} {'font part':>10} {'time without':>13} {'with':>7}")
    with tempfile.TemporaryDirectory(prefix="evalnb-bench-word-") as tmp:
        for html in reports:
            label = f"{html.parent.parent.name} {html.parent.name}"
            plain, font = Path(tmp) / "plain.docx", Path(tmp) / "font.docx"
            times = {"plain": [], "font": []}
            for _ in range(args.repeat):
                times["plain"].append(timed(html, plain, embed=False))
                times["font"].append(timed(html, font, embed=True))
            with zipfile.ZipFile(font) as z:
                part = sum(i.compress_size for i in z.infolist() if i.filename.startswith("word/fonts/"))
            sizes = plain.stat().st_size, font.stat().st_size
            fastest = min(times["plain"]), min(times["font"])
            print(f"{label:<22} {sizes[0] / 1024:10.0f} KB {sizes[1] / 1024:7.0f} KB {part / 1024:7.0f} KB "
                  f"{fastest[0]:11.2f} s {fastest[1]:5.2f} s")
            for key, value in zip(("plain_size", "font_size", "plain", "font"), (*sizes, *fastest), strict=True):
                totals[key] += value
    n = len(reports)
    print(f"{n} reports: size ×{totals['font_size'] / totals['plain_size']:.2f} "
          f"(+{(totals['font_size'] - totals['plain_size']) / n / 1024:.0f} KB each), "
          f"time ×{totals['font'] / totals['plain']:.2f} (+{(totals['font'] - totals['plain']) / n:.2f} s each)")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
