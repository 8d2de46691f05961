"""A draft Word file's watermark: the banner's word (草稿) as a picture behind every page, as Word's
Design → Watermark → Picture watermark stores it (a VML ``WordPictureWatermark`` shape in the page header).

Why a picture and not Word's text watermark: a text watermark is drawn with a font of the reader's machine, and
LibreOffice lays the shape out before it loads the fonts a file embeds (:mod:`evalnb.deliver.wordfont`), so where no
CJK font is installed it drew two empty boxes. The picture is drawn here with the bundled OFL font and looks the
same everywhere; Word's Design → Watermark → No watermark still removes it.
"""

from __future__ import annotations

import io
from functools import cache
from html import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from PIL import Image, ImageDraw, ImageFont

from evalnb.errors import ReportError
from evalnb.text.glyphs import SUBSET_FILE, code_points, family_name

COLOUR = (230, 184, 180, 140)        # a light red, half transparent: the body text stays readable over it
GLYPH_PX = 360                       # the drawn size of one character; the picture is printed 400pt wide
SIZE = "400pt"
VML, OFFICE = "urn:schemas-microsoft-com:vml", "urn:schemas-microsoft-com:office:office"
# Word's picture frame shape type (o:spt 75), as Word writes it for a picture watermark.
SHAPE = (
    '<w:r {ns}><w:pict><v:shapetype id="_x0000_t75" coordsize="21600,21600" o:spt="75" o:preferrelative="t" '
    'path="m@4@5l@4@11@9@11@9@5xe" filled="f" stroked="f"><v:stroke joinstyle="miter"/><v:formulas>'
    '<v:f eqn="if lineDrawn pixelLineWidth 0"/><v:f eqn="sum @0 1 0"/><v:f eqn="sum 0 0 @1"/>'
    '<v:f eqn="prod @2 1 2"/><v:f eqn="prod @3 21600 pixelWidth"/><v:f eqn="prod @3 21600 pixelHeight"/>'
    '<v:f eqn="sum @0 0 1"/><v:f eqn="prod @6 1 2"/><v:f eqn="prod @7 21600 pixelWidth"/>'
    '<v:f eqn="sum @8 21600 0"/><v:f eqn="prod @7 21600 pixelHeight"/><v:f eqn="sum @10 21600 0"/></v:formulas>'
    '<v:path o:extrusionok="f" gradientshapeok="t" o:connecttype="rect"/><o:lock v:ext="edit" aspectratio="t"/>'
    '</v:shapetype><v:shape id="WordPictureWatermark1" o:spid="_x0000_s2049" type="#_x0000_t75" '
    'style="position:absolute;margin-left:0;margin-top:0;width:{size};height:{size};z-index:-251657216;'
    "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f">'
    '<v:imagedata r:id="{rid}" o:title="{title}"/></v:shape></w:pict></w:r>')


@cache
def picture(text: str) -> bytes:
    """``text`` drawn with the bundled font, turned 45° (bottom left to top right), on a transparent square PNG."""
    covered = code_points(SUBSET_FILE, family_name(SUBSET_FILE))
    absent = [ch for ch in text if ord(ch) not in covered]
    if absent:            # the word is the report template's; a template edit must not print a box
        raise ReportError(f"Word 文件的草稿水印“{text}”含随包字体没有的字符“{''.join(absent)}”："
                          f"请在报告模板的草稿标记中改用常用汉字")
    font = ImageFont.truetype(str(SUBSET_FILE), GLYPH_PX)
    left, top, right, bottom = font.getbbox(text)
    flat = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    ImageDraw.Draw(flat).text((-left, -top), text, font=font, fill=COLOUR)
    turned = flat.rotate(45, resample=Image.Resampling.BICUBIC, expand=True)
    side = max(turned.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(turned, ((side - turned.width) // 2, (side - turned.height) // 2))
    out = io.BytesIO()
    square.save(out, format="PNG", optimize=True)
    return out.getvalue()


def add(section: object, text: str) -> None:
    """The watermark in ``section``'s page header, behind the text of every page (later sections share the header);
    none for an empty text (a template whose banner word was taken out)."""
    if not text.strip():
        return
    header = section.header
    rid, _ = header.part.get_or_add_image(io.BytesIO(picture(text)))
    namespaces = f'{nsdecls("w", "r")} xmlns:v="{VML}" xmlns:o="{OFFICE}"'
    header.paragraphs[0]._p.append(parse_xml(SHAPE.format(ns=namespaces, size=SIZE, rid=rid, title=escape(text))))

