"""`evalnb report --pdf` and `evalnb batch --pdf`: laid out by WeasyPrint from the report's print CSS, checked
with pypdf and poppler (pdftotext, pdffonts) as an archive or a reader would take it: the text extracts as the
report's text (no Kangxi radicals for the ideographs), the fonts are embedded CID fonts (no Type 3), the
pages are A4 公文 pages numbered "第 X 页 共 Y 页", the wide tables are on landscape pages and no laid-out
table is wider than its page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests.helpers import evalnb

NAME = "科学技术局_2024年度整体支出绩效自评报告.pdf"
RADICALS = re.compile("[\u2e80-\u2fdf]")                 # CJK Radicals Supplement and Kangxi Radicals
FOOTER = re.compile(r"第\s*\d+\s*页\s*共\s*\d+\s*页")
A4, A4_LANDSCAPE = (595, 842), (842, 595)


def page_texts(path: Path) -> list[str]:
    """Each page's text as pypdf extracts it (no normalisation: what a viewer's search or copy gets)."""
    return [p.extract_text() for p in PdfReader(path).pages]


def poppler_texts(path: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=120)
    return done.stdout.split("\f")[:-1]


def visible_text(html: Path) -> str:
    """The report's visible text without white space (what every token of a page must be found in)."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    for hidden in soup(["style", "script", "head"]):
        hidden.decompose()
    return "".join(soup.get_text().split())


def strangers(pages: list[str], text: str, watermark: str = "") -> list[tuple[int, str]]:
    """(page, token) for each token of a page's text that the report's text does not hold: the page footer
    aside, and the draft watermark (a word of the report's own banner) taken off where it glues to a token."""
    found = []
    for number, page in enumerate(pages, start=1):
        for token in FOOTER.sub(" ", unicodedata.normalize("NFC", page)).split():
            if watermark and token != watermark:
                token = token.replace(watermark, "")
            if token and token not in text:
                found.append((number, token))
    return found


def check_pdf(pdf: Path, html: Path) -> dict:
    """What the issue asks of every PDF, measured; returns a few numbers for the caller's own checks."""
    texts, poppler = page_texts(pdf), poppler_texts(pdf)
    assert len(texts) == len(poppler) >= 4
    for source in (texts, poppler):
        radicals = RADICALS.findall("".join(source))
        assert not radicals, f"{pdf.name}: {len(radicals)} radicals for ideographs: {''.join(sorted(set(radicals)))}"
    watermark = "草稿" if "draft" in (BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").html.get("class")
                                     or []) else ""
    text = visible_text(html)
    assert strangers(texts, text, watermark) == [] and strangers(poppler, text, watermark) == []
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    rows = fonts.splitlines()[2:]
    assert rows and not [r for r in rows if "Type 3" in r], fonts
    assert all(" CID " in r and re.search(r"\byes\s+yes\s+yes\b", r) for r in rows), fonts   # embedded, subset, ToUnicode
    reader = PdfReader(pdf)
    for number, (page, extracted) in enumerate(zip(reader.pages, texts, strict=True), start=1):
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{len(texts)}\s*页", extracted), extracted[-80:]
        assert "file:" not in extracted and "http" not in extracted                   # no URL header or footer
        for font in page["/Resources"]["/Font"].values():
            assert font.get_object()["/Subtype"] == "/Type0", font.get_object().get("/BaseFont")
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert set(sizes) <= {A4, A4_LANDSCAPE}
    return {"pages": texts, "sizes": sizes}


def test_report_pdf_text_fonts_and_pages(project, seed_report):
    """The seed as `report --pdf` prints it (the issue: 564 characters extracted as radicals, 213 Type 3 fonts,
    the project table portrait and cut at the right edge)."""
    # printed now (`batch --pdf` of the shared project may have printed it already: then no step to report)
    (project["root"] / "outputs" / "科学技术局" / "2024" / f"{NAME}.pdf").unlink(missing_ok=True)
    result = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--pdf",
                    env=project["env"])
    assert result.returncode == 0 and NAME in result.stdout, result.stderr
    assert f"[PDF] {NAME}" in result.stderr                                        # a progress line for the step
    folder = project["root"] / "outputs" / "科学技术局" / "2024"
    found = check_pdf(folder / NAME, folder / "report.html")
    texts, sizes = found["pages"], found["sizes"]
    assert len(texts) <= 20                                                        # 三号 body: about 19 pages
    assert "2024年度整体支出绩效自评报告" in texts[0] and "部门基本情况" in texts[0]   # section 一 starts on page 1
    assert sum(line.startswith("总分") for t in texts for line in t.splitlines()) == 2   # 表2 and the 自评表, once each
    appendix = next(i for i, t in enumerate(texts) if "附件：部门整体支出绩效自评表" in t)
    assert sizes[:appendix] == [A4] * appendix                                     # the report portrait,
    assert sizes[appendix:] == [A4_LANDSCAPE] * (len(texts) - appendix)           # the 附件 landscape, from a new page
    assert "项目支出明细" in "".join(texts[appendix:]) and "支出" in texts[0]        # Ctrl+F 支出 finds 支出
    # the completion chart (one bar per indicator) is on screen only: in the HTML, not on paper
    assert "图3 定量指标完成程度" in (folder / "report.html").read_text(encoding="utf-8")
    assert "定量指标完成程度" not in "".join(texts) and "图2 资金来源构成" in "".join(texts)


def test_full_sample_batch_pdfs(project, seed_report):
    """Every sample department-year through `batch --pdf` (one engine per worker): the same checks on each."""
    result = evalnb("batch", "--pdf", "--workers", "2", "--db", project["db"], env=project["env"])
    assert result.returncode == 0, result.stderr
    pdfs = sorted((project["root"] / "outputs").glob("*/*/*年度整体支出绩效自评报告.pdf"))
    assert len(pdfs) == 8
    for pdf in pdfs:
        check_pdf(pdf, pdf.with_name("report.html"))


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def test_no_laid_out_table_is_wider_than_its_page(seed_report, tmp_path):
    """The boxes WeasyPrint lays out for the seed: every table and cell ends inside its page's content box
    (the project table used to run 85 px past it on portrait pages); the indicator and project tables are on
    landscape pages; a project's funding-source rows share one 项目名称 cell (rowspan)."""
    from weasyprint.formatting_structure import boxes

    from evalnb.deliver.pdf import render, write_pdf

    document = render(seed_report["path"])
    tables, grouped = 0, []
    for number, page in enumerate(document.pages, start=1):
        content = page._page_box
        right = content.content_box_x() + content.width
        for table in (b for b in _boxes(content) if isinstance(b, boxes.TableBox)):
            tables += 1
            cells = [c for c in _boxes(table) if isinstance(c, boxes.TableCellBox)]
            edge = max([table.border_box_x() + table.border_width(),
                        *(c.border_box_x() + c.border_width() for c in cells)])
            assert edge <= right + 0.5, f"page {number}: a table ends at {edge:.0f}px, the page's box at {right:.0f}px"
            head = " ".join("".join(c.element.itertext()) for c in cells[:8] if c.element is not None)
            if "三级指标" in head or "项目名称" in head:
                assert page.width > page.height, f"page {number}: a wide table on a portrait page"
            if "项目名称" in head:
                grouped += ["".join(c.element.itertext()) for c in cells if c.rowspan > 1]
    assert tables >= 10
    assert "市级技术创新中心建设补助" in grouped and "科技金融服务中心运营" in grouped     # two of the seed's five
    assert write_pdf(seed_report["path"], tmp_path / "seed.pdf").stat().st_size > 0


def test_project_rows_grouped_by_funding_source():
    """deliver.paper on a project list: a project's consecutive funding-source rows become one group whose name
    and category cells span its rows; single rows are left as they were, in order."""
    from lxml import html as lxml_html

    from evalnb.deliver.paper import group_projects, is_wide

    table = lxml_html.fromstring(
        '<table class="projects"><thead><tr>' + "<th>h</th>" * 8 + "</tr></thead><tbody>"
        + "".join(f"<tr><td>{n}</td><td>{c}</td><td>{s}</td>" + "<td>1</td>" * 5 + "</tr>"
                  for n, c, s in [("甲", "类", "区"), ("乙", "类", "区"), ("乙", "类", "上级"), ("丙", "类", "区")])
        + "</tbody></table>")
    assert is_wide(table)
    group_projects(table)
    bodies = table.findall("tbody")
    assert [b.get("class") for b in bodies] == [None, "group", None]
    assert [[td.text for td in tr.findall("td")][:3] for b in bodies for tr in b.findall("tr")] == [
        ["甲", "类", "区"], ["乙", "类", "区"], ["上级", "1", "1"], ["丙", "类", "区"]]
    assert [td.get("rowspan") for td in bodies[1].find("tr").findall("td")[:3]] == ["2", "2", None]


def test_completion_chart_draws_no_rank_as_a_percentage(project):
    """图4 (定量指标完成程度): the seed's 研发投入强度…排名 (第17位 against 前20位) is a rank, no completion share:
    without the department-year the chart drew it as 118% (the failure), with it the rank is left out."""
    from evalnb.review.context import load_context
    from evalnb.sections import charts
    from evalnb.text.prose import words

    ctx = load_context("科学技术局", 2024, project["db"])
    ranks = set(ctx.dy.indicators.loc[ctx.dy.indicators["unit"] == "位", "name"])
    assert ranks

    def drawn(*args) -> set[str]:
        figure = charts.indicator_completion(ctx.card, words("s3", "chart_completion"), *args)
        labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
        return {name for name in ranks for label in labels
                if name == label or (label.endswith("…") and name.startswith(label[:-1]))}

    assert drawn() == ranks and drawn(ctx.dy) == set()


def test_pdf_without_its_engine_says_what_to_install(monkeypatch):
    """No WeasyPrint (or no Pango under it): a Chinese error naming what to install, not a traceback."""
    from evalnb.deliver import pdf
    from evalnb.errors import ReportError

    pdf.engine.cache_clear()
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    try:
        with pytest.raises(ReportError, match="WeasyPrint.*apt install libpango-1.0-0 libpangoft2-1.0-0"):
            pdf.engine()
    finally:
        pdf.engine.cache_clear()


def test_pdf_without_harfbuzz_subsetting_warns_what_to_install(project, seed_report):
    """Without libharfbuzz-subset0 (Debian ships it apart from HarfBuzz; here it comes with Chromium), WeasyPrint
    cuts the embedded fonts with fontTools: each PDF about 19 times slower (11 s instead of 0.6 s here), which a
    batch of PDFs turns into minutes of silence. `report --pdf` says what to install. The library cannot be
    removed in a test, so the process is told it is absent (after WeasyPrint's PDF writer bound the real one:
    the PDF itself stays fast); without --pdf, or with the library, nothing is said."""
    def report(*extra: str, absent: bool = True) -> subprocess.CompletedProcess:
        hide = "import weasyprint.pdf.fonts, weasyprint.text.ffi as ffi; ffi.harfbuzz_subset = None; " if absent else ""
        code = hide + "from evalnb.cli.main import main; raise SystemExit(main())"
        return subprocess.run([sys.executable, "-c", code, "report", "--dept", "科学技术局", "--year", "2024",
                               "--db", project["db"], *extra], capture_output=True, text=True, timeout=600,
                              env={**os.environ, **project["env"]})

    printed = report("--pdf")
    assert printed.returncode == 0, printed.stderr
    assert "未找到 HarfBuzz 字体子集库" in printed.stderr and "apt install libharfbuzz-subset0" in printed.stderr
    for quiet in (report(), report("--pdf", absent=False)):                     # not asked, or there
        assert quiet.returncode == 0 and "HarfBuzz" not in quiet.stderr, quiet.stderr
