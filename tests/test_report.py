"""The real pipeline: papermill runs the section notebooks on the sample data, nbconvert stitches them.

The seed report is rendered once per test session (conftest.seed_report) and shared.
"""

import json
import re

import nbformat
import pytest
from bs4 import BeautifulSoup

from evalnb.sections.outline import SECTIONS
from tests.helpers import ROOT, evalnb, file_digest


def test_progress_and_path_are_shown(seed_report):
    for i, section in enumerate(SECTIONS, start=1):
        assert f"[{i}/{len(SECTIONS)}] {section.title}" in seed_report["stderr"]
    assert "outputs/科学技术局/2024/report.html" in seed_report["stdout"]


def test_six_sections_and_appendix_in_order(seed_report):
    soup = BeautifulSoup(seed_report["html"], "html.parser")
    headings = [h.get_text() for h in soup.find_all("h2")]
    assert headings == [s.title for s in SECTIONS]
    toc = [a["href"] for a in soup.select("nav.toc a")]
    assert toc == [f"#{s.anchor}" for s in SECTIONS]
    assert all(soup.find(id=s.anchor) for s in SECTIONS)
    subs = [h.get_text() for h in soup.find_all("h3")]
    assert subs[:3] == ["（一）部门概况", "（二）部门收支预决算情况", "（三）部门整体支出绩效目标、指标"]


@pytest.mark.parametrize("fact", [
    "科学技术局", "2024年度整体支出绩效自评报告", "共安排项目32个", "全年项目预算安排20094.63万元",
    "全年支出19837.72万元", "预算执行率为98.72%", "资金主要来源于区本级财政和上级转移支付",
    "认定高新技术企业336家", "认定科技型中小企业1881家", "占全市14%", "898家", "占全市21.6%",
    "2786.974万元", "443家", "排名第17位，年度目标前20位", "318家", "21家", "占全市100%", "88项", "4351万元", "66.71亿元",
    "占全市24.58%", "62项", "16项", "累计上市企业11家", "占全省11%", "新上市企业1家",
    "61场", "5.88亿元", "202场", "注销典当行1家",
    "总得分99.87分，评价等级为“优”", "无问题存在",
    "张伟局长为组长", "王芳、刘洋、陈静副局长为副组长", "石高科[2019]49号",
    # issue 27, item 14: the seed's figures as the seed writes them, and its sentences whole
    "占全市27%", "获得授信超10亿元", "为全区2700余家科技型企业", "累计服务企业9000余家",
    "全市占比33%、全省占比11%，居全省区县第一",
    "对科学技术局2024年整体支出情况实施了财政支出绩效自评价", "各处室负责人为成员的科技局绩效评价工作领导小组",
    "2024年认定高新技术企业336家，占全市27%；认定科技型中小企业1881家（占全市14%）；其中，国家级898家（占全市21.6%）；",
    "市级以上各类创新平台达到318家，其中国家级21家（含全国重点实验室5家，占全市的100%）。",
    "注销融资担保公司、典当行各1家，吊销融资担保公司1家，做到地方金融组织的提质减量。",
])
def test_seed_facts_are_in_the_report(seed_text, fact):
    assert fact in seed_text


@pytest.mark.parametrize("more_precise", ["10.2亿元", "2700家", "9000家", "33.33%", "27.01%", "上年312家", "同比"])
def test_the_seed_report_is_not_more_precise_than_the_seed(seed_text, more_precise):
    """What the seed does not say (issue 27, item 14): 授信 is “超10亿元”, firms “2700余家”, shares as stated; the
    seed states no 上年 figure (and its stored 2023 is 示例 data, never compared with in a 正式 report)."""
    assert more_precise not in seed_text


def test_report_is_self_contained_and_hides_code(seed_report):
    html = seed_report["html"]
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script")
    for tag in soup.find_all(["link", "img", "iframe", "source", "video", "audio"]):
        for attr in ("href", "src"):
            value = tag.get(attr, "")
            assert not value or value.startswith(("data:", "#")), value
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert len(soup.select("figure.chart img")) == 3        # 图1–图3: no 同比 chart beside 示例 data
    assert "load_context" not in html and "input_area" not in html and "In&nbsp;[" not in html
    assert "department = " not in html
    assert seed_report["path"].stat().st_size < 3 * 1024 * 1024


def test_title_block_and_no_sample_label_for_real_data(seed_report):
    soup = BeautifulSoup(seed_report["html"], "html.parser")
    assert soup.select_one(".title-block h1").get_text() == "科学技术局2024年度整体支出绩效自评报告"
    assert soup.select_one(".title-block .meta") is None
    assert soup.select_one(".sample-banner") is None


def visible_text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


def test_the_filed_report_speaks_in_the_departments_voice(seed_report, project):
    """Issue: one total, no finding codes, no hashes, no tool name, the preamble, each indicator at most twice
    in what evalnb writes (the department's own paragraphs may name it again)."""
    text = visible_text(seed_report["html"])
    assert re.findall(r"总得分([\d.]+)分", text) == ["99.87"] and "自评总分" not in text and "100分" not in text
    assert not re.findall(r"\b[a-z]+-[a-z]+(?:-[a-z]+)*\b", text)
    book_sha = json.loads((seed_report["path"].parent / "provenance.json").read_text(encoding="utf-8"))
    assert book_sha["workbook_sha256"][:12] not in text and "evalnb" not in text.lower()
    assert "科学技术局_2024.xlsx" not in text and "national-2020" not in text and "以计算结果为准" not in text
    assert text.count("贯彻落实市委市政府《关于全面落实预算绩效管理的实施意见》") == 1
    from evalnb.store.data import load

    dy = load("科学技术局", 2024, project["db"])
    names = list(dy.indicators["name"])
    quoted = [t for t in (*dy.indicators["target_text"], *dy.indicators["actual_text"]) if isinstance(t, str)]
    quoted += [t for texts in dy.texts.values() for t in texts]       # the department's own paragraphs
    bare = text
    for words in sorted(quoted, key=len, reverse=True):     # a 定性 target may repeat the indicator's name
        bare = bare.replace(words, "")
    for name in names:       # "累计上市企业数量" is also the start of "累计上市企业数量全省区县排名"
        mentions = bare.count(name) - sum(bare.count(other) for other in names if name in other and other != name)
        assert 1 <= mentions <= 2, (name, mentions)
    soup = BeautifulSoup(seed_report["html"], "html.parser")
    assert soup.select_one('meta[name="evalnb:workbook_sha256"]')["content"] == book_sha["workbook_sha256"]
    assert soup.select_one(".closing").get_text(" ", strip=True).startswith("科学技术局")


def test_attachment_line_and_the_date_of_the_data(seed_report, project, tmp_path, content):
    soup = BeautifulSoup(seed_report["html"], "html.parser")
    assert soup.select_one(".title-block .attachment").get_text() == "附件4"       # as the seed opens
    from evalnb.intake.blank import write_workbook
    from evalnb.intake.ingest import ingest

    content["基本信息"][0]["内容"] = "日期局"
    content["基本信息"].append({"字段": "报告日期", "内容": "2025年3月10日"})
    ingest([write_workbook(tmp_path / "d.xlsx", content)], project["db"])
    result = evalnb("report", "--dept", "日期局", "--year", "2024", "--db", project["db"], env=project["env"])
    assert result.returncode == 0, result.stderr
    html = (project["root"] / "outputs" / "日期局" / "2024" / "report.html").read_text(encoding="utf-8")
    closing = BeautifulSoup(html, "html.parser").select_one(".closing").get_text(" ", strip=True)
    assert closing == "日期局 2025年3月10日"
    assert BeautifulSoup(html, "html.parser").select_one(".attachment") is None


def test_the_closing_follows_the_body_and_precedes_the_attachments(seed_report):
    """公文 order (issue 27, item 9): body → 落款 (department, date) → 附件 from a new page in print. The seed
    states no date and its data was not ingested in 2025, so the date is left for the seal: 2025年　　月　　日."""
    html = seed_report["html"]
    closing, team, appendix = html.index('class="closing"'), html.index('id="s6"'), html.index('id="appendix"')
    assert team < closing < appendix and html.count('class="closing"') == 1
    assert html.index('<div class="attachments-start">') < appendix and ".attachments-start { break-before: page; }" in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".closing").get_text(" ", strip=True) == "科学技术局 2025年　　月　　日"
    memo = visible_text((seed_report["path"].parent / "复核意见.html").read_text(encoding="utf-8"))
    assert "报告日期：工作簿未填写，落款日期留作“2025年　　月　　日”，盖章报送时填写" in memo


def test_the_closing_date_defaults_to_the_ingest_day_in_the_year_after(tmp_path, content):
    """No 报告日期: the day of ingest when it lies in the year after the one reported (when reports are filed);
    the memo says the date was defaulted. The store's loaded_at is set as an ingest on 2025-03-10 would."""
    from datetime import datetime

    from sqlalchemy import create_engine, text

    from evalnb.intake.blank import write_workbook
    from evalnb.intake.ingest import ingest
    from evalnb.report.stitch import memo_dates, report_date
    from evalnb.store import data

    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([write_workbook(tmp_path / "d.xlsx", content)], db)
    with create_engine(db).begin() as conn:
        conn.execute(text("UPDATE dept_years SET loaded_at = :t"), {"t": datetime(2025, 3, 10, 9, 0)})
    dy = data.load("测试局", 2024, db)
    assert report_date(dy) == "2025年3月10日"
    assert memo_dates(dy)[1].startswith("报告日期：工作簿未填写，落款日期按数据导入日期写为2025年3月10日")


def test_the_grading_sentence_cites_the_document_and_every_band(seed_text):
    """Issue 27, item 8: 《项目支出绩效评价管理办法》（财预〔2020〕10号）, not the rulebook's label; all four bands."""
    assert ("评分依据《项目支出绩效评价管理办法》（财预〔2020〕10号）：" in seed_text
            and "总分90分（含）以上为“优”，80分（含）至90分为“良”，60分（含）至80分为“中”，60分以下为“差”。" in seed_text)
    assert "评分依据财预〔2020〕10号项目支出绩效自评" not in seed_text
    assert "根据《项目支出绩效评价管理办法》（财预〔2020〕10号），预算执行率98.72%" in seed_text


def test_overall_achievement_does_not_restate_a_count(seed_text):
    """Issue 27, item 6: "34个中34个达到…，全部完成" said one way only."""
    assert "全年34个绩效指标均达到或超过年度指标值。" in seed_text and "34个达到或超过" not in seed_text


def test_the_seed_as_written_is_a_draft_and_the_memo_says_why(seed_report):
    soup = BeautifulSoup(seed_report["html"], "html.parser")
    assert "草稿" in soup.select_one(".draft-banner").get_text() and soup.html.get("class") == ["draft"]
    assert "状态：草稿（2 项须处理后方能定稿" in seed_report["stdout"]
    memo = visible_text((seed_report["path"].parent / "复核意见.html").read_text(encoding="utf-8"))
    assert "报告为草稿，有以下2项须处理后方能定稿报送" in memo
    assert "自评总分为100分，按评分规则计算为99.87分" in memo and "“无问题存在”" in memo
    assert "复核得分：99.87分，等级“优”（部门自评100分，“优秀”）" in memo and "复核意见：退回修改" in memo
    assert "9.87 = 19837.72 ÷ 20094.63 × 10" in memo and "编号 perfect-score-no-problems" in memo


def test_final_refuses_a_draft_and_writes_a_corrected_copy(project, tmp_path):
    from openpyxl import load_workbook

    from evalnb.intake.ingest import ingest
    from tests.helpers import SEED_SAMPLE

    refused = evalnb("report", "--final", "--dept", "科学技术局", "--year", "2024", "--db", project["db"],
                     env=project["env"])
    assert refused.returncode == 1 and "报告仍为草稿，未写出" in refused.stderr and "无问题存在" in refused.stderr
    book = load_workbook(SEED_SAMPLE)
    for row in book["基本信息"].iter_rows(min_row=2):
        if row[0].value == "自评总分":
            row[1].value = 99.87
    texts = book["文字材料"]
    for row in texts.iter_rows(min_row=2):
        if row[0].value == "存在问题":
            row[1].value = "部分项目年中调整预算未逐项说明原因，18个预算行执行率未达100%。"
    corrected = tmp_path / "科学技术局_2024.xlsx"
    book.save(corrected)
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    ingest([corrected], db)
    out = tmp_path / "out"              # not the shared outputs: other tests read the seed report there
    final = evalnb("report", "--final", "--dept", "科学技术局", "--year", "2024", "--db", db, "--out", str(out),
                   env=project["env"])
    assert final.returncode == 0, final.stderr
    assert "状态：可定稿报送" in final.stdout
    html = (out / "科学技术局" / "2024" / "report.html").read_text(encoding="utf-8")
    assert 'class="draft-banner"' not in html and "18个预算行执行率未达100%" in visible_text(html)


def test_review_command_writes_only_the_memo(make_project):
    """In a project of its own (other tests of the shared project render 教育局's report, e.g. `batch --pdf`)."""
    project = make_project(samples=True)
    result = evalnb("review", "--dept", "教育局", "--year", "2024", "--db", project["db"], env=project["env"])
    assert result.returncode == 0, result.stderr
    folder = project["root"] / "outputs" / "教育局" / "2024"
    assert (folder / "复核意见.html").is_file() and not (folder / "report.html").exists()
    assert not list(folder.glob(".staging-*")) and not (folder / "review").exists()


def test_print_and_phone_css(seed_report):
    html = seed_report["html"]
    assert "@page { size: A4" in html and "@media (max-width: 640px)" in html
    assert 'name="viewport"' in html


def test_executed_sections_are_kept_with_readable_parameters(seed_report):
    folder = seed_report["path"].parent / "sections"
    assert sorted(p.name for p in folder.glob("*.ipynb")) == [s.notebook for s in SECTIONS]
    raw = (folder / SECTIONS[0].notebook).read_text(encoding="utf-8")
    nb = nbformat.reads(raw, as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'department = "科学技术局"' in injected.source
    assert "\\u79d1" not in raw          # not escaped as \uXXXX in the file either
    stderr = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("name") == "stderr"]
    assert not any("missing from" in t for t in stderr), stderr


def test_sample_department_is_labelled(project):
    result = evalnb("report", "--dept", "交通运输局", "--year", "2024", "--db", project["db"], env=project["env"])
    assert result.returncode == 0, result.stderr
    html = (project["root"] / "outputs" / "交通运输局" / "2024" / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert "示例数据" in soup.select_one(".sample-banner").get_text()
    text = soup.get_text(" ", strip=True)
    assert "预算执行率为87.34%" in text and "low-execution-unexplained" not in text and "nan" not in text.split()
    memo = visible_text((project["root"] / "outputs" / "交通运输局" / "2024" / "复核意见.html").read_text(encoding="utf-8"))
    assert "编号 low-execution-unexplained" in memo and "部门预算执行率为87.34%" in memo


def test_failing_section_names_it_and_keeps_the_previous_report(project, seed_report):
    before = file_digest(seed_report["path"])
    broken = project["root"] / "notebooks" / "05_problems_and_measures.ipynb"
    original = broken.read_text(encoding="utf-8")
    nb = nbformat.reads(original, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, broken)
    try:
        result = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], env=project["env"])
    finally:
        broken.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "五、存在的问题及改进措施" in result.stderr and "05_problems_and_measures.ipynb" in result.stderr
    assert f"第{len(nb.cells)}个单元格" in result.stderr and "ZeroDivisionError" in result.stderr
    assert file_digest(seed_report["path"]) == before
    out = seed_report["path"].parent
    assert len(list((out / "sections").glob("*.ipynb"))) == len(SECTIONS)
    assert (out / "failed" / "05_problems_and_measures.ipynb").exists()
    assert not list(out.glob(".staging-*"))


def test_unknown_department_fails_before_running_anything(project):
    result = evalnb("report", "--dept", "不存在局", "--year", "2024", "--db", project["db"], env=project["env"])
    assert result.returncode == 3 and "科学技术局 2024" in result.stderr


def test_notebooks_are_committed_clean():
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path.name
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, path.name
        assert nb["metadata"]["kernelspec"]["name"] == "evalnb"
    assert sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")) == [s.notebook for s in SECTIONS]


def test_notebook_cells_stay_thin():
    """Cells call evalnb and display: no function or class definitions, no loops, short cells."""
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            lines = [line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")]
            assert len(lines) <= 6, (path.name, cell.source)
            assert not re.search(r"^\s*(def|class|for|while|if)\b", cell.source, re.M), (path.name, cell.source)


ALL_NOTEBOOKS = sorted(str(p.relative_to(ROOT / "notebooks")) for p in (ROOT / "notebooks").rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_run_all_with_defaults_like_jupyterlab(project, name, monkeypatch):
    """No parameters injected, one fresh kernel per notebook, cwd = the notebook's folder: what "Run All"
    does in JupyterLab after `make report`. The defaults render the sample 科学技术局 2024."""
    from nbclient import NotebookClient

    from evalnb.report.render import ensure_kernel

    path = ROOT / "notebooks" / name
    nb = nbformat.read(path, as_version=4)
    monkeypatch.setenv("EVALNB_ROOT", str(project["root"]))
    NotebookClient(nb, kernel_name=ensure_kernel(), resources={"metadata": {"path": str(path.parent)}}).execute()
    html = "".join(o["data"].get("text/html", "") for c in nb.cells for o in c.get("outputs", []) if "data" in o)
    assert "<h2" in html
    if name == "04_conclusion_and_grade.ipynb":
        assert "总得分99.87分" in html
    if name.startswith("summary"):
        assert "科学技术局" in html and "99.87" in html
