"""Which fonts draw the report's text, and which characters none of them has.

The chain, first match wins per character (matplotlib falls back along it glyph by glyph, and the review checks a
department's text against the same chain, so a character that would be drawn as an empty box is named instead):

1. the main CJK font: ``$EVALNB_FONT``, else the system's Noto Sans CJK SC (Debian ``fonts-noto-cjk``), else the
   subset shipped with evalnb (``evalnb/sections/fonts/NotoSansCJKsc-subset.otf``: GB 18030 level 1 and the
   通用规范汉字表 characters beyond it, from Noto Sans CJK SC, SIL OFL 1.1);
2. the shipped subset, when the main font is another file (a font given by ``$EVALNB_FONT`` may lack characters);
3. other CJK fonts the system has (matplotlib's font list): free ones, and those of Windows and macOS;
4. DejaVu Sans, matplotlib's own font (Latin, Greek, Cyrillic, symbols).

Nothing is installed system-wide. matplotlib is imported only when a system font is looked up.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

from evalnb import settings

ENV_VAR = settings.FONT.name
SUBSET_FILE = Path(__file__).resolve().parents[1] / "sections" / "fonts" / "NotoSansCJKsc-subset.otf"
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
# System CJK fonts used for what the main font lacks, in this order (only those the system has; none is shipped).
FALLBACK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Serif CJK SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing CN", "Microsoft YaHei", "DengXian", "SimSun",
    "SimSun-ExtB", "SimSun-ExtG", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti", "Noto Sans CJK TC",
    "Noto Sans CJK HK", "Noto Sans CJK JP", "Noto Sans CJK KR",
)
LAST_RESORT = "DejaVu Sans"


def _faces(path: Path) -> list[str]:
    """Family names of the faces in a font file (one for .otf/.ttf, several for a collection)."""
    from matplotlib import ft2font

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
    from matplotlib import font_manager

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
    """The main font file: $EVALNB_FONT, else the system Noto Sans CJK SC, else the subset shipped in this package."""
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
def system_fallbacks() -> tuple[tuple[Path, str], ...]:
    """(file, family) of the system's CJK fonts in FALLBACK_FAMILIES order, regular weight first."""
    from matplotlib import font_manager

    found: dict[str, Path] = {}
    for entry in sorted(font_manager.fontManager.ttflist, key=lambda e: e.weight not in (400, "normal", "regular")):
        if entry.name in FALLBACK_FAMILIES and entry.name not in found and entry.style == "normal":
            found[entry.name] = Path(entry.fname)
    return tuple((found[name], name) for name in FALLBACK_FAMILIES if name in found)


def _last_resort() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def chain() -> list[tuple[Path, str]]:
    """(file, family) of every font that draws the report's text, in fallback order (see the module's docstring)."""
    main = font_path().resolve()
    faces = [(main, family_name(main))]
    if SUBSET_FILE.is_file() and SUBSET_FILE.resolve() != main:
        faces.append((SUBSET_FILE.resolve(), family_name(SUBSET_FILE)))
    faces += [(path.resolve(), family) for path, family in system_fallbacks()]
    faces.append((_last_resort(), LAST_RESORT))
    seen: set[str] = set()
    return [(path, family) for path, family in faces if not (family in seen or seen.add(family))]


@cache
def code_points(path: Path, family: str) -> frozenset[int]:
    """The characters one face of a font file maps (for a collection, the face named ``family``)."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in (".ttc", ".otc"):
        fonts = TTCollection(str(path), lazy=True).fonts
        font = next((f for f in fonts if f["name"].getDebugName(1) == family), fonts[0])
    else:
        font = TTFont(str(path), lazy=True)
    return frozenset(font.getBestCmap() or {})


def _drawn(ch: str) -> bool:
    """A character that needs a glyph: not a space, control, format or variation-selector code point."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Zl", "Zp") \
        and not 0xFE00 <= ord(ch) <= 0xFE0F and not 0xE0100 <= ord(ch) <= 0xE01EF


def missing(texts: list[str], faces: list[tuple[Path, str]] | None = None) -> list[str]:
    """The characters of ``texts`` that no font of the chain has, in order of first appearance."""
    faces = chain() if faces is None else faces
    wanted = dict.fromkeys(ch for text in texts for ch in text if ord(ch) > 0x7F and _drawn(ch))
    if not wanted:
        return []
    left = list(wanted)
    for path, family in faces:           # a face's character map is read only while characters are still left
        covered = code_points(path, family)
        left = [ch for ch in left if ord(ch) not in covered]
        if not left:
            break
    return left
