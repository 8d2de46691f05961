"""A batch worker's warm kernel: reused between reports, leaking nothing from one into the next, replaced
when it dies, and shut down when the worker ends."""

import os
import re
import signal
import subprocess

import pytest

from evalnb import batch, warm
from tests.conftest import minimal_content
from tests.test_hardening import make_project

TIME = re.compile(r'<meta name="evalnb:generated"[^>]*>|"generated": "[^"]*"')


def kernels() -> list[str]:
    found = subprocess.run(["pgrep", "-f", "ipykernel_launcher.*evalnb-kernel"], capture_output=True, text=True)
    return found.stdout.split()


@pytest.fixture
def two_departments(tmp_path, monkeypatch):
    a, b = minimal_content(), minimal_content()
    b["基本信息"][0]["内容"] = "乙局"
    b["文字材料"][0]["内容"] = "负责乙类工作，另有一句只属于乙局的话。"
    b["项目支出"][0]["全年执行数（万元）"] = 40
    project = make_project(tmp_path, [a, b])
    monkeypatch.setenv("EVALNB_ROOT", str(project["root"]))
    yield project
    warm.close_all()


def job(project, department):
    return batch.Job(department, 2024, None, project["db"], True, str(project["root"]))


def report_of(project, department) -> str:
    html = (project["root"] / "outputs" / department / "2024" / "report.html").read_text(encoding="utf-8")
    return TIME.sub("", html)


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
    warm.close_all()
    assert kernels() == []


def test_a_pool_batch_leaves_no_kernel_behind(two_departments):
    project = two_departments
    before = kernels()
    results = batch.run_batch([job(project, "测试局"), job(project, "乙局")], workers=2)
    assert [r.status for r in results] == ["ok", "ok"]
    assert kernels() == before == []
