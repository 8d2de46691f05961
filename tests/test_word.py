"""`evalnb report --docx`: reopened with python-docx, and opened by LibreOffice Writer (Debian's
libreoffice-writer-nogui, installed by `make test`), which converts it to PDF; page 1 of that PDF is kept as a
picture in outputs/screenshots/ (poppler's pdftoppm: the -nogui Writer cannot export pictures itself)."""

from __future__ import annotations

import shutil
import subprocess

from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from evalnb.store import data
from tests.helpers import ROOT, evalnb

NAME = "科学技术局_2024年度整体支出绩效自评报告"


def soffice(*args: str, cwd) -> None:
    command = [shutil.which("soffice") or "/usr/bin/soffice", "--headless", "--norestore",
               f"-env:UserInstallation=file://{cwd}/lo-profile", *args]
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, timeout=300)


def test_report_docx_is_a_word_document_with_headings_tables_pictures_and_page_numbers(project, seed_report,
                                                                                        tmp_path):
    result = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--docx",
                    env=project["env"])
    assert result.returncode == 0 and f"{NAME}.docx" in result.stdout, result.stderr
    path = project["root"] / "outputs" / "科学技术局" / "2024" / f"{NAME}.docx"
    doc = Document(str(path))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert [t for s, t in headings if s == "Heading 1"][:2] == ["一、部门基本情况", "二、自评工作开展情况"]
    assert len([1 for s, _ in headings if s == "Heading 1"]) == 7
    assert ("Heading 2", "（一）部门概况") in headings
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "总得分99.87分" in texts and "贯彻落实市委市政府" in texts and "evalnb" not in texts.lower()
    assert len(doc.inline_shapes) == 3                                      # 图1–图3 as pictures
    names = data.load("科学技术局", 2024, project["db"]).indicators["name"]
    scoring = next(t for t in doc.tables if t.rows[0].cells[0].text == "一级指标")
    assert [r.cells[2].text for r in scoring.rows[1:-1]] == list(names) and scoring.rows[-1].cells[0].text == "总分"
    for table in doc.tables:                                                  # header rows repeat on each page
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table.style.name == "Table Grid"                              # borders
    footer = doc.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("— ") and "PAGE" in footer._p.xml
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert round(doc.sections[0].page_width.cm, 1) == 21.0

    soffice("--convert-to", "pdf", "--outdir", str(tmp_path), str(path), cwd=tmp_path)
    pages = PdfReader(tmp_path / f"{NAME}.pdf").pages
    assert len(pages) >= 8
    assert pages[0].extract_text().replace(" ", "").count("2024年度整体支出绩效自评报告") == 1
    assert f"— {len(pages)} —" in pages[-1].extract_text()                    # the PAGE field, as Writer fills it
    shots = ROOT / "outputs" / "screenshots"        # page 1 as Writer lays it out, for a person to look at
    shots.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / f"{NAME}.pdf"),
                    str(shots / "report-docx-page1")], check=True, capture_output=True, timeout=120)
    assert (shots / "report-docx-page1.png").read_bytes().startswith(b"\x89PNG")


def test_write_docx_maps_the_report_structure(tmp_path):
    """The Word writer on its own (no process, no browser): title, headings, paragraphs, a table with its
    header row repeated on every page, the 落款 right-aligned, and a failed write leaves nothing behind."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from evalnb.deliver.word import write_docx

    html = tmp_path / "report.html"
    html.write_text(
        '<html><head><meta charset="utf-8"></head><body><header><p class="attachment">附件4</p><h1><span>科学技术局</span>'
        "<span>2024年度整体支出绩效自评报告</span></h1></header><main><nav class=\"toc\"><p>目录</p></nav>"
        "<h2>一、部门基本情况</h2><p>（一）部门职责。</p><table><caption>表1 资金情况</caption>"
        "<thead><tr><th>项目</th><th>金额（万元）</th></tr></thead><tbody><tr><td>合计</td><td>20094.63</td></tr>"
        '</tbody></table></main><footer class="closing"><p>科学技术局</p><p>2025年3月1日</p></footer></body></html>',
        encoding="utf-8")
    out = write_docx(html, tmp_path / "科学技术局.docx")
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == ["附件4", "科学技术局", "2024年度整体支出绩效自评报告"]
    assert "一、部门基本情况" in texts and "目录" not in texts and "表1 资金情况" in texts
    assert [p.style.name for p in doc.paragraphs if p.text == "一、部门基本情况"] == ["Heading 1"]
    table = doc.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["合计", "20094.63"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert doc.paragraphs[-1].text == "2025年3月1日" and doc.paragraphs[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
