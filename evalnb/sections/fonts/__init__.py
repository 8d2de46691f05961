"""A CJK font for matplotlib, free fonts only (SIL OFL 1.1): Noto Sans CJK SC.

Which font file is used, first match wins:

1. ``$EVALNB_FONT``: a path to a font file (.otf/.ttf, or a .ttc/.otc collection: its Simplified Chinese face is used);
2. the system's Noto Sans CJK SC (Debian/Ubuntu: the ``fonts-noto-cjk`` package), found at its known paths, else
   through matplotlib's font list, else through ``fc-match``;
3. ``NotoSansCJKsc-subset.otf`` beside this file: an OFL subset of Noto Sans CJK SC (GB 2312 and every character of
   the report's wording; see ``make_subset.py``).

The chosen file is registered with matplotlib's font manager for this process only, so it works even if matplotlib's
font cache has never seen it. Nothing is installed system-wide and nothing in site-packages is changed.

About .ttc collections: ``fonts-noto-cjk`` ships one ``NotoSansCJK-Regular.ttc`` holding ten faces (JP, KR, SC, TC, HK
and their Mono variants) that share outlines but map code points differently. matplotlib (3.8+) registers every face
of a collection in ``addfont`` and resolves a family name to ``FontPath(file, face_index)``, so asking for the family
"Noto Sans CJK SC" selects the SC face (index 2 in Debian's file): mainland glyph shapes. ``FontProperties(fname=...)``
on a collection would name face 0 (JP), which is why the family name is read from the chosen face here.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager, ft2font

from evalnb import settings

ENV_VAR = settings.FONT.name
SUBSET_FILE = Path(__file__).with_name("NotoSansCJKsc-subset.otf")
# Family names of Noto Sans CJK's Simplified Chinese face: the pan-CJK font, and Google Fonts' per-region cut.
SC_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC")
# Where Linux distributions put the Regular weight (Debian/Ubuntu fonts-noto-cjk first).
KNOWN_PATHS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansSC-Regular.otf"),
)


def _faces(path: Path) -> list[str]:
    """Family names of the faces in a font file (one for .otf/.ttf, several for a collection)."""
    first = ft2font.FT2Font(str(path))
    return [first.family_name] + [ft2font.FT2Font(str(path), face_index=i).family_name for i in range(1, first.num_faces)]


def family_name(path: Path) -> str:
    """The family matplotlib knows the font by; for a collection, that of its Simplified Chinese face."""
    faces = _faces(path)
    for wanted in SC_FAMILIES:
        if wanted in faces:
            return wanted
    return next((name for name in faces if name.endswith(" SC")), faces[0])


def _is_sc_font(path: Path) -> bool:
    try:
        return path.is_file() and any(name in SC_FAMILIES for name in _faces(path))
    except (OSError, RuntimeError):
        return False


@cache
def system_font() -> Path | None:
    """The system's Noto Sans CJK SC (Regular), or None."""
    for path in KNOWN_PATHS:
        if _is_sc_font(path):
            return path
    for entry in font_manager.fontManager.ttflist:
        if entry.name in SC_FAMILIES and entry.weight in (400, "normal", "regular") and _is_sc_font(Path(entry.fname)):
            return Path(entry.fname)
    if fc_match := shutil.which("fc-match"):
        for family in SC_FAMILIES:
            try:
                found = subprocess.run([fc_match, "-f", "%{file}", f"{family}:style=Regular"],
                                       capture_output=True, text=True, timeout=10, check=False).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                break
            if found and _is_sc_font(Path(found)):
                return Path(found)
    return None


def font_path() -> Path:
    """The font file to use: $EVALNB_FONT, else the system Noto Sans CJK SC, else the subset shipped in this package."""
    if override := settings.FONT.get():
        path = Path(override).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"{ENV_VAR}={override}: no such font file")
        return path
    if (path := system_font()) is not None:
        return path
    if not SUBSET_FILE.is_file():
        raise FileNotFoundError(f"no Noto Sans CJK SC on this system and {SUBSET_FILE} is missing")
    return SUBSET_FILE


@cache
def register_font(path: Path) -> str:
    """Make one font file known to matplotlib (this process only); returns the family name to ask for."""
    font_manager.fontManager.addfont(str(path))
    return family_name(path)


def use_cjk_font() -> str:
    """Register the font and make it matplotlib's default; returns its family name."""
    name = register_font(font_path().resolve())
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
