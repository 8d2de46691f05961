"""A batch worker's warm kernel: reused between reports, leaking nothing from one into the next, replaced
when it dies, and shut down when the worker ends."""

import os
import signal
from pathlib import Path

import pytest

from evalnb.batch import run as batch
from evalnb.report import warm
from tests.helpers import minimal_content


def kernels(root) -> list[int]:
    """Kernels of this project (their environment names its root), wherever they were started from."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if b"ipykernel_launcher" in cmdline and f"EVALNB_ROOT={root}".encode() in environ.split(b"\0"):
            found.append(int(proc.name))
    return found


@pytest.fixture
def two_departments(make_project, tmp_path, monkeypatch):
    a, b = minimal_content(), minimal_content()
    b["基本信息"][0]["内容"] = "乙局"
    b["文字材料"][0]["内容"] = "负责乙类工作，另有一句只属于乙局的话。"
    b["项目支出"][0]["全年执行数（万元）"] = 40
    project = make_project([a, b])
    monkeypatch.setenv("EVALNB_ROOT", str(project["root"]))
    yield project
    warm.close_all()


def job(project, department):
    return batch.Job(department, 2024, None, project["db"], True, str(project["root"]))


def report_of(project, department) -> str:
    html = (project["root"] / "outputs" / department / "2024" / "report.html").read_text(encoding="utf-8")
    return html


def test_a_warm_kernel_renders_a_b_a_and_the_two_as_are_identical(two_departments):
    project = two_departments
    first = batch.run_job(job(project, "测试局"))
    assert first.status == "ok", first.error
    a_before = report_of(project, "测试局")
    pid = warm._sessions and next(iter(warm._sessions.values())).km.provisioner.process.pid
    assert batch.run_job(job(project, "乙局")).status == "ok"
    assert "只属于乙局" in report_of(project, "乙局")
    assert batch.run_job(job(project, "测试局")).status == "ok"
    assert warm.alive() == 1 and next(iter(warm._sessions.values())).km.provisioner.process.pid == pid
    assert report_of(project, "测试局") == a_before        # no variable, figure or cache of 乙局 leaked in
    assert "只属于乙局" not in a_before


def test_a_dead_warm_kernel_is_replaced_and_the_report_retried(two_departments):
    project = two_departments
    assert batch.run_job(job(project, "测试局")).status == "ok"
    session = next(iter(warm._sessions.values()))
    old = session.km.provisioner.process.pid
    os.kill(old, signal.SIGKILL)
    again = batch.run_job(job(project, "乙局"))
    assert again.status == "ok", again.error
    assert next(iter(warm._sessions.values())).km.provisioner.process.pid != old
    assert len(kernels(project["root"])) == 1
    warm.close_all()
    assert kernels(project["root"]) == []


def test_a_pool_batch_leaves_no_kernel_behind(two_departments):
    project = two_departments
    results = batch.run_batch([job(project, "测试局"), job(project, "乙局")], workers=2)
    assert [r.status for r in results] == ["ok", "ok"], [r.error for r in results]
    assert kernels(project["root"]) == []


def test_a_long_lived_kernel_sees_a_changed_year_before(two_departments, tmp_path):
    """Section 一 compares with the year before: a warm kernel's shared context is keyed on that too."""
    from evalnb.intake.blank import write_workbook
    from evalnb.intake.ingest import ingest

    project = two_departments
    assert batch.run_job(job(project, "测试局")).status == "ok"
    before = report_of(project, "测试局")
    prior = minimal_content()
    prior["基本信息"][1]["内容"] = 2023
    prior["项目支出"][0]["全年执行数（万元）"] = 10
    ingest([write_workbook(tmp_path / "prior.xlsx", prior)], project["db"])
    assert batch.run_job(job(project, "测试局")).status == "ok"
    after = report_of(project, "测试局")
    assert after != before and "上年" in after
