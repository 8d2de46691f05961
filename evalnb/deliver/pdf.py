"""The report as PDF, laid out by WeasyPrint (BSD; CSS paged media, no browser) from the report's own HTML and
print stylesheet, so a browser's print and the PDF share one stylesheet: A4 公文 pages, "第 X 页 共 Y 页" from
CSS page margin boxes, landscape pages for the wide tables (:mod:`evalnb.deliver.paper` groups the project
rows first).

Why WeasyPrint and not Chromium (measured on the samples, see the README): it embeds fonts as CID fonts with a
ToUnicode map built from the text itself, so what is copied or indexed is the text (Chromium's Skia wrote every
font as Type 3 and mapped 42 ideographs to the Kangxi radicals sharing their glyphs in Noto CJK: 支 as U+2F40); it runs
in-process, so a batch worker loads it once and reuses it (:func:`engine`) instead of starting a browser per
report. It needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0``; ``make system-deps`` installs them), and
HarfBuzz's subsetter (``libharfbuzz-subset0``) to cut the embedded fonts: without it WeasyPrint falls back to
fontTools, which made each PDF about 19 times slower here (11 s instead of 0.6 s a report, cutting 20 MB Noto CJK
files), so the console warns (:func:`subsets_fonts_fast`).
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from lxml import html as lxml_html

from evalnb.deliver import paper
from evalnb.errors import ReportError
from evalnb.paths import atomic_path
from evalnb.text.glyphs import SUBSET_FILE

PANGO = "libpango-1.0-0 libpangoft2-1.0-0"
HARFBUZZ_SUBSET = "libharfbuzz-subset0"


@cache
def engine() -> tuple[object, object]:
    """WeasyPrint and one font configuration, loaded on first use and kept for the life of the process (a batch
    worker prints all its reports with them)."""
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:     # OSError: Pango's libraries are missing
        raise ReportError(f"无法加载 PDF 排版库 WeasyPrint（{exc}）：请安装 evalnb 的依赖（pip install weasyprint），"
                          f"以及它用到的 Pango（Debian/Ubuntu：apt install {PANGO}）") from exc
    logging.getLogger("weasyprint").setLevel(logging.ERROR)   # not a word on CSS it ignores (screen-only rules)
    return weasyprint, FontConfiguration()


def subsets_fonts_fast() -> bool:
    """Whether WeasyPrint cuts the fonts it embeds with HarfBuzz (libharfbuzz-subset 4.1 or later, as WeasyPrint
    asks) rather than with fontTools; True where WeasyPrint itself is missing (the PDF's error says so)."""
    try:
        from weasyprint.text import ffi
    except (ImportError, OSError):
        return True
    return bool(ffi.harfbuzz_subset) and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))


BUNDLED_FAMILY = "evalnb CJK"     # the last CJK face of report.css's print font stacks


@cache
def _bundled(weasyprint: object, fonts: object) -> object:
    """The OFL subset shipped with evalnb as a web font of the printed page: behind the 公文 fonts and Noto CJK,
    so a machine without any CJK font still prints 堃, 喆 and every other character the subset holds."""
    face = f'@font-face {{ font-family: "{BUNDLED_FAMILY}"; src: url("{SUBSET_FILE.resolve().as_uri()}"); }}'
    return weasyprint.CSS(string=face, font_config=fonts)


def preload() -> None:
    """Import WeasyPrint ahead of the first PDF: a batch does it once before its workers fork, so they share the
    import; each worker then makes its font configuration once (:func:`engine`)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pass                            # the first PDF says what is missing (engine)


def render(html: Path) -> object:
    """The laid-out document (a ``weasyprint.Document``: its pages and boxes, before it is written)."""
    weasyprint, fonts = engine()
    tree = paper.read(html)
    return weasyprint.HTML(string=lxml_html.tostring(tree, encoding="unicode"), base_url=str(html.parent),
                           ).render(stylesheets=[_bundled(weasyprint, fonts)], font_config=fonts)


def write_pdf(html: Path, pdf: Path) -> Path:
    """Print ``html`` to ``pdf`` (write-then-rename: a failed print leaves the previous PDF)."""
    document = render(html)
    with atomic_path(pdf) as tmp:
        document.write_pdf(tmp)
    return pdf
