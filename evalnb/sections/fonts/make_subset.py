"""Make NotoSansCJKsc-subset.otf and OFL.txt: the fallback CJK font shipped with evalnb.

Source: the Simplified Chinese face of Noto Sans CJK Regular (SIL OFL 1.1) as installed by Debian's fonts-noto-cjk,
``/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc`` (face 2, "Noto Sans CJK SC"); any other copy of
Noto Sans CJK SC can be given with ``--source``. The licence text is taken from the same package's
``/usr/share/doc/fonts-noto-cjk/copyright`` (its "License: SIL-1.1" paragraph).

Character set (see ``characters()``):
  * ASCII printable and Latin-1 punctuation/symbols (U+00A0-U+00FF);
  * all of GB 2312 (symbols, levels 1 and 2): every valid two-byte code decoded with Python's gb2312 codec;
  * the Chinese characters of GB 18030-2022 implementation level 1 (``gb18030_characters()``): every two-byte code
    of GBK (21,886 characters) and CJK Unified Ideographs with Extension A (U+3400-U+4DBF, U+4E00-U+9FFF), radicals and
    compatibility ideographs; then every ideograph beyond the BMP that the SC face maps (Extensions B-H: the
    通用规范汉字表 characters of level 2, such as those in personal and place names). 堃, 喆 and 䶮 are covered;
  * General Punctuation, letterlike symbols, number forms, arrows, common maths operators, enclosed numbers,
    CJK Symbols and Punctuation, CJK compatibility/small/vertical forms, half-width and full-width forms;
  * every non-ASCII character of the report's wording, collected afresh on each run from evalnb/**/*.py, *.j2, *.yaml,
    notebooks/**/*.ipynb and scripts/build_samples.py (``repo_characters()``), so rerun this after wording changes.
Code points the source font lacks are left out (listed on stderr); it is an error if the wording needs one of them.

Command (from the repository root; the output replaces the files beside this script):

    .venv/bin/python -m evalnb.sections.fonts.make_subset [--source FONT] [--face N]

Naming (SIL OFL 1.1 condition 3: a Modified Version must not use a Reserved Font Name): the Noto CJK fonts carry no
Reserved Font Name for "Noto". The font's own notice (name ID 0) is "(c) 2014-2021 Adobe (http://www.adobe.com/)."
without any, Debian's copyright file declares none, and the upstream noto-cjk LICENSE reserves only the name "Source"
(Adobe's Source Han Sans, from which Noto Sans CJK is built); "Noto is a trademark of Google Inc." (name ID 7) is kept.
So the subset may keep "Noto" in its name; it is still renamed "Noto Sans CJK SC Subset" so that it is never mistaken
for (or shadowed by, in matplotlib's font list) the complete font, and "Source" is not used anywhere.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from evalnb.sections.fonts import KNOWN_PATHS, SC_FAMILIES, SUBSET_FILE, system_font

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
LICENCE_FILE = HERE / "OFL.txt"
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
FAMILY = "Noto Sans CJK SC Subset"
POSTSCRIPT_NAME = "NotoSansCJKscSubset-Regular"
# Where the report's wording lives (relative to the repository root).
WORDING_GLOBS = ("evalnb/**/*.py", "evalnb/**/*.j2", "evalnb/**/*.yaml", "notebooks/**/*.ipynb", "scripts/build_samples.py")
EXTRA_RANGES = (
    (0x00A0, 0x00FF),  # Latin-1 punctuation and symbols: ° ± × ÷ · …
    (0x2010, 0x205E),  # General Punctuation: — – ‘ ’ “ ” … ‰ ※
    (0x2100, 0x218F),  # Letterlike symbols and number forms: ℃ № Ⅰ Ⅱ …
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical operators: ≥ ≤ ≠ ≈ ∑ √ …
    (0x2460, 0x24FF),  # Enclosed alphanumerics: ① ⑴ ⒈ …
    (0x2500, 0x25FF),  # Box drawing, blocks, geometric shapes: ■ □ ▲ ○ ●
    (0x3000, 0x303F),  # CJK Symbols and Punctuation: 、 。 《 》 【 】 〔 〕
    (0x3200, 0x32FF),  # Enclosed CJK letters and months: ㈠ ㊣
    (0xFE10, 0xFE1F),  # Vertical forms
    (0xFE30, 0xFE6F),  # CJK compatibility forms and small form variants: ﹝ ﹞
    (0xFF00, 0xFFEF),  # Half-width and full-width forms: ＝ ％ （ ） ，
)
DROPPED_FEATURES = {"locl", "valt", "vert", "vhal", "vjmo", "vkrn", "vpal", "vrt2", "vchw"}
SYMBOLS = "≥≤＝×÷％‰…—“”‘’、。（）《》【】﹝﹞〔〕·•°±￥"


def _printable(ch: str) -> bool:
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def gb2312_characters() -> set[str]:
    """Every character of GB 2312: rows 0xA1-0xF7 by columns 0xA1-0xFE, as far as the gb2312 codec decodes them."""
    found = set()
    for row in range(0xA1, 0xF8):
        for col in range(0xA1, 0xFF):
            try:
                found.add(bytes((row, col)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


GB18030_RANGES = (
    (0x2E80, 0x2FDF),  # CJK Radicals Supplement, Kangxi Radicals
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A (four-byte in GB 18030, required by level 1)
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
)


def gb18030_characters() -> set[str]:
    """The Chinese characters of GB 18030 level 1: GBK's two-byte codes (lead 0x81-0xFE, trail 0x40-0xFE, as far as
    Python's gbk codec decodes them) and the ideograph ranges above."""
    found = {chr(c) for start, end in GB18030_RANGES for c in range(start, end + 1)}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                found.add(bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                continue
    return found


def _notebook_text(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    return "\n".join("".join(cell.get("source", "")) for cell in cells)


def repo_characters(root: Path = ROOT) -> set[str]:
    """Every printable non-ASCII character of the wording: templates, sources, notebooks (sources only) and sample data."""
    found: set[str] = set()
    for pattern in WORDING_GLOBS:
        for path in sorted(root.glob(pattern)):
            if ".ipynb_checkpoints" in path.parts:
                continue
            text = _notebook_text(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
            found.update(ch for ch in text if ord(ch) > 0x7F and _printable(ch))
    return found


def characters(root: Path = ROOT, cmap: dict[int, str] | None = None) -> set[str]:
    """The subset's wanted character set (before intersecting with the source font); with the source's ``cmap``,
    also every ideograph it maps beyond the BMP."""
    wanted = {chr(c) for c in range(0x20, 0x7F)} | gb2312_characters() | gb18030_characters() | set(SYMBOLS)
    wanted |= repo_characters(root) | {chr(c) for c in (cmap or {}) if c >= 0x20000}
    wanted |= {chr(c) for start, end in EXTRA_RANGES for c in range(start, end + 1)}
    return {ch for ch in wanted if _printable(ch)}


def licence_text(source: TTFont) -> str:
    """OFL.txt: the copyright notices of the source font, then the OFL 1.1 text from Debian's copyright file."""
    paragraph = re.search(r"^License: SIL-1\.1\n((?: .*\n?)+)", DEBIAN_COPYRIGHT.read_text(encoding="utf-8"), re.M)
    if paragraph is None:
        raise RuntimeError(f"no 'License: SIL-1.1' paragraph in {DEBIAN_COPYRIGHT}")
    body = "\n".join("" if line == " ." else line[1:] for line in paragraph.group(1).rstrip("\n").split("\n"))
    name = source["name"]
    return (
        f"{FAMILY} (NotoSansCJKsc-subset.otf) is a subset of {name.getDebugName(4)}, "
        f"version {source['head'].fontRevision:.3f},\nmade by evalnb/fonts/make_subset.py. Original notices:\n\n"
        f"{name.getDebugName(0)}\n"
        "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.\n"
        "Source is a trademark of Adobe in the United States and/or other countries.\n"
        f"{name.getDebugName(7)}\n"
        "(https://github.com/notofonts/noto-cjk; no Reserved Font Name is declared for \"Noto\".)\n\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
        "This license is copied below, and is also available with a FAQ at:\nhttps://openfontlicense.org\n\n\n"
        f"{body}\n"
    )


def _rename(font: TTFont) -> None:
    """New names (IDs 1-6, 16, 17); copyright, trademark and licence records (IDs 0, 7, 13, 14) are kept as they are."""
    name = font["name"]
    version = name.getDebugName(5) or ""
    for name_id in (1, 3, 4, 6, 16, 17, 18, 20, 21, 22):  # drop every localized or typographic family record first
        name.removeNames(nameID=name_id)
    records = {1: FAMILY, 2: "Regular", 3: f"{POSTSCRIPT_NAME};evalnb subset", 4: FAMILY,
               5: f"{version}; evalnb subset (GB 18030 + report wording)", 6: POSTSCRIPT_NAME}
    for name_id, value in records.items():
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [POSTSCRIPT_NAME]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = FAMILY, FAMILY


def source_font(path: Path | None, face: int | None) -> tuple[Path, int]:
    """The source file and face: --source/--face, else the system Noto Sans CJK SC (Debian's .ttc, face 2)."""
    path = path or system_font() or next((p for p in KNOWN_PATHS if p.is_file()), None)
    if path is None:
        raise SystemExit("no Noto Sans CJK SC found: apt-get install fonts-noto-cjk, or pass --source")
    if face is None:
        face = 0
        if path.suffix.lower() in (".ttc", ".otc"):
            families = [f["name"].getDebugName(1) for f in TTCollection(str(path), lazy=True).fonts]
            face = next(i for i, family in enumerate(families) if family in SC_FAMILIES)
    return path, face


def make_subset(source: Path, face: int, output: Path = SUBSET_FILE, root: Path = ROOT) -> dict[str, int]:
    """Write the subset font and its licence file; returns a few measurements."""
    font = TTFont(str(source), fontNumber=face, lazy=False, recalcTimestamp=False)  # reproducible bytes
    family = font["name"].getDebugName(1)
    if family not in SC_FAMILIES:
        raise SystemExit(f"{source} face {face} is {family!r}, not Noto Sans CJK SC")
    cmap = font.getBestCmap()
    wanted = characters(root, cmap)
    absent = sorted(ch for ch in wanted if ord(ch) not in cmap)
    if needed := sorted(set(absent) & repo_characters(root)):
        raise SystemExit(f"the report's wording uses characters {source} lacks: {''.join(needed)!r}")
    print(f"{len(absent)} wanted code points are not in the source font and are left out", file=sys.stderr)

    options = subset.Options()
    # fontTools' default OpenType features minus 'locl' (it would pull in the JP/KR/TC glyph variants of the pan-CJK
    # font: 14.5k glyphs, 3.5 MB instead of 8.4k, 1.9 MB; the subset is SC only) and the vertical-writing features.
    options.layout_features = [tag for tag in options.layout_features if tag not in DROPPED_FEATURES]
    options.name_IDs = ["*"]  # keep copyright (0), trademark (7), licence (13, 14) and designer records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["vhea", "vmtx", "VORG"]  # horizontal text only
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(ch) for ch in wanted if ord(ch) in cmap))
    subsetter.subset(font)
    _rename(font)
    font.save(str(output))
    LICENCE_FILE.write_text(licence_text(TTFont(str(source), fontNumber=face, lazy=True)), encoding="utf-8")
    saved = TTFont(str(output), lazy=True)
    return {"bytes": output.stat().st_size, "glyphs": saved["maxp"].numGlyphs, "code points": len(saved.getBestCmap())}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--source", type=Path, help="a Noto Sans CJK SC .otf, or a .ttc holding it")
    parser.add_argument("--face", type=int, help="face index in a .ttc (default: the SC face)")
    args = parser.parse_args(argv)
    source, face = source_font(args.source, args.face)
    stats = make_subset(source, face)
    print(f"{SUBSET_FILE.name}: {stats['bytes']:,} bytes, {stats['glyphs']} glyphs, {stats['code points']} code points "
          f"(from {source}, face {face})")


if __name__ == "__main__":
    main()
