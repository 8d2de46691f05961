"""Nothing is stored that then breaks the store (issue: hardening, second round). Each case reproduced the
failure first: the workbook was stored and `ingest` (then `list`, `score`, `check`, `summary` for every
department) crashed on 0 ÷ 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalnb.errors import WorkbookError
from evalnb.intake.ingest import ingest
from evalnb.store import data
from tests.helpers import evalnb, file_digest, minimal_content


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


# ------------------------------------------------------------------------------- small items (item 8)

def test_a_failed_write_names_its_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    """A full disk during a render left ``.report.html.….tmp`` beside the report and named no path."""
    import errno

    from evalnb.console import explain
    from evalnb.paths import write_atomic

    target = tmp_path / "report.html"
    target.write_text("上一次的报告", encoding="utf-8")

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OSError) as failed:
        write_atomic(target, "新报告")
    monkeypatch.undo()
    assert failed.value.filename == str(target)
    message, code = explain(failed.value)
    assert "磁盘已满" in message and str(target) in message and code == 5
    assert target.read_text(encoding="utf-8") == "上一次的报告" and sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_read_only_store_says_so(make_workbook, content, tmp_path):
    """A read-only SQLite store read as "无法连接…" (opened read-only here: root ignores file modes)."""
    from sqlalchemy.exc import OperationalError

    from evalnb.console import explain

    db = tmp_path / "store.sqlite"
    ingest([make_workbook(content)], f"sqlite:///{db}")
    content["基本信息"][0]["内容"] = "乙局"
    with pytest.raises(OperationalError) as refused:
        ingest([make_workbook(content, "乙局_2024.xlsx")], f"sqlite:///file:{db}?mode=ro&uri=true")
    message, code = explain(refused.value)
    assert "只读" in message and "无法连接" not in message and code == 4


def test_a_rulebook_that_is_not_a_file_says_so(tmp_path):
    """A FIFO named as the rulebook read as "找不到"."""
    import os

    from evalnb.errors import RulebookError
    from evalnb.rules import rulebook_path

    fifo = tmp_path / "rules.yaml"
    os.mkfifo(fifo)
    with pytest.raises(RulebookError, match="不是普通文件"):
        rulebook_path(str(fifo))
    with pytest.raises(RulebookError, match="找不到评分规则文件 .*absent.yaml$"):
        rulebook_path(str(tmp_path / "absent.yaml"))


def test_a_real_workbook_named_like_a_lock_file_is_imported(make_workbook, content, db_url, tmp_path):
    """A real workbook named ``~$…`` was skipped as a lock file, and ingest exited 0 having imported nothing."""
    real = make_workbook(content, "~$测试局_2024.xlsx")
    loaded = ingest([real], db_url)
    assert [item.submission.profile["department"] for item in loaded] == ["测试局"] and not loaded.skipped


def test_ingest_that_imports_nothing_fails(tmp_path, db_url):
    from tests import fuzz_workbooks as fw

    lock = tmp_path / "~$测试局_2024.xlsx"
    lock.write_bytes(fw.lock_file(__import__("random").Random(0)).data)
    result = evalnb("ingest", str(lock), "--db", db_url)
    assert result.returncode == 2 and "没有导入任何工作簿" in result.stderr and "锁定文件" in result.stdout


def test_millions_of_unused_shared_strings_are_refused_before_openpyxl_reads_them(tmp_path):
    """3,000,000 unused shared strings were read for 164 s; the count is capped at what the sheets could use."""
    import re as _re

    from evalnb.intake.read import read_workbook
    from evalnb.limits import current
    from tests import fuzz_workbooks as fw

    limits = current()
    cap = limits.rows * limits.columns
    extra = b"".join(b"<si><t>x%d</t></si>" % i for i in range(cap + 1))

    def pad(name: str, body: bytes) -> bytes:
        if name.lower() != "xl/sharedstrings.xml":
            return body
        return _re.sub(rb"</sst>\s*$", extra + b"</sst>", body)
    excel_like = tmp_path / "as-excel-writes-it.xlsx"          # with a shared-string table, as Excel writes
    excel_like.write_bytes(fw.shared_strings_bytes())
    assert read_workbook(excel_like).profile["department"] == "测试局"
    padded = tmp_path / "padded.xlsx"
    padded.write_bytes(fw.rezip(excel_like.read_bytes(), pad))
    with pytest.raises(WorkbookError, match="共享字符串超过"):
        read_workbook(padded)


@pytest.mark.parametrize("control", ["\u202e", "\u2067", "\u200f"])
def test_a_bidi_control_in_a_name_is_refused_where_it_is(make_workbook, content, db_url, control):
    """A name holding U+202E was stored and shown reversed in the report, the memo and the mail subject."""
    content["基本信息"][0]["内容"] = f"{control}局名"
    with pytest.raises(WorkbookError) as refused:
        ingest([make_workbook(content)], db_url)
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("基本信息", 2, "内容")
    assert f"U+{ord(control):04X}" in problem.expected and "文字方向" in problem.expected
