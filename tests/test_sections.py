"""Report builders in-process: escaping of workbook text, charts without missing glyphs, wording."""

import re
import warnings

import pytest
from bs4 import BeautifulSoup

from evalnb import sections
from evalnb.intake.ingest import ingest
from evalnb.review import memo as review
from evalnb.review.context import load_context
from evalnb.sections import charts
from evalnb.text.prose import words
from tests.helpers import SEED_SAMPLE

BUILDERS = [sections.preamble, sections.overview, sections.finances, sections.goals, sections.organisation,
            sections.method, sections.overall_achievement, sections.indicator_analysis, sections.conclusion,
            sections.problems, sections.measures, sections.team_table, sections.scoring_table, sections.project_list,
            review.status, review.score_review, review.findings, review.data_problems]
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_untrusted_workbook_text_is_escaped(make_workbook, content, db_url):
    content["文字材料"] += [{"章节": s, "内容": EVIL} for s in ("评价依据", "主要职能", "存在问题", "改进措施", "自评组织")]
    content["项目支出"][0].update({"项目名称": EVIL, "备注": EVIL, "全年执行数（万元）": 10})
    content["绩效指标"][0].update({"三级指标": EVIL, "实际完成值": 50, "偏差原因分析及改进措施": EVIL})
    content["评价工作组"][0]["姓名"] = EVIL
    ingest([make_workbook(content)], db_url)
    ctx = load_context("测试局", 2024, db_url)
    html = "".join(builder(ctx) for builder in BUILDERS)
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script") and not soup.find_all("img")
    assert html.count("&lt;script&gt;") >= 8
    assert EVIL in soup.get_text()


def test_charts_render_chinese_without_missing_glyphs(tmp_path):
    """On 教育局, a 示例 year with a 示例 prior: all four charts (the seed's 正式 year has no 同比 chart)."""
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([SEED_SAMPLE.with_name("教育局_2024.xlsx"), SEED_SAMPLE.with_name("教育局_2023.xlsx")], url)
    ctx = load_context("教育局", 2024, url)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from.*")
        figures = [charts.budget_by_category(ctx.dy, words("s1", "chart_categories")),
                   charts.funding_sources(ctx.dy, words("s1", "chart_sources")),
                   charts.indicator_completion(ctx.card, words("s3", "chart_completion")),
                   charts.year_on_year(ctx.dy, words("s1", "chart_years"))]
        rendered = [charts.chart(f, "alt", "caption") for f in figures]
        shown = [*sections.finance_charts(ctx), sections.indicator_chart(ctx)]     # what the notebooks display
    assert all(c.png.startswith(b"\x89PNG\r\n\x1a\n") for c in rendered + shown)
    assert [c.caption for c in shown] == ["图1 按项目类别的预算与执行", "图2 资金来源构成", "图3 预算与执行同比",
                                          "图4 定量指标完成程度"]


def test_missing_glyph_detection_is_real():
    """Without the CJK font the same chart does warn: the test above would catch a regression."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        fig = Figure()
        fig.subplots().set_title("预算")
        with pytest.warns(UserWarning, match="missing from"):
            fig.savefig(__import__("io").BytesIO(), format="png")


def test_leading_group_sentence_from_team(make_workbook, content, db_url):
    content["评价工作组"] = [
        {"姓名": "甲", "工作单位": "测试局", "职务": "局长", "组内分工": "组长"},
        {"姓名": "乙", "工作单位": "测试局", "职务": "副局长", "组内分工": "副组长"},
        {"姓名": "丙", "工作单位": "测试局", "职务": "副局长", "组内分工": "副组长"},
        {"姓名": "丁", "工作单位": "测试局", "职务": "科长", "组内分工": "成员"}]
    ingest([make_workbook(content)], db_url)
    text = sections.leading_group(load_context("测试局", 2024, db_url))
    # issue 27, item 7: a subject; 公文 order, title before name; no "（共4人）"
    assert text == ("我局成立了以局长甲为组长，副局长乙、丙为副组长，科长丁为成员的测试局绩效评价工作领导小组，"
                    "统筹推进绩效自评工作的有序开展。")


def test_leading_group_never_doubles_a_title_and_says_who_we_are(make_workbook, content, db_url):
    """A name that already holds the title ("业务科科长" as 姓名, 职务 "科长") is not followed by it again; the
    subject follows the department's name (我委, 我中心, else 我单位)."""
    content["评价工作组"] = [
        {"姓名": "王某", "工作单位": "测试委", "职务": "主任", "组内分工": "组长"},
        {"姓名": "业务科科长", "工作单位": "测试委", "职务": "科长", "组内分工": "成员"},
        {"姓名": "赵某", "工作单位": "测试委", "职务": "科技创新科科长", "组内分工": "成员"}]
    ingest([make_workbook(content)], db_url)
    text = sections.leading_group(load_context("测试局", 2024, db_url))
    assert "科长科长" not in text and "科技创新科科长赵某" in text and "业务科科长、" in text
    assert [sections.self_reference(d) for d in ("发展和改革委员会", "政务服务中心", "测试局", "某某公司")] == \
        ["我委", "我中心", "我局", "我单位"]


def test_a_leading_group_the_department_wrote_is_not_told_twice(seed_text):
    """The seed's 自评组织 tells its own group (“我局成立了以…领导小组”): no generated sentence follows it."""
    assert seed_text.count("领导小组") == 1 and "我局成立了以张伟局长为组长" in seed_text


def test_unmet_targets_go_to_the_memo_not_the_report(make_workbook, content, db_url):
    content["绩效指标"][0].update({"实际完成值": 80, "偏差原因分析及改进措施": "场地改造停训一个月"})
    content["文字材料"].append({"章节": "存在问题", "内容": "无"})
    ingest([make_workbook(content)], db_url)
    ctx = load_context("测试局", 2024, db_url)
    memo = BeautifulSoup(review.data_problems(ctx), "html.parser").get_text()
    assert "“培训人次”未完成年度指标" in memo and "完成率 80.00%" in memo and "场地改造停训一个月" in memo
    report = BeautifulSoup(sections.problems(ctx) + sections.indicator_analysis(ctx), "html.parser").get_text()
    assert report.count("培训人次") == 1 and "完成率 80.00%" not in report and "得" not in report.split("培训人次")[1][:40]


def test_section_three_opens_with_the_departments_paragraphs_then_short_indicator_paragraphs(tmp_path):
    """Issue 27, item 5. The seed (000_165481655092ecb7, 三（二）) tells its work in six thematic paragraphs
    ("2024年认定高新技术企业336家，占全市27%；…"): they come first and whole. Then each 二级指标 group, its
    clauses joined by "；", no points, and no paragraph with more than six indicators (the 25 数量指标 of the
    seed in five paragraphs of five, the first headed （1）数量指标。)."""
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([SEED_SAMPLE, SEED_SAMPLE.with_name("科学技术局_2023.xlsx")], url)
    ctx = load_context("科学技术局", 2024, url)
    soup = BeautifulSoup(sections.indicator_analysis(ctx), "html.parser")
    own = ctx.dy.text("分项目标实现情况")
    assert len(own) == 6 and [p.get_text() for p in soup.find_all("p")[:6]] == own
    groups = soup.select("p.level2")
    assert not soup.find_all(["ul", "li"]) and max(len(g.select("span.indicator")) for g in groups) <= 6
    pairs = ctx.dy.indicators.groupby(["level1", "level2"], sort=False).size()
    headed = [g for g in groups if g.strong]
    assert len(headed) == len(pairs)
    for paragraph, ((_, level2), size) in zip(headed, pairs.items(), strict=True):
        text = paragraph.get_text()
        assert text.startswith("（") and f"）{level2}。" in text and text.endswith("。")
        following = [paragraph, *paragraph.find_next_siblings("p")]
        told = [c for p in following[:-(-size // 6)] for c in p.select("span.indicator")]
        assert len(told) == size
        assert not any(re.search(r"得[\d.]+分|分值", c.get_text()) for c in told)
    assert [len(g.select("span.indicator")) for g in groups[:5]] == [5, 5, 5, 5, 5]
    first = groups[0].select("span.indicator")[0].get_text()
    assert first == "认定高新技术企业336家，年度目标不低于300家，占全市27%"     # the share as the seed states it
