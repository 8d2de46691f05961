"""What a hostile or unlucky user does to a running evalnb: re-ingest during a report, damage the cache,
run two batches at once, kill runs, use strange department names, render many reports in one worker."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from evalnb.intake.blank import write_workbook
from evalnb.intake.ingest import ingest
from tests.helpers import ROOT, alive, descendants, evalnb, file_digest, trivial_notebooks, workbook_content


def report_text(root: Path, folder: str, year: int = 2024) -> str:
    html = (root / "outputs" / folder / str(year) / "report.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


def flavour_of(text: str) -> str:
    """甲 or 乙 if every section shows the same one; anything mixed fails."""
    marks = {f: [f"负责{f}类工作" in text, f"{f}组长" in text] for f in "甲乙"}
    whole = [f for f, seen in marks.items() if all(seen)]
    assert len(whole) == 1 and not any(any(seen) for f, seen in marks.items() if f not in whole), marks
    return whole[0]


def cli(project: dict, *args: str) -> subprocess.CompletedProcess:
    return evalnb(*args, "--db", project["db"], env=project["env"])


def test_a_report_reads_one_version_while_the_data_is_re_ingested(make_project, tmp_path):
    project = make_project([workbook_content(flavour="甲")])
    versions = {f: write_workbook(tmp_path / f"{f}.xlsx", workbook_content(flavour=f, executed=e))
                for f, e in (("甲", 95), ("乙", 50))}
    report = subprocess.Popen([sys.executable, "-m", "evalnb", "report", "--dept", "测试局", "--year", "2024", "--db",
                               project["db"]], env={**os.environ, **project["env"]}, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for flavour in ("乙", "甲", "乙"):                    # re-ingested while the kernel starts and runs
        time.sleep(0.6)
        ingest([versions[flavour]], project["db"])
    out, err = report.communicate(timeout=300)
    assert report.returncode == 0, err
    assert flavour_of(report_text(project["root"], "测试局")) == "乙"
    ingest([versions["甲"]], project["db"])          # revert: the report must follow, never serve stale sections
    again = cli(project, "report", "--dept", "测试局", "--year", "2024")
    assert again.returncode == 0, again.stderr
    assert flavour_of(report_text(project["root"], "测试局")) == "甲"


def cache_entries(root: Path, folder: str, stem: str) -> tuple[Path, Path]:
    cache = root / "outputs" / ".cache" / folder / "2024"
    notebook = next(cache.glob(f"{stem}-*.ipynb"))
    return notebook, notebook.with_suffix(".seal.json")


def test_damaged_or_foreign_cache_entries_are_evicted_and_re_run(make_project, tmp_path):
    project = make_project([workbook_content("甲局", "甲"), workbook_content("乙局", "乙")])
    for dept in ("甲局", "乙局"):
        assert cli(project, "report", "--dept", dept, "--year", "2024").returncode == 0
    root = project["root"]
    good = file_digest(root / "outputs" / "甲局" / "2024" / "report.html")
    a_nb, a_seal = cache_entries(root, "甲局", "06_evaluation_team")
    b_nb, b_seal = cache_entries(root, "乙局", "06_evaluation_team")

    def rerun_and_check(expect_warning: str) -> None:
        (root / "outputs" / "甲局" / "2024" / "report.html").unlink()    # not current: render, reading the cache
        result = cli(project, "report", "--dept", "甲局", "--year", "2024")
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert "缓存条目" in result.stderr and expect_warning in result.stderr
        assert "6 节未变化" in result.stdout                       # only the damaged section re-ran
        assert file_digest(root / "outputs" / "甲局" / "2024" / "report.html") == good
        assert flavour_of(report_text(root, "甲局")) == "甲"

    a_nb.write_bytes(a_nb.read_bytes()[:500])                      # truncated
    rerun_and_check("被截断或替换")
    a_nb, a_seal = cache_entries(root, "甲局", "06_evaluation_team")
    shutil.copyfile(b_nb, a_nb)                                     # another department's section and seal
    shutil.copyfile(b_seal, a_seal)
    rerun_and_check("不属于本次")
    a_nb, a_seal = cache_entries(root, "甲局", "06_evaluation_team")
    nb = json.loads(a_nb.read_text(encoding="utf-8"))              # another team, re-sealed as an unkeyed digest
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for kind, text in output.get("data", {}).items():
                output["data"][kind] = text.replace("甲组长", "乙组长") if isinstance(text, str) else text
    a_nb.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    seal = json.loads(a_seal.read_text(encoding="utf-8"))
    seal["sha256"] = seal["mac"] = file_digest(a_nb)
    a_seal.write_text(json.dumps(seal), encoding="utf-8")
    rerun_and_check("被截断或替换")


def test_two_batches_on_the_same_outputs_both_finish(make_project, tmp_path):
    project = make_project([workbook_content(f"{n}局", "甲") for n in "一二三"])
    command = [sys.executable, "-m", "evalnb", "batch", "--workers", "1", "--db", project["db"]]
    env = {**os.environ, **project["env"]}
    runs = [subprocess.Popen(command, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]
    results = [(r.communicate(timeout=600), r.returncode) for r in runs]
    for (out, err), code in results:
        assert code == 0 and "Traceback" not in err, err
        assert "失败 0 份" in out
    for n in "一二三":
        folder = project["root"] / "outputs" / f"{n}局" / "2024"
        assert flavour_of(report_text(project["root"], f"{n}局")) == "甲"
        assert not list(folder.glob(".staging-*")) and not (folder / ".evalnb.report.lock").exists()


@pytest.mark.soak
def test_kill_9_at_random_points_never_damages_the_previous_report(make_project, tmp_path):
    project = make_project([workbook_content()])
    assert cli(project, "report", "--dept", "测试局", "--year", "2024").returncode == 0
    report = project["root"] / "outputs" / "测试局" / "2024" / "report.html"
    before = report.read_text(encoding="utf-8")
    rng = random.Random(20261130)
    for _ in range(10):
        run = subprocess.Popen([sys.executable, "-m", "evalnb", "report", "--force", "--dept", "测试局", "--year", "2024",
                                "--db", project["db"]], env={**os.environ, **project["env"]},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.3, 4.0))
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
        assert report.read_text(encoding="utf-8") == before        # whole: old, or a finished identical run
    after = cli(project, "report", "--dept", "测试局", "--year", "2024")
    assert after.returncode == 0, after.stderr
    folder = report.parent
    assert report.read_text(encoding="utf-8") == before
    assert not list(folder.glob(".staging-*")) and not (folder / ".evalnb.report.lock").exists()
    assert not list((project["root"] / "outputs" / ".cache").rglob("*.tmp"))


HOSTILE = ["a/b", "a_b", "CON", "科技局{2024}", "{{ 7*7 }}局", "{db[9]}{db[9]}局", "{% raw %}局", "\u200b局名",
           "很长的部门名称" * 15, "<script>alert(1)</script>局"]


def test_hostile_names_get_distinct_folders_and_valid_reports(make_project, tmp_path):
    contents = [workbook_content(name, "甲") for name in HOSTILE]
    contents[0]["项目支出"][0]["项目类别"] = "$x^2$类"          # mathtext must not parse user text
    project = make_project(contents)
    result = cli(project, "batch", "--workers", "2")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    reports = sorted((project["root"] / "outputs").glob("*/2024/report.html"))
    assert len(reports) == len(HOSTILE)                               # no two names share a folder
    for path in reports:
        assert len(path.parent.parent.name.encode("utf-8")) <= 130
        html = path.read_text(encoding="utf-8")
        assert "<script>" not in html and "49局" not in html and "sqlite" not in html
    shown = {BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select_one("h1 .dept").get_text()
             for p in reports}
    assert shown == set(HOSTILE)
    assert cli(project, "params").returncode == 0
    assert len(list((project["root"] / "params").glob("*.yaml"))) == len(HOSTILE)
    listed = cli(project, "list").stdout.splitlines()
    assert len(listed) == len(HOSTILE) + 1 and "\\u200b" in "".join(listed)


@pytest.mark.soak
def test_200_reports_in_one_process_under_a_256_file_limit_hold_threads_files_and_memory_flat(make_project, tmp_path):
    """What a long-lived batch worker does: 200 reports, one kernel each, in one process with 256 fds. The
    notebooks are trivial: what is measured is the host process opening and closing a kernel per report."""
    departments = [f"局{i}" for i in range(4)]
    project = make_project([workbook_content(d, "甲") for d in departments])
    trivial_notebooks(project["root"])
    command = (f"ulimit -n 256 && exec {sys.executable} -m tests.soak '{project['db']}' 200 "
               + " ".join(departments))
    result = subprocess.run(["bash", "-c", command], env={**os.environ, **project["env"]}, cwd=ROOT,
                            capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    soak = json.loads(result.stdout.strip().splitlines()[-1])
    threads, fds, rss = zip(*soak["samples"], strict=True)
    assert len(threads) == 200
    # Flat, not merely bounded: what the last 50 reports hold is what reports 10–59 held (a leak of even one
    # fd or thread per report would add 50+ by the end; the old bug added ~80 fds per report).
    early, late = slice(10, 60), slice(150, 200)
    assert max(threads[late]) <= max(threads[early]) + 1, threads
    assert max(fds[late]) <= max(fds[early]) + 2 and max(fds) < 64, fds
    growth_mib = (max(rss[late]) - max(rss[early])) / 1024
    assert growth_mib < 32, f"RSS grew {growth_mib:.1f} MiB between reports 10–59 and 150–199: {rss[10::19]}"
    assert soak["children"] == [], soak["children"]    # no kernel left running


@pytest.mark.soak
def test_a_batch_of_30_completes_under_a_256_file_limit(make_project, tmp_path):
    project = make_project([workbook_content(f"单位{i:02d}", "甲") for i in range(30)])
    command = (f"ulimit -n 256 && exec {sys.executable} -m evalnb batch --workers 2 --db '{project['db']}'")
    result = subprocess.run(["bash", "-c", command], env={**os.environ, **project["env"]}, capture_output=True,
                            text=True, timeout=1200)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "成功 30 份，失败 0 份" in result.stdout


def test_ctrl_c_stops_cleanly(make_project, tmp_path):
    project = make_project([workbook_content()])
    run = subprocess.Popen([sys.executable, "-m", "evalnb", "report", "--dept", "测试局", "--year", "2024", "--db",
                            project["db"]], env={**os.environ, **project["env"]}, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    folder = project["root"] / "outputs" / "测试局" / "2024"
    while not list(folder.glob(".staging-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    kernels = descendants(run.pid, "ipykernel_launcher")      # this run's, not those of tests beside it
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 130 and "已中断" in err and "Traceback" not in err, err
    assert not list(folder.glob(".staging-*")) and not (folder / ".evalnb.report.lock").exists()
    assert kernels and alive(kernels) == set()
    assert re.search(r"\bTraceback\b", err) is None


@pytest.mark.soak
def test_a_killed_batch_takes_its_workers_and_kernels_with_it(make_project, tmp_path):
    project = make_project([workbook_content(f"局{i}", "甲") for i in range(6)])
    batch = subprocess.Popen([sys.executable, "-m", "evalnb", "batch", "--workers", "2", "--db", project["db"]],
                             env={**os.environ, **project["env"]}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not descendants(batch.pid, "ipykernel_launcher") and time.monotonic() < deadline:
        time.sleep(0.1)
    started = descendants(batch.pid)                 # its workers and their kernels (not other tests')
    assert descendants(batch.pid, "ipykernel_launcher"), "no kernel started"
    batch.kill()
    batch.wait(timeout=30)
    deadline = time.monotonic() + 30
    while alive(started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alive(started) == set()
