"""The report as a Word document a department can edit and seal (python-docx).

Built from the rendered report.html (one source for every format), made ready for paper as the PDF is
(:mod:`evalnb.deliver.paper`: wide tables, project rows grouped): the title block, the 一、… headings,
paragraphs, tables, charts as pictures with their captions, and the closing lines. Styles follow 公文 practice
(GB/T 9704): A4 with its margins, title in 小标宋 22pt, body 仿宋 16pt with a two-character first-line indent
and 28pt line spacing, 一级 headings 黑体, 二级 楷体, captions 黑体 12pt (below the headings), page numbers
"— 1 —" in the footer. Tables as Word users expect: amounts right-aligned, column widths from their content,
header rows repeated on each page, rows that never split, a short table (or a table's last rows) kept together
with its caption; the 附件 — and any other table of eight or more columns — in a landscape section. A draft
carries a 草稿 watermark in the page header (:mod:`evalnb.deliver.watermark`), not a paragraph.
The 公文 fonts are named; where they are not installed, the file carries its own: the characters it uses, cut from
the bundled OFL font and embedded as Word embeds fonts (:mod:`evalnb.deliver.wordfont`).

Why python-docx and not pandoc with a reference.docx: pandoc's Word writer has no landscape sections, no
watermark, no rows kept from splitting and no per-cell alignment, so each would be post-processed in XML here
anyway, on top of a second program to install.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from evalnb.deliver import paper, watermark, wordfont
from evalnb.paths import atomic_path

TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
OFFICIAL_FONTS = (TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT)
THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
BODY_SIZE, CAPTION_SIZE, TABLE_SIZE, WIDE_TABLE_SIZE, LINE = Pt(16), Pt(12), Pt(10.5), Pt(9), Pt(28)
PICTURE_WIDTH = Cm(15)
# GB/T 9704: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; a landscape page turns the same 版心.
PORTRAIT = (Cm(21), Cm(29.7), (Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)))      # width, height, (top, bottom, left, right)
LANDSCAPE = (Cm(29.7), Cm(21), (Cm(2.8), Cm(2.6), Cm(3.7), Cm(3.5)))
KEPT_TOGETHER = 15          # a table with at most this many rows stays on one page with its caption
CELL_PADDING = Pt(10.8)     # Word's default left + right cell margins


def _font(run_or_style: object, name: str, size: Pt | None = None, bold: bool | None = None) -> None:
    """Latin and East-Asian font names (Word takes Chinese text's font from w:eastAsia). A theme font (the template's
    headings have w:eastAsiaTheme="majorEastAsia") would win over a named one, so none is left."""
    font = run_or_style.font
    font.name = name
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    for theme in THEME_FONTS:
        fonts.attrib.pop(qn(theme), None)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold


def _page(section: object, landscape: bool) -> None:
    width, height, (top, bottom, left, right) = LANDSCAPE if landscape else PORTRAIT
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = top, bottom, left, right


def _styles(doc: DocumentObject) -> None:
    section = doc.sections[0]
    _page(section, landscape=False)
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


def _row_flag(row: object, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _grid(table: object) -> list[list[tuple[object, str, bool] | None]]:
    """The HTML table as a grid of (cell, kind, top) — kind "head", "foot" or "body"; ``top`` is False where a
    cell spanning rows (rowspan) continues; None where a row has no cell."""
    rows = table.xpath("./thead/tr|./tbody/tr|./tfoot/tr|./tr")
    width = paper.columns(table)
    grid: list[list[tuple[object, str, bool] | None]] = [[None] * width for _ in rows]
    for r, tr in enumerate(rows):
        kind = {"thead": "head", "tfoot": "foot"}.get(tr.getparent().tag, "body")
        c = 0
        for cell in tr.xpath("./th|./td"):
            while c < width and grid[r][c] is not None:
                c += 1
            for down in range(min(int(cell.get("rowspan") or 1), len(rows) - r)):
                for across in range(int(cell.get("colspan") or 1)):
                    if c + across < width:
                        grid[r + down][c + across] = (cell, kind, down == 0)
            c += int(cell.get("colspan") or 1)
    return grid


def _ems(text: str) -> float:
    """A text's width in ems: a CJK character one, a digit or Latin letter half."""
    return sum(1 if ord(ch) > 0x2E7F else 0.6 for ch in text)


def _widths(grid: list[list[tuple[object, str, bool] | None]], available: int, size: Pt) -> list[int]:
    """Column widths from their content: a column gets what its longest cell needs (a header may wrap, a long
    text is capped at 20 ems and wraps); if that does not fit, only the long columns give up room."""
    need = []
    for c in range(len(grid[0])):
        cells = [(_ems(_text(g[0])), g[1]) for row in grid if (g := row[c]) is not None and g[2]]
        body = max((ems for ems, kind in cells if kind != "head"), default=0)
        head = max((min(ems, 4) for ems, kind in cells if kind == "head"), default=0)
        need.append((max(2.5, head, min(body, 20)) + 0.5) * size + CELL_PADDING)     # half an em to spare
    total = sum(need)
    if total <= available:
        return [int(w * available / total) for w in need]
    short = [w for w in need if w <= 9 * size + CELL_PADDING]
    room = max(available - sum(short), len(need) * 3 * size)
    long_total = total - sum(short)
    return [int(w if w <= 9 * size + CELL_PADDING else w * room / long_total) for w in need]


def _table(doc: DocumentObject, table: object, wide: bool) -> None:
    caption = table.find("caption")
    if caption is not None:
        paragraph = _paragraph(doc, _text(caption), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
                               font=HEADING_FONT, size=CAPTION_SIZE, bold=False)
        paragraph.paragraph_format.keep_with_next = True
    grid = _grid(table)
    if not grid or not grid[0]:
        return
    size = WIDE_TABLE_SIZE if wide else TABLE_SIZE
    section = doc.sections[-1]
    widths = _widths(grid, section.page_width - section.left_margin - section.right_margin, size)
    sheet = doc.add_table(rows=len(grid), cols=len(grid[0]))
    sheet.style = "Table Grid"
    sheet.alignment = WD_TABLE_ALIGNMENT.CENTER
    sheet.autofit = False
    for column, width in zip(sheet.columns, widths, strict=True):
        column.width = width
    keep_all = len(grid) <= KEPT_TOGETHER
    for r, (row, cells) in enumerate(zip(sheet.rows, grid, strict=True)):
        kinds = {g[1] for g in cells if g is not None}
        if "head" in kinds:
            _row_flag(row, "w:tblHeader")
        _row_flag(row, "w:cantSplit")
        keep = r < len(grid) - 1 and (keep_all or "head" in kinds or r >= len(grid) - 2)   # never a row alone
        for c, (target, g) in enumerate(zip(row.cells, cells, strict=True)):
            target.width = widths[c]
            if g is None or not g[2]:
                continue
            cell, kind, _ = g
            span = int(cell.get("rowspan") or 1)
            if span > 1 and r + span - 1 < len(grid):
                target = target.merge(sheet.cell(r + span - 1, c))
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = target.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            paragraph.paragraph_format.keep_with_next = keep
            numeric = "num" in (cell.get("class") or "").split()
            paragraph.alignment = (WD_ALIGN_PARAGRAPH.CENTER if kind == "head" else
                                   WD_ALIGN_PARAGRAPH.RIGHT if numeric else None)
            _font(paragraph.add_run(_text(cell)), BODY_FONT, size, bold=kind != "body")


def _figure(doc: DocumentObject, figure: object) -> None:
    img = figure.find(".//img")
    src = img.get("src", "") if img is not None else ""
    if src.startswith("data:image/png;base64,"):
        doc.add_picture(io.BytesIO(base64.b64decode(src.split(",", 1)[1])), width=PICTURE_WIDTH)
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.paragraphs[-1].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _paragraph(doc, _text(figure.find("figcaption")), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
               font=HEADING_FONT, size=CAPTION_SIZE)


def _section(doc: DocumentObject, landscape: bool) -> None:
    """A new section on a new page, landscape or portrait (header, watermark and page numbers carry on)."""
    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape)


def _landscape(doc: DocumentObject) -> bool:
    return doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE


HEADINGS = {"h2": 1, "h3": 2, "h4": 3}


def _walk(doc: DocumentObject, element: object, state: dict) -> None:
    for child in element.iterchildren():
        tag = child.tag if isinstance(child.tag, str) else ""
        classes = set((child.get("class") or "").split())
        if tag in ("script", "style", "nav") or "toc" in classes:
            continue
        if tag == "footer" and "closing" in classes:
            _closing(doc, child)
        elif "attachments-start" in classes:
            _section(doc, landscape=True)          # the 附件 (the 自评表 and the project list) on landscape pages
            state["attachments"] = True
        elif tag in HEADINGS:
            doc.add_heading(_text(child), level=HEADINGS[tag])
        elif tag == "p":
            _paragraph(doc, _text(child), indent="attachment" not in classes)
        elif tag == "table":
            wide = paper.is_wide(child)
            turn = wide and not _landscape(doc)
            if turn:
                _section(doc, landscape=True)
            _table(doc, child, wide)
            if turn and not state.get("attachments"):
                _section(doc, landscape=False)
        elif tag == "figure":
            if "screen-only" not in classes:        # a chart too dense for paper stays on screen
                _figure(doc, child)
        elif tag in ("ul", "ol"):
            for item in child.iterchildren("li"):
                _paragraph(doc, _text(item))
        else:
            _walk(doc, child, state)


def _closing(doc: DocumentObject, footer: object) -> None:
    """The 落款: department and date, right-aligned."""
    for line in footer.iterchildren("p"):
        _paragraph(doc, _text(line), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)


def write_docx(report_html: Path, out: Path) -> Path:
    """report.html as a .docx (write-then-rename)."""
    tree = paper.read(report_html)
    doc = Document()
    _styles(doc)
    mark = tree.xpath("//div[contains(@class, 'draft-banner')]/strong")     # 草稿, as the report says it
    if "draft" in (tree.get("class") or "").split() and mark:
        watermark.add(doc.sections[0], _text(mark[0]))
    header = tree.find(".//header")
    if header is not None:
        attachment = header.find(".//p[@class='attachment']")
        if attachment is not None:
            _paragraph(doc, _text(attachment), indent=False, font=HEADING_FONT, size=BODY_SIZE)
        for span in header.xpath(".//h1/span"):
            _paragraph(doc, _text(span), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=Pt(22))
    main = tree.find(".//main")
    _walk(doc, main if main is not None else tree.body, {})
    if main is not None:          # a 落款 after </main> (a report without 附件)
        for footer in tree.xpath("//main/following-sibling::footer[contains(@class, 'closing')]"):
            _closing(doc, footer)
    wordfont.embed(doc, OFFICIAL_FONTS)
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
    return out
