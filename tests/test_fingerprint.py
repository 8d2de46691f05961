"""An unchanged report is recognised without a kernel, pandas or nbformat; anything it is made from changes it."""

import os
import subprocess
import sys

import yaml

from evalnb.batch import run as batch
from evalnb.intake.blank import write_workbook
from evalnb.intake.ingest import ingest
from evalnb.report.fingerprint import RECORD
from evalnb.rules import PACKAGE_RULES_DIR
from tests.helpers import ROOT, minimal_content

HEAVY = ("nbformat", "papermill", "nbclient", "jupyter_client", "pandas", "matplotlib", "sqlalchemy", "pydantic")


def report(project, *extra, importtime=False):
    args = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "evalnb", "report",
            "--dept", "测试局", "--year", "2024", "--db", project["db"], *extra]
    return subprocess.run(args, capture_output=True, text=True, env={**os.environ, **project["env"]}, check=False)


def reused(result) -> bool:
    assert result.returncode == 0, result.stderr
    return "沿用上次生成的报告" in result.stdout


def test_an_unchanged_report_is_left_alone_and_decided_without_jupyter(make_project, tmp_path):
    project = make_project([minimal_content()])
    assert not reused(report(project))
    folder = project["root"] / "outputs" / "测试局" / "2024"
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
    again = report(project, importtime=True)
    assert reused(again) and "状态：" in again.stdout
    loaded = {line.split("|")[-1].strip().split(".")[0] for line in again.stderr.splitlines() if "|" in line}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()} == before


def test_whatever_a_report_is_made_from_makes_it_render_again(make_project, tmp_path, monkeypatch):
    project = make_project([minimal_content()])
    folder = project["root"] / "outputs" / "测试局" / "2024"
    assert not reused(report(project)) and reused(report(project))
    # the data: a re-ingest (even of the same content) is a new version
    ingest([write_workbook(tmp_path / "again.xlsx", minimal_content())], project["db"])
    assert not reused(report(project)) and reused(report(project))
    # the year before (section 一 compares with it)
    prior = minimal_content()
    prior["基本信息"][1]["内容"] = 2023
    ingest([write_workbook(tmp_path / "prior.xlsx", prior)], project["db"])
    assert not reused(report(project)) and reused(report(project))
    # the rulebook's content, the rulebook asked for, the wording overrides
    rules = tmp_path / "rules"
    rules.mkdir()
    raw = yaml.safe_load((PACKAGE_RULES_DIR / "national-2020.yaml").read_text(encoding="utf-8"))
    (rules / "mine.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    project["env"]["EVALNB_RULES_DIR"] = str(rules)
    assert not reused(report(project, "--rules", "mine")) and reused(report(project, "--rules", "mine"))
    raw["grades"][0]["label"] = "优秀"
    (rules / "mine.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert not reused(report(project, "--rules", "mine"))
    wording = tmp_path / "wording"
    wording.mkdir()
    (wording / "s5.j2").write_text((PACKAGE_RULES_DIR.parent / "templates" / "prose" / "s5.j2").read_text(
        encoding="utf-8") + "\n", encoding="utf-8")
    assert not reused(report(project, "--rules", "mine", "--templates", str(wording)))
    # the files themselves: a report edited or removed by hand is rendered again
    assert reused(report(project, "--rules", "mine", "--templates", str(wording)))
    (folder / "report.html").write_text("edited", encoding="utf-8")
    assert not reused(report(project, "--rules", "mine", "--templates", str(wording)))
    assert (folder / "report.html").read_text(encoding="utf-8") != "edited"


def test_a_format_asked_later_is_written_from_the_current_report_alone(make_project, tmp_path):
    project = make_project([minimal_content()])
    assert not reused(report(project))
    with_xlsx = report(project, "--xlsx")
    assert reused(with_xlsx) and "_自评表.xlsx（" in with_xlsx.stdout and "未变化" not in with_xlsx.stdout.split("Excel")[1]
    assert "未变化）" in report(project, "--xlsx").stdout.split("Excel")[1]


def test_a_failed_render_leaves_no_claim_that_old_files_are_current(make_project, tmp_path):
    project = make_project([minimal_content()])
    folder = project["root"] / "outputs" / "测试局" / "2024"
    assert not reused(report(project)) and (folder / RECORD).is_file()
    notebook = project["root"] / "notebooks" / "05_problems_and_measures.ipynb"
    original = notebook.read_text(encoding="utf-8")
    notebook.write_text(original.replace("show(", "undefined_name("), encoding="utf-8")
    assert report(project).returncode != 0 and not (folder / RECORD).exists()
    notebook.write_text(original, encoding="utf-8")
    assert not reused(report(project))


def test_a_batch_with_nothing_changed_starts_no_worker(make_project, tmp_path, monkeypatch):
    content = minimal_content()
    other = minimal_content()
    other["基本信息"][0]["内容"] = "乙局"
    project = make_project([content, other])
    monkeypatch.setenv("EVALNB_ROOT", str(project["root"]))
    first = batch.run_batch(batch.jobs_from_store(project["db"]), workers=2)
    assert [r.status for r in first] == ["ok", "ok"] and all(r.reused < 7 for r in first)

    def no_workers(*args, **kwargs):
        raise AssertionError("a worker pool was started for reports that are current")
    monkeypatch.setattr(batch, "_local", no_workers)
    again = batch.run_batch(batch.jobs_from_store(project["db"]), workers=2)
    assert [(r.department, r.status, r.reused) for r in again] == [("乙局", "ok", 7), ("测试局", "ok", 7)]
    assert [r.score for r in again] == [r.score for r in first]


def test_the_notebooks_are_read_once_for_many_department_years_and_again_when_one_changes(tmp_path, monkeypatch):
    """A batch of 200 department-years started its workers 17.5 s late under load: every job re-read the
    notebooks and re-scanned the installed packages to decide whether its report was current."""
    import os
    import shutil

    from evalnb.report import digest

    folder = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder)
    reads = []
    real = digest._tree_digest
    monkeypatch.setattr(digest, "_tree_digest", lambda *a: reads.append(a) or real(*a))
    first = [digest.notebooks_digest(folder) for _ in range(200)]
    assert len(set(first)) == 1 and len(reads) == 1
    notebook = folder / "05_problems_and_measures.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("s.show(", "s.show( "), encoding="utf-8")
    os.utime(notebook, ns=(1, 1))                   # even with a clock that did not move: size and time differ
    assert digest.notebooks_digest(folder) != first[0] and len(reads) == 2
