"""Batch rendering: processes, a real dask LocalCluster, params files, failures, PostgreSQL, the summary."""

import json
import uuid

import pytest
import yaml
from bs4 import BeautifulSoup
from sqlalchemy.engine import make_url

from evalnb.batch.params import write_params
from evalnb.batch.run import Job, run_batch
from evalnb.errors import ParamsError
from evalnb.intake.ingest import ingest
from evalnb.paramfiles import read_params
from tests.helpers import SAMPLES, evalnb, trivial_notebooks, workbook_content


@pytest.fixture
def batch_project(make_project):
    """The samples in a project of this test's own: batches write every department-year's report."""
    return make_project(samples=True)


def reports(root):
    return sorted(str(p.relative_to(root / "outputs")) for p in (root / "outputs").glob("*/*/report.html"))


def test_batch_filters_runs_in_parallel_and_prints_the_table(batch_project):
    (batch_project["root"] / "params").mkdir()
    (batch_project["root"] / "params" / "教育局_2024.yaml").write_text(
        "department: 教育局\nyear: 2024\nrules: chongqing\n", encoding="utf-8")    # its params file picks a rulebook
    result = evalnb("batch", "--year", "2024", "--dept", "教育局", "--dept", "交通运输局", "--workers", "2",
                    "--db", batch_project["db"], env=batch_project["env"])
    assert result.returncode == 0, result.stderr
    assert reports(batch_project["root"]) == ["交通运输局/2024/report.html", "教育局/2024/report.html"]
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["部门", "年度", "状态", "得分", "等级", "秒", "报告"]
    row = next(line for line in lines if line.startswith("交通运输局"))
    assert "89.08" in row and "良" in row and "outputs/交通运输局/2024/report.html" in row
    assert "优秀" in next(line for line in lines if line.startswith("教育局"))     # chongqing's label
    assert "成功 2 份，失败 0 份" in result.stdout
    assert "2/2" in result.stderr          # the overall progress bar
    # the params file's rulebook holds for the single commands too: the batch's report is current for `report`
    # (it used to be re-rendered under the workbook's rulebook), and `score` scores as the report did
    again = evalnb("report", "--dept", "教育局", "--year", "2024", "--db", batch_project["db"], env=batch_project["env"])
    assert again.returncode == 0 and "沿用上次生成的报告" in again.stdout, again.stdout + again.stderr
    scored = evalnb("score", "--dept", "教育局", "--year", "2024", "--db", batch_project["db"], env=batch_project["env"])
    assert "（chongqing" in scored.stdout.splitlines()[0], scored.stdout


def test_one_failure_does_not_stop_the_others(batch_project, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("department: 教育局\nyear: 2023\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("department: 教育局\nyear: 2024\nrules: atlantis\n", encoding="utf-8")
    result = evalnb("batch", "--params", str(good), str(bad), "--workers", "2", "--db", batch_project["db"],
                    env=batch_project["env"])
    assert result.returncode == 1
    assert "成功 1 份，失败 1 份" in result.stdout
    assert "失败 教育局 2024" in result.stderr and "atlantis" in result.stderr
    assert reports(batch_project["root"]) == ["教育局/2023/report.html"]
    twice = evalnb("batch", "--params", str(good), str(good), "--db", batch_project["db"], env=batch_project["env"])
    assert twice.returncode == 2 and "教育局 2023" in twice.stderr


def test_failure_names_section_and_cell(batch_project):
    notebook = batch_project["root"] / "notebooks" / "06_evaluation_team.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("s.team_table(ctx)", "s.nope(ctx)"),
                        encoding="utf-8")
    results = run_batch([Job("教育局", 2024, db=batch_project["db"], root=str(batch_project["root"]))], workers=1)
    assert results[0].status == "failed"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    number = next(i for i, c in enumerate(cells, start=1) if "s.nope" in "".join(c["source"]))
    assert "六、评价工作组人员名单及签字" in results[0].error and f"第{number}个单元格" in results[0].error
    assert "AttributeError" in results[0].error


@pytest.mark.system      # a dask LocalCluster
def test_dask_local_cluster_renders_two_reports(batch_project):
    """Two reports on a real dask LocalCluster, each with its Excel files; the workers' steps are printed as a
    local batch prints them (they come back with each job's result: before, a dask batch printed none)."""
    result = evalnb("batch", "--scheduler", "local", "--workers", "2", "--year", "2023", "--dept", "科学技术局",
                    "--dept", "交通运输局", "--db", batch_project["db"], "--xlsx", env=batch_project["env"])
    assert result.returncode == 0, result.stderr
    assert reports(batch_project["root"]) == ["交通运输局/2023/report.html", "科学技术局/2023/report.html"]
    for department in ("科学技术局", "交通运输局"):
        name = f"{department}_2023年度整体支出绩效自评报告"
        assert f"[Excel 自评表] {name}_自评表.xlsx" in result.stderr.splitlines(), result.stderr
        assert (batch_project["root"] / "outputs" / department / "2023" / f"{name}_自评表.xlsx").is_file()


def test_params_written_from_the_store_and_read_back(batch_project, tmp_path):
    import os

    os.environ["EVALNB_ROOT"] = str(batch_project["root"])
    try:
        paths = write_params(batch_project["db"])
    finally:
        del os.environ["EVALNB_ROOT"]
    assert sorted(p.name for p in paths) == sorted(f"{p.stem}.yaml" for p in SAMPLES)
    assert read_params(paths[0])["year"] in (2023, 2024)
    hand = tmp_path / "x.yaml"
    hand.write_text(yaml.safe_dump({"department": "教育局", "year": "二〇二四"}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParamsError, match="键 year 应为整数"):
        read_params(hand)
    hand.write_text("department: 教育局\nyear: 2024\ncolour: red\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="未知的键 colour"):
        read_params(hand)


def test_batch_on_postgresql_keeps_the_password_out_of_every_file(batch_project, pg_url):
    """The server trusts loopback, so any password connects: one is given and must reach no file."""
    secret = "pw-" + uuid.uuid4().hex
    url = make_url(pg_url).set(password=secret).render_as_string(hide_password=False)
    ingest(SAMPLES, url)
    result = evalnb("batch", "--year", "2024", "--dept", "科学技术局", "--db", url, env=batch_project["env"])
    assert result.returncode == 0, result.stderr
    html = (batch_project["root"] / "outputs" / "科学技术局" / "2024" / "report.html").read_text(encoding="utf-8")
    assert "全年项目预算安排20094.63万元" in html and "总得分99.87分" in html
    (batch_project["root"] / "outputs" / "科学技术局" / "2024" / ".evalnb-report.json").unlink()   # render, from the cache
    again = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", url, env=batch_project["env"])
    assert again.returncode == 0 and "7 节中 7 节未变化" in again.stdout      # the cache key holds no password either
    files = [p for p in (batch_project["root"] / "outputs").rglob("*") if p.is_file()]
    assert len(files) > 14          # report, executed sections, cache entries
    assert [p for p in files if secret.encode() in p.read_bytes()] == []
    assert secret not in result.stdout + result.stderr


def test_summary_of_a_year(batch_project):
    result = evalnb("summary", "--year", "2024", "--db", batch_project["db"], env=batch_project["env"])
    assert result.returncode == 0, result.stderr
    html = (batch_project["root"] / "outputs" / "summary" / "2024.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    # issue 23, item 9: ranked within one rulebook, the seed's 正式 data apart from the 示例 departments
    own, samples = soup.find(id="ranking").find_all_next("table")[:2]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in own.find("tbody").find_all("tr")]
    assert [r[:2] for r in rows] == [["1", "科学技术局"]] and rows[0][3:6] == ["98.72%", "99.87", "优"]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in samples.find("tbody").find_all("tr")]
    assert [r[:2] for r in rows] == [["1", "农业农村局"], ["2", "教育局"], ["3", "交通运输局"]]
    assert rows[2][5] == "良" and "示例数据，单独排名" in samples.get_text()
    assert rows[0][3] == "100.38%"          # 上年结转 spent: above 100%, and still first
    assert "共4个部门" in soup.get_text() and soup.select_one(".sample-banner")
    assert not soup.find_all("script") and soup.select("figure.chart img")


def test_each_job_is_reported_as_it_finishes_not_when_the_batch_ends(make_project):
    """A 200-report batch printed nothing for ten minutes: results were collected before being reported.
    With one worker, the first result is reported while later jobs are still to run."""
    project = make_project([workbook_content(f"{n}局") for n in "甲乙丙"])
    trivial_notebooks(project["root"])
    jobs = [Job(f"{n}局", 2024, db=project["db"], root=str(project["root"])) for n in "甲乙丙"]
    seen: list[int] = []

    def on_result(result) -> None:
        seen.append(len(list((project["root"] / "outputs").glob("*/2024/report.html"))))
    results = run_batch(jobs, workers=1, on_result=on_result)
    assert [r.status for r in results] == ["ok"] * 3
    assert seen[0] < 3 and seen[-1] == 3, seen


def test_batch_prints_a_line_for_each_format_a_worker_writes(make_project):
    """`batch --pdf --docx` printed nothing while its workers wrote PDF and Word files (the issue: 15–25 s with no
    word): the workers tell the parent each step, which prints it as `report --pdf` does; -q hides the lines."""
    project = make_project([workbook_content(f"{n}局") for n in "甲乙"])
    trivial_notebooks(project["root"])
    args = ("batch", "--pdf", "--docx", "--xlsx", "--workers", "2", "--db", project["db"])
    result = evalnb(*args, env=project["env"])
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for name in ("甲局_2024年度整体支出绩效自评报告", "乙局_2024年度整体支出绩效自评报告"):
        for step in (f"[PDF] {name}.pdf", f"[Word] {name}.docx", f"[Excel 自评表] {name}_自评表.xlsx",
                     f"[Excel 复核意见] {name}_复核意见.xlsx"):
            assert step in lines, result.stderr
        folder = project["root"] / "outputs" / name[:2] / "2024"
        assert (folder / f"{name}.pdf").read_bytes().startswith(b"%PDF") and (folder / f"{name}.docx").is_file()
    assert "成功 2 份，失败 0 份" in result.stdout
    quiet = evalnb(*args, "--force", "-q", env=project["env"])
    assert quiet.returncode == 0 and "[PDF]" not in quiet.stderr and "[Word]" not in quiet.stderr, quiet.stderr


def test_a_batch_starts_with_its_largest_reports(tmp_path, monkeypatch):
    """The last reports of a batch are the short ones (and so the last PDFs printed after them): the largest
    last rendering first, a department-year never rendered before them all (nothing says it is small), ties in
    the order asked. Before, a batch ran in store order and ended on the 科学技术局's two long reports."""
    from evalnb.batch.run import largest_first
    from evalnb.paths import REPORT_FILE, report_dir

    monkeypatch.setenv("EVALNB_HOME", str(tmp_path))
    sizes = {("交通运输局", 2024): 100, ("科学技术局", 2024): 900, ("教育局", 2024): 100, ("农业农村局", 2024): 500}
    for (department, year), size in sizes.items():
        folder = report_dir(department, year)
        folder.mkdir(parents=True)
        (folder / REPORT_FILE).write_text("x" * size, encoding="utf-8")
    jobs = [Job(d, y) for d, y in [*sizes, ("新部门", 2024)]]
    assert [j.department for j in largest_first(jobs)] == ["新部门", "科学技术局", "农业农村局", "交通运输局", "教育局"]


def test_a_pdf_goes_to_a_live_process_and_fails_its_row_when_none_is_left(tmp_path):
    """A printer whose process died (out of memory, killed) takes no PDF: the PDF goes to a worker with no render
    left; with every process dead, the PDFs' rows fail with the reason instead of the batch ending in a
    traceback (BrokenProcessPool from submit)."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor, wait

    from evalnb.batch.run import PROCESS_DIED, JobResult, _hand_out

    fork = multiprocessing.get_context("fork")
    printer, renders = ProcessPoolExecutor(1, mp_context=fork), ProcessPoolExecutor(1, mp_context=fork)
    try:
        assert printer.submit(os._exit, 1).exception() is not None          # the printer's process died
        job = Job("甲局", 2024, db=f"sqlite:///{tmp_path / 'none.sqlite'}", root=str(tmp_path))
        rendered = JobResult.ok(job, 1.0, "report.html", None, None, 0)
        stage: dict = {}
        unprinted = [(job, rendered)]
        assert list(_hand_out(unprinted, stage, ((printer, 1), (renders, 1)))) == []
        assert unprinted == [] and [pool for *_, pool in stage.values()] == [renders]
        wait(stage)
        assert renders.submit(os._exit, 1).exception() is not None          # now the worker died too
        unprinted = [(job, rendered)]
        failed = list(_hand_out(unprinted, {}, ((printer, 1), (renders, 1))))
        assert [(r.department, r.error) for r in failed] == [("甲局", PROCESS_DIED)] and unprinted == []
    finally:
        for pool in (printer, renders):
            pool.shutdown(wait=True)
