"""`evalnb report --docx`: reopened with python-docx, and opened by LibreOffice Writer (Debian's
libreoffice-writer-nogui, installed by `make test`), which converts it to PDF; page 1 of that PDF is kept as a
picture in outputs/screenshots/ (poppler's pdftoppm: the -nogui Writer cannot export pictures itself)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

from bs4 import BeautifulSoup
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
    # written now (another test of the shared project may have written it already: then no step to report)
    (project["root"] / "outputs" / "科学技术局" / "2024" / f"{NAME}.docx").unlink(missing_ok=True)
    result = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--docx",
                    env=project["env"])
    assert result.returncode == 0 and f"{NAME}.docx" in result.stdout, result.stderr
    assert f"[Word] {NAME}.docx" in result.stderr                               # a progress line for the step
    path = project["root"] / "outputs" / "科学技术局" / "2024" / f"{NAME}.docx"
    doc = Document(str(path))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert [t for s, t in headings if s == "Heading 1"][:2] == ["一、部门基本情况", "二、自评工作开展情况"]
    assert len([1 for s, _ in headings if s == "Heading 1"]) == 7
    assert ("Heading 2", "（一）部门概况") in headings
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "总得分99.87分" in texts and "贯彻落实市委市政府" in texts and "evalnb" not in texts.lower()
    assert len(doc.inline_shapes) == 2              # 图1, 图2; 图3 (one bar per indicator) stays on screen
    names = data.load("科学技术局", 2024, project["db"]).indicators["name"]
    scoring = next(t for t in doc.tables if t.rows[0].cells[0].text == "一级指标")
    # every indicator once, in the report's order (the form's: the rulebook tree's, not the workbook's)
    html_rows = BeautifulSoup(seed_report["html"], "html.parser").select("table.scoring tbody tr")
    assert [r.cells[2].text for r in scoring.rows[1:-1]] == [tr.find_all("td")[2].get_text() for tr in html_rows]
    assert sorted(r.cells[2].text for r in scoring.rows[1:-1]) == sorted(names) and scoring.rows[-1].cells[0].text == "总分"
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


NUMBER = re.compile(r"^[-+]?[\d,]+(\.\d+)?%?$")


def _numeric_cells(html_table) -> list[tuple[int, int]]:
    """(row, column) of the cells a reader takes for amounts: those the report marks numeric, and every cell of a
    column whose body cells are all numbers."""
    rows = html_table.xpath(".//tr")
    marked = {(r, c) for r, tr in enumerate(rows) for c, cell in enumerate(tr.xpath("./td"))
              if "num" in (cell.get("class") or "").split()}
    body = [(r, tr.xpath("./td")) for r, tr in enumerate(rows) if tr.getparent().tag == "tbody"]
    values = [[" ".join(cells[c].text_content().split()) for _, cells in body if c < len(cells)]
              for c in range(max((len(cells) for _, cells in body), default=0))]
    columns = {c for c, column in enumerate(values) if any(column) and all(NUMBER.match(v) for v in column if v)}
    return sorted(marked | {(r, c) for r, cells in body for c in columns if c < len(cells)})


def _sections_of(doc) -> list[tuple[object, list[object]]]:
    return [(section, list(section.iter_inner_content())) for section in doc.sections]


def test_word_tables_sections_watermark_as_word_users_expect(seed_report, tmp_path):
    """The issue's Word findings, on the seed: amounts right-aligned, column widths from content, the wide tables
    (and the whole 附件) in a landscape section starting on a new page, captions below the section headings, no
    row left alone on a page, a 草稿 watermark in the header rather than a paragraph; then LibreOffice's rendering
    as PNG pages: landscape where it should be, nothing dark past the right margin, the project list's last rows
    on the page of its 合计."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml import html as lxml_html
    from PIL import Image

    from evalnb.deliver.paper import is_wide
    from evalnb.deliver.word import write_docx

    path = write_docx(seed_report["path"], tmp_path / f"{NAME}.docx")
    doc = Document(str(path))
    html_tables = lxml_html.fromstring(seed_report["path"].read_bytes()).xpath("//main//table")
    assert len(html_tables) == len(doc.tables)
    checked = 0
    for html_table, table in zip(html_tables, doc.tables, strict=True):
        grid = table._tbl.xpath("./w:tr")
        for r, c in _numeric_cells(html_table):
            cells = grid[r].xpath("./w:tc")
            offset = len(table.columns) - len(html_table.xpath(".//tr")[r].xpath("./td"))   # merged cells of a group
            paragraph = Paragraph(cells[c + offset].xpath("./w:p")[0], table)
            assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT, (paragraph.text, r, c)
            checked += 1
        widths = [column.width for column in table.columns]
        if len(widths) > 2:
            assert len(set(widths)) > 1                                         # not equal widths
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None             # rows never split
        last = [p.paragraph_format.keep_with_next for p in table.rows[-2].cells[-1].paragraphs]
        assert last == [True]                                                   # the 合计 never alone
    assert checked > 100
    scoring = next(t for t in doc.tables if t.rows[0].cells[0].text == "一级指标")
    names = [column.width for column in scoring.columns]
    assert names[2] > 2 * names[5]                                              # 三级指标 wider than 分值

    sections = _sections_of(doc)
    wide = [t for t in doc.tables if len(t.columns) >= 8]
    assert len(wide) == 2 and all(is_wide(t) for t in html_tables if "scoring" in (t.get("class") or ""))
    for section, content in sections:
        for table in (b for b in content if isinstance(b, Table)):
            if table in wide:
                assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    appendix = next(s for s, content in sections if content and isinstance(content[0], Paragraph)
                    and content[0].text.startswith("附件："))
    assert appendix.start_type == WD_SECTION.NEW_PAGE and appendix.orientation == WD_ORIENT.LANDSCAPE

    heading_size = doc.styles["Heading 1"].font.size
    captions = [p for p in doc.paragraphs if re.match(r"^(表|图)\d+ ", p.text) or p.text in ("资金情况", "绩效指标")]
    assert len(captions) >= 6
    for caption in captions:
        run = caption.runs[0]
        assert run.font.size < heading_size and not run.font.bold, caption.text   # below the section headings
    assert all(p.paragraph_format.keep_with_next for p in captions if p.text.startswith("表"))

    header = doc.sections[0].header._element.xml
    assert "WordPictureWatermark" in header                                      # Word's own picture watermark
    picture = doc.sections[0].header.part.related_parts[re.search(r'imagedata r:id="(\w+)"', header)[1]]
    assert picture.content_type == "image/png" and picture.blob.startswith(b"\x89PNG")
    assert not [p for p in doc.paragraphs if "本报告尚未定稿" in p.text]           # no deletable marker paragraph

    soffice("--convert-to", "pdf", "--outdir", str(tmp_path), str(path), cwd=tmp_path)
    rendered = tmp_path / f"{NAME}.pdf"
    reader = PdfReader(rendered)
    texts = [p.extract_text().replace(" ", "") for p in reader.pages]
    first = next(i for i, t in enumerate(texts) if "附件：部门整体支出绩效自评表" in t)
    for i, page in enumerate(reader.pages):
        landscape = float(page.mediabox.width) > float(page.mediabox.height)
        assert landscape == (i >= first), f"page {i + 1}"
    total = next(i for i, t in enumerate(texts) if i > first and "合计" in t)
    assert "机关运转保障经费" in texts[total]                                      # the last project beside its 合计
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(rendered), str(tmp_path / "page")], check=True,
                   capture_output=True, timeout=300)
    pictures = sorted(tmp_path.glob("page-*.png"))
    assert len(pictures) == len(reader.pages)
    for number, picture in enumerate(pictures, start=1):
        image = Image.open(picture).convert("L")
        width, height = image.size
        margin = round(width * (3.5 / 29.7 if width > height else 2.6 / 21))     # the right margin, in pixels
        dark = [x for x in range(width - margin + 2, width) for y in range(0, height, 2) if image.getpixel((x, y)) < 100]
        assert not dark, f"page {number}: ink {len(dark)} px past the right margin"
    for number in (1, len(pictures)):                       # the watermark on a portrait and a landscape page
        image = Image.open(pictures[number - 1]).convert("RGB")
        red = sum(1 for x in range(0, image.width, 2) for y in range(0, image.height, 2)
                  for r, g, b in [image.getpixel((x, y))] if r - g > 12 and r - b > 12)
        assert red > 300, f"page {number}: no 草稿 watermark"


def test_a_draft_watermark_without_a_word_is_left_out_and_one_the_font_lacks_is_refused(tmp_path):
    """A template whose draft banner has no word gives no watermark (a picture of nothing failed the file); a word
    the bundled font cannot draw is a Chinese error naming it, never a picture of boxes."""
    import pytest

    from evalnb.deliver.watermark import picture
    from evalnb.deliver.word import write_docx
    from evalnb.errors import ReportError

    html = tmp_path / "report.html"
    html.write_text('<html class="draft"><head><meta charset="utf-8"></head><body><div class="draft-banner">'
                    "<strong> </strong></div><main><p>正文。</p></main></body></html>", encoding="utf-8")
    doc = Document(str(write_docx(html, tmp_path / "report.docx")))
    assert "WordPictureWatermark" not in doc.sections[0].header._element.xml and doc.paragraphs[-1].text == "正文。"
    with pytest.raises(ReportError, match="\U0002A700"):
        picture("草稿\U0002A700")


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
    # headings in 黑体 and 楷体, as named: the template's theme font (w:eastAsiaTheme) would take precedence
    for style, font in (("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312")):
        fonts = doc.styles[style].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font and fonts.get(qn("w:eastAsiaTheme")) is None, style


def _deobfuscated(blob: bytes, font_key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1, written out here from the standard: the GUID's 32 hex digits read as 16 bytes from
    the last pair to the first, XORed over the first 32 bytes of the font (the key twice)."""
    digits = font_key.strip("{}").replace("-", "")
    key = [int(digits[i:i + 2], 16) for i in range(30, -2, -2)]
    return bytes(b ^ key[i % 16] for i, b in enumerate(blob[:32])) + blob[32:]


def test_the_word_file_embeds_the_characters_it_uses_as_word_embeds_fonts(tmp_path):
    """Issue 26: the .docx carries a font for its Chinese text, as Word stores one (ECMA-376 §17.8): an obfuscated
    TrueType font part related from the font table, the fontKey to undo it, each 公文 font naming it as its
    alternative, embedding switched on in the settings. The font is TrueType-flavoured (Word embeds no CFF font),
    free to install (OFL, fsType 0, its licence in the name table), and has every character of the document: its
    text and the page numbers — names outside GB 2312 (堃喆䶮) too (the 草稿 watermark is a picture)."""
    import zipfile

    from fontTools.ttLib import TTFont
    from lxml import etree

    from evalnb.deliver.word import write_docx

    html = tmp_path / "report.html"
    html.write_text(
        '<html class="draft"><head><meta charset="utf-8"></head><body><div class="draft-banner"><strong>草稿'
        '</strong></div><header><h1><span>堃喆䶮局</span><span>2024年度整体支出绩效自评报告</span></h1></header><main>'
        "<h2>一、部门基本情况</h2><h3>（一）部门概况</h3><p>负责堃喆䶮地区的工作。</p><table><caption>表1 资金</caption>"
        "<thead><tr><th>项目类别</th><th>金额</th></tr></thead><tbody><tr><td>堃喆䶮</td><td>20094.63</td></tr>"
        '</tbody></table></main><footer class="closing"><p>堃喆䶮局</p></footer></body></html>', encoding="utf-8")
    out = write_docx(html, tmp_path / "堃喆䶮局.docx")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(out) as z:
        types = etree.fromstring(z.read("[Content_Types].xml"))
        fonts = etree.fromstring(z.read("word/fontTable.xml"))
        rels = {rel.get("Id"): rel for rel in etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))}
        settings = etree.fromstring(z.read("word/settings.xml"))
        shown = "".join(text for name in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
                        for text in etree.fromstring(z.read(name)).xpath("//w:t/text()", namespaces={
                            "w": w.strip("{}")}))            # the text, not field codes
        entries = {f.get(f"{w}name"): f for f in fonts.iter(f"{w}font")}
        embedded = entries["仿宋_GB2312"].find(f"{w}embedRegular")
        rel = rels[embedded.get(f"{r}id")]
        assert rel.get("Type").endswith("/relationships/font")
        part = "word/" + rel.get("Target")
        assert part.endswith(".odttf") and any(
            t.get("ContentType") == "application/vnd.openxmlformats-officedocument.obfuscatedFont"
            and (t.get("Extension") == "odttf" or t.get("PartName") == "/" + part) for t in types)
        key = embedded.get(f"{w}fontKey")
        assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", key)
        blob = z.read(part)
    assert not blob.startswith(b"\x00\x01\x00\x00")                       # obfuscated as stored
    font = TTFont(io.BytesIO(_deobfuscated(blob, key)))
    family = font["name"].getDebugName(1)
    for name in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"):
        assert entries[name].find(f"{w}altName").get(f"{w}val") == family
        assert entries[name].find(f"{w}embedRegular").get(f"{r}id") == embedded.get(f"{r}id")
    assert entries[family].find(f"{w}embedRegular") is not None
    assert settings.find(f"{w}embedTrueTypeFonts") is not None and settings.find(f"{w}saveSubsetFonts") is not None
    assert "glyf" in font and "CFF " not in font and font["OS/2"].fsType == 0
    assert "Open Font License" in font["name"].getDebugName(13)
    cmap = font.getBestCmap()
    needed = {ch for ch in shown + "0123456789" if not ch.isspace()}
    assert "堃" in needed and "—" in needed                                  # text, page-number dashes
    assert sorted(ch for ch in needed if ord(ch) not in cmap) == []
    assert len(cmap) < 200                                                  # the document's characters, not the font's
