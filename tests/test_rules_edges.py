"""Rulebook trees at their edges: weight moves, nesting, 不适用, fixed leaves at the top, data scored under
another rulebook. Each case was a wrong score or a crash before (an independent review of rules v2)."""

import pytest
import yaml

from evalnb.errors import RulebookError, WorkbookError
from evalnb.intake.ingest import ingest
from evalnb.review import checks
from evalnb.rules import load_rulebook, scoring, validate
from evalnb.sections import form
from evalnb.store import data
from tests.helpers import row, workbook

GRADES = [{"min": 90, "label": "优"}, {"min": 0, "label": "差"}]


def rulebook(tmp_path, monkeypatch, name: str, tree: list) -> str:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(yaml.safe_dump({"title": name, "grades": GRADES, "tree": tree},
                                                        allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("EVALNB_RULES_DIR", str(folder))
    return name


def declared(level1, level2, name, score, basis="依据：自查记录。"):
    return {"一级指标": level1, "二级指标": level2, "三级指标": name, "自评得分": score, "实际完成值": basis}


def scored(tmp_path, path, name="测试局"):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    ingest([path], url)
    return data.load(name, 2022, url), url


@pytest.mark.parametrize(("tree", "said"), [
    ([{"name": "甲", "weight": 100, "children": [
        {"name": "组", "weight": 90, "children": [{"name": "一", "weight": 90, "method": "declared"}]},
        {"name": "二", "weight": 10, "method": "declared", "optional": True, "not_applicable": {"to": "组"}}]}],
     "不能是分组节点"),
    ([{"name": "一", "weight": 50, "method": "declared", "optional": True, "not_applicable": {"to": "二"}},
      {"name": "二", "weight": 50, "method": "declared", "optional": True, "not_applicable": {"to": "一"}}],
     "成环"),
    ([{"name": "甲", "weight": 100, "children": [{"name": "乙", "weight": 100, "children": [
        {"name": "丙", "weight": 100, "indicators": "workbook"}]}]}], "只能在第一或第二层"),
    ([{"name": "调整", "weight": 100, "method": "measure", "measure": "预算调整率"}], "只适用于"),
    ([{"name": "组", "weight": 100, "optional": True, "children": [{"name": "一", "weight": 100, "method": "declared"}]}],
     "分组节点不能标为可不适用"),
    ([{"name": "甲", "weight": 50, "indicators": "workbook", "match": "any"},
      {"name": "乙", "weight": 50, "indicators": "workbook", "match": "any"}], "至多一个"),
    ([{"name": "调整", "weight": 100, "method": "measure", "measure": "预算调整率", "scale": "steps",
       "steps": [{"max": 0, "points": 100}, {"above": 0, "points": 33.333}]}], "小数位多于"),
])
def test_rulebooks_that_would_score_wrongly_are_refused(tree, said):
    with pytest.raises(RulebookError, match=said):
        validate({"title": "t", "grades": GRADES, "tree": tree}, "t.yaml")


def test_a_chain_of_moves_ends_at_a_node_that_applies(tmp_path, monkeypatch):
    """三 (不适用) → 二 (不适用) → 一: both weights reach 一, and an evaluator may give 一 all of them."""
    rules = rulebook(tmp_path, monkeypatch, "chain", [
        {"name": "一", "weight": 40, "method": "declared"},
        {"name": "二", "weight": 30, "method": "declared", "optional": True, "not_applicable": {"to": "一"}},
        {"name": "三", "weight": 30, "method": "declared", "optional": True, "not_applicable": {"to": "二"}}])
    rows = [declared("一", "一", "一", 100), declared("二", "二", "二", None, "不适用"),
            declared("三", "三", "三", None, "不适用")]
    dy, _ = scored(tmp_path, workbook(tmp_path, rules, 10, 10, rows))
    card = scoring.score(dy)
    assert (card.total, card.max_points, card.items[0].weight) == (100, 100, 100)
    assert card.notes == ["“二”不适用，其分值 30 分并入“一”", "“三”不适用，其分值 30 分并入“一”"]


def test_a_declared_score_above_the_leafs_own_weight_is_refused_at_intake(tmp_path, monkeypatch):
    rules = rulebook(tmp_path, monkeypatch, "plain", [{"name": "一", "weight": 60, "method": "declared"},
                                                       {"name": "二", "weight": 40, "method": "declared"}])
    rows = [declared("一", "一", "一", 61), declared("二", "二", "二", 40)]
    with pytest.raises(WorkbookError, match="第2行，列“自评得分”.*不能超过分值 60"):
        scored(tmp_path, workbook(tmp_path, rules, 10, 10, rows))


def test_a_whole_optional_node_marked_not_applicable_moves_its_weight(tmp_path, monkeypatch):
    """A 满意度 row marked 不适用 is the node 不适用 — its 10 go to 产出 (60), not a rescale (10号's tree with the
    satisfaction node optional and moving to 产出指标)."""
    rules = rulebook(tmp_path, monkeypatch, "moving", [
        {"name": "预算执行率", "weight": 10, "method": "measure", "measure": "预算执行率"},
        {"name": "产出指标", "weight": 50, "indicators": "workbook"},
        {"name": "效益指标", "weight": 30, "indicators": "workbook"},
        {"name": "满意度指标", "weight": 10, "indicators": "workbook", "optional": True,
         "not_applicable": {"to": "产出指标"}}])
    rows = [row("产出指标", "数量指标", "甲", "定量", "≥10个", 10, 60),
            row("效益指标", "社会效益指标", "乙", "定性", "提升", "达成年度指标", 30),
            {**row("满意度指标", "服务对象满意度指标", "丙", None, None, "不适用", 10)}]
    dy, _ = scored(tmp_path, workbook(tmp_path, rules, 10, 10, rows))
    card = scoring.score(dy)
    assert (card.total, card.subtotals["产出指标"]["weight"]) == (100, 60)
    assert "并入“产出指标”" in card.notes[0] and "折算" not in card.total_basis


def test_a_not_applicable_row_needs_no_nature_and_shows_its_typed_target(tmp_path):
    rows = [row("产出指标", "数量指标", "甲", "定量", "≥10个", 10, 40),
            row("产出指标", "数量指标", "乙", None, "≥5个", "不适用", 10),
            row("效益指标", "社会效益指标", "丙", "定性", "提升", "达成年度指标", 30),
            row("满意度指标", "服务对象满意度指标", "丁", "定量", "≥90%", "95%", 10, "%")]
    dy, _ = scored(tmp_path, workbook(tmp_path, "national-2020", 10, 10, rows))
    card = scoring.score(dy)
    na = card.indicators[1]
    assert not na.applicable and card.total == 100 and "折算为百分制" in card.total_basis
    shown = form.rows(card, dy, load_rulebook("national-2020"))[1]
    assert "≥5个" in shown and "不适用" in shown and not any("nan" in str(c).lower() for c in shown)


def test_per_item_deductions_count_once_and_a_not_applicable_leaf_takes_none(tmp_path, monkeypatch):
    rules = rulebook(tmp_path, monkeypatch, "ded", [
        {"name": "管理", "weight": 6, "method": "deduction", "items": [
            {"name": "未制定制度", "points": 2, "per": "项"}, {"name": "违规", "points": 1.5, "per": "次"}]},
        {"name": "公开", "weight": 4, "method": "deduction", "optional": True, "items": [{"name": "未公开", "points": 1}]},
        {"name": "其他", "weight": 90, "method": "declared"}])
    def ded(name, item, count, reason):
        return {"一级指标": name, "二级指标": name, "三级指标": name, "扣分项": item, "次数": count, "原因": reason}
    rows = [declared("其他", "其他", "其他", 90)]
    found = [ded("管理", "未制定制度", 1, "缺财务制度"), ded("管理", "未制定制度", 1, "缺资产制度"),
             ded("管理", "违规", 2, "两笔超范围")]
    dy, _ = scored(tmp_path, workbook(tmp_path, rules, 10, 10, rows, sheets={"扣分事项": found}))
    item = next(i for i in scoring.score(dy).items if i.name == "管理")
    assert item.score == 1 and item.basis.endswith("1 = 6 − 2 − 3")      # 2 once, 1.5 × 2
    rows.append(declared("公开", "公开", "公开", None, "不适用"))
    with pytest.raises(WorkbookError, match="工作表“扣分事项”，第2行.*标为不适用"):
        scored(tmp_path / "x", workbook(tmp_path, rules, 10, 10, rows, sheets={"扣分事项": [ded("公开", "未公开", 1, "x")]}))


def test_a_top_level_fixed_leaf_takes_the_row_the_template_writes(tmp_path, monkeypatch):
    rules = rulebook(tmp_path, monkeypatch, "top", [{"name": "满意度", "weight": 10, "method": "declared"},
                                                     {"name": "其他", "weight": 90, "indicators": "workbook"}])
    rows = [declared("满意度", "满意度", "满意度", 8), row("其他", "数量", "甲", "定量", "≥1个", 1, 90)]
    dy, _ = scored(tmp_path, workbook(tmp_path, rules, 10, 10, rows))
    assert scoring.score(dy).total == 98


def test_chongqing_rows_may_name_the_open_node_itself():
    from evalnb.rules.tree import place

    tree = load_rulebook("chongqing-dept").spec.tree
    assert place(tree, "绩效指标", "产出", "甲").open and place(tree, "产出指标", "数量", "甲").open


def test_an_uncomputable_measure_keeps_the_report_a_draft(tmp_path):
    """dept-53 without 部门情况: 在职人员控制率 and the "三公经费" rows cannot be computed — an error finding
    naming why, not a silent 0."""
    fixed = [declared(l1, l2, l3, s) for l1, l2, l3, s in (
        ("投入", "预算配置", "重点支出安排率", 5), ("过程", "预算执行", "资金结余", 3),
        ("过程", "预算管理", "预决算信息公开性", 3),
        ("过程", "预算管理", "基础信息完善性", 2), ("过程", "资产管理", "固定资产利用率", 3))]
    own = [row("产出", "职责履行", "办结率", "定量", "≥95%", "96%", 18, "%"),
           row("效果", "履职效益", "满意度", "定量", "≥90%", "93%", 18, "%")]
    dy, _ = scored(tmp_path, workbook(tmp_path, "dept-53", 100, 100, fixed + own))
    found = [f for f in checks.run_checks(dy) if f.code == "measure-uncomputable"]
    assert {f.indicator for f in found} >= {"在职人员控制率", "“三公经费”控制率"}
    assert all(f.severity == "error" and "部门情况" in f.message for f in found if f.indicator == "在职人员控制率")
    assert not [f for f in checks.run_checks(dy) if f.code == "unexplained-deviation"]     # 自评 rows miss nothing


def test_data_scored_under_another_rulebook_is_refused_with_its_misfits_not_a_crash(tmp_path):
    rows = [row("产出指标", "数量指标", "甲", "定量", "≥10个", 10, 50),
            row("效益指标", "社会效益指标", "乙", "定性", "提升", "达成年度指标", 30),
            row("满意度指标", "服务对象满意度指标", "丙", "定量", "≥90%", "95%", 10, "%")]
    dy, _ = scored(tmp_path, workbook(tmp_path, "national-2020", 10, 10, rows))
    with pytest.raises(RulebookError) as exc:
        scoring.score(dy, "dept-53")
    assert "一级指标为：投入、过程、产出、效果" in str(exc.value)
    sichuan = scoring.score(dy, "sichuan-project")           # the same tree: fits
    assert sichuan.total == 100


def test_the_annual_execution_row_names_its_own_rate(tmp_path, monkeypatch):
    rules = rulebook(tmp_path, monkeypatch, "initial", [
        {"name": "预算执行率", "weight": 10, "method": "measure", "measure": "年初预算执行率"},
        {"name": "其他", "weight": 90, "indicators": "workbook"}])
    dy, _ = scored(tmp_path, workbook(tmp_path, rules, 100, 90, [row("其他", "数量", "甲", "定量", "≥1个", 1, 90)]))
    card = scoring.score(dy)
    assert (card.execution_name, card.execution_rate, card.execution_score) == ("年初预算执行率", 0.9, 9)
    assert card.parts()[0] == ("年初预算执行率", 10, 9)
