"""A CJK font for matplotlib, free fonts only (SIL OFL 1.1): Noto Sans CJK SC.

Which font file is used, first match wins:

1. ``$EVALNB_FONT``: a path to a font file (.otf/.ttf, or a .ttc/.otc collection: its Simplified Chinese face is used);
2. the system's Noto Sans CJK SC (Debian/Ubuntu: the ``fonts-noto-cjk`` package), found at its known paths, else
   through matplotlib's font list, else through ``fc-match``;
3. ``NotoSansCJKsc-subset.otf`` beside this file: an OFL subset of Noto Sans CJK SC (GB 18030 level 1, the
   通用规范汉字表 characters beyond it, and every character of the report's wording; see ``make_subset.py``).

Behind it, matplotlib falls back glyph by glyph to the shipped subset and the system's other CJK fonts
(``evalnb.text.glyphs.chain``, which the review also checks a department's text against).

The chosen file is registered with matplotlib's font manager for this process only, so it works even if matplotlib's
font cache has never seen it. Nothing is installed system-wide and nothing in site-packages is changed.

About .ttc collections: ``fonts-noto-cjk`` ships one ``NotoSansCJK-Regular.ttc`` holding ten faces (JP, KR, SC, TC, HK
and their Mono variants) that share outlines but map code points differently. matplotlib (3.8+) registers every face
of a collection in ``addfont`` and resolves a family name to ``FontPath(file, face_index)``, so asking for the family
"Noto Sans CJK SC" selects the SC face (index 2 in Debian's file): mainland glyph shapes. ``FontProperties(fname=...)``
on a collection would name face 0 (JP), which is why the family name is read from the chosen face here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from evalnb.text.glyphs import (  # noqa: F401  (the font choice lives with the glyph check; named here as before)
    ENV_VAR,
    KNOWN_PATHS,
    SC_FAMILIES,
    SUBSET_FILE,
    chain,
    family_name,
    font_path,
    system_font,
)


@cache
def register_font(path: Path) -> str:
    """Make one font file known to matplotlib (this process only); returns the family name to ask for."""
    font_manager.fontManager.addfont(str(path))
    return family_name(path)


def use_cjk_font() -> str:
    """Register the fonts of the chain and make them matplotlib's default, in fallback order; returns the main
    font's family name."""
    faces = chain()
    name = register_font(faces[0][0])
    if any(path == SUBSET_FILE.resolve() for path, _ in faces[1:]):
        register_font(SUBSET_FILE.resolve())        # the system's fonts are in matplotlib's list already
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, *(family for _, family in faces[1:])]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
