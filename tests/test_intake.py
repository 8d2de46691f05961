"""Every validation rule, each with a workbook built to break it."""

import os
import random
import re
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from evalnb import limits
from evalnb.errors import EvalnbError, WorkbookError
from evalnb.intake.ingest import ingest, validate_all
from evalnb.intake.read import read_workbook
from evalnb.workbook import SHEETS
from tests import fuzz_workbooks as fw
from tests.helpers import ROOT, minimal_content


def problems_of(path):
    with pytest.raises(WorkbookError) as exc:
        read_workbook(path)
    return exc.value.problems


def only(problems):
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_valid_minimal_workbook_reads(make_workbook, content):
    sub = read_workbook(make_workbook(content))
    assert sub.profile["department"] == "测试局"
    assert sub.row_counts == {"texts": 3, "budget": 2, "indicators": 3, "team": 1, "accounts": 0, "facts": 0, "projects": 0,
                              "deductions": 0}
    sat = sub.indicators[2]
    assert sat["direction"] == "≥" and sat["target"] == 90 and sat["actual"] == 92


def test_bad_number_is_located_by_file_sheet_row_and_column(make_workbook, content):
    content["项目支出"][1]["全年执行数（万元）"] = "六十"
    p = only(problems_of(make_workbook(content)))
    assert (p.file, p.sheet, p.row) == ("测试局_2024.xlsx", "项目支出", 3)
    assert (p.column, p.value) == ("全年执行数（万元）", "六十")
    assert "应为数字" in p.expected
    assert "第3行" in str(p) and "全年执行数（万元）" in str(p)


def test_all_problems_are_reported_at_once(make_workbook, content):
    content["项目支出"][0]["全年预算数（万元）"] = "abc"
    content["绩效指标"][0]["指标性质"] = "定额"
    content["评价工作组"][0]["组内分工"] = "组员"
    content["基本信息"] = [{"字段": "部门名称", "内容": "测试局"}]
    problems = problems_of(make_workbook(content))
    where = {(p.sheet, p.column) for p in problems}
    assert {("项目支出", "全年预算数（万元）"), ("绩效指标", "指标性质"), ("评价工作组", "组内分工")} <= where
    assert any("年度" in p.expected for p in problems)


def test_missing_sheet(make_workbook, content, tmp_path):
    path = make_workbook(content)
    book = load_workbook(path)
    del book["评价工作组"]
    book.save(path)
    p = only(problems_of(path))
    assert p.sheet == "评价工作组" and "缺少工作表" in p.expected


def test_missing_required_column_and_extra_column_noted(make_workbook, content):
    path = make_workbook(content)
    book = load_workbook(path)
    ws = book["项目支出"]
    ws.cell(1, 3).value = "资金渠道"      # renamed: 资金来源 is missing now
    ws.cell(1, 9).value = "经办人"        # an extra column is fine
    book.save(path)
    p = only(problems_of(path))
    assert (p.sheet, p.row, p.column) == ("项目支出", 1, "资金来源")
    ws.cell(1, 3).value = "资金来源"
    book.save(path)
    assert any("经办人" in n for n in read_workbook(path).notes)


def test_headers_match_with_full_or_half_width_brackets(make_workbook, content):
    path = make_workbook(content)
    book = load_workbook(path)
    book["项目支出"].cell(1, 5).value = "全年预算数(万元)"
    book.save(path)
    assert read_workbook(path).budget[1]["budget"] == 60


def test_unknown_text_section_lists_the_allowed_ones(make_workbook, content):
    content["文字材料"].append({"章节": "工作亮点", "内容": "……"})
    p = only(problems_of(make_workbook(content)))
    assert p.column == "章节" and p.value == "工作亮点"
    assert "主要职能" in p.expected and "改进措施" in p.expected


@pytest.mark.parametrize(("column", "value", "fragment"), [
    ("指标性质", "定额", "定量、定性"),
    ("指标方向", "≈", "≥、≤、="),
    ("实际完成值", "120个", "计量单位为 人次"),
    ("一级指标", "成本指标", "产出指标、效益指标、满意度指标"),
    ("分值", "-5", "不小于 0"),
    ("是否核心指标", "Y", "是、否"),
])
def test_indicator_rules(make_workbook, content, column, value, fragment):
    content["绩效指标"][0][column] = value
    p = only(problems_of(make_workbook(content)))
    assert (p.sheet, p.row, p.column) == ("绩效指标", 2, column)
    assert fragment in p.expected


def test_quantitative_indicator_needs_a_unit(make_workbook, content):
    content["绩效指标"][0]["计量单位"] = None
    p = only(problems_of(make_workbook(content)))
    assert p.column == "计量单位" and "定量指标必填计量单位" in p.expected


def test_qualitative_actual_must_be_one_of_three_grades(make_workbook, content):
    content["绩效指标"][1]["实际完成值"] = "还行吧"
    p = only(problems_of(make_workbook(content)))
    assert p.row == 3 and "部分达成年度指标并具有一定效果" in p.expected


def test_comparison_scopes_and_bases_pair_up(make_workbook, content):
    content["绩效指标"][0].update({"比较范围": "全市；全省", "比较基数": "1,000"})
    p = only(problems_of(make_workbook(content)))
    assert p.column == "比较基数" and "一一对应" in p.expected
    content["绩效指标"][0]["比较基数"] = "1,000；5000人次"
    sub = read_workbook(make_workbook(content))
    assert (sub.indicators[0]["scope"], sub.indicators[0]["base"]) == ("全市；全省", "1000；5000")


def test_a_share_the_source_states_is_kept_as_typed(make_workbook, content):
    """比较基数 27% (the seed: "占全市27%", no total given): kept as typed; a share above 100% is refused."""
    content["绩效指标"][0].update({"比较范围": "全市；全省", "比较基数": "27%；1,000"})
    sub = read_workbook(make_workbook(content))
    assert sub.indicators[0]["base"] == "27%；1000"
    content["绩效指标"][0]["比较基数"] = "127%；1000"
    p = only(problems_of(make_workbook(content)))
    assert (p.row, p.column) == (2, "比较基数") and "不超过 100% 的占比" in p.expected


def test_an_approximate_actual_is_scored_by_its_number_and_written_as_typed(make_workbook, content):
    """超10 / 2700余 (the seed: "授信超10亿元", "2700余家"): scored as 10 and 2700, shown with the qualifier and
    the unit; only on ≥ indicators (on a ≤ one "more than" would score too well), else located and refused."""
    content["绩效指标"][0].update({"实际完成值": "1200余人次"})
    ind = read_workbook(make_workbook(content)).indicators[0]
    assert (ind["actual"], ind["actual_text"]) == (Decimal(1200), "1200余人次")
    content["绩效指标"][0].update({"实际完成值": "超1200"})
    ind = read_workbook(make_workbook(content)).indicators[0]
    assert (ind["actual"], ind["actual_text"]) == (Decimal(1200), "超1200人次")
    content["绩效指标"][0].update({"指标方向": "≤"})
    p = only(problems_of(make_workbook(content)))
    assert (p.row, p.column) == (2, "实际完成值") and "只能用于指标方向为 ≥ 的指标" in p.expected


def test_duplicates_are_errors(make_workbook, content):
    content["项目支出"].append(dict(content["项目支出"][0]))
    content["绩效指标"].append(dict(content["绩效指标"][0]))
    problems = problems_of(make_workbook(content))
    assert {(p.sheet, p.row) for p in problems} == {("项目支出", 4), ("绩效指标", 5)}
    assert all("重复" in p.expected for p in problems)


def test_profile_rules(make_workbook, content):
    content["基本信息"] = [{"字段": "部门名称", "内容": "测试局"}, {"字段": "年度", "内容": "二〇二四"},
                        {"字段": "评分规则", "内容": "atlantis"}, {"字段": "数据性质", "内容": "草稿"},
                        {"字段": "负责人", "内容": "张三"}]
    problems = problems_of(make_workbook(content))
    text = "\n".join(str(p) for p in problems)
    assert "第3行" in text and "应为数字" in text               # 年度
    assert "'atlantis'" in text and "national-2020" in text        # the rulebook error, whatever its wording
    assert "正式、示例" in text
    assert "负责人" in text                                     # unknown field


def test_empty_data_sheets_are_errors(make_workbook, content):
    content["项目支出"] = []
    p = only(problems_of(make_workbook(content)))
    assert p.sheet == "项目支出" and "至少需要一行" in p.expected


def test_not_an_excel_file(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("这不是工作簿", encoding="utf-8")
    p = only(problems_of(path))
    assert p.file == "notes.xlsx" and ".xlsx" in p.expected
    missing = only(problems_of(tmp_path / "nope.xlsx"))
    assert "无法读取" in missing.expected


def test_workbook_written_by_plain_openpyxl_without_template(tmp_path, content):
    """A user may build the workbook from scratch: only sheet names and headers matter; the optional
    sheets of contract v2 (收支总表, 部门情况) may be left out, as a v1 workbook does."""
    from evalnb.workbook import SHEETS

    book = Workbook()
    book.remove(book.active)
    for sheet in (s for s in SHEETS if not s.optional):
        ws = book.create_sheet(sheet.name)
        ws.append(sheet.headers)
        for row in content[sheet.name]:
            ws.append([row.get(h) for h in sheet.headers])
    path = tmp_path / "plain.xlsx"
    book.save(path)
    assert read_workbook(path).profile["year"] == 2024


def test_prose_keeps_chinese_punctuation_and_units_fold_to_half_width(make_workbook, content):
    content["文字材料"][0]["内容"] = "负责测试工作，（含抽检）；成效明显！"
    content["绩效指标"][2]["计量单位"] = "％"
    sub = read_workbook(make_workbook(content))
    assert sub.texts[0]["content"] == "负责测试工作，（含抽检）；成效明显！"
    assert sub.indicators[2]["unit"] == "%"


# --- hostile and careless files: one regression test per named case ------------------------------------

def write(path, data):
    path.write_bytes(data)
    return path


def test_excel_lock_files_are_skipped_with_a_note(tmp_path, make_workbook, content, db_url):
    lock = write(tmp_path / "~$测试局_2024.xlsx", fw.lock_file(random.Random(0)).data)
    loaded = ingest([make_workbook(content), lock], db_url)
    assert len(loaded) == 1 and loaded[0].submission.profile["department"] == "测试局"
    assert [s.file for s in loaded.skipped] == ["~$测试局_2024.xlsx"]
    assert "已跳过 ~$测试局_2024.xlsx" in str(loaded.skipped[0]) and "锁定文件" in str(loaded.skipped[0])
    assert validate_all([lock]).skipped and not validate_all([lock])


def test_only_lock_files_load_nothing_and_create_no_store(tmp_path):
    lock = write(tmp_path / "~$x.xlsx", b"\x05zhang")
    result = ingest([lock], f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert list(result) == [] and len(result.skipped) == 1
    assert not (tmp_path / "none.sqlite").exists()


def test_percent_typed_as_a_fraction_beside_a_percentage_is_refused(make_workbook, content):
    content["绩效指标"][2].update({"年度指标值": 90, "实际完成值": 0.93})
    p = only(problems_of(make_workbook(content)))
    assert (p.sheet, p.row, p.column) == ("绩效指标", 4, "实际完成值")
    assert "计量单位为%时，实际完成值 0.93 与年度指标值 90 不在同一量级：若指 93%，请填写 93 或 93%" in p.expected
    content["绩效指标"][2].update({"年度指标值": 0.9, "实际完成值": "92%"})
    p = only(problems_of(make_workbook(content)))
    assert p.column == "年度指标值" and "若指 90%，请填写 90 或 90%" in p.expected


@pytest.mark.parametrize(("target", "actual"), [(90, "0.93%"), (5, 0.5), (90, 93), (0.5, 0.3), (100, 0)])
def test_percent_values_that_are_not_the_fraction_trap(make_workbook, content, target, actual):
    """Typed with a % sign, a genuinely small rate (差错率 5 vs 0.5), both small, or zero: read as typed."""
    content["绩效指标"][2].update({"年度指标值": target, "实际完成值": actual})
    indicator = read_workbook(make_workbook(content)).indicators[2]
    assert indicator["actual"] == Decimal(str(actual).rstrip("%"))


def test_percent_formatted_cell_is_not_the_fraction_trap(make_workbook, content):
    path = make_workbook(content)
    book = load_workbook(path)
    sheet = book["绩效指标"]
    cell = sheet.cell(4, [c.value for c in sheet[1]].index("实际完成值") + 1)      # 实际完成值 of 满意度 (unit %)
    cell.value, cell.number_format = 0.93, "0%"
    book.save(path)
    assert read_workbook(path).indicators[2]["actual"] == 93


def test_limits_come_from_the_environment(monkeypatch):
    assert limits.current({}) == limits.Limits()
    got = limits.current({"EVALNB_MAX_ROWS": "10", "EVALNB_MAX_MONEY": "1e6", "EVALNB_MIN_YEAR": "2000"})
    assert (got.rows, got.money, got.min_year) == (10, Decimal("1e6"), 2000)
    for bad in ("abc", "-1", "0", "1.5", "inf"):
        with pytest.raises(EvalnbError, match="EVALNB_MAX_ROWS"):
            limits.current({"EVALNB_MAX_ROWS": bad})


def test_file_larger_than_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALNB_MAX_FILE_MB", "1")
    p = only(problems_of(write(tmp_path / "big.xlsx", b"PK\x03\x04" + bytes(1024 * 1024 + 1))))
    assert "文件过大" in p.expected and "1 MB" in p.expected


def test_far_away_cell_is_refused_quickly_and_in_little_memory(tmp_path, make_workbook, content):
    """One cell at XFD1048576 in a small file once made the reader allocate the whole sheet."""
    path = make_workbook(content)
    book = load_workbook(path)
    book["项目支出"]["XFD1048576"] = 1
    book.save(path)
    script = textwrap.dedent("""
        import resource, sys, time
        from evalnb.errors import WorkbookError
        from evalnb.intake.read import read_workbook

        def run(path):
            try:
                read_workbook(path)
            except WorkbookError as exc:
                return exc.problems

        run(sys.argv[2])                      # a valid workbook first: imports and caches are not the far cell's
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        problems = run(sys.argv[1])
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(time.perf_counter() - started, grown)
        print(problems[0])
    """)
    valid = make_workbook(minimal_content(), "valid.xlsx")
    result = subprocess.run([sys.executable, "-c", script, str(path), str(valid)], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    timing, message = result.stdout.splitlines()
    seconds, grown_kb = timing.split()
    assert float(seconds) < 20                      # a hang guard: it takes milliseconds
    assert int(grown_kb) < 100 * 1024               # no more than 100 MB beyond reading a valid workbook
    assert "工作表“项目支出”" in message and "XFD1048576" in message and "5000 行、50 列" in message


@pytest.mark.parametrize(("coord", "refused"), [("ZZ20000", True), ("A5001", True), ("AY2", True), ("AX5000", False)])
def test_sheet_bounds(make_workbook, content, coord, refused):
    path = make_workbook(content)
    book = load_workbook(path)
    book["评价工作组"][coord] = "x"
    book.save(path)
    if not refused:
        assert read_workbook(path).team[0]["name"] == "张三"
        return
    p = only(problems_of(path))
    assert p.sheet == "评价工作组" and coord in p.expected and "超出允许范围" in p.expected


def test_forged_dimension_is_not_trusted(tmp_path):
    data = fw.edit_sheet_xml(fw.base_bytes(), "项目支出",
                             lambda x: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', x))
    assert read_workbook(write(tmp_path / "forged.xlsx", data)).row_counts["budget"] == 2


@pytest.mark.parametrize(("sheet", "index", "column", "length", "limit"), [
    ("评价工作组", 0, "职务", 201, 200),           # the store's column width
    ("项目支出", 0, "项目类别", 201, 200),
    ("绩效指标", 0, "三级指标", 501, 500),
    ("绩效指标", 1, "年度指标值", 2001, 2000),     # short fields
    ("文字材料", 0, "内容", 10001, 10000),         # paragraphs
])
def test_text_longer_than_its_limit_is_refused(make_workbook, content, sheet, index, column, length, limit):
    content[sheet][index][column] = "字" * length
    p = only(problems_of(make_workbook(content)))
    assert (p.sheet, p.row, p.column) == (sheet, index + 2, column)
    assert f"共 {length} 个字符，此列最多 {limit} 个字符" in p.expected and len(p.value) < 100
    content[sheet][index][column] = "字" * limit
    read_workbook(make_workbook(content))


@pytest.mark.parametrize(("sheet", "index", "column", "value", "fragment"), [
    ("项目支出", 0, "全年执行数（万元）", 1e15, "金额过大"),
    ("项目支出", 0, "全年预算数（万元）", 1e12, "金额过大"),
    ("绩效指标", 0, "分值", 1e22, "0 到 100"),
    ("绩效指标", 0, "分值", 100.5, "0 到 100"),
    ("绩效指标", 0, "自评得分", 101, "0 到 100"),
    ("绩效指标", 0, "实际完成值", 1e15, "绝对值应小于 1e15"),
    ("绩效指标", 0, "年度指标值", "0.1234567890123456789012345", "此值有 25 位"),
    ("绩效指标", 0, "实际完成值", 120.1234567, "最多 6 位小数"),
    ("绩效指标", 0, "上年完成值", "1" + "0" * 30, "绝对值应小于 1e15"),
    ("基本信息", 1, "内容", 1e30, "绝对值应小于 1e15"),
    ("基本信息", 1, "内容", 1989, "1990–2100"),
    ("基本信息", 1, "内容", 2101, "1990–2100"),
])
def test_numbers_out_of_range_are_located_errors(make_workbook, content, sheet, index, column, value, fragment):
    content[sheet][index][column] = value
    p = only(problems_of(make_workbook(content)))
    assert (p.sheet, p.row, p.column) == (sheet, index + 2, column) and fragment in p.expected


def test_declared_total_and_comparison_base_out_of_range(make_workbook, content):
    content["基本信息"].append({"字段": "自评总分", "内容": 1e30})
    content["绩效指标"][0].update({"比较范围": "全市", "比较基数": 1e40})
    problems = problems_of(make_workbook(content))
    where = {(p.sheet, p.row, p.column): p.expected for p in problems}
    assert "0 到 100" in where[("基本信息", 4, "内容")] and "绝对值应小于 1e15" in where[("绩效指标", 2, "比较基数")]
    assert len(problems) == 2


def test_numbers_within_range_keep_their_value(make_workbook, content):
    content["项目支出"][0].update({"年初预算数（万元）": 999999999999.5, "全年预算数（万元）": "1,000.500000000",
                               "全年执行数（万元）": 0.1 + 0.2})
    content["基本信息"][1]["内容"] = 2100
    sub = read_workbook(make_workbook(content))
    line = sub.budget[0]
    assert (line["initial"], line["budget"], line["executed"]) == (Decimal("999999999999.5"), Decimal("1000.5"), Decimal("0.3"))


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "1e999"])
def test_nan_and_infinity_in_a_number_cell(tmp_path, bad):
    data = fw.edit_sheet_xml(fw.base_bytes(), "项目支出", lambda x: x.replace("<v>95</v>", f"<v>{bad}</v>"))
    p = only(problems_of(write(tmp_path / "nan.xlsx", data)))
    assert (p.sheet, p.row, p.column, p.value) == ("项目支出", 2, "全年执行数（万元）", bad)
    assert "NaN 或无穷大" in p.expected


def test_year_infinity_is_a_located_error(tmp_path):
    data = fw.edit_sheet_xml(fw.base_bytes(), "基本信息", lambda x: x.replace("<v>2024</v>", "<v>inf</v>"))
    p = only(problems_of(write(tmp_path / "year.xlsx", data)))
    assert (p.sheet, p.row, p.column) == ("基本信息", 3, "内容")


@pytest.mark.parametrize("doctype", fw.DOCTYPES)
def test_doctype_and_external_entities_are_refused_unexpanded(tmp_path, doctype):
    def inject(name, body):
        if name != "xl/workbook.xml":
            return body
        return b'<?xml version="1.0"?>\n' + doctype + b"\n" + body
    p = only(problems_of(write(tmp_path / "xxe.xlsx", fw.rezip(fw.base_bytes(), inject))))
    assert p.file == "xxe.xlsx" and "DOCTYPE" in p.expected and "xl/workbook.xml" in p.expected
    assert "root:" not in str(p)


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.999])
def test_truncated_zip(tmp_path, cut):
    data = fw.base_bytes()
    p = only(problems_of(write(tmp_path / "cut.xlsx", data[: int(len(data) * cut)])))
    assert p.file == "cut.xlsx" and "文件已损坏" in p.expected


@pytest.mark.parametrize("junk", [b"\x01", b"&#1;", b"\x00"])
def test_control_characters_in_sheet_xml(tmp_path, junk):
    data = fw.edit_sheet_xml(fw.base_bytes(), "评价工作组", lambda x: fw.replace_text(x, "张三", "张三" + junk.decode()))
    p = only(problems_of(write(tmp_path / "ctrl.xlsx", data)))
    assert (p.sheet, p.row) == ("评价工作组", 2) and "不是有效的 XML" in p.expected


def test_control_characters_in_the_shared_strings(tmp_path):
    data = fw.rezip(fw.shared_strings_bytes(),
                    lambda n, b: fw.replace_text(b.decode(), "张三", "张三\x02").encode() if n == "xl/sharedStrings.xml"
                    else b)
    p = only(problems_of(write(tmp_path / "sst.xlsx", data)))
    assert p.file == "sst.xlsx" and "文件已损坏" in p.expected


def test_shared_strings_like_excel_writes_them(tmp_path):
    assert read_workbook(write(tmp_path / "excel.xlsx", fw.shared_strings_bytes())).row_counts["indicators"] == 3


def test_missing_styles_part_is_read(tmp_path):
    data = fw.rezip(fw.base_bytes(), lambda n, b: None if n == "xl/styles.xml" else b)
    assert read_workbook(write(tmp_path / "nostyles.xlsx", data)).row_counts["budget"] == 2


@pytest.mark.parametrize("index", ["99999", "-1", "abc"])
def test_shared_string_index_out_of_range(tmp_path, index):
    data = fw.shared_strings_bytes()
    data = fw.edit_sheet_xml(data, "评价工作组", lambda x: re.sub(r'(<c r="A2"[^>]*><v>)\d+', rf"\g<1>{index}", x))
    p = only(problems_of(write(tmp_path / "sst.xlsx", data)))
    assert (p.sheet, p.row, p.column) == ("评价工作组", 2, "姓名") and "文件已损坏" in p.expected


def test_chartsheet_in_place_of_a_data_sheet(tmp_path):
    p = only(problems_of(write(tmp_path / "chart.xlsx", fw.chartsheet(random.Random(3)).data)))
    assert "图表工作表" in p.expected and p.sheet in {s.name for s in SHEETS}


@pytest.mark.parametrize(("kind", "name", "fragment"), [
    ("encrypted", "加密.xlsx", "文件已加密"),
    ("xls", "旧表.xls", "这是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 中另存为 .xlsx"),
    ("xls", "改名.xlsx", "这是旧版 Excel 97-2003 (.xls) 文件"),
    ("csv", "数据.csv", "这是 CSV 文本文件"),
    ("csv", "数据.xlsx", "这是 CSV 文本文件"),
    ("pdf", "报告.pdf", "这是 PDF 文件"),
    ("pdf", "报告.xlsx", "这是 PDF 文件"),
    ("html", "导出.xls", "网页 (HTML)"),
    ("ods", "表.ods", "OpenDocument 表格"),
    ("empty", "空.xlsx", "文件为空"),
])
def test_files_that_are_not_xlsx_say_what_they_are(tmp_path, kind, name, fragment):
    p = only(problems_of(write(tmp_path / name, fw.NOT_WORKBOOKS[kind][0]())))
    assert (p.file, p.sheet) == (name, "-") and fragment in p.expected


def test_folders_devices_and_pipes_are_refused_without_reading(tmp_path):
    assert "文件夹" in only(problems_of(tmp_path)).expected
    if Path("/dev/zero").exists():
        assert "不是普通文件" in only(problems_of("/dev/zero")).expected


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_does_not_hang_the_cli(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "evalnb.cli", "ingest", str(fifo), "--db", f"sqlite:///{tmp_path / 's.db'}"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 2 and "不是普通文件" in result.stderr and "Traceback" not in result.stderr


def test_duplicate_header_names_both_columns(make_workbook, content):
    path = make_workbook(content)
    book = load_workbook(path)
    book["项目支出"].cell(1, 9).value = "全年执行数(万元)"      # F1 says 全年执行数（万元）
    book.save(path)
    p = only(problems_of(path))
    assert (p.sheet, p.row, p.column) == ("项目支出", 1, "全年执行数（万元）")
    assert "F 列“全年执行数（万元）”" in p.expected and "I 列“全年执行数(万元)”" in p.expected


def test_invisible_control_character_in_text(make_workbook, content):
    content["评价工作组"][0]["工作单位"] = "测试\x7f局"
    p = only(problems_of(make_workbook(content)))
    assert (p.sheet, p.row, p.column) == ("评价工作组", 2, "工作单位") and "U+007F" in p.expected


@pytest.mark.parametrize("name", ["规" * 100, "/dev/zero", "x.yaml"])
def test_rulebook_names_that_cannot_be_files(make_workbook, content, name):
    """A name longer than the file system allows once escaped as OSError (File name too long)."""
    content["基本信息"].append({"字段": "评分规则", "内容": name})
    p = only(problems_of(make_workbook(content)))
    assert (p.sheet, p.row, p.column) == ("基本信息", 4, "内容") and "评分规则无效" in p.expected


def test_decompressed_size_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALNB_MAX_UNZIPPED_MB", "1")
    data = fw.rezip(fw.base_bytes(), add={"xl/media/padding.bin": bytes(2 * 1024 * 1024)})
    p = only(problems_of(write(tmp_path / "bomb.xlsx", data)))
    assert "解压后" in p.expected and "1 MB" in p.expected
    monkeypatch.delenv("EVALNB_MAX_UNZIPPED_MB")
    assert read_workbook(tmp_path / "bomb.xlsx").row_counts["budget"] == 2


def test_libreoffice_lock_files_are_skipped_too(tmp_path):
    lock = write(tmp_path / ".~lock.测试局_2024.xlsx#", b",zhang,host,30.11.2025 14:00,file:///home/zhang;")
    assert "LibreOffice" in str(validate_all([lock]).skipped[0])


def test_a_workbook_cannot_point_its_rulebook_at_a_file(make_workbook, content, tmp_path):
    rulebook = tmp_path / "mine.yaml"
    rulebook.write_text((Path(__file__).parents[1] / "evalnb" / "rules" / "national-2020.yaml").read_text(encoding="utf-8"),
                        encoding="utf-8")
    content["基本信息"].append({"字段": "评分规则", "内容": str(rulebook)})
    with pytest.raises(WorkbookError) as exc:
        read_workbook(make_workbook(content))
    assert "不能是文件路径" in str(exc.value) and "评分规则" in str(exc.value)


@pytest.mark.parametrize(("typed", "expected"), [("2025-03-10", "2025-03-10"), ("2025年3月10日", "2025-03-10"),
                                                 ("2025/3/9", "2025-03-09"), (None, None)])
def test_report_date_and_attachment_number(make_workbook, content, typed, expected):
    import datetime

    if typed:
        content["基本信息"].append({"字段": "报告日期", "内容": typed})
    content["基本信息"].append({"字段": "附件编号", "内容": "附件4"})
    sub = read_workbook(make_workbook(content))
    assert sub.profile["attachment"] == "附件4"
    assert sub.profile["report_date"] == (datetime.date.fromisoformat(expected) if expected else None)


def test_a_report_date_that_is_no_date_is_located(make_workbook, content):
    content["基本信息"].append({"字段": "报告日期", "内容": "三月中旬"})
    with pytest.raises(WorkbookError) as exc:
        read_workbook(make_workbook(content))
    problem = exc.value.problems[0]
    assert problem.sheet == "基本信息" and problem.row == 4 and "应为日期" in problem.expected


@pytest.mark.parametrize(("target", "actual", "unit", "expected"), [
    ("≥50个", 52, None, ("≥", 50, 52, "个")),              # direction, value and unit in one cell
    ("≤90万元", 85, "万元", ("≤", 90, 85, "万元")),
    ("前20位", "第17位", None, ("≤", 20, 17, "位")),         # a rank ceiling and an ordinal rank
    ("＝100%", "100%", "%", ("=", 100, 100, "%")),        # full-width: a leading "=" would be an Excel formula
    ("＞＝60", 61, "分", ("≥", 60, 61, "分")),              # full-width >= folds to ≥
])
def test_targets_as_real_forms_write_them(make_workbook, content, target, actual, unit, expected):
    content["绩效指标"][0].update({"指标方向": None, "年度指标值": target, "实际完成值": actual, "计量单位": unit})
    ind = read_workbook(make_workbook(content)).indicators[0]
    assert (ind["direction"], ind["target"], ind["actual"], ind["unit"]) == expected


def test_a_rank_scored_upward_is_refused_with_the_fix(make_workbook, content):
    """Issue: a rank typed with direction ≥ was scored against the department (第17 against 第20)."""
    content["绩效指标"][0].update({"指标方向": "≥", "年度指标值": 20, "实际完成值": "第17位", "计量单位": "位"})
    with pytest.raises(WorkbookError) as caught:
        read_workbook(make_workbook(content))
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("绩效指标", 2, "指标方向")
    assert "应为 ≤" in problem.expected and "前20位" in problem.expected


def test_a_direction_in_the_cell_must_agree_with_the_column(make_workbook, content):
    content["绩效指标"][0].update({"指标方向": "≤", "年度指标值": "≥100"})
    with pytest.raises(WorkbookError) as caught:
        read_workbook(make_workbook(content))
    assert "不一致" in caught.value.problems[0].expected


@pytest.mark.parametrize(("typed", "grade"), [
    ("达成预期指标", "达成年度指标"), ("效果明显", "达成年度指标"), ("好", "达成年度指标"),
    ("基本达成", "部分达成年度指标并具有一定效果"), ("未达成", "未达成年度指标且效果较差"),
])
def test_qualitative_answers_as_real_forms_write_them(make_workbook, content, typed, grade):
    content["绩效指标"][1]["实际完成值"] = typed
    assert read_workbook(make_workbook(content)).indicators[1]["actual_text"] == grade


def test_a_target_with_a_qualifier_after_its_unit_is_refused(make_workbook, content):
    content["绩效指标"][2].update({"指标方向": None, "年度指标值": "100%以上", "实际完成值": 0.93, "计量单位": None})
    problems = problems_of(make_workbook(content))
    assert any(p.column == "年度指标值" and "应为数字" in p.expected for p in problems)


def test_names_are_one_line(make_workbook, content):
    content["基本信息"][0]["内容"] = "测试局\n（科协）"
    (p,) = problems_of(make_workbook(content))
    assert (p.sheet, p.row, p.column) == ("基本信息", 2, "内容") and "换行" in p.expected


def test_an_optional_sheet_cleared_of_everything_is_not_provided(make_workbook, content, tmp_path):
    from openpyxl import load_workbook

    path = make_workbook(content)
    book = load_workbook(path)
    book["收支总表"].delete_rows(1, book["收支总表"].max_row)              # even the header row
    book.save(path)
    assert read_workbook(path).accounts == []
