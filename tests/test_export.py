"""The Excel export (`evalnb report --xlsx`), reopened with openpyxl, and the data API's Chinese frames."""

from __future__ import annotations

from openpyxl import load_workbook

from evalnb.review.checks import run_checks
from evalnb.rules.scoring import score
from evalnb.store import data
from evalnb.workbook import BUDGET, INDICATORS
from tests.helpers import evalnb

NAME = "科学技术局_2024年度整体支出绩效自评报告_自评表.xlsx"
REVIEW = "科学技术局_2024年度整体支出绩效自评报告_复核意见.xlsx"


def test_report_xlsx_holds_the_form_and_its_review_the_basis_and_the_findings(project, seed_report):
    result = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--xlsx",
                    env=project["env"])
    assert result.returncode == 0 and NAME in result.stdout and REVIEW in result.stdout, result.stderr
    folder = project["root"] / "outputs" / "科学技术局" / "2024"
    book, review = load_workbook(folder / NAME), load_workbook(folder / REVIEW)
    assert book.sheetnames == ["自评表"] and review.sheetnames == ["计分依据", "复核发现", "共性指标"]
    dy = data.load("科学技术局", 2024, project["db"])
    card = score(dy)
    form = [[c.value for c in row] for row in book["自评表"].iter_rows()]
    assert form[0][1:4] == ["年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）"]
    assert form[1][0] == "年度资金总额" and form[1][2] == card.budget and form[1][6] == card.execution_score
    total = next(r for r in form if r[0] == "总分")
    assert total[5] == 100 and total[6] == card.total                      # numbers, not text
    names = [r[2] for r in form if r[0] in set(dy.indicators["level1"])]
    # the form's order (issue 23, item 10): by 一级, then 二级 in 10号's order, workbook order within a 二级
    assert names == [i.name for i in card.items] and sorted(names) == sorted(dy.indicators["name"])
    basis = [[c.value for c in row] for row in review["计分依据"].iter_rows(min_row=2)]
    assert [r[0] for r in basis[1:-1]] == [i.name for i in card.items]          # the form's order, as above
    assert [r[5] for r in basis[1:-1]] == [i.basis for i in card.items]
    assert basis[-1][2:4] == [100, card.total]                             # declared 100 beside computed
    findings = [[c.value for c in row] for row in review["复核发现"].iter_rows(min_row=2)]
    assert sorted(r[4] for r in findings) == sorted(f.code for f in run_checks(dy))
    assert all(r[0] in ("错误", "提示", "信息") for r in findings)
    measures = {r[0].value: r for r in review["共性指标"].iter_rows(min_row=2)}
    assert measures["结转结余率"][3].value == "未提供收支总表，无法计算结转结余率"
    assert measures["预算执行率"][1].number_format == "0.00%"


def test_frames_with_the_workbooks_chinese_headers(project):
    dy = data.load("科学技术局", 2024, project["db"])
    budget = dy.to_frame("budget", cn=True)
    assert list(budget.columns)[:1] == ["行号"] and set(BUDGET.headers) <= set(budget.columns)
    assert budget["全年预算数（万元）"].sum() == dy.budget["budget"].sum()
    assert set(INDICATORS.headers) <= set(dy.to_frame("indicators", cn=True).columns)
    assert dy.to_frame("budget") is dy.budget


def test_batch_writes_the_other_formats_too(project, seed_report):
    result = evalnb("batch", "--dept", "科学技术局", "--year", "2024", "--workers", "1", "--db", project["db"],
                    "--xlsx", "--docx", env=project["env"])
    assert result.returncode == 0, result.stderr
    folder = project["root"] / "outputs" / "科学技术局" / "2024"
    for name in (NAME, REVIEW, "科学技术局_2024年度整体支出绩效自评报告.docx"):
        assert (folder / name).stat().st_size > 5_000      # the 自评表 alone is about 8 KB


def test_text_that_starts_with_an_equals_sign_stays_text(project, tmp_path):
    """教育局's "= 100%" target (and any name a department starts with "=") is no Excel formula."""
    from evalnb.deliver.xlsx import write_xlsx
    from evalnb.review.context import load_context

    path = write_xlsx(load_context("教育局", 2024, project["db"]), tmp_path / "jy.xlsx")
    cells = [c for row in load_workbook(path)["自评表"].iter_rows() for c in row]
    equals = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert [c.value for c in equals] == ["=100%"] and all(c.data_type == "s" for c in equals)


def test_write_xlsx_from_a_context(project, tmp_path):
    """The Excel writer on its own (no kernel): the 自评表 with its total, alone in its workbook (its review is
    test_filed_files'), written as a whole file."""
    from evalnb.deliver.xlsx import write_xlsx
    from evalnb.review.context import load_context

    ctx = load_context("科学技术局", 2024, project["db"])
    book = load_workbook(write_xlsx(ctx, tmp_path / "自评表.xlsx"))
    assert book.sheetnames == ["自评表"]
    cells = [str(c.value) for row in book["自评表"].iter_rows() for c in row if c.value is not None]
    assert "99.87" in cells or 99.87 in [c.value for row in book["自评表"].iter_rows() for c in row]
    assert [p.name for p in tmp_path.iterdir()] == ["自评表.xlsx"]
