"""Charts are native image/png outputs in the notebooks and captioned inline images in the report."""

from __future__ import annotations

import base64
import io
import re

import nbformat
from bs4 import BeautifulSoup
from IPython.core.formatters import DisplayFormatter
from IPython.display import HTML
from PIL import Image

from evalnb.report.stitch import Page, export_html
from evalnb.sections import charts
from evalnb.sections import summary as overview
from evalnb.text.html import Outputs, show

CJK = re.compile(r"[\u4e00-\u9fff]")
CAPTIONS = ["图1 按项目类别的预算与执行", "图2 资金来源构成", "图3 预算与执行同比", "图4 定量指标完成程度"]
# The seed's 正式 year is not compared with its stored 示例 2023: no 同比 chart, and the figures run on (图3)
SEED_CAPTIONS = ["图1 按项目类别的预算与执行", "图2 资金来源构成", "图3 定量指标完成程度"]


def small_chart(alt: str = "测试条形图", caption: str = "图9 测试") -> charts.Chart:
    fig = charts.figure(2.0)
    fig.subplots().bar(["甲", "乙"], [3, 4])
    return charts.chart(fig, alt, caption)


def decoded(data: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(data, validate=True)))
    image.load()
    assert image.format == "PNG" and image.width > 100 and image.height > 100
    return image


def image_outputs(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]


def html_outputs(nb: nbformat.NotebookNode) -> str:
    return "".join(o.data.get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if "data" in o)


def test_a_chart_displays_as_png_with_alt_and_caption_in_metadata():
    chart = small_chart()
    data, metadata = DisplayFormatter().format(chart)
    assert set(data) == {"image/png", "text/plain"}          # no text/html: it would win over the image
    decoded(data["image/png"])
    assert data["text/plain"] == "图9 测试"
    assert metadata == {"image/png": {"alt": "测试条形图", "caption": "图9 测试"}}
    assert repr(chart) == "Chart(alt='测试条形图', caption='图9 测试')"      # no PNG bytes in reprs and logs


def test_show_keeps_html_and_charts_in_order():
    chart = small_chart()
    assert isinstance(show("<p>a</p>", "", None, "<p>b</p>"), HTML)
    assert show("<p>a</p>", "<p>b</p>").data == "<p>a</p><p>b</p>"
    shown = show("<h2>x</h2>", "<p>y</p>", [chart, chart], None, "<p>z</p>")
    assert isinstance(shown, Outputs)
    assert [type(i) for i in shown.items] == [HTML, charts.Chart, charts.Chart, HTML]
    assert shown.items[0].data == "<h2>x</h2><p>y</p>"
    assert isinstance(show([]), HTML) and isinstance(show(None), HTML)


def test_the_template_renders_a_png_output_as_a_captioned_inline_figure():
    chart = small_chart(alt='含"引号"与<标签>的说明', caption="图9 <b>测试</b>")
    data, metadata = DisplayFormatter().format(chart)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show(chart)")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=metadata)]
    nb.cells.append(cell)
    soup = BeautifulSoup(export_html(nb, Page("测试局", "报告", [], [])), "html.parser")
    (figure,) = soup.select("figure.chart")
    img = figure.find("img")
    assert img["src"] == "data:image/png;base64," + data["image/png"]
    assert img["alt"] == '含"引号"与<标签>的说明'
    assert figure.find("figcaption").get_text() == "图9 <b>测试</b>" and not figure.find("b")


def test_executed_sections_show_charts_as_png_outputs(seed_report):
    """Papermill ran the section notebooks (`evalnb report`): the charts are image/png outputs, not HTML."""
    sections = seed_report["path"].parent / "sections"
    expected = {"01_basic_info.ipynb": SEED_CAPTIONS[:2], "03_goals_and_indicators.ipynb": SEED_CAPTIONS[2:]}
    for name, captions in expected.items():
        nb = nbformat.read(sections / name, as_version=4)
        outputs = image_outputs(nb)
        assert [o.metadata["image/png"]["caption"] for o in outputs] == captions, name
        for output in outputs:
            assert output.output_type == "display_data" and "text/html" not in output.data
            decoded(output.data["image/png"])
            assert CJK.search(output.metadata["image/png"]["alt"])
        html = html_outputs(nb)
        assert "<h3" in html or "<h2" in html            # the prose around the charts is still HTML
        assert "base64" not in html and "<img" not in html and "<figure" not in html, name
    assert len(image_outputs(nbformat.read(sections / "01_basic_info.ipynb", as_version=4))) >= 2


def test_the_report_inlines_every_chart_with_alt_text_and_caption(seed_report):
    soup = BeautifulSoup(seed_report["html"], "html.parser")
    figures = soup.select("figure.chart")
    assert [f.find("figcaption").get_text() for f in figures] == SEED_CAPTIONS
    assert len(soup.find_all("img")) == len(figures)
    for figure in figures:
        img = figure.find("img")
        assert img["src"].startswith("data:image/png;base64,")
        decoded(img["src"].removeprefix("data:image/png;base64,"))
        assert CJK.search(img["alt"]) and len(img["alt"]) >= 6
    for tag in soup.find_all(True):
        for attr in ("src", "href", "srcset", "poster", "data"):
            value = tag.get(attr)
            assert not value or str(value).startswith(("data:", "#")), (tag.name, value)
    assert not re.search(r"(?:https?:)?//[\w.-]+\.\w+/", re.sub(r"data:image/png;base64,[^\"']+", "", seed_report["html"]))


def test_the_summary_grade_chart_is_a_heading_and_a_chart(project):
    frame = overview.year_overview(2024, project["db"])
    parts = overview.grade_chart(frame)
    assert len(parts) == 2 and 'id="grades"' in parts[0]
    assert isinstance(parts[1], charts.Chart) and parts[1].caption == "图1 评价等级分布"
    assert CJK.search(parts[1].alt) and parts[1].png.startswith(b"\x89PNG")
    assert isinstance(show(parts), Outputs)
    assert overview.grade_chart(frame.iloc[0:0]) == []
