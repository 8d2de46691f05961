"""The CJK font a Word file carries: a per-document subset of the bundled OFL font, embedded as Word embeds fonts.

A .docx is mailed to machines we do not know; where the 公文 fonts (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体) are
not installed and no other CJK font is either (a bare server, a non-Chinese Windows or macOS), Word and LibreOffice
would draw every Chinese character as an empty box. So every Word file carries the characters it uses, cut from
``evalnb/sections/fonts/NotoSansCJKsc-subset.otf`` (SIL OFL 1.1, which allows embedding fonts in documents; the
licence stays in the font's name table), and names that face as the 公文 fonts' alternative.

How, per ECMA-376 Part 1:
  * §17.8.1: the font is a part ``word/fonts/font1.odttf`` related from fontTable.xml, its first 32 bytes XORed with
    the ``w:fontKey`` GUID (its bytes in reverse order); ``w:embedRegular`` with ``w:subsetted`` in the font's
    ``w:font`` entry; ``w:embedTrueTypeFonts`` and ``w:saveSubsetFonts`` in settings.xml so Word keeps it on save.
  * §17.8.3.1 ``w:altName``: "if the parent font … cannot be found, then these names can be used": each 公文 font
    names the embedded face. LibreOffice ignores altName (writerfilter's FontTable.cxx) and its glyph fallback asks
    fontconfig, which never hears of an embedded font, so each 公文 font's entry also embeds the face: LibreOffice
    registers an embedded font under the entry's name. (LibreOffice 7.4 then prefers it to an installed font of that
    name; Word loads an embedded font through Windows' TTLoadEmbeddedFont, which may rename it; not tested in Word.)
  * TrueType outlines, not CFF: Word embeds through Windows' font embedding service, which takes TrueType-flavoured
    fonts only (Microsoft KB 2524096; Word will not embed the CFF-based Source Han Sans even at fsType 0, adobe-fonts/
    source-han-sans#230), so the subset's cubic CFF outlines are converted to quadratic ``glyf`` ones (cu2qu, within
    one font unit).
"""

from __future__ import annotations

import hashlib
import io
import uuid

from docx.document import Document as DocumentObject
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from lxml import etree

from evalnb.text.glyphs import SUBSET_FILE

FONT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FONT_TABLE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
ALWAYS = "0123456789 "              # the page number field's digits, drawn by Word, not in any w:t
MAX_ERROR = 1.0                     # font units (of 1000 per em) a quadratic outline may stray from the cubic one
GB2312_CHARSET = "86"
# The elements of CT_Settings that come before w:embedTrueTypeFonts (schema order).
SETTINGS_BEFORE_EMBED = ("writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                         "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                         "printFractionalCharacterWidth", "printFormsData")


def characters(doc: DocumentObject) -> str:
    """Every character the document shows: its text, headers and footers (the watermark is a picture)."""
    found = set(ALWAYS)
    for part in doc.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is None:
            continue
        found.update("".join(node.text or "" for node in element.iter(qn("w:t"))))
    return "".join(sorted(found))


def _truetype(font: TTFont) -> None:
    """CFF outlines to TrueType (glyf) ones, in place."""
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = font.getGlyphOrder(), {}
    for name in glyf.glyphOrder:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    font["head"].glyphDataFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    font["post"].formatType = 3.0           # no glyph names (a TrueType font needs none)
    font.sfntVersion = "\x00\x01\x00\x00"


def subset_font(text: str) -> bytes:
    """The bundled font cut to ``text``'s characters (those it has), with TrueType outlines."""
    font = TTFont(str(SUBSET_FILE), lazy=True)
    options = subset.Options()
    options.layout_features, options.name_IDs, options.notdef_outline = [], ["*"], True   # keep the licence (IDs 13, 14)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    _truetype(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def family(data: bytes) -> str:
    """The font's family name (name ID 1), as Word and LibreOffice match it."""
    return TTFont(io.BytesIO(data))["name"].getDebugName(1)


def obfuscate(data: bytes, key: uuid.UUID) -> bytes:
    """ECMA-376 Part 1 §17.8.1: the first 32 bytes XORed with the key's 16 bytes in reverse order, twice over.
    The same operation undoes it."""
    mask = bytes(reversed(key.bytes)) * 2
    return bytes(b ^ m for b, m in zip(data[:32], mask, strict=True)) + data[32:]


def _font_entry(fonts: object, name: str) -> object:
    """The font table's entry for ``name``, made (a Chinese font: GB 2312 character set) if there is none."""
    entry = next((f for f in fonts.iterchildren(qn("w:font")) if f.get(qn("w:name")) == name), None)
    if entry is None:
        entry = OxmlElement("w:font")
        entry.set(qn("w:name"), name)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), GB2312_CHARSET)
        entry.append(charset)
        fonts.append(entry)
    return entry


def _alternative(entry: object, name: str) -> None:
    """w:altName first in the entry (schema order), naming ``name``."""
    alt = entry.find(qn("w:altName"))
    if alt is None:
        alt = OxmlElement("w:altName")
        entry.insert(0, alt)
    alt.set(qn("w:val"), name)


def _settings(doc: DocumentObject) -> None:
    """w:embedTrueTypeFonts and w:saveSubsetFonts, where the schema puts them (after w:zoom and its kin)."""
    settings = doc.settings.element
    before = [c for c in settings if c.tag in {qn(f"w:{t}") for t in SETTINGS_BEFORE_EMBED}]
    position = settings.index(before[-1]) + 1 if before else 0
    for offset, tag in enumerate(("w:embedTrueTypeFonts", "w:saveSubsetFonts")):
        if settings.find(qn(tag)) is None:
            settings.insert(position + offset, OxmlElement(tag))


def _embedded(rid: str, key: uuid.UUID) -> object:
    element = OxmlElement("w:embedRegular")
    element.set(qn("r:id"), rid)
    element.set(qn("w:fontKey"), "{" + str(key).upper() + "}")     # upper case: LibreOffice reads no other
    element.set(qn("w:subsetted"), "1")
    return element


def embed(doc: DocumentObject, faces: tuple[str, ...]) -> str:
    """Embed the bundled font, cut to the document's characters, as the stand-in for ``faces``; returns its family.

    Each of ``faces`` gets the embedded face as its w:altName (Word's fallback) and as its own w:embedRegular
    (LibreOffice ignores altName and registers an embedded font under the font table's name for it); the face
    also has an entry of its own, as Word writes one for every font it embeds."""
    data = subset_font(characters(doc))
    name = family(data)
    key = uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])          # the same document, the same bytes
    table = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype == FONT_TABLE_RELATIONSHIP)
    font = Part(PackURI("/word/fonts/font1.odttf"), FONT_CONTENT_TYPE, obfuscate(data, key), doc.part.package)
    rid = table.relate_to(font, FONT_RELATIONSHIP)
    fonts = parse_xml(table.blob)
    for face in faces:
        entry = _font_entry(fonts, face)
        _alternative(entry, name)
        entry.append(_embedded(rid, key))
    _font_entry(fonts, name).append(_embedded(rid, key))
    table._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)   # a plain Part
    _settings(doc)
    return name
