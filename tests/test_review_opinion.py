"""Issue 27, the review memo: a 复核结论 a finance bureau could sign, findings without noise, the
contradictions a reviewer sees at once, and Chinese punctuation. Each case on a workbook written here (or a
sample workbook), read back through the store as `evalnb check` and the memo notebook read it."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from evalnb.intake.ingest import ingest
from evalnb.review import memo
from evalnb.review.checks import run_checks
from evalnb.review.context import ReportContext, build_context
from evalnb.review.findings import ERROR, INFO, WARNING
from evalnb.rules import PACKAGE_RULES_DIR
from evalnb.store import data
from tests.helpers import ROOT, evalnb, minimal_content, row, workbook

SAMPLE = ROOT / "data" / "sample"


def context(make_workbook, content, db_url, department="测试局", year=2024) -> ReportContext:
    ingest([make_workbook(content)], db_url)
    return build_context(data.load(department, year, db_url))


def sample_context(tmp_path, department, years=(2023, 2024)) -> ReportContext:
    url = f"sqlite:///{tmp_path / 'samples.sqlite'}"
    ingest([SAMPLE / f"{department}_{y}.xlsx" for y in years], url)
    return build_context(data.load(department, years[-1], url))


def memo_parts(ctx: ReportContext, rectify_days: int | None = None) -> str:
    """The memo notebook's blocks, in its order."""
    return (memo.conclusion(ctx, rectify_days) + memo.score_review(ctx) + memo.findings(ctx)
            + memo.data_problems(ctx))


def visible(html: str, tables: bool = True) -> str:
    soup = BeautifulSoup(html, "html.parser")
    if not tables:
        for table in soup.select("table"):
            table.decompose()
    return soup.get_text("\n", strip=True)


def with_code(ctx_or_findings, code):
    found = ctx_or_findings.findings if isinstance(ctx_or_findings, ReportContext) else ctx_or_findings
    return [f for f in found if code in f.codes]


# ------------------------------------------------------------------------------------- the 复核结论

def test_the_seed_memo_opens_with_a_conclusion_a_bureau_can_sign(tmp_path):
    ctx = sample_context(tmp_path, "科学技术局", years=(2024,))
    html = memo_parts(ctx)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h2").get_text() == "一、复核结论"
    conclusion = visible(memo.conclusion(ctx))
    assert "复核得分：99.87分，等级“优”（部门自评100分，“优秀”）" in conclusion
    assert "复核意见：退回修改" in conclusion and "报告为草稿，有以下2项须处理后方能定稿报送" in conclusion
    # the reasons are the error findings, each with what to fix
    assert "自评总分为100分，按评分规则计算为99.87分，高出0.13分" in conclusion
    assert "整改要求：如实填写存在的主要问题和对应的改进措施" in conclusion
    assert "整改时限：请于收到本意见之日起15个工作日内" in conclusion
    assert "复核人（签字）" in conclusion and "复核日期" in conclusion
    assert "整改时限：请于收到本意见之日起10个工作日内" in visible(memo.conclusion(ctx, 10))


def clean(content: dict) -> dict:
    """minimal_content with nothing to flag: its adjustment explained, a 成本指标, its goals written."""
    content["项目支出"][1]["备注"] = "年中追加培训经费"
    content["绩效指标"][0]["二级指标"] = "成本指标"
    content["文字材料"].append({"章节": "年度总体目标", "内容": "完成年度培训任务。"})
    return content


def test_a_clean_report_is_agreed_to(make_workbook, content, db_url):
    content = clean(content)
    ctx = context(make_workbook, content, db_url)
    assert ctx.findings == []
    conclusion = visible(memo.conclusion(ctx))
    assert "复核意见：同意" in conclusion and "退回修改" not in conclusion and "整改时限" not in conclusion
    assert "复核得分：99.69分，等级“优”" in conclusion          # 155 ÷ 160 × 10 = 9.69, + 50 + 30 + 10
    assert "部门自评" not in conclusion                            # none was declared


def test_each_error_is_stated_once_in_the_memo(tmp_path):
    """Issue: the seed memo told the 100 vs 99.87 gap in the status, the grades line, the finding and again
    among the data's problems."""
    ctx = sample_context(tmp_path, "科学技术局", years=(2024,))
    text = visible(memo_parts(ctx), tables=False)
    assert text.count("0.13") == 1
    assert text.count("无问题存在") == 2             # the finding, and what the department wrote (四、)
    assert text.count("编号 declared-score-mismatch") == 1


# ------------------------------------------------------------------------------------------- noise

def test_a_100_percent_rate_met_at_100_percent_is_not_questioned(make_workbook, content, db_url):
    content["绩效指标"][2].update({"年度指标值": "100%", "实际完成值": "100%"})     # a ceiling: nothing above it
    ctx = context(make_workbook, content, db_url)
    text = visible(memo_parts(ctx))
    assert "恰好" not in text and "真实性" not in text
    assert not with_code(ctx, "targets-met-exactly")


def test_a_count_met_exactly_is_noted_by_name(make_workbook, content, db_url):
    content["绩效指标"][0]["实际完成值"] = 100                                 # ≥ 100 人次, 100 done
    content["绩效指标"][2].update({"年度指标值": "100%", "实际完成值": "100%"})
    found = with_code(context(make_workbook, content, db_url), "targets-met-exactly")
    assert len(found) == 1 and found[0].severity == INFO
    assert "1个指标" in found[0].message and "“培训人次”" in found[0].message and "满意度" not in found[0].message


def test_a_month_or_an_ordinal_is_not_a_figure(make_workbook, content, db_url):
    content["文字材料"].append({"章节": "总体目标实现情况",
                             "内容": "项目甲于12月前完成验收，3月15日启动第5批培训，排名第2位。"})
    assert not with_code(context(make_workbook, content, db_url), "narrative-number-unmatched")
    content["文字材料"].append({"章节": "总体目标实现情况", "内容": "全年培训170人次。"})
    found = with_code(context(make_workbook, content, db_url), "narrative-number-unmatched")
    assert len(found) == 1 and "170" in found[0].message


def test_a_rank_is_still_a_figure(make_workbook, content, db_url):
    content["文字材料"].append({"章节": "总体目标实现情况", "内容": "综合排名第9位。"})
    found = with_code(context(make_workbook, content, db_url), "narrative-number-unmatched")
    assert len(found) == 1 and "9" in found[0].message


def test_one_number_is_reported_once(make_workbook, content, db_url):
    content["文字材料"] += [{"章节": "总体目标实现情况", "内容": "全年培训170人次。"},
                        {"章节": "总体目标实现情况", "内容": "培训170人次，覆盖各科室。"},
                        {"章节": "存在问题", "内容": "培训170人次仍显不足。"}]
    found = with_code(context(make_workbook, content, db_url), "narrative-number-unmatched")
    assert len(found) == 1
    assert "170" in found[0].message and "总体目标实现情况" in found[0].message and "存在问题" in found[0].message


def test_two_findings_on_one_cell_are_one(make_workbook, content, db_url):
    """A declared 定性 score above its band was two findings on the same 自评得分 cell (declared-score-mismatch
    and qualitative-out-of-band): now one, saying the declared score, the band and the score by the rules."""
    content["绩效指标"][1].update({"实际完成值": "部分达成年度指标并具有一定效果", "自评得分": 28,
                               "偏差原因分析及改进措施": "部分延期"})
    ctx = context(make_workbook, content, db_url)
    on_row = [f for f in ctx.findings if (f.sheet, f.row) == ("绩效指标", 3)]
    assert len(on_row) == 1 and on_row[0].severity == ERROR
    assert on_row[0].message == ("“服务水平”自评得分28分，不在其档次的分数区间18（含）–24（不含）分内，"
                                 "按评分规则计为24分")
    assert visible(memo_parts(ctx)).count("绩效指标 · 第3行") == 1


def test_findings_on_one_row_are_merged(tmp_path, monkeypatch):
    """政府采购执行率 (Chongqing) is missed without a reason and cannot be checked against data: one item."""
    ctx = chongqing(tmp_path, monkeypatch)
    on_row = [f for f in ctx.findings if f.indicator == "政府采购执行率"]
    assert len(on_row) == 1 and on_row[0].severity == ERROR
    assert on_row[0].codes == ("unexplained-deviation", "common-indicator-unverifiable")
    assert "未填写偏差原因分析及改进措施；无法核对“政府采购执行率”" in on_row[0].message
    assert "补充收支总表或部门情况表" in visible(memo.conclusion(ctx))        # what to do about both


def chongqing(tmp_path, monkeypatch, accounts=None):
    """The 2021 table of 西部(重庆)科学城融媒体中心 (tests/test_published_tables.py) on chongqing-dept with its
    readable 46 points: 结转结余率 typed 0%, 预算完成率 76% (budget 100, spent 76: 24% unspent)."""
    from tests.test_published_tables import chongqing_rows

    spec = yaml.safe_load((PACKAGE_RULES_DIR / "chongqing-dept.yaml").read_text(encoding="utf-8"))
    spec["total"] = 56
    next(n for n in spec["tree"] if n["name"] == "绩效指标")["weight"] = 46
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / "chongqing-readable.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    monkeypatch.setenv("EVALNB_RULES_DIR", str(tmp_path / "rules"))
    sheets = {"收支总表": accounts} if accounts else None
    url = f"sqlite:///{tmp_path / 'cq.sqlite'}"
    ingest([workbook(tmp_path, "chongqing-readable", 100, 76, chongqing_rows(), sheets=sheets)], url)
    return build_context(data.load("测试局", 2022, url))


def test_no_cost_indicator_only_where_cost_is_a_category(tmp_path, monkeypatch, make_workbook, content, db_url):
    assert "成本指标" not in visible(memo_parts(chongqing(tmp_path, monkeypatch)))       # 部门整体: no such category
    found = with_code(context(make_workbook, content, db_url), "cost-indicator-missing")   # 10号: 数量/质量/…/成本
    assert len(found) == 1 and "未设置成本指标" in found[0].message
    content["绩效指标"][0]["二级指标"] = "成本指标"
    assert not with_code(context(make_workbook, content, db_url), "cost-indicator-missing")


# ------------------------------------------------------------------------------- missed findings

INCOME_AND_SPENDING = [{"科目": "财政拨款收入", "决算数（万元）": 100},
                       {"科目": "项目支出", "全年预算数（万元）": 100, "决算数（万元）": 76}]


@pytest.mark.parametrize("accounts", [None, INCOME_AND_SPENDING,
                                      [*INCOME_AND_SPENDING, {"科目": "年末结转结余", "决算数（万元）": 24}]],
                         ids=["no-sheet", "sheet-without-closing", "sheet-with-closing"])
def test_chongqing_carry_over_rate_0_against_24_percent_unspent(tmp_path, monkeypatch, accounts):
    ctx = chongqing(tmp_path, monkeypatch, accounts)
    found = [f for f in ctx.findings if f.indicator == "结转结余率"]
    assert len(found) == 1 and found[0].severity == ERROR
    assert "填报为0%" in found[0].message and "24%" in found[0].message
    assert found[0].message in visible(memo.conclusion(ctx))          # a reason to send the report back


def test_a_carry_over_rate_the_lines_agree_with_is_not_flagged(tmp_path, monkeypatch, make_workbook, content, db_url):
    content["项目支出"] = content["项目支出"][:1]                  # 100 budgeted, 95 spent: 5% unspent
    content["项目支出"][0].update({"支出类型": "基本支出-公用经费"})
    content["绩效指标"][0]["分值"] = 40
    content["绩效指标"].insert(1, row("产出指标", "数量指标", "结转结余率", "定量", "5%", 5, 10, "%", "≤"))
    ctx = context(make_workbook, content, db_url)
    assert not [f for f in ctx.findings if f.indicator == "结转结余率" and f.severity != INFO]
    content["绩效指标"][1]["实际完成值"] = 2
    ctx = context(make_workbook, content, db_url)
    found = [f for f in ctx.findings if f.indicator == "结转结余率"]
    assert len(found) == 1 and found[0].severity == ERROR and "填报为2%" in found[0].message and "5%" in found[0].message


def test_sample_data_as_the_prior_year_of_a_formal_report(tmp_path):
    ctx = sample_context(tmp_path, "科学技术局")                    # 2024 正式, 2023 示例
    found = with_code(ctx, "prior-year-sample")
    assert len(found) == 1 and found[0].severity == WARNING and found[0].sheet == "基本信息"
    assert "2023年" in found[0].message and "示例" in found[0].message and "18236.41万元" in found[0].message
    assert found[0].message in visible(memo.findings(ctx))
    assert not with_code(sample_context(tmp_path / "b", "交通运输局"), "prior-year-sample")   # a sample of a sample


def test_text_says_some_indicators_missed_while_all_were_met(tmp_path):
    ctx = sample_context(tmp_path, "农业农村局")
    found = with_code(ctx, "narrative-contradicts-data")
    assert len(found) == 1 and found[0].severity == ERROR
    assert "“个别指标未达预期”" in found[0].message and "9个绩效指标均已完成" in found[0].message
    assert not with_code(sample_context(tmp_path / "b", "交通运输局"), "narrative-contradicts-data")   # 4 missed


def test_text_says_all_met_while_some_missed(make_workbook, content, db_url):
    content["绩效指标"][0].update({"实际完成值": 80, "偏差原因分析及改进措施": "场地改造停训一个月"})
    content["文字材料"].append({"章节": "总体目标实现情况", "内容": "年度各项绩效指标全部完成。"})
    found = with_code(context(make_workbook, content, db_url), "narrative-contradicts-data")
    assert len(found) == 1 and found[0].severity == ERROR
    assert "“各项绩效指标全部完成”" in found[0].message and "“培训人次”" in found[0].message
    content["绩效指标"][0]["实际完成值"] = 120
    assert not with_code(context(make_workbook, content, db_url), "narrative-contradicts-data")


@pytest.mark.parametrize("problems", [["无问题存在。", "项目甲执行进度偏慢。"], ["暂无。项目甲执行进度偏慢。"]])
def test_no_problem_placeholder_beside_listed_problems(make_workbook, content, db_url, problems):
    content["文字材料"] = [t for t in content["文字材料"] if t["章节"] != "存在问题"]
    content["文字材料"] += [{"章节": "存在问题", "内容": p} for p in problems]
    found = with_code(context(make_workbook, content, db_url), "no-problem-beside-problems")
    assert len(found) == 1 and found[0].severity == ERROR
    assert re.search(r"“(无问题存在|暂无)”", found[0].message) and "项目甲执行进度偏慢" in found[0].message


def test_real_problems_alone_or_a_placeholder_alone_is_no_contradiction(make_workbook, content, db_url):
    assert not with_code(context(make_workbook, content, db_url), "no-problem-beside-problems")
    content["文字材料"] = [t for t in content["文字材料"] if t["章节"] != "存在问题"]
    content["文字材料"].append({"章节": "存在问题", "内容": "无"})
    assert not with_code(context(make_workbook, content, db_url), "no-problem-beside-problems")


def test_a_project_added_mid_year_without_a_reason(make_workbook, content, db_url):
    content["项目支出"][1]["备注"] = "年中追加培训经费"
    content["项目支出"].append({"项目名称": "项目丙", "项目类别": "业务", "资金来源": "区本级财政",
                             "年初预算数（万元）": 0, "全年预算数（万元）": 30, "全年执行数（万元）": 30})
    found = with_code(context(make_workbook, content, db_url), "budget-added-unexplained")
    assert [(f.sheet, f.row, f.severity) for f in found] == [("项目支出", 4, WARNING)]
    assert "“项目丙”" in found[0].message and "年初预算数为0" in found[0].message and "30.00万元" in found[0].message
    content["项目支出"][2]["备注"] = "区政府常务会议决定年中新增"
    assert not with_code(context(make_workbook, content, db_url), "budget-added-unexplained")


def test_adjustments_without_reasons_are_one_finding(make_workbook, content, db_url):
    content["项目支出"][0]["全年预算数（万元）"] = 110                  # 项目甲 100 → 110, 项目乙 50 → 60
    found = with_code(context(make_workbook, content, db_url), "budget-adjusted-unexplained")
    assert len(found) == 1 and found[0].severity == WARNING
    assert "2个预算行" in found[0].message and "追加20.00万元" in found[0].message
    # issue 23, item 7: each line with its amounts (四川's form note 2: 年中发生预算调整的，应单独说明理由)
    assert "“项目甲”年初100.00万元、全年110.00万元（追加10.00万元）" in found[0].message
    assert "“项目乙”年初50.00万元、全年60.00万元（追加10.00万元）" in found[0].message


def test_an_addition_and_a_cut_are_both_named_not_netted_away(make_workbook, content, db_url):
    """Issue 23, items 6–7: 项目甲 cut by 10 and 项目乙 raised by 10 nets to 0 — the finding still names both, with
    追加 and 调减 apart."""
    content["项目支出"][0]["全年预算数（万元）"] = 90
    found = with_code(context(make_workbook, content, db_url), "budget-adjusted-unexplained")
    assert len(found) == 1 and "追加10.00万元、调减10.00万元" in found[0].message
    assert "“项目甲”年初100.00万元、全年90.00万元（调减10.00万元）" in found[0].message
    content["文字材料"].append({"章节": "预算执行说明", "内容": "项目甲、项目乙因培训扩容年中追加预算。"})
    assert not with_code(context(make_workbook, content, db_url), "budget-adjusted-unexplained")


# ------------------------------------------------------------------------------------------ wording

SPACED_NUMBER = re.compile(r"[\u4e00-\u9fff，。：；、（）“”‘’] +[-\d]|[\d%] +[\u4e00-\u9fff，。：；、（）“”‘’]")


def all_findings_workbook(content: dict) -> dict:
    """One workbook that raises most findings at once."""
    content["基本信息"] += [{"字段": "自评总分", "内容": 100}, {"字段": "评价等级", "内容": "优秀"}]
    content["文字材料"] = [t for t in content["文字材料"] if t["章节"] != "存在问题"]
    content["文字材料"] += [{"章节": "存在问题", "内容": "无问题存在。"}, {"章节": "存在问题", "内容": "培训170人次。"},
                        {"章节": "总体目标实现情况", "内容": "各项指标全部完成。"}]
    content["项目支出"][0]["全年执行数（万元）"] = 40
    content["项目支出"][1]["全年执行数（万元）"] = 61
    content["项目支出"].append({"项目名称": "项目丙", "项目类别": "业务", "资金来源": "区本级财政",
                             "年初预算数（万元）": 0, "全年预算数（万元）": 30, "全年执行数（万元）": 30})
    content["绩效指标"][0].update({"实际完成值": 80})
    content["绩效指标"][1].update({"实际完成值": "部分达成年度指标并具有一定效果", "自评得分": 28})
    content["绩效指标"][2].update({"三级指标": "资金拨付及时率", "计量单位": "天"})
    content["绩效指标"][0]["分值"] = 30
    content["绩效指标"] += [row("产出指标", "数量指标", "“三公经费”变动率", "定量", "0%", 1, 10, "%", "≤"),
                        row("产出指标", "数量指标", "结转结余率", "定量", "5%", 0, 10, "%", "≤")]
    content["收支总表"] = [{"科目": "上年结转", "决算数（万元）": 5}, {"科目": "财政拨款收入", "决算数（万元）": 100},
                       {"科目": "项目支出", "决算数（万元）": 150}]
    return content


def test_quotes_punctuation_and_spacing_in_findings_and_memo(make_workbook, content, db_url):
    ctx = context(make_workbook, all_findings_workbook(content), db_url)
    codes = {c for f in ctx.findings for c in f.codes}
    assert {"no-problem-beside-problems", "narrative-contradicts-data", "declared-score-mismatch", "carry-over-below-unspent",
            "common-indicator-unverifiable", "unit-mismatch", "spending-above-income", "budget-added-unexplained",
            "narrative-number-unmatched", "unexplained-deviation", "low-execution-unexplained"} <= codes, codes
    bases = {i.basis for i in ctx.card.items} | {ctx.card.execution_basis, ctx.card.total_basis}
    texts = [f.message for f in ctx.findings] + [visible(memo_parts(ctx), tables=False)]
    for text in texts:
        assert "““" not in text and "””" not in text, text                  # nested quotes are ‘’ inside “”
        assert "“‘三公经费’变动率”" in text or "三公经费" not in text, text
        assert "。”" not in text and "未填写" not in text.split("而")[-1][:12], text
        for basis in sorted(bases, key=len, reverse=True):                  # the rules' own basis is quoted as is
            text = text.replace(basis, "")
        assert not SPACED_NUMBER.search(text), SPACED_NUMBER.search(text).group(0) + " in " + text


def test_perfect_score_with_nothing_under_problems_says_so_plainly(make_workbook, content, db_url):
    content["基本信息"].append({"字段": "自评总分", "内容": 100})
    content["文字材料"] = [t for t in content["文字材料"] if t["章节"] != "存在问题"]
    content["文字材料"].append({"章节": "存在问题", "内容": "无问题存在。"})
    found = with_code(context(make_workbook, content, db_url), "perfect-score-no-problems")
    assert "“存在的主要问题”为“无问题存在”；" in found[0].message
    content["文字材料"] = [t for t in content["文字材料"] if t["章节"] != "存在问题"]
    found = with_code(context(make_workbook, content, db_url), "perfect-score-no-problems")
    assert "“存在的主要问题”未填写" in found[0].message and "为未填写" not in found[0].message


def test_check_command_shows_the_contradiction(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([SAMPLE / "农业农村局_2023.xlsx", SAMPLE / "农业农村局_2024.xlsx"], url)
    assert [f.code for f in run_checks(data.load("农业农村局", 2024, url)) if f.severity == ERROR] == [
        "narrative-contradicts-data"]
    result = evalnb("check", "--dept", "农业农村局", "--year", "2024", "--db", url, "--strict")
    assert result.returncode == 1 and "错误  文字材料  “总体目标实现情况”写“个别指标未达预期”" in result.stdout


def test_the_rendered_seed_memo_opens_with_the_conclusion(seed_report):
    """The memo as `evalnb report` writes it beside the seed report (the samples' project: 2023 is 示例)."""
    html = (seed_report["path"].parent / "复核意见.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert [a.get_text() for a in soup.select("nav.toc a")] == ["一、复核结论", "二、得分复核", "三、复核发现",
                                                              "四、数据反映的问题"]
    text = soup.get_text("\n", strip=True)
    start = text.index("复核得分：")
    conclusion = text[start:text.index("\n二、得分复核\n", start)]
    assert conclusion.startswith("复核得分：99.87分，等级“优”（部门自评100分，“优秀”）。\n复核意见：退回修改。")
    assert conclusion.count("整改要求：") == 2 and "整改时限：请于收到本意见之日起15个工作日内" in conclusion
    assert "上年（2023年）数据的数据性质为“示例”" in text.split("三、复核发现")[-1]


# ------------------------------------------------------------------------- the 整改时限 from params/

def test_the_rectify_days_come_from_the_params_file(tmp_path, monkeypatch):
    """``rectify_days`` in params/<部门>_<年度>.yaml sets the 整改时限; the notebook's parameter still overrides it."""
    ctx = sample_context(tmp_path, "科学技术局", years=(2024,))
    home = tmp_path / "home"
    (home / "outputs").mkdir(parents=True)
    (home / "outputs" / "evalnb.sqlite").touch()          # a project folder
    monkeypatch.setenv("EVALNB_HOME", str(home))
    assert "之日起15个工作日内" in visible(memo.conclusion(ctx))     # no params file: the wording's default
    (home / "params").mkdir()
    params = home / "params" / "科学技术局_2024.yaml"
    params.write_text("department: 科学技术局\nyear: 2024\nrectify_days: 10\n", encoding="utf-8")
    assert "之日起10个工作日内" in visible(memo.conclusion(ctx))
    assert "之日起5个工作日内" in visible(memo.conclusion(ctx, 5))
    params.write_text("department: 科学技术局\nyear: 2024\nrectify_days: 0\n", encoding="utf-8")
    with pytest.raises(Exception, match="键 rectify_days 应为正整数"):
        memo.conclusion(ctx)


def test_a_changed_rectify_days_rerenders_only_the_memo(make_project):
    project = make_project([clean_but_drafted()])
    args = ("report", "--dept", "测试局", "--year", "2024", "--db", project["db"])
    first = evalnb(*args, env=project["env"])
    assert first.returncode == 0, first.stderr
    memo_file = project["root"] / "outputs" / "测试局" / "2024" / "复核意见.html"
    assert "之日起15个工作日内" in memo_file.read_text(encoding="utf-8")
    (project["root"] / "params").mkdir()
    (project["root"] / "params" / "测试局_2024.yaml").write_text(
        "department: 测试局\nyear: 2024\nrectify_days: 7\n", encoding="utf-8")
    second = evalnb(*args, env=project["env"])
    assert second.returncode == 0, second.stderr
    assert "之日起7个工作日内" in memo_file.read_text(encoding="utf-8")
    assert "7 节中 7 节未变化" in second.stdout and "沿用上次生成的报告" not in second.stdout


def clean_but_drafted() -> dict:
    """A department-year whose report is a draft (its 改进措施 missing), so the memo sends it back with a 时限."""
    content = minimal_content()
    content["文字材料"] = [t for t in content["文字材料"] if t["章节"] != "改进措施"]
    return content
