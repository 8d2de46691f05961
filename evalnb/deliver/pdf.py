"""The report as PDF: printed by headless Chromium from the report's own HTML, so the browser's print and
the PDF share one stylesheet (A4, "第 X 页 共 Y 页" footers from CSS page margin boxes, a landscape page for
the wide indicator table). Chromium is a system program: ``EVALNB_CHROMIUM`` or ``chromium`` on the PATH
(Debian: ``apt install chromium``; ``make test`` installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from evalnb import settings
from evalnb.errors import ReportError
from evalnb.paths import atomic_path

CHROMIUM_ENV = settings.CHROMIUM.name
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT = 180


def chromium() -> str:
    named = settings.CHROMIUM.get()
    found = shutil.which(named) if named else next((p for c in CANDIDATES if (p := shutil.which(c))), None)
    if not found:
        raise ReportError(f"未找到 Chromium，无法生成 PDF：请安装（Debian/Ubuntu：apt install chromium）"
                          f"或用环境变量 {CHROMIUM_ENV} 指定浏览器程序的路径")
    return found


def write_pdf(html: Path, pdf: Path) -> Path:
    """Print ``html`` to ``pdf`` (write-then-rename: a failed print leaves the previous PDF)."""
    with atomic_path(pdf) as tmp, tempfile.TemporaryDirectory(prefix="evalnb-chromium-") as profile:
        sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []      # Chromium refuses root with its sandbox
        command = [chromium(), "--headless", *sandbox, "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--no-pdf-header-footer",
                   f"--user-data-dir={profile}", f"--print-to-pdf={tmp}", html.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"Chromium 打印 PDF 超时（{PRINT_TIMEOUT} 秒）：{html}") from exc
        if done.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            detail = (done.stderr or "").strip().splitlines()[-1:] or ["无输出"]
            raise ReportError(f"Chromium 未能打印 PDF（退出码 {done.returncode}）：{detail[0]}")
    return pdf
