"""A CJK font for matplotlib: Noto Sans CJK SC (SIL OFL 1.1), as shipped in the mplfonts wheel.

Only the font file is used: it is registered with matplotlib's font manager for this process. Nothing
is installed system-wide and nothing in site-packages is changed (mplfonts' own ``init`` would).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager

FONT_FILE = "NotoSansCJKsc-Regular.otf"


def font_path() -> Path:
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the mplfonts package (which carries Noto Sans CJK SC) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the mplfonts package")
    return path


@cache
def use_cjk_font() -> str:
    """Register the font and make it matplotlib's default; returns its family name."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
