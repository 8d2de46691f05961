"""Each reviewer finding, triggered by a workbook built for it (and absent from one that is clean)."""

import json
import re
import subprocess
import sys

import pytest

from evalnb.intake.ingest import ingest
from evalnb.review import checks
from evalnb.store import data
from tests.helpers import SEED_SAMPLE


def findings_for(make_workbook, content, db_url):
    ingest([make_workbook(content)], db_url)
    return checks.run_checks(data.load("测试局", 2024, db_url))


def codes(findings):
    return {f.code for f in findings}


def test_minimal_workbook_is_clean(make_workbook, content, db_url):
    content["绩效指标"][0]["实际完成值"] = 110          # 110% of target: not over the 130% threshold
    # as written, 项目乙's mid-year 50 → 60 has no reason and the 10号 categories lack a 成本指标
    assert [f.code for f in findings_for(make_workbook, content, db_url)] == ["budget-adjusted-unexplained",
                                                                             "cost-indicator-missing"]
    content["项目支出"][1]["备注"] = "年中追加培训经费"
    content["绩效指标"][0]["二级指标"] = "成本指标"
    assert findings_for(make_workbook, content, db_url) == []


def test_declared_indicator_and_total_mismatch(make_workbook, content, db_url):
    content["绩效指标"][0].update({"实际完成值": 80, "自评得分": 50, "偏差原因分析及改进措施": "场地受限"})
    content["基本信息"] += [{"字段": "自评总分", "内容": 100}, {"字段": "评价等级", "内容": "优秀"}]
    found = findings_for(make_workbook, content, db_url)
    mismatch = [f for f in found if f.code == "declared-score-mismatch"]
    assert [(f.row, f.severity) for f in mismatch] == [(2, "error"), (None, "error")]
    assert "自评得分50分，按评分规则计算为40分" in mismatch[0].message        # 80 / 100 × 50 = 40
    # 155/160 → 9.69; 40 + 30 + 10 = 80 → 89.69, grade 良 while 优秀 was declared
    assert "89.69" in mismatch[1].message
    assert "declared-grade-mismatch" in codes(found)


def test_perfect_score_with_no_problems(make_workbook, content, db_url):
    content["基本信息"].append({"字段": "自评总分", "内容": 100})
    content["文字材料"] = [t for t in content["文字材料"] if t["章节"] != "存在问题"]
    content["文字材料"].append({"章节": "存在问题", "内容": "暂无"})
    assert "perfect-score-no-problems" in codes(findings_for(make_workbook, content, db_url))


def test_real_problems_listed_are_not_flagged(make_workbook, content, db_url):
    content["基本信息"].append({"字段": "自评总分", "内容": 100})
    content["文字材料"].append({"章节": "存在问题", "内容": "部分项目执行进度偏慢。"})
    assert "perfect-score-no-problems" not in codes(findings_for(make_workbook, content, db_url))


def test_unmet_target_without_reason(make_workbook, content, db_url):
    content["绩效指标"][0]["实际完成值"] = 80
    content["绩效指标"][1]["实际完成值"] = "部分达成年度指标并具有一定效果"
    found = [f for f in findings_for(make_workbook, content, db_url) if f.code == "unexplained-deviation"]
    assert [(f.indicator, f.row) for f in found] == [("培训人次", 2), ("服务水平", 3)]
    content["绩效指标"][0]["偏差原因分析及改进措施"] = "疫情停训一个月，次年补足。"
    content["绩效指标"][1]["偏差原因分析及改进措施"] = "部分服务延期。"
    assert "unexplained-deviation" not in codes(findings_for(make_workbook, content, db_url))


def test_over_achievement_without_reason(make_workbook, content, db_url):
    content["绩效指标"][0]["实际完成值"] = 130          # exactly 130% of 100
    found = [f for f in findings_for(make_workbook, content, db_url) if f.code == "over-achievement-unexplained"]
    assert len(found) == 1 and "130.00%" in found[0].message


def test_low_execution_without_reason(make_workbook, content, db_url):
    content["项目支出"][0]["全年执行数（万元）"] = 40     # (40 + 60) / 160 = 62.5%
    found = [f for f in findings_for(make_workbook, content, db_url) if f.code == "low-execution-unexplained"]
    assert {(f.sheet, f.severity) for f in found} == {("文字材料", "error"), ("项目支出", "warning")}
    assert any("62.50%" in f.message for f in found)
    content["文字材料"].append({"章节": "预算执行说明", "内容": "项目甲延至次年实施。"})
    content["项目支出"][0]["备注"] = "延至次年实施"
    assert "low-execution-unexplained" not in codes(findings_for(make_workbook, content, db_url))


def test_qualitative_score_out_of_band(make_workbook, content, db_url):
    content["绩效指标"][1].update({"实际完成值": "部分达成年度指标并具有一定效果", "自评得分": 28,
                               "偏差原因分析及改进措施": "部分延期"})
    found = [f for f in findings_for(make_workbook, content, db_url) if f.code == "qualitative-out-of-band"]
    assert len(found) == 1 and "18（含）–24（不含）" in found[0].message        # 60%–80% of 30


@pytest.mark.parametrize(("grade", "declared", "flagged"), [
    ("部分达成年度指标并具有一定效果", 24, True),      # 80% of 30 belongs to the band above (10号: 80–60%（含）)
    ("部分达成年度指标并具有一定效果", 18, False),     # its own lower end is inside
    ("达成年度指标", 30, False),                      # the top band includes 100%
    ("达成年度指标", 20, True),                       # below 80%: kept at 20, flagged
])
def test_qualitative_bands_are_half_open_as_10hao_writes_them(make_workbook, content, db_url, grade, declared,
                                                               flagged):
    content["绩效指标"][1].update({"实际完成值": grade, "自评得分": declared, "偏差原因分析及改进措施": "说明"})
    found = [f for f in findings_for(make_workbook, content, db_url) if f.code == "qualitative-out-of-band"]
    assert bool(found) == flagged


def test_unit_mismatch(make_workbook, content, db_url):
    content["绩效指标"][2]["三级指标"] = "资金拨付及时率"
    content["绩效指标"][2].update({"计量单位": "天", "年度指标值": 90, "实际完成值": 92})
    found = [f for f in findings_for(make_workbook, content, db_url) if f.code == "unit-mismatch"]
    assert len(found) == 1 and "计量单位应为“%”，实际为“天”" in found[0].message


def test_budget_exceeded(make_workbook, content, db_url):
    content["项目支出"][1]["全年执行数（万元）"] = 61
    found = [f for f in findings_for(make_workbook, content, db_url) if f.code == "budget-exceeded"]
    assert [(f.sheet, f.row) for f in found] == [("项目支出", 3)]


def test_narrative_number_that_matches_no_data(make_workbook, content, db_url):
    content["文字材料"].append({"章节": "总体目标实现情况",
                             "内容": "全年培训120人次，预算执行率96.88%，按《办法》（财预〔2020〕10号）执行。"})
    assert "narrative-number-unmatched" not in codes(findings_for(make_workbook, content, db_url))
    content["文字材料"].append({"章节": "总体目标实现情况", "内容": "全年培训170人次。"})
    found = [f for f in findings_for(make_workbook, content, db_url) if f.code == "narrative-number-unmatched"]
    assert len(found) == 1 and "170" in found[0].message


def test_seed_sample_findings(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([SEED_SAMPLE], url)
    found = checks.run_checks(data.load("科学技术局", 2024, url))
    assert {"perfect-score-no-problems", "declared-score-mismatch"} <= codes(found)
    total = next(f for f in found if f.code == "declared-score-mismatch")
    assert "自评总分为100分，按评分规则计算为99.87分，高出0.13分" in total.message


@pytest.mark.parametrize(("strict", "expected"), [(False, 0), (True, 1)])
def test_check_command_strict(tmp_path, strict, expected):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([SEED_SAMPLE], url)
    args = [sys.executable, "-m", "evalnb.cli", "check", "--dept", "科学技术局", "--year", "2024", "--db", url]
    result = subprocess.run(args + (["--strict"] if strict else []), capture_output=True, text=True)
    assert result.returncode == expected
    assert "错误  文字材料  总分100分（满分或接近满分），而“存在的主要问题”为“无问题存在”；" in result.stdout
    # the seed's other findings are no reason to send it back: no 成本指标, 17 adjustments without a reason,
    # 9 targets met exactly, and (issue 23) its grade written 优秀 where 10号 prints 优 — said, not silently changed
    assert "共 6 条复核发现：错误 2，提示 2，信息 2" in result.stdout
    assert "自评等级写作“优秀”，评分规则《项目支出绩效评价管理办法》（财预〔2020〕10号）印作“优”" in result.stdout
    assert not re.search(r"[a-z]+-[a-z]+", result.stdout)          # codes are ids in --json only
    codes = [f["code"] for f in json.loads(subprocess.run(args + ["--json"], capture_output=True, text=True).stdout)]
    assert "perfect-score-no-problems" in codes


def test_an_equals_target_overshot_is_a_deviation(make_workbook, content, db_url):
    """Issue: "=" targets overshot by 30% earned full marks with no finding."""
    content["绩效指标"][2].update({"指标方向": "=", "年度指标值": "90%", "实际完成值": "117%"})
    found = [f for f in findings_for(make_workbook, content, db_url) if f.code == "equal-target-missed"]
    assert len(found) == 1 and "130.00%" in found[0].message and found[0].row == 4
