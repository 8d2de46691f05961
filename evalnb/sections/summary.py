"""The cross-department overview of one year: scores, grades, execution, findings and ranks."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from evalnb.review.checks import ERROR, WARNING
from evalnb.review.context import build_context
from evalnb.rules import DEFAULT_RULES, load_rulebook
from evalnb.sections import charts
from evalnb.store import data
from evalnb.text.fmt import fixed, percent
from evalnb.text.html import heading, para, show, table  # noqa: F401  (show: for the notebook)
from evalnb.text.prose import say, words
from evalnb.workbook import SAMPLE_NATURE

WORDING = "summary"        # evalnb/templates/prose/summary.j2


def year_overview(year: int, db: str | None = None, rules: str | None = None) -> pd.DataFrame:
    """One row per department stored for ``year``, ranked by computed score (ties share a rank). A stored
    department-year that cannot be scored (kept by an older version) is left out and named in
    ``frame.attrs["unscored"]``, so one bad row does not take the summary of the others with it."""
    rows, unscored = [], []
    for department in data.departments(db):
        if int(year) not in data.years(department, db):
            continue
        try:
            ctx = build_context(data.load(department, int(year), db, with_prior=False), rules)
        except (ArithmeticError, ValueError, KeyError) as exc:
            unscored.append(f"{department}（{type(exc).__name__}）")
            continue
        dy, card, findings = ctx.dy, ctx.card, ctx.findings
        rows.append({"department": department, "nature": dy.nature, "rules": card.rules, "rules_title": card.rules_title,
                     "execution_rate": card.execution_rate,
                     "total": card.total, "grade": card.grade, "declared_total": dy.declared_total,
                     "errors": sum(f.severity == ERROR for f in findings),
                     "warnings": sum(f.severity == WARNING for f in findings), "findings": len(findings)})
    frame = pd.DataFrame(rows, columns=["department", "nature", "rules", "rules_title", "execution_rate", "total",
                                        "grade", "declared_total", "errors", "warnings", "findings"])
    # ranked within one rulebook and one data nature: scores under different rules are not comparable, and 示例
    # data is never ranked with a department's own (正式)
    frame["sample"] = frame["nature"] == SAMPLE_NATURE
    frame["rank"] = (frame.groupby(["rules", "sample"])["total"].rank(ascending=False, method="min").astype("Int64")
                     if not frame.empty else pd.Series(dtype="Int64"))
    frame = frame.sort_values(["sample", "rules", "rank", "department"]).reset_index(drop=True)
    frame.attrs["unscored"] = unscored
    return frame


def intro(frame: pd.DataFrame, year: int) -> str:
    unscored = frame.attrs.get("unscored", [])
    left_out = para(say(WORDING, "unscored", unscored), "draft") if unscored else ""
    if frame.empty:
        return para(say(WORDING, "no_data", year)) + left_out
    grades = list(frame["grade"].value_counts().items())
    return _heading("summary") + para(say(
        WORDING, "intro", year, len(frame), frame["total"].mean(), frame["total"].max(), frame["total"].min(), grades,
        frame["execution_rate"].mean(), int(frame["findings"].sum()), int(frame["errors"].sum()))) + left_out


def ranking_table(frame: pd.DataFrame) -> str:
    """One table per rulebook (正式 data first, then 示例 data in tables of their own), each ranked on its own."""
    sample = words(WORDING, "sample_mark")
    tables = []
    for (is_sample, _), group in frame.groupby(["sample", "rules"], sort=False):
        rows = [(int(r.rank), r.department, sample if is_sample else "", percent(r.execution_rate),
                 fixed(r.total, 2, strip=True), r.grade,
                 "" if pd.isna(r.declared_total) else fixed(r.declared_total, 2, strip=True),
                 int(r.errors), int(r.warnings)) for r in group.itertuples()]
        caption = say(WORDING, "ranking_caption", group["rules_title"].iloc[0], bool(is_sample))
        tables.append(table(words(WORDING, "ranking_columns"), rows, numeric=(0, 3, 4, 6, 7, 8), caption=caption))
    return _heading("ranking") + "".join(tables)


def grade_chart(frame: pd.DataFrame, rules: str | None = None) -> list[str | charts.Chart]:
    """The heading and a chart of departments per grade, every grade of the rulebook shown (zero included)."""
    if frame.empty:
        return []
    labels = [g.label for g in load_rulebook(rules or DEFAULT_RULES).grades]
    labels += [g for g in frame["grade"].unique() if g not in labels]
    counts = frame["grade"].value_counts().reindex(labels, fill_value=0)
    fig: Figure = charts.figure(2.6)
    ax = fig.subplots()
    ax.bar(list(counts.index), list(counts.values), color=charts.BLUE, width=0.5)
    for i, n in enumerate(counts.values):
        ax.text(i, n, str(n), ha="center", va="bottom", fontsize=9)
    label = words(WORDING, "chart")
    ax.set_ylabel(label["ylabel"])
    ax.set_ylim(0, counts.max() + 1)
    ax.set_title(label["title"], fontsize=10)
    return [_heading("grades"), charts.chart(fig, label["alt"], label["caption"])]


def most_findings(frame: pd.DataFrame, top: int = 5) -> str:
    worst = frame.sort_values(["errors", "findings"], ascending=False).head(top)
    worst = worst[worst["findings"] > 0]
    head = _heading("findings")
    if worst.empty:
        return head + para(say(WORDING, "no_findings"))
    rows = [(r.department, int(r.errors), int(r.warnings), int(r.findings)) for r in worst.itertuples()]
    return head + table(words(WORDING, "findings_columns"), rows, numeric=(1, 2, 3))


def _heading(part: str) -> str:
    return heading(2, words(WORDING, "headings")[part], part)
