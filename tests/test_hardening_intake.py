"""Nothing is stored that then breaks the store (issue: hardening, second round). Each case reproduced the
failure first: the workbook was stored and `ingest` (then `list`, `score`, `check`, `summary` for every
department) crashed on 0 ÷ 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalnb.errors import WorkbookError
from evalnb.intake.ingest import ingest
from evalnb.store import data
from tests.helpers import file_digest, minimal_content


def _all_zero(content: dict) -> dict:
    for line in content["项目支出"]:
        line["年初预算数（万元）"] = line["全年预算数（万元）"] = line["全年执行数（万元）"] = 0
    return content


def test_a_budget_of_zero_is_refused_at_intake_and_the_store_is_untouched(make_workbook, content, db_url, tmp_path):
    keep = dict(content)
    ingest([make_workbook(keep, "基准局_2024.xlsx")], db_url)
    before = file_digest(tmp_path / "store.sqlite")
    zero = _all_zero(content)
    zero["基本信息"][0]["内容"] = "零预算局"
    with pytest.raises(WorkbookError) as refused:
        ingest([make_workbook(zero, "零预算局_2024.xlsx")], db_url)
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("项目支出", 2, "全年预算数（万元）")
    assert "合计为 0" in problem.expected and "预算执行率" in problem.expected
    assert file_digest(tmp_path / "store.sqlite") == before
    assert data.departments(db_url) == ["测试局"]


def test_a_budget_that_is_not_zero_but_unspent_is_stored_and_scores_zero_execution(make_workbook, content, db_url):
    """A department that has not spent yet is plausible: stored, 执行率 0%."""
    from evalnb.rules.scoring import score

    for line in content["项目支出"]:
        line["全年执行数（万元）"] = 0
    ingest([make_workbook(content)], db_url)
    card = score(data.load("测试局", 2024, db_url))
    assert card.execution_rate == 0 and card.execution_score == 0


def test_list_isolates_a_department_year_that_cannot_be_scored(make_workbook, content, db_url, monkeypatch, capsys):
    """A stored row that cannot be scored (stored by an older version, before intake refused it) is listed
    as such with its department and year; the others are listed with their scores; exit 1."""
    from evalnb.cli.main import main
    from evalnb.intake import read

    ingest([make_workbook(content)], db_url)
    monkeypatch.setattr(read, "check_budget_total", lambda sub, rows: None)    # what an older version stored
    old = _all_zero(minimal_content())
    old["基本信息"][0]["内容"] = "旧局"
    ingest([make_workbook(old, "旧局_2024.xlsx")], db_url)
    assert main(["list", "--db", db_url]) == 1
    out, err = capsys.readouterr()
    assert "测试局" in out and "无法评分" in out and "旧局 2024 无法评分" in err


def test_the_summary_leaves_out_and_names_a_department_year_that_cannot_be_scored(make_workbook, content, db_url,
                                                                                    monkeypatch):
    from evalnb.intake import read
    from evalnb.sections import summary

    ingest([make_workbook(content)], db_url)
    monkeypatch.setattr(read, "check_budget_total", lambda sub, rows: None)    # what an older version stored
    old = _all_zero(minimal_content())
    old["基本信息"][0]["内容"] = "旧局"
    ingest([make_workbook(old, "旧局_2024.xlsx")], db_url)
    frame = summary.year_overview(2024, db_url)
    assert list(frame["department"]) == ["测试局"] and frame.attrs["unscored"][0].startswith("旧局")
    assert "未列入汇总" in summary.intro(frame, 2024) and "旧局" in summary.intro(frame, 2024)


def _sheets(content: dict, accounts=None, facts=None) -> dict:
    return {**content, **({"收支总表": accounts} if accounts else {}), **({"部门情况": facts} if facts else {})}


@pytest.mark.parametrize(("item", "value", "fragment"), [
    ("编制人数", 12.5, "应为整数"), ("在职人数", "12.5", "应为整数"), ("内设机构", 3.5, "应为整数"),
    ("政府采购", "12%", "不能是百分数"),
])
def test_counts_are_whole_and_amounts_are_not_percentages_in_部门情况(make_workbook, content, db_url, item, value,
                                                                      fragment):
    wb = make_workbook(_sheets(content, facts=[{"项目": item, "实际数": value}]))
    with pytest.raises(WorkbookError) as refused:
        ingest([wb], db_url)
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("部门情况", 2, "实际数") and fragment in problem.expected
    assert not Path(db_url.removeprefix("sqlite:///")).exists()         # nothing stored, not even an empty store


def test_a_percentage_in_a_万元_column_of_收支总表_is_refused(make_workbook, content, db_url):
    wb = make_workbook(_sheets(content, accounts=[{"科目": "财政拨款收入", "决算数（万元）": "12%"}]))
    with pytest.raises(WorkbookError) as refused:
        ingest([wb], db_url)
    assert "不能是百分数" in str(refused.value) and "收支总表" in str(refused.value)


def test_whole_counts_and_amounts_are_stored(make_workbook, content, db_url):
    ingest([make_workbook(_sheets(content, facts=[{"项目": "在职人数", "实际数": 40}, {"项目": "政府采购", "实际数": 5.5}]))],
           db_url)
    facts = data.load("测试局", 2024, db_url).facts
    assert dict(zip(facts["item"], facts["actual"], strict=True)) == {"在职人数": 40.0, "政府采购": 5.5}


# ------------------------------------------------------------------ rulebook and params YAML (issue item 6)

def _deep_tree(levels: int) -> str:
    return "title: 深\nsource: x\ntree:\n" + "".join(
        "  " * (2 * i) + f"- name: 节点{i}\n" + "  " * (2 * i) + "  weight: 100\n" + "  " * (2 * i) + "  children:\n"
        for i in range(levels)) + "  " * (2 * levels) + "- {name: 叶, weight: 100, method: declared}\n"


@pytest.mark.parametrize(("text", "fragment"), [
    (_deep_tree(60), "嵌套层数过多"),                                        # was a RecursionError after seconds
    ("title: a\ntitle: b\nsource: x\ntree: []\n", "键“title”重复"),          # was: the last one silently won
    ("tree:" + " [" * 3000 + " ]" * 3000, "嵌套层数过多"),
])
def test_a_hostile_rulebook_is_refused_with_where(tmp_path, text, fragment):
    from evalnb.errors import RulebookError
    from evalnb.rules import load_rulebook

    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulebookError) as refused:
        load_rulebook(str(path))
    assert fragment in str(refused.value) and "hostile.yaml" in str(refused.value)


def test_the_depth_error_names_the_key_path(tmp_path):
    from evalnb.errors import RulebookError
    from evalnb.rules import load_rulebook

    path = tmp_path / "deep.yaml"
    path.write_text(_deep_tree(60), encoding="utf-8")
    with pytest.raises(RulebookError, match=r"位于 tree\[0\]\.children\[0\]\.children"):
        load_rulebook(str(path))


@pytest.mark.parametrize(("count", "fragment"), [(2_000, "2000 个节点，超过上限 500"), (10_000, "内容过多")])
def test_a_rulebook_with_thousands_of_leaves_is_refused_before_validation(tmp_path, count, fragment):
    """A 10,000-leaf tree took 26.5 s to check; now it is refused while it is read."""
    from evalnb.errors import RulebookError
    from evalnb.rules import load_rulebook

    leaves = "".join(f"  - {{name: 指标{i}, weight: 0.01, method: declared}}\n" for i in range(count))
    path = tmp_path / "wide.yaml"
    path.write_text(f"title: 宽\nsource: x\ntree:\n{leaves}", encoding="utf-8")
    with pytest.raises(RulebookError, match=fragment):
        load_rulebook(str(path))
