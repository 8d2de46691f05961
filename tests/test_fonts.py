"""The CJK font: glyph coverage of the shipped OFL subset, its licence, and no proprietary font in the environment."""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont
from matplotlib import font_manager
from matplotlib.figure import Figure

import evalnb
from evalnb.intake.ingest import ingest
from evalnb.review.context import load_context
from evalnb.sections import charts, fonts
from evalnb.sections.fonts.make_subset import LICENCE_FILE, gb2312_characters, gb18030_characters, repo_characters
from evalnb.text import glyphs
from evalnb.text.prose import words
from tests.helpers import SEED_SAMPLE

SUBSET = fonts.SUBSET_FILE
SUBSET_FAMILY = "Noto Sans CJK SC Subset"
ABSENT = "\U0002A700"  # 𪜀, CJK Unified Ideographs Extension C: in no face of Noto Sans CJK, so in no font of the chain
MISSING = ".*missing from font.*"


def wording_lines(width: int = 30) -> list[str]:
    """Every character the templates, sources and samples can produce, as chart-label-sized strings."""
    text = "".join(sorted(repo_characters()))
    return [text[i:i + width] for i in range(0, len(text), width)]


def chart_like_figure(lines: list[str]) -> Figure:
    fig = Figure(figsize=(7.2, 0.25 * len(lines) + 1), dpi=60, layout="constrained")
    ax = fig.subplots()
    ax.barh(range(len(lines)), range(1, len(lines) + 1), label=lines[0])
    ax.set_yticks(range(len(lines)), lines, fontsize=7)
    ax.set_title(lines[-1], fontsize=10)
    ax.set_xlabel("万元（执行率 ≥ 90%）")
    ax.legend(fontsize=8)
    return fig


def render(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.fixture
def subset_forced(monkeypatch):
    """matplotlib set up by use_cjk_font() with the shipped subset forced through $EVALNB_FONT; rcParams restored."""
    monkeypatch.setenv(fonts.ENV_VAR, str(SUBSET))
    with matplotlib.rc_context():
        yield fonts.use_cjk_font()


# ---------------------------------------------------------------- coverage of the shipped subset


def test_subset_cmap_covers_gb2312_ascii_and_the_wording():
    cmap = TTFont(SUBSET, lazy=True).getBestCmap()
    # GB 18030 level 1 (GBK and Extension A) as far as Noto Sans CJK SC has it, and names outside GB 2312
    gb18030 = gb18030_characters()
    assert len(gb18030) > 27_000 and sum(ord(ch) not in cmap for ch in gb18030) < 250
    assert all(ord(ch) in cmap for ch in "堃喆䶮" "镕昇珺玥弢" "\U0002B5AF")  # and the 通用规范汉字表's 𫖯 (Ext C)
    wording = repo_characters()
    assert len(wording) > 300  # the scan really found the Chinese wording
    assert not {ch for ch in wording if ord(ch) not in cmap}, "rerun: .venv/bin/python -m evalnb.sections.fonts.make_subset"
    assert len(gb2312_characters()) == 7445
    assert not {ch for ch in gb2312_characters() if ord(ch) not in cmap}
    assert all(c in cmap for c in range(0x20, 0x7F))
    assert all(ord(ch) in cmap for ch in "≥≤＝×÷％‰…—“”‘’、。（）《》【】﹝﹞〔〕")
    assert ord(ABSENT) not in cmap


def test_subset_renders_all_wording_without_missing_glyphs(subset_forced, tmp_path):
    assert subset_forced == SUBSET_FAMILY
    found = font_manager.findfont(font_manager.FontProperties(family=SUBSET_FAMILY), fallback_to_default=False)
    assert Path(found).resolve() == SUBSET.resolve()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=MISSING)
        lines = wording_lines()
        for chunk in range(0, len(lines), 10):
            assert render(chart_like_figure(lines[chunk:chunk + 10])).startswith(b"\x89PNG")
        url = f"sqlite:///{tmp_path / 's.sqlite'}"
        # 教育局: a 示例 year with a 示例 prior, so that 图3 (同比) is drawn (the seed's 正式 year has no 同比)
        ingest([SEED_SAMPLE.with_name("教育局_2024.xlsx"), SEED_SAMPLE.with_name("教育局_2023.xlsx")], url)
        ctx = load_context("教育局", 2024, url)
        figures = [charts.budget_by_category(ctx.dy, words("s1", "chart_categories")),
                   charts.funding_sources(ctx.dy, words("s1", "chart_sources")),
                   charts.indicator_completion(ctx.card, words("s3", "chart_completion")),
                   charts.year_on_year(ctx.dy, words("s1", "chart_years"))]
        assert "".join(charts.to_html(f, "alt", "caption") for f in figures).count("data:image/png;base64,") == 4
    assert matplotlib.rcParams["font.sans-serif"][0] == SUBSET_FAMILY


def test_missing_glyph_detection_fires_with_the_subset(subset_forced):
    fig = chart_like_figure(["预算执行率" + ABSENT])
    with pytest.warns(UserWarning, match=MISSING):
        render(fig)


def test_a_font_unknown_to_matplotlib_is_registered(tmp_path):
    """A fresh process with an empty matplotlib config/cache folder and a font file it has never seen."""
    copy = tmp_path / "fonts" / "never-seen.otf"
    copy.parent.mkdir()
    shutil.copyfile(SUBSET, copy)
    script = f"""
import io, warnings
from pathlib import Path
from matplotlib import font_manager
from matplotlib.figure import Figure
from evalnb.sections.fonts import use_cjk_font
assert not any("never-seen" in entry.fname for entry in font_manager.fontManager.ttflist)
name = use_cjk_font()
found = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
assert Path(found) == Path({str(copy.resolve())!r}), found
warnings.filterwarnings("error", message={MISSING!r})
fig = Figure()
fig.subplots().set_title("部门整体支出绩效自评报告（执行率≥90%）")
fig.savefig(io.BytesIO(), format="png")
print(name)
"""
    env = {**os.environ, fonts.ENV_VAR: str(copy), "MPLCONFIGDIR": str(tmp_path / "mplconfig")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == SUBSET_FAMILY


def test_override_must_exist(monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "absent.otf"))
    with pytest.raises(FileNotFoundError, match=fonts.ENV_VAR):
        fonts.font_path()


def test_without_a_system_font_the_shipped_subset_is_used(monkeypatch):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(glyphs, "system_font", lambda: None)
    assert fonts.font_path() == SUBSET


def needs_system_fonts(why: str) -> None:
    """`make test` installs fonts-noto-cjk: in CI its absence fails; elsewhere the test is skipped."""
    if os.environ.get("CI"):
        pytest.fail(f"{why}: run the tests with `make test`")
    pytest.skip(why)


def test_system_font_is_the_simplified_chinese_face(monkeypatch):
    system = fonts.system_font()
    if system is None:
        needs_system_fonts("no system Noto Sans CJK SC (Debian: fonts-noto-cjk)")
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    with matplotlib.rc_context():
        assert fonts.font_path() == system
        assert fonts.use_cjk_font() == "Noto Sans CJK SC"
        found = font_manager.findfont(font_manager.FontProperties(family="Noto Sans CJK SC"), fallback_to_default=False)
    face = getattr(found, "face_index", 0)
    if system.suffix.lower() in (".ttc", ".otc"):
        assert TTCollection(system, lazy=True).fonts[face]["name"].getDebugName(1) == "Noto Sans CJK SC"


def _bitmap(path: Path, face: int, text: str) -> bytes:
    from matplotlib import ft2font

    font = ft2font.FT2Font(str(path), face_index=face)
    font.set_size(48, 72)
    font.set_text(text)
    font.draw_glyphs_to_bitmap()
    return bytes(memoryview(font.get_image()))


def test_subset_has_mainland_glyph_shapes():
    """直 and 骨 differ between the SC and JP faces of Noto Sans CJK: the subset draws them as the SC face does."""
    ttc = fonts.KNOWN_PATHS[0]
    if not ttc.is_file():
        needs_system_fonts(f"{ttc} (Debian fonts-noto-cjk) is not installed")
    for text in "直骨":
        assert _bitmap(SUBSET, 0, text) == _bitmap(ttc, 2, text) != _bitmap(ttc, 0, text)


# ---------------------------------------------------------------- licence of the shipped subset


def test_subset_is_ofl_with_its_licence_beside_it():
    text = LICENCE_FILE.read_text(encoding="utf-8")
    assert LICENCE_FILE.parent == SUBSET.parent
    for needle in ("SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007", "PERMISSION & CONDITIONS",
                   "Reserved Font Name", "Adobe (http://www.adobe.com/)", "Noto is a trademark of Google"):
        assert needle in text
    name = TTFont(SUBSET, lazy=True)["name"]
    assert "SIL Open Font License, Version 1.1" in name.getDebugName(13)
    assert "scripts.sil.org/OFL" in name.getDebugName(14)
    assert "all rights reserved" not in name.getDebugName(0).lower()
    # OFL condition 3: a Modified Version must not carry a Reserved Font Name ('Source' for Noto CJK), nor the original
    # family name here, so it is never taken for the complete font.
    for name_id in (1, 4, 6):
        assert "Source" not in name.getDebugName(name_id) and name.getDebugName(name_id) != "Noto Sans CJK SC"
    assert licence_problems([SUBSET]) == []


# ---------------------------------------------------------------- no proprietary font anywhere

FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2", ".eot", ".pfb", ".pfa"}
# AFM files are left out: they are metrics without glyphs (matplotlib's are the Adobe core-14 and BaKoMa metrics).
PROPRIETARY_PREFIXES = (  # normalised (lower case, letters and digits only) family or file names
    "simhei", "simsun", "nsimsun", "simkai", "simfang", "simli", "simyou", "fangsong", "kaiti", "stkaiti", "stsong",
    "stheiti", "stxihei", "stfangsong", "stzhongsong", "sthupo", "stcaiyun", "stxingkai", "stxinwei", "stliti",
    "microsoftyahei", "msyh", "microsoftjhenghei", "msjh", "mingliu", "pmingliu", "dengxian", "fzhei", "fzshusong",
    "fzkai", "fzfangsong", "arial", "timesnewroman", "couriernew", "calibri", "cambria", "consolas", "segoeui",
    "tahoma", "verdana", "trebuchet", "comicsans", "pingfang", "hiragino", "heitisc", "heititc", "songtisc",
    "applesdgothic", "malgun", "meiryo", "msgothic", "msmincho", "yugothic", "yumincho", "batang", "gulim",
)
PROPRIETARY_FILE_STEMS = {"times", "timesbd", "timesi", "timesbi", "cour", "courbd", "couri", "courbi", "georgia", "simsunb"}
FREE_LICENCES = {  # pattern in the copyright (0), licence (13) or licence URL (14) records -> licence
    r"open font licen[cs]e|scripts\.sil\.org/ofl|openfontlicense\.org": "SIL OFL 1.1",
    r"apache licen[cs]e|apache\.org/licenses": "Apache 2.0",
    r"dejavu changes are in public domain|bitstream vera": "Bitstream Vera / DejaVu licence",
    r"stixfonts\.org/user_license": "STIX Font License",
    r"bakoma fonts collection": "BaKoMa Fonts Licence (matplotlib's dist-info LICENSE)",
    r"ubuntu font licen[cs]e": "Ubuntu Font Licence",
}
FREE_FAMILIES = {  # free fonts whose name table carries no licence record
    "Font Awesome 5 Free": "SIL OFL 1.1 (fontawesome.com/license/free)",
    "Font Awesome 5 Brands": "SIL OFL 1.1 (fontawesome.com/license/free)",
    "MathJax_": "SIL OFL 1.1 / Apache 2.0 (MathJax fonts)",
    "codicon": "CC BY 4.0 (microsoft/vscode-codicons, bundled by Playwright)",
}


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _is_proprietary_name(name: str) -> bool:
    return _normal(name).startswith(PROPRIETARY_PREFIXES)


def _sfnt_records(font: TTFont) -> tuple[list[str], str]:
    """(family, full and PostScript names; copyright + licence text) of one OpenType font."""
    name = font["name"]
    names = [name.getDebugName(i) for i in (1, 4, 6, 16)]
    return [n for n in names if n], "\n".join(name.getDebugName(i) or "" for i in (0, 13, 14))


def _eot_records(path: Path) -> list[tuple[list[str], str]]:
    """An Embedded OpenType file: its uncompressed font data, or (compressed) just the names in its header."""
    data = path.read_bytes()
    eot_size, data_size, _, flags = struct.unpack_from("<IIII", data)
    if flags & 0x10000004 == 0:  # neither MTX-compressed (0x4) nor XOR-obfuscated (0x10000000): a plain sfnt
        return [_sfnt_records(TTFont(io.BytesIO(data[eot_size - data_size:eot_size]), lazy=True))]
    names, offset = [], 82
    for _ in range(4):  # family, style, version and full name, each UTF-16LE with a size prefix and 2 bytes padding
        (size,) = struct.unpack_from("<H", data, offset)
        names.append(data[offset + 2:offset + 2 + size].decode("utf-16-le", "replace"))
        offset += 2 + size + 2
    return [([names[0], names[3]], "")]


def _font_records(path: Path) -> list[tuple[list[str], str]] | None:
    """Names and licence text of each face in a font file; None if it cannot be read here (checked by file name)."""
    suffix = path.suffix.lower()
    if suffix in (".ttc", ".otc"):
        return [_sfnt_records(font) for font in TTCollection(path, lazy=True).fonts]
    if suffix in (".pfb", ".pfa"):
        from fontTools.t1Lib import T1Font

        t1 = T1Font(str(path))
        t1.parse()
        info = t1.font.get("FontInfo", {})
        names = [str(t1.font.get("FontName", "")), str(info.get("FamilyName", "")), str(info.get("FullName", ""))]
        return [(names, f"{info.get('Notice', '')}\n{info.get('Copyright', '')}")]
    if suffix == ".eot":
        return _eot_records(path)
    if suffix == ".woff2":
        try:
            import brotli  # noqa: F401  (fontTools needs it to decode WOFF2)
        except ImportError:
            return None
    return [_sfnt_records(TTFont(path, lazy=True))]


def font_files(roots: list[Path], exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Every font file under the roots (symlinked folders not followed), except under the excluded folders."""
    found = []
    for root in roots:
        for folder, _, files in os.walk(root):
            if any(Path(folder).is_relative_to(e) for e in exclude):
                continue
            found += [Path(folder) / f for f in files if Path(f).suffix.lower() in FONT_SUFFIXES]
    return sorted(found)


def licence_problems(paths: list[Path]) -> list[str]:
    """One line per font that is proprietary by name, or whose licence is not on the free allow-list.

    A font passes when none of its names (family, full, PostScript, file) is a known proprietary font and its copyright
    or licence records match a known free licence, or its family is a known free font without licence records. WOFF2
    files are decoded only when the brotli module is installed; otherwise only their file name is checked.
    """
    problems = []
    for path in paths:
        if _is_proprietary_name(path.stem) or _normal(path.stem) in PROPRIETARY_FILE_STEMS:
            problems.append(f"{path}: proprietary font file name")
            continue
        try:
            faces = _font_records(path)
        except Exception as exc:  # noqa: BLE001 - an unreadable "font" is reported, not skipped
            problems.append(f"{path}: unreadable ({type(exc).__name__}: {exc})")
            continue
        for names, licence in faces or []:
            if bad := [n for n in names if _is_proprietary_name(n)]:
                problems.append(f"{path}: proprietary font {bad[0]!r}")
            elif not any(re.search(p, licence, re.I) for p in FREE_LICENCES) and not any(
                    n.startswith(tuple(FREE_FAMILIES)) for n in names):
                problems.append(f"{path}: {names[0] if names else '?'!r} has no known free licence "
                                f"({licence.strip()[:80] or 'no licence record'!r})")
    return problems


def _fake_font(path: Path, family: str, copyright: str, licence: str = "") -> Path:
    """A one-glyph TrueType font built with fontTools, named as asked."""
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "A"])
    fb.setupCharacterMap({ord("A"): "A"})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 700))
    pen.lineTo((1000, 0))
    pen.closePath()
    fb.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "A": pen.glyph()})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "A": (1000, 0)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    names = {"familyName": family, "styleName": "Regular", "copyright": copyright, "psName": family.replace(" ", "")}
    fb.setupNameTable({**names, **({"licenseDescription": licence} if licence else {})})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))
    return path


def test_no_proprietary_font_in_the_environment():
    """Every font file in the venv and the package has a known free licence (the mplfonts wheel, with its
    SimHei.ttf, made this fail)."""
    paths = font_files([Path(sys.prefix), Path(evalnb.__file__).resolve().parent])
    assert len(paths) > 50 and SUBSET in paths
    problems = licence_problems(paths)
    assert not problems, "\n".join(problems)


def test_scan_passes_free_fonts(tmp_path):
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in ("DejaVuSans.ttf", "STIXGeneral.ttf", "cmr10.ttf", "LastResortHE-Regular.ttf"):
        shutil.copy(ttf / name, tmp_path)
    shutil.copy(SUBSET, tmp_path)
    _fake_font(tmp_path / "Free.ttf", "Free Sans", "Copyright 2024 Someone", "Licensed under the SIL Open Font License 1.1")
    assert len(font_files([tmp_path])) == 6
    assert licence_problems(font_files([tmp_path])) == []
    if fonts.system_font() is not None:
        assert licence_problems([fonts.system_font()]) == []


def test_scan_flags_proprietary_fonts(tmp_path):
    (tmp_path / "inner").mkdir()
    flagged = [
        _fake_font(tmp_path / "inner" / "font1.ttf", "SimHei", "All rights reserved"),
        _fake_font(tmp_path / "font2.ttf", "Microsoft YaHei", "All rights reserved", "Licensed under the SIL Open Font License"),
        _fake_font(tmp_path / "font3.ttf", "Some Corporate Sans", "Copyright 2020 Foundry. All rights reserved."),
        _fake_font(tmp_path / "simkai.ttf", "Innocent", "Licensed under the SIL Open Font License"),
        _fake_font(tmp_path / "times.ttf", "Innocent", "Licensed under the SIL Open Font License"),
    ]
    ok = _fake_font(tmp_path / "Noto Sans Lisu.ttf", "Noto Sans Lisu", "Copyright 2024", "SIL Open Font License 1.1")
    problems = licence_problems(font_files([tmp_path]))
    assert len(problems) == len(flagged)
    assert all(any(str(path) in p for p in problems) for path in flagged) and not any(str(ok) in p for p in problems)
    assert any("'SimHei'" in p for p in problems) and any("no known free licence" in p for p in problems)
