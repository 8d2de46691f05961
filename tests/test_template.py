from openpyxl import load_workbook

from evalnb.intake.blank import write_template
from evalnb.intake.read import read_workbook
from evalnb.workbook import INDICATORS, SHEETS, TEXT_SECTIONS


def test_template_has_every_sheet_header_and_a_help_sheet(tmp_path):
    book = load_workbook(write_template(tmp_path / "t.xlsx"))
    assert book.sheetnames[0] == "说明"
    for sheet in SHEETS:
        ws = book[sheet.name]
        assert [c.value for c in ws[1]] == sheet.headers
    help_text = "\n".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    for sheet in SHEETS:
        for col in sheet.columns:
            assert col.header in help_text
    for section in TEXT_SECTIONS:
        assert section in help_text


def test_template_offers_dropdowns_for_enumerated_columns(tmp_path):
    book = load_workbook(write_template(tmp_path / "t.xlsx"))
    ws = book["绩效指标"]
    by_column = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    nature_col = "ABCDEFGHIJKLMN"[INDICATORS.headers.index("指标性质")]
    assert by_column[nature_col] == '"定量,定性,计算,扣分,自评"'     # the last three: fixed by a rulebook
    dvs = book["评价工作组"].data_validations.dataValidation
    assert any(dv.formula1 == '"组长,副组长,成员"' for dv in dvs)
    assert any("主要职能" in dv.formula1 for dv in book["文字材料"].data_validations.dataValidation)


def test_template_filled_in_by_hand_round_trips(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    book = load_workbook(path)
    profile = book["基本信息"]
    values = {"部门名称": "审计局", "年度": "２０２４", "数据性质": "示例"}
    for row in profile.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    book["项目支出"].append(["审计项目", "业务", "区本级财政", "1,000.5", "1,200", "1,100.25", None])
    book["绩效指标"].append(["产出指标", "数量指标", "完成审计项目", "定量", "≧", "20个", "22个", "个", 50,
                          None, None, None, None, None])
    book["绩效指标"].append(["效益指标", "社会效益指标", "审计成果运用", "定性", None, "成果运用", "好", None, 30])
    book["绩效指标"].append(["满意度指标", "服务对象满意度指标", "被审计单位满意度", "定量", "≥", "90%", "95%", "%", 10])
    book["评价工作组"].append(["李四", "审计局", "局长", None, "组长"])
    book.save(path)
    sub = read_workbook(path)
    assert sub.profile["department"] == "审计局"
    assert sub.profile["year"] == 2024
    assert sub.profile["nature"] == "示例"
    assert sub.profile["rules"] == "national-2020"
    assert sub.budget[0]["budget"] == 1200 and str(sub.budget[0]["executed"]) == "1100.25"
    ind = sub.indicators[0]
    assert (ind["direction"], ind["target"], ind["actual"], ind["unit"]) == ("≥", 20, 22, "个")


def test_the_budget_sheets_list_their_items_with_dropdowns(tmp_path):
    """Contract v2: 收支总表 and 部门情况 list every 科目/项目 to fill in; closed lists are drop-downs."""
    from evalnb.workbook import ACCOUNT_ITEMS, EXPENSE_TYPES, FACT_ITEMS, FUND_NATURES

    book = load_workbook(write_template(tmp_path / "t.xlsx"))
    for sheet, items in (("收支总表", ACCOUNT_ITEMS), ("部门情况", FACT_ITEMS)):
        ws = book[sheet]
        assert [r[0].value for r in ws.iter_rows(min_row=2) if r[0].value] == list(items)
        assert any(dv.formula1 == '"' + ",".join(items) + '"' for dv in ws.data_validations.dataValidation)
    formulas = [dv.formula1 for dv in book["项目支出"].data_validations.dataValidation]
    assert '"' + ",".join(EXPENSE_TYPES) + '"' in formulas and '"' + ",".join(FUND_NATURES) + '"' in formulas
