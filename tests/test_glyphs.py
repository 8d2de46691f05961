"""Every character a department can type is drawn: names outside GB 2312 (堃喆䶮) with the bundled font alone, and a
character no font has is a console warning and a memo finding naming it and the fix — never silent tofu."""

from __future__ import annotations

import json
import warnings
import zipfile

import matplotlib
import pytest
from fontTools.ttLib import TTFont

from evalnb.intake.blank import write_workbook
from evalnb.intake.ingest import ingest
from evalnb.review import checks, memo
from evalnb.review.context import load_context
from evalnb.review.glyph_checks import MAX_NAMED, missing_glyphs
from evalnb.sections import charts, fonts
from evalnb.store import data
from evalnb.text import glyphs
from evalnb.text.prose import words
from tests.helpers import evalnb, minimal_content

NAME = "堃喆䶮局"
CATEGORY = "堃喆䶮"
ABSENT = "\U0002A700"       # 𪜀, CJK Extension C: in no face of Noto Sans CJK, nor in DejaVu Sans
MISSING = ".*missing from font.*"


def content(absent: str = "") -> dict:
    c = minimal_content()
    c["基本信息"][0]["内容"] = NAME
    c["评价工作组"][0]["工作单位"] = NAME
    for line in c["项目支出"]:
        line["项目类别"] = CATEGORY
    c["项目支出"][0]["项目名称"] = f"{CATEGORY}人才项目"
    c["绩效指标"][0]["三级指标"] = f"{CATEGORY}培训人次"
    c["文字材料"][0]["内容"] = f"负责{CATEGORY}地区的测试工作{absent}。"
    return c


@pytest.fixture
def stored(tmp_path, request):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([write_workbook(tmp_path / f"{NAME}_2024.xlsx", content(getattr(request, "param", "")))], url)
    return url


def test_the_bundled_font_alone_has_every_character_of_the_names():
    cmap = TTFont(glyphs.SUBSET_FILE, lazy=True).getBestCmap()
    assert all(ord(ch) in cmap for ch in NAME + CATEGORY)
    only_bundled = [(glyphs.SUBSET_FILE, glyphs.family_name(glyphs.SUBSET_FILE)), (glyphs._last_resort(), "DejaVu Sans")]
    assert glyphs.missing([NAME, "科学技术局（执行率≥90%）"], only_bundled) == []
    assert glyphs.missing([f"{NAME}{ABSENT}"], only_bundled) == [ABSENT]
    assert ABSENT in glyphs.missing([ABSENT])          # in no font of this machine's chain either
    assert glyphs.missing(["a\u200bb\ufe0f \n"]) == []   # spaces, format and variation selectors need no glyph


def test_charts_draw_the_names_with_the_bundled_font_and_no_system_font(stored, monkeypatch):
    """As on a machine without system CJK fonts: $EVALNB_FONT is the bundled subset and the fallback list holds
    nothing but it and DejaVu Sans; a missing glyph would be matplotlib's warning, made an error here."""
    monkeypatch.setenv(fonts.ENV_VAR, str(glyphs.SUBSET_FILE))
    with matplotlib.rc_context():
        family = fonts.use_cjk_font()
        matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
        ctx = load_context(NAME, 2024, stored)
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=MISSING)
            figures = [charts.budget_by_category(ctx.dy, words("s1", "chart_categories")),
                       charts.funding_sources(ctx.dy, words("s1", "chart_sources")),
                       charts.indicator_completion(ctx.card, words("s3", "chart_completion"))]
            for fig in figures:
                fig.axes[0].set_title(f"{NAME}（{CATEGORY}）")
            html = "".join(charts.to_html(f, NAME, CATEGORY) for f in figures)
    assert html.count("data:image/png;base64,") == 3
    # the check agrees: nothing to warn about
    assert list(missing_glyphs(data.load(NAME, 2024, stored))) == []


@pytest.mark.parametrize("stored", [ABSENT], indirect=True)
def test_a_character_no_font_has_is_a_finding_naming_it_and_the_fix(stored):
    dy = data.load(NAME, 2024, stored)
    found = [f for f in checks.run_checks(dy) if f.code == "glyph-missing"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].sheet == "文字材料"
    message = found[0].message
    assert f"字符“{ABSENT}”（U+2A700，见于" in message and f"测试工作{ABSENT}。" in message
    assert "空框" in message and "fonts-noto-cjk" in message and "EVALNB_FONT" in message
    assert "EVALNB_FONT" in memo.advice("glyph-missing") and memo.advice("glyph-missing") != memo.advice("unknown")


def test_many_missing_characters_are_one_finding_each_up_to_a_limit(tmp_path):
    many = "".join(chr(0x2A700 + i) for i in range(MAX_NAMED + 5))
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([write_workbook(tmp_path / "x.xlsx", content(many))], url)
    found = list(missing_glyphs(data.load(NAME, 2024, url)))
    assert len(found) == MAX_NAMED and "另有5个字符同样缺字" in found[-1].message


def test_report_draws_the_names_and_warns_of_a_character_no_font_has(make_project):
    project = make_project([content(ABSENT)])
    env = {**project["env"], fonts.ENV_VAR: str(glyphs.SUBSET_FILE)}
    done = evalnb("report", "--dept", NAME, "--year", "2024", "--db", project["db"], env=env)
    assert done.returncode == 0, done.stderr
    assert f"缺字（文字材料）：字符“{ABSENT}”" in done.stderr and "EVALNB_FONT" in done.stderr
    folder = project["root"] / "outputs" / NAME / "2024"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert NAME in html and CATEGORY in html and html.count("data:image/png;base64,") >= 3
    for section in (folder / "sections").glob("*.ipynb"):          # the charts: no glyph missing, no warning at all
        text = json.dumps(json.loads(section.read_text(encoding="utf-8"))["cells"], ensure_ascii=False)
        assert "missing from font" not in text and "UserWarning" not in text, section.name
    memo_html = (folder / "复核意见.html").read_text(encoding="utf-8")
    assert f"字符“{ABSENT}”" in memo_html and memo.advice("glyph-missing") in memo_html
    again = evalnb("ingest", str(project["tmp"] / f"{project['root'].name}-wb0.xlsx"), "--db", project["db"], env=env)
    assert again.returncode == 0 and f"字符“{ABSENT}”" in again.stderr


FONTLESS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def test_the_pdf_prints_the_names_on_a_machine_without_any_font(make_project, tmp_path):
    """Issue 26: a department named 堃喆䶮局 printed to PDF where fontconfig knows no font at all (an empty
    FONTCONFIG_FILE stands in for a bare server): the shipped subset, loaded by the PDF writer as a web font,
    draws every character, and the text extracts as typed. Without it the page has no font to draw with."""
    import subprocess
    import sys

    project = make_project([content()])
    env = {**project["env"], fonts.ENV_VAR: str(glyphs.SUBSET_FILE)}
    assert evalnb("report", "--dept", NAME, "--year", "2024", "--db", project["db"], env=env).returncode == 0
    html = project["root"] / "outputs" / NAME / "2024" / "report.html"
    config = tmp_path / "fonts.conf"
    config.write_text(FONTLESS.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    code = (f"from pathlib import Path; from evalnb.deliver.pdf import write_pdf; "
            f"write_pdf(Path({str(html)!r}), Path({str(pdf)!r}))")
    subprocess.run([sys.executable, "-c", code], env={**env, "FONTCONFIG_FILE": str(config)}, check=True,
                   capture_output=True, timeout=300)
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert [line.split()[0].split("+")[-1] for line in listed.splitlines()[2:]] == ["evalnb-CJK"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert NAME in text and f"{CATEGORY}人才项目" in text


LATIN_ONLY = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def _latin_only_fontconfig(tmp_path) -> dict:
    """A fontconfig that knows one Latin font and no CJK font: a bare server, or a non-Chinese Windows or macOS
    (LibreOffice will not start with no font at all)."""
    import shutil
    import subprocess

    latin = subprocess.run(["fc-match", "--format=%{file}", "DejaVu Sans"], capture_output=True, text=True,
                           check=True).stdout
    assert ord("局") not in TTFont(latin, fontNumber=0).getBestCmap()          # it has no Chinese
    folder = tmp_path / "latin-fonts"
    folder.mkdir()
    shutil.copy(latin, folder)
    config = tmp_path / "latin-fonts.conf"
    config.write_text(LATIN_ONLY.format(fonts=folder, cache=tmp_path / "fc-cache"), encoding="utf-8")
    return {"FONTCONFIG_FILE": str(config)}


def test_the_word_file_draws_the_names_on_a_machine_without_cjk_fonts(make_project, tmp_path, soffice):
    """Issue 26: a department named 堃喆䶮局 written to Word and opened by LibreOffice Writer where no CJK font is
    installed: the file carries the characters it uses (embedded), so every character is drawn with that font —
    before, Writer drew every Chinese character as an empty box in the one Latin font it had. The draft's 草稿
    watermark too."""
    import subprocess

    project = make_project([content()])
    env = {**project["env"], fonts.ENV_VAR: str(glyphs.SUBSET_FILE)}
    assert evalnb("report", "--dept", NAME, "--year", "2024", "--db", project["db"], "--docx",
                  env=env).returncode == 0
    docx = next((project["root"] / "outputs" / NAME / "2024").glob("*.docx"))
    pdf = _writer_pdf(soffice, docx, tmp_path / "latin", _latin_only_fontconfig(tmp_path))
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert {line.split()[0].split("+")[-1] for line in listed.splitlines()[2:]} == {"NotoSansCJKscSubset-Regular"}
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert NAME in text and f"{CATEGORY}人才项目" in text

    # The report is a draft: its 草稿 watermark looks the same there as on a machine with CJK fonts. Word's text
    # watermark drew two empty boxes there (LibreOffice lays the shape out before it loads the embedded font).
    assert "WordPictureWatermark" in zipfile.ZipFile(docx).read("word/header1.xml").decode()
    bare = _watermark_pixels(pdf, tmp_path / "latin")
    assert len(bare) > 2000                                                 # a watermark is on the page
    assert subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip()   # CJK fonts here
    system = _watermark_pixels(_writer_pdf(soffice, docx, tmp_path / "system", {}), tmp_path / "system")
    assert len(bare ^ system) < len(bare) / 50


def _writer_pdf(soffice: str, docx, folder, fontconfig: dict):
    """``docx`` as LibreOffice Writer prints it, with the fonts ``fontconfig`` gives it."""
    import os
    import subprocess

    folder.mkdir(exist_ok=True)
    profile = f"-env:UserInstallation=file://{folder}/lo-profile"
    subprocess.run([soffice, "--headless", "--norestore", profile, "--convert-to", "pdf", "--outdir", str(folder),
                    str(docx)], env={**os.environ, **fontconfig}, cwd=folder, check=True, capture_output=True,
                   timeout=300)
    return folder / f"{docx.stem}.pdf"


def _watermark_pixels(pdf, folder) -> set[tuple[int, int]]:
    """Where page 1 is the watermark's light red (text is grey or black; page 1 has no chart)."""
    import subprocess

    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(folder / "page")],
                   check=True, capture_output=True, timeout=300)
    image = Image.open(next(folder.glob("page*.png"))).convert("RGB")
    return {(x, y) for x in range(image.width) for y in range(image.height)
            for r, g, b in [image.getpixel((x, y))] if r - g > 12 and r - b > 12}
