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


def year_overview(year: int, db: str | None = None, rules: str | None = None) -> pd.DataFrame:
    """One row per department stored for ``year``, ranked by computed score (ties share a rank)."""
    rows = []
    for department in data.departments(db):
        if int(year) not in data.years(department, db):
            continue
        ctx = build_context(data.load(department, int(year), db, with_prior=False), rules)
        dy, card, findings = ctx.dy, ctx.card, ctx.findings
        rows.append({"department": department, "nature": dy.nature, "execution_rate": card.execution_rate,
                     "total": card.total, "grade": card.grade, "declared_total": dy.declared_total,
                     "errors": sum(f.severity == ERROR for f in findings),
                     "warnings": sum(f.severity == WARNING for f in findings), "findings": len(findings)})
    frame = pd.DataFrame(rows, columns=["department", "nature", "execution_rate", "total", "grade",
                                        "declared_total", "errors", "warnings", "findings"])
    frame["rank"] = frame["total"].rank(ascending=False, method="min").astype("Int64")
    return frame.sort_values(["rank", "department"]).reset_index(drop=True)


def intro(frame: pd.DataFrame, year: int) -> str:
    if frame.empty:
        return para(f"{year}年度尚无已导入的部门数据。")
    grades = frame["grade"].value_counts()
    spread = "、".join(f"“{g}”{n}个" for g, n in grades.items())
    return heading(2, "一、总体情况", "summary") + para(
        f"{year}年度共{len(frame)}个部门完成整体支出绩效自评。按评分规则计算，平均得分{fixed(frame['total'].mean(), 2)}分，"
        f"最高{fixed(frame['total'].max(), 2, strip=True)}分，最低{fixed(frame['total'].min(), 2, strip=True)}分；"
        f"等级分布为{spread}。平均预算执行率{percent(frame['execution_rate'].mean())}。"
        f"复核共发现问题{int(frame['findings'].sum())}项，其中错误{int(frame['errors'].sum())}项。")


def ranking_table(frame: pd.DataFrame) -> str:
    rows = [(int(r.rank), r.department, "示例" if r.nature == "示例" else "", percent(r.execution_rate),
             fixed(r.total, 2, strip=True), r.grade, "" if pd.isna(r.declared_total) else fixed(r.declared_total, 2, strip=True),
             int(r.errors), int(r.warnings)) for r in frame.itertuples()]
    return heading(2, "二、各部门得分与排名", "ranking") + table(
        ["排名", "部门", "数据", "预算执行率", "计算得分", "等级", "自评总分", "错误", "提示"], rows,
        numeric=(0, 3, 4, 6, 7, 8))


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
    ax.set_ylabel("部门数")
    ax.set_ylim(0, counts.max() + 1)
    ax.set_title("评价等级分布", fontsize=10)
    return [heading(2, "三、等级分布", "grades"), charts.chart(fig, "各评价等级的部门数量柱状图", "图1 评价等级分布")]


def most_findings(frame: pd.DataFrame, top: int = 5) -> str:
    worst = frame.sort_values(["errors", "findings"], ascending=False).head(top)
    worst = worst[worst["findings"] > 0]
    head = heading(2, "四、复核发现最多的部门", "findings")
    if worst.empty:
        return head + para("各部门均未发现问题。")
    rows = [(r.department, int(r.errors), int(r.warnings), int(r.findings)) for r in worst.itertuples()]
    return head + table(["部门", "错误", "提示", "合计"], rows, numeric=(1, 2, 3))
