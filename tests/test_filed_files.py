"""Issue 27 item 13: files as filed. The Excel 自评表 (…_自评表.xlsx) holds only what the department files, the
form itself; the review (计分依据, 复核发现, 共性指标) goes to …_复核意见.xlsx beside it, named as the HTML memo
…_复核意见.html is."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from openpyxl import load_workbook

from evalnb.deliver.formats import path_of, with_companions
from evalnb.review.context import load_context
from evalnb.review.memo import advice
from tests.helpers import evalnb

NAME = "科学技术局_2024年度整体支出绩效自评报告"
FORM_SHEETS = ["自评表"]
REVIEW_SHEETS = ["计分依据", "复核发现", "共性指标"]
# the review's own headers (the form shares 项目, 分值 and the indicator names with it)
REVIEW_HEADERS = {"自评得分", "计算得分", "差额", "严重程度", "位置", "发现", "处理", "编号", "按数据计算", "公式",
                  "无法计算的原因"}


def strings(path: Path) -> list[str]:
    book = load_workbook(path)
    return [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def review_wording(ctx) -> set[str]:
    """What the review says about this department-year: every finding, what to do, every basis of a score."""
    card = ctx.card
    return ({f.message for f in ctx.findings} | {advice(f.code) for f in ctx.findings}
            | {card.execution_basis, card.total_basis} | {i.basis for i in card.items})


def assert_filed_form_only(form: Path, ctx) -> None:
    assert load_workbook(form).sheetnames == FORM_SHEETS
    cells = strings(form)
    leaked = [c for c in cells if c in review_wording(ctx) or c in REVIEW_HEADERS or "复核" in c]
    assert not leaked, leaked
    said = "".join(cells)
    assert all(sheet not in said for sheet in REVIEW_SHEETS) and "÷" not in said


def test_the_form_and_its_review_are_two_workbooks(project, tmp_path):
    """The writers on their own (no kernel): the form alone in one workbook, the review in the other."""
    from evalnb.deliver.xlsx import write_review_xlsx, write_xlsx

    ctx = load_context("科学技术局", 2024, project["db"])
    form = write_xlsx(ctx, tmp_path / "自评表.xlsx")
    review = write_review_xlsx(ctx, tmp_path / "复核意见.xlsx")
    assert_filed_form_only(form, ctx)
    assert load_workbook(review).sheetnames == REVIEW_SHEETS
    assert {f.message for f in ctx.findings} <= set(strings(review))
    assert any(c.endswith("9.87 = 19837.72 ÷ 20094.63 × 10") for c in strings(review))


def test_the_review_workbook_is_named_as_the_html_memo_is(tmp_path):
    folder = Path("outputs")
    memo, form, review = (path_of(folder, "科学技术局", 2024, kind) for kind in ("memo", "xlsx", "memo-xlsx"))
    assert (memo.name, form.name, review.name) == (f"{NAME}_复核意见.html", f"{NAME}_自评表.xlsx",
                                                   f"{NAME}_复核意见.xlsx")
    assert with_companions(("pdf", "xlsx")) == ("pdf", "xlsx", "memo-xlsx")
    assert with_companions(("memo-xlsx",)) == ("memo-xlsx",)


def test_report_xlsx_writes_the_filed_form_and_the_review_beside_it(project, seed_report, tmp_path):
    result = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--xlsx",
                    env=project["env"])
    assert result.returncode == 0, result.stderr
    assert f"{NAME}_自评表.xlsx" in result.stdout and f"{NAME}_复核意见.xlsx" in result.stdout, result.stdout
    folder = project["root"] / "outputs" / "科学技术局" / "2024"
    ctx = load_context("科学技术局", 2024, project["db"])
    assert_filed_form_only(folder / f"{NAME}_自评表.xlsx", ctx)
    assert load_workbook(folder / f"{NAME}_复核意见.xlsx").sheetnames == REVIEW_SHEETS
    # a mail with the 自评表 attached carries the form only; the review is attached only when named
    eml = tmp_path / "filed.eml"
    sent = evalnb("mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--attach", "xlsx",
                  "--eml", str(eml), env={**project["env"], "EVALNB_MAIL_FROM": "finance@example.gov.cn"})
    assert sent.returncode == 0, sent.stderr
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert [p.get_filename() for p in message.iter_attachments()] == [f"{NAME}_自评表.xlsx"]


def test_the_form_prints_on_landscape_pages_one_page_wide(project, tmp_path, soffice):
    """Issue 24, item 9: the 自评表 sheet set up for printing (A4 landscape, fit to width, the indicator header
    repeated, a frozen header), and LibreOffice prints it so: landscape pages, every column of the indicator
    table on the first page (its last column's header beside its first)."""
    import subprocess

    from evalnb.deliver.xlsx import write_xlsx

    ctx = load_context("科学技术局", 2024, project["db"])
    form = write_xlsx(ctx, tmp_path / "自评表.xlsx")
    ws = load_workbook(form)["自评表"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标")
    assert ws.freeze_panes == "A2" and ws.print_title_rows == f"${header}:${header}"
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == ("landscape", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(form)],
                   check=True, capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "自评表.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in next(line for line in info.splitlines() if line.startswith("Page size")).split()[2:5:2])
    assert width > height                                                   # landscape
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "一级指标" in first and "偏差原因分析及改进措施" in first.replace(" ", "").replace("\n", "")
