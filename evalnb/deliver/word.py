"""The report as a Word document a department can edit and seal (python-docx).

Built from the rendered report.html (one source for every format): the title block, the 一、… headings,
paragraphs, tables (borders, header row repeated on each page, the 总分 row once), charts as pictures with
their captions, and the closing lines. Styles follow 公文 practice (GB/T 9704): A4 with its margins, title
in 小标宋 22pt, body 仿宋 16pt with a two-character first-line indent and 28pt line spacing, 一级 headings
黑体, 二级 楷体, page numbers "— 1 —" in the footer. Only font *names* are set: no font is bundled; where
仿宋/黑体/楷体 are not installed, Word and LibreOffice fall back to what is (Noto CJK on our machines).
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html

from evalnb.paths import atomic_path

TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
BODY_SIZE, TABLE_SIZE, WIDE_TABLE_SIZE, LINE = Pt(16), Pt(10.5), Pt(8), Pt(28)
PICTURE_WIDTH = Cm(15)


def _font(run_or_style: object, name: str, size: Pt | None = None, bold: bool | None = None) -> None:
    """Latin and East-Asian font names (Word takes Chinese text's font from w:eastAsia)."""
    font = run_or_style.font
    font.name = name
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold


def _styles(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6))
    normal = doc.styles["Normal"]
    _font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_after = Pt(0)
    for level, (name, font) in {1: ("Heading 1", HEADING_FONT), 2: ("Heading 2", SUBHEADING_FONT),
                                3: ("Heading 3", BODY_FONT)}.items():
        style = doc.styles[name]
        _font(style, font, BODY_SIZE, bold=level == 3)
        style.font.color.rgb = None
        style.paragraph_format.first_line_indent = Pt(32)
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.keep_with_next = True
    _page_numbers(section)


def _field(paragraph: Paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _page_numbers(section: object) -> None:
    """— 1 — centred in the footer, as 公文 number their pages."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" —")


def _text(element: object) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""


def _paragraph(doc: DocumentObject, text: str, indent: bool = True, align: object = None,
               font: str | None = None, size: Pt | None = None, bold: bool | None = None) -> Paragraph:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    if font or size or bold is not None:
        _font(run, font or BODY_FONT, size, bold)
    paragraph.paragraph_format.first_line_indent = Pt(32) if indent else Pt(0)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _repeat_header(row: object) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _table(doc: DocumentObject, table: object) -> None:
    caption = table.find("caption")
    if caption is not None:
        _paragraph(doc, _text(caption), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    rows = [(tr, [_text(c) for c in tr.xpath("./th|./td")]) for tr in table.xpath(".//tr")]
    width = max(len(cells) for _, cells in rows)
    size = TABLE_SIZE if width < 7 else WIDE_TABLE_SIZE          # the 8-column 自评表 and project list
    grid = doc.add_table(rows=0, cols=width)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for tr, cells in rows:
        row = grid.add_row()
        header = tr.getparent().tag == "thead"
        if header:
            _repeat_header(row)
        for i, value in enumerate(cells):
            cell = row.cells[i]
            cell.paragraphs[0].paragraph_format.first_line_indent = Pt(0)
            cell.paragraphs[0].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            run = cell.paragraphs[0].add_run(value)
            _font(run, BODY_FONT, size, bold=header or tr.getparent().tag == "tfoot")


def _figure(doc: DocumentObject, figure: object) -> None:
    img = figure.find(".//img")
    src = img.get("src", "") if img is not None else ""
    if src.startswith("data:image/png;base64,"):
        doc.add_picture(io.BytesIO(base64.b64decode(src.split(",", 1)[1])), width=PICTURE_WIDTH)
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.paragraphs[-1].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _paragraph(doc, _text(figure.find("figcaption")), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
               size=Pt(12))


HEADINGS = {"h2": 1, "h3": 2, "h4": 3}


def _walk(doc: DocumentObject, element: object) -> None:
    for child in element.iterchildren():
        tag = child.tag if isinstance(child.tag, str) else ""
        classes = set((child.get("class") or "").split())
        if tag in ("script", "style", "nav") or "toc" in classes:
            continue
        if tag == "footer" and "closing" in classes:
            _closing(doc, child)
        elif "attachments-start" in classes:
            doc.add_page_break()
        elif tag in HEADINGS:
            doc.add_heading(_text(child), level=HEADINGS[tag])
        elif tag == "p":
            _paragraph(doc, _text(child), indent="attachment" not in classes)
        elif tag == "table":
            _table(doc, child)
        elif tag == "figure":
            _figure(doc, child)
        elif tag in ("ul", "ol"):
            for item in child.iterchildren("li"):
                _paragraph(doc, _text(item))
        else:
            _walk(doc, child)


def _closing(doc: DocumentObject, footer: object) -> None:
    """The 落款: department and date, right-aligned."""
    for line in footer.iterchildren("p"):
        _paragraph(doc, _text(line), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)


def write_docx(report_html: Path, out: Path) -> Path:
    """report.html as a .docx (write-then-rename)."""
    tree = lxml_html.fromstring(report_html.read_bytes())
    doc = Document()
    _styles(doc)
    header = tree.find(".//header")
    if header is not None:
        attachment = header.find(".//p[@class='attachment']")
        if attachment is not None:
            _paragraph(doc, _text(attachment), indent=False, font=HEADING_FONT, size=BODY_SIZE)
        for span in header.xpath(".//h1/span"):
            _paragraph(doc, _text(span), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=Pt(22))
    for banner in tree.xpath("//div[contains(@class, 'draft-banner')]"):
        _paragraph(doc, _text(banner), indent=False, bold=True)
    main = tree.find(".//main")
    _walk(doc, main if main is not None else tree.body)
    if main is not None:          # a 落款 after </main> (a report without 附件)
        for footer in tree.xpath("//main/following-sibling::footer[contains(@class, 'closing')]"):
            _closing(doc, footer)
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
    return out
