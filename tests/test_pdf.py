"""`evalnb report --pdf`: printed by Debian's headless Chromium from the report's own print CSS, checked
with pypdf (pages, page numbers, fonts in the file, no URL, the 总分 row not repeated)."""

from __future__ import annotations

import re
import unicodedata

from pypdf import PdfReader

from tests.helpers import evalnb

NAME = "科学技术局_2024年度整体支出绩效自评报告.pdf"


def page_texts(path) -> list[str]:
    # Chromium's PDF maps some glyphs to CJK radicals (⼀ for 一): NFKC folds the Kangxi block back
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(path).pages]


def test_report_pdf_is_a4_numbered_self_contained_and_compact(chromium, project, seed_report):
    result = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--pdf",
                    env=project["env"])
    assert result.returncode == 0 and NAME in result.stdout, result.stderr
    path = project["root"] / "outputs" / "科学技术局" / "2024" / NAME
    reader = PdfReader(path)
    texts = page_texts(path)
    assert 4 <= len(texts) <= 12                                               # the issue: ≤ 12 pages
    for number, text in enumerate(texts, start=1):
        assert re.search(rf"第 {number} . 共 {len(texts)} .", text), text[:80]   # 第 X 页 共 Y 页 on every page
        assert "file:" not in text and "http" not in text                     # no URL header or footer
    assert "2024年度整体" in texts[0] and "基本情况" in texts[0]                 # section 一 starts on page 1
    assert sum(line.startswith("总分") for t in texts for line in t.splitlines()) == 2   # 表2 and the 自评表, once each
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes <= {(595, 842), (842, 595)} and (842, 595) in sizes          # A4, the wide table in landscape
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            embedded = "/CharProcs" in font or (descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")))
            assert embedded, font.get("/BaseFont")


def test_pdf_without_chromium_says_what_to_install(project, seed_report, tmp_path):
    """A PDF to make (the report is current, its PDF not yet written or gone) without a browser."""
    from evalnb.deliver.formats import path_of

    pdf = path_of(project["root"] / "outputs" / "科学技术局" / "2024", "科学技术局", 2024, "pdf")
    pdf.unlink(missing_ok=True)
    result = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--pdf",
                    env={**project["env"], "EVALNB_CHROMIUM": str(tmp_path / "no-such-browser")})
    assert result.returncode == 1 and "Chromium" in result.stderr and "Traceback" not in result.stderr


def test_the_browser_is_found_as_configured(tmp_path, monkeypatch):
    """Which Chromium prints the PDF (no process started): EVALNB_CHROMIUM names it; a name that is not a
    program is a Chinese error saying what to install."""
    import pytest

    from evalnb.deliver.pdf import chromium
    from evalnb.errors import ReportError

    program = tmp_path / "my-chromium"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("EVALNB_CHROMIUM", str(program))
    assert chromium() == str(program)
    monkeypatch.setenv("EVALNB_CHROMIUM", str(tmp_path / "absent"))
    with pytest.raises(ReportError, match="未找到 Chromium.*apt install chromium"):
        chromium()
