"""One number-formatting policy in all report text (evalnb/fmt.py's docstring; domain-rules §7), as properties.

(a) Unit properties of :mod:`evalnb.text.fmt`, driven by hypothesis: every prose percentage has at most two
    decimals and no trailing zero after the point; every table percentage and every computed 万元 amount
    has exactly two; a change between two rates is always in 个百分点 (never 同比…%) and equals the
    difference of the two rates as printed; 同比 has the right direction.

(b) The rendered reports: the seed (科学技术局 2024, ``seed_report``) and two sample departments with a
    prior year (教育局 2024: rates up and down; 交通运输局 2024: execution rate down), rendered with the CLI.

    *Prose* is the text of every ``<p>`` and ``<li>`` outside a ``<table>`` (and outside the title block and
    the table of contents, which hold labels such as 附件4 and section titles), with the department's own
    words taken out first: its 文字材料 paragraphs and its indicators' names and 定性 target/actual texts
    are quoted as typed, not formatted by the report. In what remains (the report's generated sentences):

    - every percentage matches ``\\d+(\\.\\d?[1-9])?%``: two decimals at most, no trailing zero (no ``10.00%``,
      no ``84.90%``);
    - every 万元 (and 亿元) amount has exactly two decimals, unless the figure is one of the department-year's
      *typed indicator values*: the target, actual or prior-year value of an indicator whose unit is that
      same 万元 / 亿元, written as typed (:func:`evalnb.text.fmt.plain`, e.g. ``2786.974万元``, ``4351万元``);
    - an indicator with unit ``%`` is never compared with 同比: its sentence says ``较上年提高/降低N个百分点``
      (or 与上年持平) and N is the difference of the two printed rates; the 预算执行率 comparison reads
      ``由A%提高/降低到B%，提高/降低N个百分点`` with N = |B − A|;
    - no ASCII space between a Chinese character and a digit; every number carries a unit or measure word.

    In the whole report and the review memo (复核意见.html beside report.html), tables included, there is
    no 「 or 」. Table columns keep one form: 执行率 cells are ``NN.NN%``, 万元 columns ``NNNN.NN``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from evalnb.store.data import load
from evalnb.text.fmt import change, fixed, money, pct, percent, plain, points, rate_change, share, wan, yoy
from evalnb.workbook import APPROXIMATE_AFTER
from tests.helpers import evalnb, new_project

PROSE_PERCENT = re.compile(r"^-?\d+(\.\d?[1-9])?%$")
TABLE_PERCENT = re.compile(r"^-?\d+\.\d{2}%$")
WAN = re.compile(r"^-?\d+\.\d{2}万元$")
YI = re.compile(r"^-?\d+\.\d{2}亿元$")

ratios = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False)
amounts = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)   # typed in %, 0–100
positive = st.floats(min_value=0.001, max_value=1e9, allow_nan=False, allow_infinity=False)


def _number(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.\-]", "", text))


# ---------------------------------------------------------------- (a) unit properties of fmt
@given(ratios)
def test_prose_percent_has_at_most_two_decimals_and_no_trailing_zero(ratio):
    text = pct(ratio)
    assert PROSE_PERCENT.match(text), text
    assert not re.search(r"\.\d*0%$", text) and text != "-0%"
    assert abs(_number(text) - Decimal(repr(ratio)) * 100) <= Decimal("0.005") + Decimal("1e-9")


@given(ratios)
def test_table_percent_has_two_fixed_decimals(ratio):
    assert TABLE_PERCENT.match(percent(ratio)), percent(ratio)
    assert pct(ratio) == fixed(ratio * 100, 2, strip=True) + "%"       # the same figure, trailing zeros dropped


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=10**7))
def test_share_is_a_prose_percent(part, base):
    assert PROSE_PERCENT.match(share(part, base))


@given(amounts)
def test_wan_has_exactly_two_decimals(value):
    text = wan(value)
    assert WAN.match(text), text
    assert not text.startswith("-0.00")
    assert abs(_number(text) - Decimal(repr(value))) <= Decimal("0.005") + Decimal("1e-6")


@given(amounts)
def test_money_is_wan_or_yi_with_two_decimals(value):
    text = money(value)
    assert WAN.match(text) or YI.match(text), text


@given(positive, positive)
def test_yoy_is_on_the_prior_base_with_the_right_direction(current, prior):
    text = yoy(current, prior)
    assert re.fullmatch(r"同比(增长|下降)\d+(\.\d?[1-9])?%|与上年持平", text), text
    if text != "与上年持平":
        assert ("增长" in text) == (current > prior)
        change_pct = (Decimal(repr(current)) - Decimal(repr(prior))) / Decimal(repr(prior)) * 100
        tolerance = Decimal("0.005") + abs(change_pct) * Decimal("1e-12")     # half a unit of the last place + float error
        assert abs(_number(text.split("同比")[1]) - abs(change_pct)) <= tolerance


@given(rates, rates)
def test_a_change_between_two_rates_is_in_percentage_points(current, prior):
    text = change(current, prior, "%")
    assert "同比" not in text and "%" not in text
    shown = Decimal(fixed(current, 2)) - Decimal(fixed(prior, 2))      # the rates as printed
    if shown == 0:
        assert text == "与上年持平"
    else:
        m = re.fullmatch(r"较上年(提高|降低)(\d+(?:\.\d?[1-9])?)个百分点", text)
        assert m, text
        assert (m[1] == "提高") == (shown > 0) and Decimal(m[2]) == abs(shown)
    assert points(current, prior) in text or text == "与上年持平"


@given(st.floats(min_value=0, max_value=2, allow_nan=False), st.floats(min_value=0, max_value=2, allow_nan=False))
def test_the_execution_rate_comparison_states_both_rates_and_the_points(current, prior):
    text = rate_change(current, prior)
    m = re.fullmatch(r"由(\S+?%)(提高|降低)到(\S+?%)，(提高|降低)(\S+)个百分点", text)
    if m is None:
        assert text == f"与上年持平，为{pct(current)}" and pct(current) == pct(prior), text
        return
    before, after = m[1], m[3]
    assert before == pct(prior) and after == pct(current) and m[2] == m[4]
    assert PROSE_PERCENT.match(before) and PROSE_PERCENT.match(after)
    diff = _number(after) - _number(before)
    assert Decimal(m[5]) == abs(diff) and (m[2] == "提高") == (diff > 0)


# ---------------------------------------------------------------- (b) the rendered reports
UNITS = ("%", "个百分点", "个", "项", "家", "场", "起", "人", "分", "位", "名", "年", "月", "日", "元", "万元", "亿元")


@pytest.fixture(scope="module")
def rendered(project, seed_report, warm_sections, tmp_path_factory):
    """The seed report and two sample departments with a prior year, each with its memo and its data.

    The samples are rendered in a warm copy of their own (its sections cached), so the shared project's outputs/
    (where tests/test_report.py expects 教育局 to have a memo only) is left as it was."""
    own = new_project(tmp_path_factory.mktemp("policy") / "project", template=warm_sections)
    reports = {"科学技术局": seed_report["path"]}
    for dept in ("教育局", "交通运输局"):
        result = evalnb("report", "--dept", dept, "--year", "2024", "--db", own["db"], env=own["env"])
        assert result.returncode == 0, result.stderr
        reports[dept] = own["root"] / "outputs" / dept / "2024" / "report.html"
    return {dept: (path, load(dept, 2024, project["db"])) for dept, path in reports.items()}


DEPARTMENTS = ("科学技术局", "教育局", "交通运输局")


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _own_words(dy) -> list[str]:
    """What the department typed and the report quotes as is, longest first."""
    words = [t for texts in dy.texts.values() for t in texts]
    ind = dy.indicators
    qualitative = ind[ind["nature"] == "定性"]
    words += [t for t in (*ind["name"], *qualitative["target_text"], *qualitative["actual_text"]) if isinstance(t, str) and t]
    return sorted(set(words), key=len, reverse=True)


def prose(path: Path, dy) -> list[str]:
    """The report's own sentences: <p> and <li> outside tables, title block and contents, the department's words
    replaced by ◇."""
    soup = _soup(path)
    own = _own_words(dy)
    out = []
    for el in soup.find_all(["p", "li"]):
        if el.find_parent(["table", "header", "nav"]) is not None:     # tables, the title block, the contents
            continue
        text = el.get_text()
        for words in own:
            text = text.replace(words, "◇")     # a mark, so that no two numbers run together
        out.append(text)
    return out


def typed_values(dy, unit: str) -> set[str]:
    """The typed target, actual and prior values of the indicators with this unit, as the report writes them."""
    ind = dy.indicators[dy.indicators["unit"] == unit]
    return {plain(v) for col in ("target", "actual", "prior") for v in ind[col] if v == v and v is not None}


@pytest.mark.parametrize("dept", DEPARTMENTS)
def test_prose_percentages_have_no_trailing_zero(rendered, dept):
    path, dy = rendered[dept]
    found = [(m, t) for t in prose(path, dy) for m in re.findall(r"\d+(?:\.\d+)?%", t)]
    assert found
    bad = [(m, t) for m, t in found if not PROSE_PERCENT.match(m)]
    assert not bad, bad


@pytest.mark.parametrize("dept", DEPARTMENTS)
@pytest.mark.parametrize("unit", ["万元", "亿元"])
def test_prose_money_has_two_decimals_unless_it_is_a_typed_indicator_value(rendered, dept, unit):
    path, dy = rendered[dept]
    typed = typed_values(dy, unit)
    bad = [(m, t) for t in prose(path, dy) for m in re.findall(rf"(\d[\d,]*(?:\.\d+)?){unit}", t)
           if not re.fullmatch(r"\d[\d,]*\.\d{2}", m) and m not in typed]
    assert not bad, bad


@pytest.mark.parametrize("dept", DEPARTMENTS)
def test_rate_indicators_change_in_percentage_points(rendered, dept):
    path, dy = rendered[dept]
    items = [li.get_text() for li in _soup(path).select("p.level2 span.indicator")]
    rated = dy.indicators[(dy.indicators["unit"] == "%") & (dy.indicators["nature"] == "定量")]
    assert not rated.empty or dept == "交通运输局"
    for _, ind in rated.iterrows():
        (sentence,) = [t for t in items if t.startswith(f"{ind['name']}{plain(ind['actual'])}%")]
        assert "同比" not in sentence, sentence
        if ind["prior"] == ind["prior"] and ind["prior"] is not None:
            m = re.search(r"上年([\d.]+)%，(?:较上年(提高|降低)([\d.]+)个百分点|与上年持平)", sentence)
            assert m, sentence
            diff = Decimal(fixed(ind["actual"], 2)) - Decimal(m[1])
            assert (m[3] is None and diff == 0) or (Decimal(m[3]) == abs(diff) and (m[2] == "提高") == (diff > 0))
    for text in prose(path, dy):
        assert not re.search(r"上年[\d.]+%，同比", text), text         # a prior value in % is a rate


@pytest.mark.parametrize("dept", DEPARTMENTS)
def test_execution_rate_is_compared_in_points(rendered, dept):
    path, dy = rendered[dept]
    text = "".join(prose(path, dy))
    if dy.comparable_prior is None:        # no prior, or 示例 data beside a 正式 year: no 同比 at all
        assert "预算执行率由" not in text and "上年" not in text, text
        return
    m = re.search(r"预算执行率由([\d.]+)%(提高|降低)到([\d.]+)%，(提高|降低)([\d.]+)个百分点", text)
    assert m and m[2] == m[4], text
    assert Decimal(m[5]) == abs(Decimal(m[3]) - Decimal(m[1])) and (m[2] == "提高") == (Decimal(m[3]) > Decimal(m[1]))
    assert "变为" not in text


@pytest.mark.parametrize("dept", DEPARTMENTS)
def test_no_ascii_space_between_chinese_and_numbers_and_numbers_carry_units(rendered, dept):
    path, dy = rendered[dept]
    units = tuple(sorted({*UNITS, *(u for u in dy.indicators["unit"] if isinstance(u, str) and u)}, key=len,
                         reverse=True))
    for text in prose(path, dy):
        assert not re.search(r"[\u4e00-\u9fff] +\d|\d +[\u4e00-\u9fff]", text), text
        bare = re.sub(r"^\d+\.|（\d+）|〔\d{4}〕\d+号", "", text)       # list numbers, （1）, 财预〔2020〕10号
        for m in re.finditer(r"\d+(?:\.\d+)?(?![\d.])", bare):
            rest = bare[m.end():]
            rest = rest[1:] if rest[:1] in APPROXIMATE_AFTER else rest       # 2700余家: approximate, as typed
            assert rest.startswith(units), (m[0], text)


@pytest.mark.parametrize("dept", DEPARTMENTS)
def test_no_corner_brackets_in_report_or_memo(rendered, dept):
    path, _ = rendered[dept]
    for html in (path, path.with_name("复核意见.html")):
        text = _soup(html).get_text()
        assert text and "「" not in text and "」" not in text, html.name


@pytest.mark.parametrize("dept", DEPARTMENTS)
def test_table_columns_keep_one_form(rendered, dept):
    path, _ = rendered[dept]
    checked = 0
    for table in _soup(path).find_all("table"):
        headers = [th.get_text() for th in table.select("thead th")]
        rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr, tfoot tr")]
        for i, header in enumerate(headers):
            cells = [r[i] for r in rows if i < len(r) and r[i] not in ("", "—")]
            if header == "执行率":
                assert all(TABLE_PERCENT.match(c) for c in cells), (header, cells)
                checked += 1
            elif header.endswith("（万元）"):
                assert all(re.fullmatch(r"-?\d+\.\d{2}", c) for c in cells), (header, cells)
                checked += 1
    assert checked >= 4
