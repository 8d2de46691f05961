"""调整指标值: a target adjusted during the year (重庆's 自评表 prints 年初指标值 | 调整指标值 | 全年完成值).

The adjusted target is the one scored and told in section 三 (with what it was at the start of the year); the
年度指标值 typed beside it is kept as the 年初指标值; a target lowered during the year is a problem for the
review memo; the analysts' Chinese view shows both as typed.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from evalnb import data, form, problems, scoring, sections
from evalnb.context import load_context
from evalnb.errors import WorkbookError
from evalnb.ingest import ingest
from evalnb.intake import read_workbook
from evalnb.rules import load_rulebook


def adjust(content, **targets):
    """Set 调整指标值 on the 绩效指标 rows named by 三级指标."""
    for row in content["绩效指标"]:
        if row["三级指标"] in targets:
            row["调整指标值"] = targets[row["三级指标"]]
    return content


def test_the_adjusted_target_is_scored_told_and_kept_beside_the_first_one(make_workbook, content, db_url):
    adjust(content, 培训人次="≥130人次", 满意度="85%", 服务水平="服务水平保持稳定")
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    card = scoring.score(dy)
    trained, service, satisfied = card.indicators
    assert trained.score == 46.15 and "130" in trained.basis and "100" not in trained.basis   # 120 ÷ 130 × 50
    assert not trained.met and satisfied.met and satisfied.score == 10                        # 92% against 85%
    text = BeautifulSoup(sections.indicator_analysis(load_context("测试局", 2024, db_url)), "html.parser").get_text()
    assert "培训人次120人次，年度目标不低于130人次（年初目标不低于100人次，年中调整），未完成年度目标" in text
    assert "年度目标为“服务水平保持稳定”（年初目标为“服务水平提升”，年中调整）" in text
    typed = dy.to_frame("indicators", cn=True).set_index("三级指标")
    assert typed.loc["培训人次", ["年度指标值", "调整指标值"]].tolist() == [100, 130]
    assert typed.loc["服务水平", ["年度指标值", "调整指标值"]].isna().all()      # a 定性 target has words only
    assert service.applicable


def test_only_a_target_made_easier_is_a_problem_for_the_memo(make_workbook, content, db_url):
    adjust(content, 培训人次="≥130人次", 满意度="85%")
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    found = {p.kind: p for p in problems.derive(dy, scoring.score(dy))}
    assert "“满意度”由90%调整为85%" in found["targets-lowered"].problem
    assert "1个指标" in found["targets-lowered"].problem and "培训人次" not in found["targets-lowered"].problem


def test_the_chongqing_form_shows_the_first_and_the_adjusted_target(make_workbook, content, db_url):
    content["基本信息"].append({"字段": "评分规则", "内容": "chongqing-dept"})
    for row, weight in zip(content["绩效指标"], (40, 30, 20), strict=True):
        row["分值"] = weight
    adjust(content, 培训人次="130")
    ingest([make_workbook(content)], db_url)
    dy, book = data.load("测试局", 2024, db_url), load_rulebook("chongqing-dept")
    headers = form.headers(book)
    shown = {r[0]: dict(zip(headers, r, strict=True)) for r in form.rows(scoring.score(dy, book), dy, book)}
    assert (shown["培训人次"]["年初指标值"], shown["培训人次"]["调整指标值"]) == ("≥100人次", "≥130人次")
    assert (shown["满意度"]["年初指标值"], shown["满意度"]["调整指标值"]) == ("≥90%", "")


@pytest.mark.parametrize(("name", "value", "fragment"), [
    ("培训人次", "≤130人次", "调整的是指标值，不是指标方向"),
    ("培训人次", "130个", "人次"),
    ("满意度", "0.85", "不在同一量级"),
])
def test_an_adjusted_target_that_does_not_fit_the_row_is_refused_on_its_cell(make_workbook, content, name, value,
                                                                           fragment):
    adjust(content, **{name: value})
    with pytest.raises(WorkbookError) as exc:
        read_workbook(make_workbook(content))
    [problem] = exc.value.problems
    assert (problem.sheet, problem.column) == ("绩效指标", "调整指标值") and fragment in problem.expected


def test_a_row_the_rulebook_scores_has_no_target_to_adjust(make_workbook, content):
    content["基本信息"].append({"字段": "评分规则", "内容": "chongqing-dept"})
    for row, weight in zip(content["绩效指标"], (40, 30, 20), strict=True):
        row["分值"] = weight
    content["绩效指标"].append({"一级指标": "预算执行率", "二级指标": "预算执行率", "三级指标": "预算执行率",
                            "年度指标值": "100%", "调整指标值": "90%", "实际完成值": None})
    with pytest.raises(WorkbookError) as exc:
        read_workbook(make_workbook(content))
    [problem] = exc.value.problems
    assert problem.column == "调整指标值" and "由评分规则计分" in problem.expected
