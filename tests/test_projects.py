"""Issue 25: a 项目支出绩效自评表 for every project — the workbook contract (项目情况, 项目评分规则), per-project scoring
on the same engine, published project forms entered as projects of a department workbook, and the forms as files."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from evalnb.errors import WorkbookError
from evalnb.intake.ingest import ingest
from evalnb.intake.read import read_workbook
from evalnb.rules.projects import score_projects
from evalnb.rules.scoring import score
from evalnb.store import data
from tests.helpers import HUOQIU, YONGDE, evalnb, minimal_content, row

HUOQIU_PROJECT = "科技特派员创业行动经费"


def with_project(name: str, amounts: tuple[float, float, float], rows: list[dict], info: dict | None = None,
                 rules: str | None = None, nature: str | None = None) -> dict:
    """The minimal department (its own 50/30/10 indicators) with one more project, listed in 项目情况, whose
    indicators are ``rows``."""
    content = minimal_content()
    initial, budget, executed = amounts
    content["项目支出"].append({"项目名称": name, "项目类别": "业务", "资金来源": "本级财政", "年初预算数（万元）": initial,
                             "全年预算数（万元）": budget, "全年执行数（万元）": executed, "资金性质": nature})
    content["绩效指标"] += [{**r, "项目名称": name} for r in rows]
    content["项目情况"] = [{"项目名称": name, "年度目标": "按计划完成", "年度目标完成情况": "已完成", **(info or {})}]
    if rules:
        content["基本信息"].append({"字段": "项目评分规则", "内容": rules})
    return content


def stored(make_workbook, db_url, content):
    ingest([make_workbook(content)], db_url)
    return data.load("测试局", 2024, db_url)


def test_huoqiu_2022_entered_as_a_project_reproduces_its_published_score_rows(make_workbook, db_url):
    dy = stored(make_workbook, db_url, with_project(HUOQIU_PROJECT, (25, 25, 25), HUOQIU))
    (huoqiu,) = score_projects(dy, only=HUOQIU_PROJECT)
    assert [i.score for i in huoqiu.card.items] == [10, 20, 10, 10, 10, 10, 10, 10]       # as published
    assert (huoqiu.card.execution_score, huoqiu.total, huoqiu.grade, huoqiu.missing) == (10.0, 100.0, "优", ())
    # 10号's form prints 项目名称, 主管部门 (the department, unless 项目情况 names another) and 实施单位 above the funds
    from evalnb.sections import form
    assert form.header(huoqiu.card, huoqiu.dy, huoqiu.book) == [
        ("项目名称", HUOQIU_PROJECT), ("主管部门", "测试局"), ("实施单位", "测试局")]
    assert form.header(score(dy), dy, huoqiu.book) == []        # a 部门整体 table under the same rules prints none
    # the project's rows are on its own form, not in the department's tree: the department scores as before
    before = score(data.load("测试局", 2024, _plain(make_workbook, db_url)))
    ours = score(dy)
    assert [(i.name, i.score) for i in ours.items] == [(i.name, i.score) for i in before.items]
    assert ours.max_points == 100 and ours.budget == before.budget + 25


def _plain(make_workbook, db_url):
    url = db_url.replace("store.sqlite", "plain.sqlite")
    ingest([make_workbook(minimal_content(), "plain.xlsx")], url)
    return url


def test_yongde_2022_as_a_project_is_refused_under_10_hao_naming_the_project(make_workbook):
    """永德县明朗中学 2022 (https://www.yongde.gov.cn/info/3003/116104.htm) weights 产出 40 / 效益 30 / 满意度 20, not
    10号's 50/30/10 (published 总分 96): entered as a project, the workbook is refused, the project named."""
    rows = YONGDE
    with pytest.raises(WorkbookError) as refused:
        read_workbook(make_workbook(with_project("义务教育营养改善计划", (38.766462,) * 3, rows)))
    assert "项目“义务教育营养改善计划”" in str(refused.value) and "要求 50" in str(refused.value)


def test_daying_2023_sichuan_form_as_a_project(make_workbook, db_url):
    """大英县司法局 2023 (https://dyxrmt.cn/article-157795-21.html), 四川 510000_0013zp: 安可替代补助 3.36 / 3.36 → 执行率
    得分 10 as printed; the form puts all 90 on one 产出 row (its 完成值 is not in the stored copy: met here, so the
    100 is the rules'). The form's header and closing rows are 四川's; 资金 by 资金性质 in 四川's four rows."""
    rows = [row("产出指标", "经济成本指标", "成本控制数", "定量", 3.36, 3.36, 90, "万元", "≤")]
    info = {"主管部门": "大英县人民政府", "实施单位": "大英县司法局", "项目负责人": "甲", "财务负责人": "乙"}
    dy = stored(make_workbook, db_url, with_project("安可替代补助", (3.36, 3.36, 3.36), rows, info, "sichuan-project",
                                                    "财政资金"))
    (daying,) = score_projects(dy, only="安可替代补助")
    assert (daying.card.execution_score, daying.total, daying.book.name) == (10.0, 100.0, "sichuan-project")
    from evalnb.sections import form
    view, book, card = daying.dy, daying.book, daying.card
    assert form.header(card, view, book) == [("项目名称", "安可替代补助"), ("主管部门", "大英县人民政府"),
                                             ("实施单位（盖章）", "大英县司法局")]
    assert [r[0] for r in form.funds(card, view, book)] == ["财政资金", "财政专户管理资金", "单位资金", "其他资金"]
    assert form.funds(card, view, book)[0][1:] == (3.36, 3.36, 3.36)
    assert form.signatures(view, book) == [("项目负责人", "甲"), ("财务负责人", "乙")]


def test_the_sichuan_form_limits_goals_to_100_characters_and_names_the_cell(make_workbook):
    rows = [row("产出指标", "数量指标", "甲", "定量", 1, 1, 90, "个", "≥")]
    content = with_project("项目丙", (10, 10, 10), rows, {"年度目标": "字" * 101}, "sichuan-project")
    with pytest.raises(WorkbookError) as refused:
        read_workbook(make_workbook(content))
    assert "工作表“项目情况”，第2行，列“年度目标”" in str(refused.value) and "限100字（现有101字）" in str(refused.value)


def test_a_project_listed_in_project_info_must_be_in_the_budget(make_workbook, content):
    content["项目情况"] = [{"项目名称": "不存在的项目"}]
    with pytest.raises(WorkbookError) as refused:
        read_workbook(make_workbook(content))
    assert "工作表“项目情况”，第2行，列“项目名称”" in str(refused.value)


def test_a_project_without_info_is_a_draft_that_says_what_is_missing(make_workbook, db_url):
    """The seed's case: only the funds are known. 项目乙 (50 → 60, adjusted) scores its 执行率 row and nothing else."""
    dy = stored(make_workbook, db_url, minimal_content())
    scored = {s.name: s for s in score_projects(dy)}
    assert scored["项目乙"].missing == ("info", "indicators") and scored["项目乙"].total is None
    assert scored["项目乙"].card.execution_score == 10
    listed = stored(make_workbook, db_url.replace("store", "s2"), with_project("项目丁", (0, 20, 10), HUOQIU))
    (late,) = score_projects(listed, only="项目丁")
    assert late.missing == ("reason",) and late.total == 95.0     # 年初 0: added in the year; 50% executed → 5 of 10


def test_report_projects_writes_one_escaped_file_per_project_and_the_summary(make_project):
    hostile = "{项目}/../<script>alert(1)</script>" + "长" * 90
    made = make_project([with_project(hostile, (10, 10, 10), HUOQIU)])
    result = evalnb("report", "--dept", "测试局", "--year", "2024", "--projects", "--xlsx", "--pdf", "--docx",
                    "--db", made["db"], env=made["env"])
    assert result.returncode == 0, result.stderr
    folder = made["root"] / "outputs" / "测试局" / "2024" / "项目自评表"
    files = sorted(p.name for p in folder.glob("*.html"))
    assert len(files) == 4 and "测试局_2024年度项目自评汇总表.html" in files     # 项目甲, 项目乙, the hostile one, the summary
    assert "测试局_2024年度项目支出绩效自评表_项目甲.html" in files     # named for people: department, year, form, project
    mine = [p for p in folder.glob("*.html") if "script" in p.name]
    assert len(mine) == 1 and mine[0].parent == folder and len(mine[0].name.encode()) < 255
    assert not list(folder.parent.glob(".staging-*"))                 # nothing left behind
    html = mine[0].read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = BeautifulSoup(html, "html.parser").get_text(" ", strip=True)
    assert "100" in text and hostile in text
    summary = BeautifulSoup((folder / "测试局_2024年度项目自评汇总表.html").read_text(encoding="utf-8"), "html.parser")
    rows = [[c.get_text(strip=True) for c in tr.find_all("td")] for tr in summary.select("table.projects tbody tr")]
    assert [r[0] for r in rows] == ["项目甲", "项目乙", hostile]
    assert rows[2][4:] == ["100", "优"] and rows[1][4:] == ["待补充", "待补充"]
    book = load_workbook(folder / "测试局_2024年度项目支出绩效自评表.xlsx", read_only=True)
    assert len(book.sheetnames) == 3 and all(len(t) <= 31 for t in book.sheetnames)
    # the same forms as PDF and Word, one file each, named like the HTML
    forms = sorted(p.stem for p in folder.glob("*.html") if "项目自评汇总表" not in p.name)
    assert sorted(p.stem for p in folder.glob("*.pdf")) == forms == sorted(p.stem for p in folder.glob("*.docx"))
    from docx import Document
    word = Document(str(mine[0].with_suffix(".docx")))
    cells = " ".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "开展县域结对交流活动" in cells and hostile in " ".join(p.text for p in word.paragraphs)
    again = evalnb("report", "--dept", "测试局", "--year", "2024", "--projects", "--db", made["db"], env=made["env"])
    assert again.returncode == 0 and "3 个项目，用时" in again.stdout and "未变化、沿用" in again.stdout, again.stdout


def test_the_template_offers_the_project_sheet_and_the_project_rulebook_field(tmp_path):
    from evalnb.intake.blank import write_template

    book = load_workbook(write_template(tmp_path / "t.xlsx"))
    assert [c.value for c in book["项目情况"][1]][:5] == ["项目名称", "主管部门", "实施单位", "项目负责人", "财务负责人"]
    help_text = " ".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert "项目情况" in help_text and "项目评分规则" in help_text


def test_project_findings_reach_the_memo(make_workbook, db_url):
    """A listed project adjusted in the year without a 原因, a target easier than last year's actual, a declared
    自评总分 above the rules'; and the unlisted 项目甲/项目乙 without indicators."""
    rows = [dict(r) for r in HUOQIU]
    rows[0] = {**rows[0], "上年完成值": 5}                                  # ≥3次 against 5 done last year
    content = with_project(HUOQIU_PROJECT, (20, 25, 25), rows, {"自评总分": 100})
    content["项目情况"][0]["年度目标"] = "按计划开展科技特派员创业行动"
    content["绩效指标"][6]["实际完成值"] = 4            # the project misses its 成本 row: 4 ÷ 5 × 10 = 8, total 98
    dy = stored(make_workbook, db_url, content)
    from evalnb.review.checks import run_checks

    found = {code: f for f in run_checks(dy) for code in f.codes}       # one finding per row: 项目情况 row 2 holds two
    assert {"project-form-without-indicators", "project-reason-missing", "project-target-below-prior",
            "project-declared-total-mismatch"} <= set(found)
    assert "“项目甲”“项目乙”" in found["project-form-without-indicators"].message
    assert "年初预算数20.00万元调整为25.00万元" in found["project-reason-missing"].message
    assert found["project-reason-missing"].sheet == "项目情况" and found["project-reason-missing"].row == 2
    assert "“开展县域结对交流活动”" in found["project-target-below-prior"].message
    declared = found["project-declared-total-mismatch"]
    assert "申报总分100分，按评分规则计算为98分" in declared.message and declared.severity == "warning"


def test_batch_projects_runs_the_forms_once_per_department_year(make_project):
    made = make_project([with_project(HUOQIU_PROJECT, (25, 25, 25), HUOQIU)])
    result = evalnb("batch", "--projects", "--workers", "1", "--db", made["db"], env=made["env"])
    assert result.returncode == 0, result.stderr
    folder = made["root"] / "outputs" / "测试局" / "2024" / "项目自评表"
    assert sorted(p.name for p in folder.glob("*.html")) == sorted(
        [f"测试局_2024年度项目支出绩效自评表_{name}.html" for name in (HUOQIU_PROJECT, "项目甲", "项目乙")]
        + ["测试局_2024年度项目自评汇总表.html"])
    cache = made["root"] / "outputs" / ".cache" / "测试局" / "2024"
    assert len(list(cache.glob("forms-*.ipynb"))) == 1            # one notebook run for the three forms


def test_qingshen_2023_sichuan_form_as_a_project_is_refused_where_the_page_prints_no_actuals(make_workbook):
    """青神县发展和改革局 2023, 工资性支出 (https://www.scqs.gov.cn/info/13206/211004.htm), 四川 510000_0013zp: 年初 238.93,
    调整后 251.89, 执行 251.89 → 执行率 100%, the 执行率 row's 10 (the rules give it: 251.89 ÷ 251.89); 权重 产出 60 /
    效益 30 (满意度 不适用 → its 10 to 产出, as the rulebook lets it). The page prints every 完成值 and 得分 empty: entered
    as a project of a department workbook, the rows are refused with the empty cells named, nothing is scored as 0."""
    unfilled = [row("产出指标", "数量指标", "发放(缴纳)覆盖率", "定量", 100, None, 60, "%", "="),
                row("效益指标", "社会效益指标", "足额保障率(参保率)", "定量", 100, None, 30, "%", "=")]
    content = with_project("工资性支出", (238.93, 251.89, 251.89), unfilled, rules="sichuan-project")
    with pytest.raises(WorkbookError) as refused:
        read_workbook(make_workbook(content))
    message = str(refused.value)
    assert "工作表“绩效指标”，第5行，列“实际完成值”" in message and "第6行，列“实际完成值”" in message
    filled = [{**r, "实际完成值": 100} for r in unfilled]          # the test's own actuals (met): not published
    sub = read_workbook(make_workbook(with_project("工资性支出", (238.93, 251.89, 251.89), filled, rules="sichuan-project"),
                                      "filled.xlsx"))
    assert [i["project"] for i in sub.indicators][-2:] == ["工资性支出", "工资性支出"]


@pytest.mark.parametrize("weights", [(90,), (60, 30), (22.5, 22.5, 22.5, 22.5)])
def test_the_published_sichuan_weight_splits_fit_a_project_form(make_workbook, db_url, weights):
    """四川's forms let the unit set the 90: all on one 产出 row (大英县司法局 2023), 60/30 (青神县发展和改革局 2023), four rows
    of 22.5 = 产出 67.5 / 效益 22.5 (https://dyrmt.com/article-132779-22.html). Met targets (the test's own) score 100."""
    level1 = ["产出指标"] * (len(weights) - 1) + ["效益指标"] if len(weights) > 1 else ["产出指标"]
    rows = [row(l1, "数量指标" if l1 == "产出指标" else "社会效益指标", f"指标{i}", "定量", 100, 100, w, "%", "=")
            for i, (l1, w) in enumerate(zip(level1, weights, strict=True))]
    dy = stored(make_workbook, db_url, with_project("项目丙", (10, 10, 10), rows, rules="sichuan-project"))
    (scored,) = score_projects(dy, only="项目丙")
    assert scored.total == 100 and sum(s["weight"] for s in scored.card.subtotals.values()) == 90


def test_one_project_by_name_and_a_mistyped_one(make_workbook, db_url):
    """The notebook's parameter ``project``: one form by its name; a name not in 项目支出 is a Chinese error that
    names what is there."""
    from evalnb.errors import NotFoundError

    dy = stored(make_workbook, db_url, with_project(HUOQIU_PROJECT, (25, 25, 25), HUOQIU))
    assert [s.name for s in score_projects(dy, only="项目乙")] == ["项目乙"]
    with pytest.raises(NotFoundError, match="项目支出表中没有项目“科技特派员创业行动”；是不是要找：科技特派员创业行动经费"):
        score_projects(dy, only="科技特派员创业行动")


def test_the_excel_form_carries_the_regions_header_closing_and_signature_rows(make_workbook, db_url, tmp_path):
    """Issue 23 left open: the Excel 自评表 lacked the form's header and closing rows; built once, for the department's
    form and each project's sheet. 四川's: 项目名称 / 主管部门 / 实施单位（盖章） above, 评价结论 / 存在问题 / 改进措施 and
    项目负责人 / 财务负责人 below, names as the 项目情况 gives them."""
    from evalnb.deliver.xlsx import write_forms_xlsx
    from evalnb.review.context import ReportContext

    rows = [row("产出指标", "经济成本指标", "成本控制数", "定量", 3.36, 3.36, 90, "万元", "≤")]
    info = {"主管部门": "大英县人民政府", "实施单位": "大英县司法局", "项目负责人": "甲", "财务负责人": "乙",
            "存在问题": "无", "改进措施": "继续加强管理"}
    dy = stored(make_workbook, db_url, with_project("安可替代补助", (3.36, 3.36, 3.36), rows, info, "sichuan-project"))
    (scored,) = score_projects(dy, only="安可替代补助")
    path = write_forms_xlsx([(scored.name, ReportContext(scored.dy, scored.book, scored.card, []))],
                            tmp_path / "forms.xlsx")
    sheet = load_workbook(path)["安可替代补助"]
    values = [[c for c in r if c is not None] for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["项目名称", "主管部门", "实施单位（盖章）"]
    assert values[1] == ["安可替代补助", "大英县人民政府", "大英县司法局"]
    closing = values.index(["评价结论", "存在问题", "改进措施"])
    assert values[closing + 1] == ["自评总分100分，评价等级为“优”。", "无", "继续加强管理"]
    assert values[closing + 3:closing + 5] == [["项目负责人", "财务负责人"], ["甲", "乙"]]
    total = next(r for r in values if r and r[0] == "总分")
    assert total[-2:] == [100, 100]
