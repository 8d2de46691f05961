"""Every validation rule, each with a workbook built to break it."""

import pytest
from openpyxl import Workbook, load_workbook

from evalnb.errors import WorkbookError
from evalnb.intake import read_workbook


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
    assert sub.row_counts == {"texts": 1, "budget": 2, "indicators": 3, "team": 1}
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
    content["绩效指标"][1]["实际完成值"] = "效果明显"
    p = only(problems_of(make_workbook(content)))
    assert p.row == 3 and "部分达成年度指标并具有一定效果" in p.expected


def test_comparison_scopes_and_bases_pair_up(make_workbook, content):
    content["绩效指标"][0].update({"比较范围": "全市；全省", "比较基数": "1,000"})
    p = only(problems_of(make_workbook(content)))
    assert p.column == "比较基数" and "一一对应" in p.expected
    content["绩效指标"][0]["比较基数"] = "1,000；5000人次"
    sub = read_workbook(make_workbook(content))
    assert (sub.indicators[0]["scope"], sub.indicators[0]["base"]) == ("全市；全省", "1000；5000")


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
    assert "unknown rulebook 'atlantis'" in text and "national-2020" in text
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
    """A user may build the workbook from scratch: only sheet names and headers matter."""
    from evalnb.workbook import SHEETS

    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
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
