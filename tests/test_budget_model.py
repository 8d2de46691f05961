"""The department's whole budget (workbook contract v2): 基本支出 beside projects, 资金性质, 收支总表, 部门情况,
the 共性 measures computed from them, the checks that hold them together, and what the report says."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from evalnb import sections
from evalnb.errors import WorkbookError
from evalnb.intake.ingest import ingest
from evalnb.intake.read import read_workbook
from evalnb.review import checks
from evalnb.review.context import load_context
from evalnb.store import data
from tests.helpers import ROOT, evalnb

NYJ = [ROOT / "data" / "sample" / f"农业农村局_{year}.xlsx" for year in (2023, 2024)]


def sheet_rows(path: Path, sheet: str) -> list[dict]:
    """A sheet of a sample workbook as the department typed it (openpyxl, not evalnb's reader)."""
    ws = load_workbook(path, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def dec(value: object) -> Decimal:
    return Decimal(str(value))


def pct2(ratio: Decimal) -> str:
    return str((ratio * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)).rstrip("0").rstrip(".")


@pytest.fixture(scope="module")
def nyj(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('nyj') / 's.sqlite'}"
    ingest(NYJ, url)
    return url


def test_basic_spending_lines_are_not_projects_and_carry_over_explains_spending_above_budget(nyj):
    lines = sheet_rows(NYJ[1], "项目支出")
    projects = {r["项目名称"] for r in lines if r["支出类型"] == "项目支出"}
    assert len(projects) < len({r["项目名称"] for r in lines})          # 人员经费, 公用经费 are lines too
    budget = sum(dec(r["全年预算数（万元）"]) for r in lines)
    executed = sum(dec(r["全年执行数（万元）"]) for r in lines)
    assert executed > budget                                              # a 决算 spends 上年结转
    ctx = load_context("农业农村局", 2024, nyj)
    assert ctx.dy.project_count == len(projects)
    assert not [f for f in ctx.findings if f.code == "budget-exceeded"]
    text = BeautifulSoup(sections.overview(ctx) + sections.finances(ctx), "html.parser").get_text()
    assert f"共安排项目{len(projects)}个" in text
    assert f"全年执行数超出全年预算数{executed - budget:.2f}万元，系使用上年结转资金" in text
    assert "全年项目预算安排" not in text                                  # the lines are not all projects


def test_the_report_states_income_and_spending_with_absolute_and_percent_change(nyj):
    accounts = {r["科目"]: r for r in sheet_rows(NYJ[1], "收支总表")}
    income_items = [i for i in ("财政拨款收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入") if i in accounts]
    income = sum(dec(accounts[i]["决算数（万元）"]) for i in income_items)
    prior = sum(dec(accounts[i]["上年决算数（万元）"]) for i in income_items)
    ctx = load_context("农业农村局", 2024, nyj)
    text = BeautifulSoup(sections.finances(ctx), "html.parser").get_text()
    assert (f"本年收入合计{income:.2f}万元，比上年增加{income - prior:.2f}万元，"
            f"增长{pct2((income - prior) / prior)}%") in text
    grant = accounts["财政拨款收入"]
    change = dec(grant["决算数（万元）"]) - dec(grant["上年决算数（万元）"])
    assert f"财政拨款收入{dec(grant['决算数（万元）']):.2f}万元（比上年增加{change:.2f}万元" in text
    spending = [dec(accounts[i]["决算数（万元）"]) for i in ("人员经费", "公用经费", "项目支出")]
    assert f"本年支出合计{sum(spending):.2f}万元" in text
    assert f"基本支出{spending[0] + spending[1]:.2f}万元（人员经费{spending[0]:.2f}万元、公用经费{spending[1]:.2f}万元）" in text
    assert f"年末结转结余{dec(accounts['年末结转结余']['决算数（万元）']):.2f}万元" in text
    overview = BeautifulSoup(sections.overview(ctx), "html.parser").get_text()
    facts = {r["项目"]: r for r in sheet_rows(NYJ[1], "部门情况")}
    assert f"编制人数{facts['编制人数']['实际数']}人" in overview
    assert f"年末实有在职人员{facts['在职人数']['实际数']}人" in overview


def test_common_measures_follow_their_formulas(nyj):
    """domain-rules §4: 结转结余率 = 结转结余 ÷ 全年预算; "三公经费"控制率 = 实际 ÷ 预算; 在职人员控制率 = 在职 ÷ 编制."""
    accounts = {r["科目"]: r for r in sheet_rows(NYJ[1], "收支总表")}
    facts = {r["项目"]: r for r in sheet_rows(NYJ[1], "部门情况")}
    measures = data.load("农业农村局", 2024, nyj).measures
    planned = sum(dec(accounts[i]["全年预算数（万元）"]) for i in ("人员经费", "公用经费", "项目支出"))
    assert measures["结转结余率"].value == dec(accounts["年末结转结余"]["决算数（万元）"]) / planned * 100
    three = ("因公出国（境）费", "公务接待费", "公务用车购置及运行费")
    assert measures["“三公经费”控制率"].value == (sum(dec(facts[i]["实际数"]) for i in three)
                                                  / sum(dec(facts[i]["预算数"]) for i in three) * 100)
    assert measures["在职人员控制率"].value == dec(facts["在职人数"]["实际数"]) / dec(facts["编制人数"]["实际数"]) * 100
    assert measures["政府采购执行率"].value == dec(facts["政府采购"]["实际数"]) / dec(facts["政府采购"]["预算数"]) * 100
    assert "÷" in measures["结转结余率"].formula and all(m.computed for m in measures.values())


def with_accounts(content: dict, closing: float) -> dict:
    """minimal_content's lines (budget 160, spent 155) with a 收支总表 that agrees with them."""
    content["收支总表"] = [{"科目": "财政拨款收入", "决算数（万元）": 155 + closing},
                         {"科目": "项目支出", "全年预算数（万元）": 160, "决算数（万元）": 155},
                         {"科目": "年末结转结余", "决算数（万元）": closing}]
    return content


def test_a_typed_carry_over_rate_that_the_data_contradicts_is_an_error_naming_both(make_workbook, content, db_url):
    content["项目支出"] = content["项目支出"][:1]
    content["项目支出"][0]["全年执行数（万元）"] = 76           # budget 100, spent 76: 24% unspent
    content["收支总表"] = [{"科目": "财政拨款收入", "决算数（万元）": 100},
                         {"科目": "项目支出", "全年预算数（万元）": 100, "决算数（万元）": 76},
                         {"科目": "年末结转结余", "决算数（万元）": 24}]
    content["绩效指标"][0]["分值"] = 40
    content["绩效指标"].insert(1, {"一级指标": "产出指标", "二级指标": "成本指标", "三级指标": "结转结余率",
                                "指标性质": "定量", "指标方向": "≤", "年度指标值": "5%", "实际完成值": "0%",
                                "计量单位": "%", "分值": 10})
    ingest([make_workbook(content)], db_url)
    found = [f for f in checks.run_checks(data.load("测试局", 2024, db_url)) if f.code == "common-indicator-mismatch"]
    assert len(found) == 1 and found[0].severity == checks.ERROR and found[0].row == 3
    assert "填报为0%" in found[0].message and "计算为24%" in found[0].message
    assert "年末结转结余24.00万元" in found[0].message and "全年预算数100.00万元" in found[0].message
    result = evalnb("ingest", str(make_workbook(content)), "--db", db_url)      # ingest says so too
    assert result.returncode == 0 and "复核：错误 绩效指标 · 第3行 · 结转结余率" in result.stdout, result.stdout


def test_a_typed_rate_that_agrees_within_its_rounding_passes(make_workbook, content, db_url):
    content = with_accounts(content, 7)                             # 7 ÷ 160 = 4.375%
    content["绩效指标"][0]["分值"] = 40
    content["绩效指标"].append({"一级指标": "产出指标", "二级指标": "成本指标", "三级指标": "结转结余率",
                             "指标性质": "定量", "指标方向": "≤", "年度指标值": 5, "实际完成值": 4.38,
                             "计量单位": "%", "分值": 10})
    ingest([make_workbook(content)], db_url)
    codes = [f.code for f in checks.run_checks(data.load("测试局", 2024, db_url))]
    assert "common-indicator-mismatch" not in codes


def test_without_the_sheet_a_common_indicator_cannot_be_checked_and_says_why(make_workbook, content, db_url):
    content["绩效指标"][0]["分值"] = 40
    content["绩效指标"].append({"一级指标": "产出指标", "二级指标": "成本指标", "三级指标": "“三公经费”控制率",
                             "指标性质": "定量", "指标方向": "≤", "年度指标值": 100, "实际完成值": 90,
                             "计量单位": "%", "分值": 10})
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    assert dy.measures["结转结余率"].missing == "未提供收支总表，无法计算结转结余率"
    found = [f for f in checks.run_checks(dy) if f.code == "common-indicator-unverifiable"]
    assert len(found) == 1 and "部门情况" in found[0].message and found[0].severity == checks.INFO


def test_spending_above_income_and_lines_that_disagree_with_the_totals_are_errors(make_workbook, content, db_url):
    content["收支总表"] = [{"科目": "上年结转", "决算数（万元）": 5},
                         {"科目": "财政拨款收入", "决算数（万元）": 100},
                         {"科目": "项目支出", "决算数（万元）": 150}]          # the lines spent 155
    ingest([make_workbook(content)], db_url)
    found = {f.code: f for f in checks.run_checks(data.load("测试局", 2024, db_url))}
    assert "本年支出150.00万元，超过本年收入100.00万元与上年结转5.00万元之和" in found["spending-above-income"].message
    mismatch = found["accounts-lines-mismatch"]
    assert "150.00万元" in mismatch.message and "155.00万元" in mismatch.message and mismatch.row == 4


def test_spending_above_budget_without_carry_over_is_still_an_error(make_workbook, content, db_url):
    content["项目支出"][1]["全年执行数（万元）"] = 65
    ingest([make_workbook(content)], db_url)
    codes = [f.code for f in checks.run_checks(data.load("测试局", 2024, db_url))]
    assert "budget-exceeded" in codes


def test_new_sheets_are_validated_like_the_others(make_workbook, content):
    content["收支总表"] = [{"科目": "财政拔款收入", "决算数（万元）": 10},             # a typo in the 科目
                         {"科目": "项目支出", "全年预算数（万元）": 160},              # 决算数 missing
                         {"科目": "项目支出", "决算数（万元）": "十万"}]
    content["部门情况"] = [{"项目": "因公出国(境)费", "预算数": 0, "实际数": 0}]      # half-width brackets: fine
    content["项目支出"][0]["支出类型"] = "基本支出"
    content["绩效指标"][0]["项目名称"] = "不存在的项目"
    with pytest.raises(WorkbookError) as caught:
        read_workbook(make_workbook(content))
    where = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert {("收支总表", 2, "科目"), ("收支总表", 3, "决算数（万元）"), ("收支总表", 4, "决算数（万元）"),
            ("项目支出", 2, "支出类型"), ("绩效指标", 2, "项目名称")} <= where
    assert not any(p.sheet == "部门情况" for p in caught.value.problems)


def test_partial_sheets_and_project_indicators_raise_no_false_errors(make_workbook, content, db_url):
    """Review cases: a 收支总表 without income rows says nothing about income; a project's own 预算执行率 is not
    the department's; 结转结余率 needs the whole budget (not only the project lines)."""
    content["收支总表"] = [{"科目": "项目支出", "决算数（万元）": 155}, {"科目": "年末结转结余", "决算数（万元）": 5}]
    content["绩效指标"][0]["分值"] = 40
    content["绩效指标"].append({"一级指标": "产出指标", "二级指标": "质量指标", "三级指标": "预算执行率", "指标性质": "定量",
                             "指标方向": "≥", "年度指标值": 90, "实际完成值": 95, "计量单位": "%", "分值": 10,
                             "项目名称": "项目甲"})
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    codes = {f.code for f in checks.run_checks(dy)}
    assert not codes & {"spending-above-income", "accounts-unbalanced", "common-indicator-mismatch"}, codes
    assert not dy.measures["结转结余率"].computed and "全年预算数" in dy.measures["结转结余率"].missing


def test_a_carry_over_line_without_a_budget_and_a_zero_procurement_budget_render(make_workbook, content, db_url):
    for line in content["项目支出"]:
        line["资金性质"] = "当年财政拨款"
    content["项目支出"].append({"项目名称": "项目丙", "项目类别": "业务", "资金来源": "区本级财政", "年初预算数（万元）": 0,
                             "全年预算数（万元）": 0, "全年执行数（万元）": 10, "资金性质": "上年结转资金"})
    content["收支总表"] = [{"科目": "上年结转", "决算数（万元）": 10}]
    content["部门情况"] = [{"项目": "政府采购", "预算数": 0, "实际数": 5}]
    ingest([make_workbook(content)], db_url)
    ctx = load_context("测试局", 2024, db_url)
    appendix = BeautifulSoup(sections.scoring_table(ctx), "html.parser").get_text(" ")
    assert "其中：上年结转资金" in appendix and "—" in appendix
    assert "政府采购实际采购5.00万元" in BeautifulSoup(sections.finances(ctx), "html.parser").get_text()
