"""What a finance-bureau reviewer would flag, found before the report leaves the department.

Each check takes the department-year, its scorecard and rulebook and yields :class:`Finding` records;
:func:`run_checks` runs them all and makes one finding of those on the same row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import InvalidOperation

import pandas as pd

from evalnb.review.budget_checks import BUDGET_CHECKS, carry_over_explains
from evalnb.review.coherence import COHERENCE_CHECKS
from evalnb.review.findings import ERROR, INFO, SEVERITY_ORDER, WARNING, Finding, by_severity, merge_by_cell
from evalnb.review.glyph_checks import GLYPH_CHECKS
from evalnb.review.problems import derive, is_placeholder
from evalnb.review.project_checks import PROJECT_CHECKS
from evalnb.review.target_checks import TARGET_CHECKS
from evalnb.rules import Rulebook, load_rulebook
from evalnb.rules.scoring import IndicatorScore, Scorecard, in_band, score
from evalnb.store.data import DepartmentYear, comparisons, stated_shares
from evalnb.text.fmt import RANK_UNITS, fixed, measure
from evalnb.text.prose import say, words
from evalnb.workbook import BUDGET, INDICATORS, PROFILE, TEXTS

W = "findings"            # their wording: evalnb/templates/prose/findings.j2
TOLERANCE = 0.005
GRADE_SYNONYMS = {"优秀": "优", "良好": "良", "中等": "中", "合格": "中", "较差": "差", "不合格": "差"}
RATE_WORDS = ("率", "占比", "比例", "满意度")
MONEY_WORDS = ("资金", "金额", "成交额", "经费", "投入额", "支出")
MONEY_UNITS = ("元", "万元", "亿元")


Check = Callable[[DepartmentYear, Scorecard, Rulebook], Iterator[Finding]]


def _indicator_finding(severity: str, code: str, message: str, ind: pd.Series) -> Finding:
    return Finding(severity, code, message, INDICATORS.name, int(ind["row"]), ind["name"])


def _has(text: object) -> bool:
    return isinstance(text, str) and bool(text.strip())


def _out_of_band(item: IndicatorScore) -> bool:
    """A declared 定性 score outside its grade's band (:func:`qualitative_bands` tells it, with the score)."""
    return bool(item.band) and item.declared_score is not None and \
        not in_band(item.declared_score, item.band, item.band_includes_top)


def declared_scores(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    for item in card.indicators:
        d = item.declared_score
        if d is not None and abs(d - item.score) > TOLERANCE and not _out_of_band(item):
            severity = ERROR if d > item.score else WARNING
            yield Finding(severity, "declared-score-mismatch", say(W, "declared_score", item.name, d, item.score, item.basis),
                          INDICATORS.name, item.row, item.name)
    if card.declared_total is not None and abs(card.declared_total - card.total) > TOLERANCE:
        higher = card.declared_total > card.total
        yield Finding(ERROR if higher else WARNING, "declared-score-mismatch",
                      say(W, "declared_total", card.declared_total, card.total, abs(card.declared_total - card.total),
                          higher), PROFILE.name, None, None)
    declared = card.declared_grade
    if declared and GRADE_SYNONYMS.get(declared, declared) != GRADE_SYNONYMS.get(card.grade, card.grade):
        yield Finding(ERROR, "declared-grade-mismatch", say(W, "declared_grade", declared, card.grade, card.total),
                      PROFILE.name)
    elif declared and declared != card.grade:          # the same grade in other words: said, never silently changed
        yield Finding(INFO, "declared-grade-wording",
                      say(W, "declared_grade_wording", declared, card.grade, rules.document or rules.title), PROFILE.name)


NEAR_PERFECT = 95.0     # a total this high with "无问题" is not credible: the report stays a draft
CLOSING = "。.！!；;"     # a sentence's closing marks, left off where the sentence is quoted


def declared_against_data(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """A 自评 leaf whose 评价标准 the data can compute (the rulebook's ``check``, e.g. 资金结余 from the 收支总表),
    declared at another score than the data gives."""
    for item in card.indicators:
        if item.checked is not None and item.declared_score is not None and \
                abs(item.declared_score - item.checked[0]) > TOLERANCE:
            yield Finding(ERROR if item.declared_score > item.checked[0] else WARNING, "declared-against-data",
                          say(W, "declared_against_data", item.name, item.declared_score, *item.checked),
                          INDICATORS.name, item.row, item.name)


def perfect_score_no_problems(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    highest = max(card.total, card.declared_total or 0)
    problems = [p.strip() for p in dy.text("存在问题") if p.strip()]
    if highest >= NEAR_PERFECT - TOLERANCE and all(is_placeholder(p) for p in problems):
        stated = [p.rstrip(CLOSING) for p in problems]
        yield Finding(ERROR, "perfect-score-no-problems", say(W, "perfect_score_no_problems", highest, stated),
                      TEXTS.name)


def deviations(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    for item, (_, ind) in zip(card.indicators, dy.indicators.iterrows(), strict=True):
        if _has(ind["deviation_note"]) or item.method not in ("ratio", "bands") or not item.applicable:
            continue            # 计算, 扣分 and 自评 rows have no target of the department's to miss
        if not item.met:
            yield _indicator_finding(ERROR, "unexplained-deviation", say(W, "unexplained_deviation", item.name, item.basis),
                                     ind)
        elif ind["direction"] == "≥" and item.achievement is not None and item.achievement >= rules.over_threshold - 1e-9:
            # Only 正向 targets can be "set too low"; a ≤ ceiling that is beaten is the indicator's purpose.
            target, actual = measure(ind["target"], ind["unit"]), measure(ind["actual"], ind["unit"])
            yield _indicator_finding(
                WARNING, "over-achievement-unexplained",
                say(W, "over_achievement", item.name, actual, target, item.achievement, rules.over_threshold), ind)
        elif ind["direction"] == "=" and item.achievement is not None and abs(item.achievement - 1) > 1e-9:
            # "=" means exactly: an overshoot scores full marks, but it is a deviation all the same
            target, actual = measure(ind["target"], ind["unit"]), measure(ind["actual"], ind["unit"])
            yield _indicator_finding(
                WARNING, "equal-target-missed", say(W, "equal_target_missed", item.name, target, actual, item.achievement),
                ind)


def low_execution(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    threshold = rules.low_execution_threshold
    if card.execution_rate < threshold and not dy.text("预算执行说明"):
        yield Finding(ERROR, "low-execution-unexplained", say(W, "low_execution", card.execution_rate, threshold),
                      TEXTS.name)
    for _, line in dy.budget.iterrows():
        rate = line["executed"] / line["budget"] if line["budget"] else 1.0
        if rate < threshold and not _has(line["note"]):
            yield Finding(WARNING, "low-execution-unexplained",
                          say(W, "low_execution_line", line["name"], line["source"], rate, threshold), BUDGET.name,
                          int(line["row"]))


def qualitative_bands(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    for item in filter(_out_of_band, card.indicators):
        low, high = item.band
        yield Finding(ERROR, "qualitative-out-of-band",
                      say(W, "qualitative_out_of_band", item.name, item.declared_score, low, high,
                          item.band_includes_top, item.score, item.declared_score < low),
                      INDICATORS.name, item.row, item.name)


def units(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    for _, ind in dy.indicators[dy.indicators["nature"] == "定量"].iterrows():
        name, unit = ind["name"], ind["unit"] or ""
        if name.endswith(RATE_WORDS) and unit != "%":
            yield _indicator_finding(WARNING, "unit-mismatch", say(W, "unit_rate", name, unit), ind)
        elif name.endswith(MONEY_WORDS) and unit not in MONEY_UNITS:
            yield _indicator_finding(WARNING, "unit-mismatch", say(W, "unit_money", name, unit), ind)
        elif unit == "%" and name.endswith(RATE_WORDS) and max(ind["target"], ind["actual"]) > 100:
            yield _indicator_finding(WARNING, "unit-mismatch", say(W, "unit_over_100", name, ind["target"], ind["actual"]),
                                     ind)


def budget_exceeded(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """Spending above the 全年预算 is an error unless 上年结转 pays for it: the line's 资金性质 says so, or the
    收支总表's 上年结转 covers what all lines spent above their budgets (normal in a 决算)."""
    over = dy.budget[dy.budget["executed"] > dy.budget["budget"] + 1e-9]
    if carry_over_explains(dy, float((over["executed"] - over["budget"]).sum())):
        return
    for _, line in over.iterrows():
        if line["fund_nature"] != "上年结转资金":
            yield Finding(ERROR, "budget-exceeded",
                          say(W, "budget_exceeded", line["name"], line["source"], line["executed"], line["budget"]),
                          BUDGET.name, int(line["row"]))


def uncomputed_measures(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """A leaf the rulebook computes from the data scores 0 when the data is missing: the report cannot be filed
    like that."""
    for item in card.items:
        if item.method == "measure" and item.applicable and item.measured is None:
            yield Finding(ERROR, "measure-uncomputable", say(W, "measure_uncomputable", item.name, item.basis, item.optional),
                          INDICATORS.name, None, item.name)


CITATION = re.compile(r"[（(][^（）()]*?(号|版)[）)]|[〔﹝\[［]\s*\d{4}\s*[〕﹞\]］]\s*\d+\s*号|\d{4}\s*修订版")
QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"")
YEAR = re.compile(r"(19|20)\d{2}(?=\s*年)")
NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.])\d+(?:\.\d+)?")
EXCERPT = 40            # characters of a paragraph quoted beside a number


def data_values(dy: DepartmentYear, card: Scorecard) -> list[float]:
    """Every number the report's data can justify in a paragraph, in the forms text uses."""
    values: list[float] = [dy.year, card.execution_rate * 100, card.total, len(dy.team), dy.project_count,
                           dy.budget["name"].nunique(), len(dy.indicators)]
    for frame in (dy.accounts, dy.facts):
        values += [v for col in frame.columns if col not in ("row", "item") for v in frame[col] if pd.notna(v)]
    values += [float(m.value) for m in dy.measures.values() if m.computed]
    for col in ("initial", "budget", "executed"):
        total = dy.total(col)
        values += [total, total / 10000, *dy.budget[col]]
        values += list(dy.budget.groupby("category")[col].sum()) + list(dy.budget.groupby("source")[col].sum())
    for _, ind in dy.indicators.iterrows():
        values += [v for v in (ind["target"], ind.get("initial_target"), ind["actual"], ind["prior"], ind["weight"])
                   if pd.notna(v)]
        for _, base in comparisons(ind):
            values += [base, ind["actual"] / base * 100 if pd.notna(ind["actual"]) else 0]
        values += [share for _, share in stated_shares(ind)]
    # the figures of the problems evalnb derives from the same data (what `evalnb draft` writes)
    values += [float(n.replace(",", "")) for p in derive(dy, card) for n in NUMBER.findall(p.problem)]
    return values


def _matches(text_number: str, values: list[float]) -> bool:
    number = float(text_number.replace(",", ""))
    decimals = len(text_number.split(".")[1]) if "." in text_number else 0
    return any(abs(v - number) < 1e-9 or _rounds_to(v, decimals, number) for v in values)


def _rounds_to(value: float, decimals: int, number: float) -> bool:
    """Whether ``value`` shown with ``decimals`` decimals reads ``number``.

    A number typed with more digits than a Decimal context holds (25 decimals, say) is no rounding of data.
    """
    try:
        return abs(float(fixed(value, decimals)) - number) < 1e-9
    except (InvalidOperation, ValueError, OverflowError):
        return False


def _date_or_ordinal() -> re.Pattern:
    """A number that is a date, a time or an ordinal (12月前, 3月15日, 第5批), not a figure; a rank (第17位) is one."""
    ranks = "|".join(RANK_UNITS)
    return re.compile(rf"(?<![\d.])(\d+)(?=\s*({words(W, 'date_after')}))"
                      rf"|{words(W, 'ordinal_before')}\s*\d+(?![\d.]|\s*({ranks}))")


def _excerpt(paragraph: str) -> str:
    return f"{paragraph[:EXCERPT]}…" if len(paragraph) > EXCERPT else paragraph.rstrip(CLOSING)


def narrative_numbers(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """Numbers in the department's paragraphs that no data gives: each number once, with every section it is in."""
    values, skip = data_values(dy, card), _date_or_ordinal()
    unmatched: dict[str, list[tuple[str, str]]] = {}
    for section, paragraphs in dy.texts.items():
        for paragraph in paragraphs:
            cleaned = skip.sub(" ", YEAR.sub(" ", QUOTED.sub(" ", CITATION.sub(" ", paragraph))))
            for number in NUMBER.findall(cleaned):
                if not _matches(number, values):
                    unmatched.setdefault(number, []).append((section, paragraph))
    for number, places in unmatched.items():
        sections = list(dict.fromkeys(section for section, _ in places))
        yield Finding(WARNING, "narrative-number-unmatched",
                      say(W, "narrative_number", sections, number, _excerpt(places[0][1])), TEXTS.name, None, None)


CHECKS: tuple[Check, ...] = (declared_scores, declared_against_data, perfect_score_no_problems, deviations, low_execution,
                             qualitative_bands, units, budget_exceeded, uncomputed_measures, narrative_numbers,
                             *BUDGET_CHECKS, *COHERENCE_CHECKS, *TARGET_CHECKS, *GLYPH_CHECKS, *PROJECT_CHECKS)
__all__ = ["CHECKS", "ERROR", "INFO", "SEVERITY_ORDER", "WARNING", "Finding", "run_checks"]


def run_checks(dy: DepartmentYear, rules: Rulebook | str | None = None,
               card: Scorecard | None = None) -> list[Finding]:
    """Every finding of a department-year, errors first; findings on one row are one finding."""
    book = rules if isinstance(rules, Rulebook) else load_rulebook(rules or dy.rules)
    card = card or score(dy, book)
    return by_severity(merge_by_cell([f for check in CHECKS for f in check(dy, card, book)]))
