"""The report's sections as HTML: Chinese prose generated from data, tables and charts.

Each public function returns an HTML string for one block of a section notebook; every number in it
comes from the context's data or scorecard, every workbook text is escaped. ``charts`` (matplotlib) is
imported only by the blocks that draw, so sections without charts start faster.
"""

from __future__ import annotations

import pandas as pd

from evalnb.context import ReportContext
from evalnb.data import comparisons
from evalnb.fmt import RANK_UNITS, fixed, measure, percent, plain, share
from evalnb.fmt import change as fmt_change
from evalnb.html import bullets, esc, heading, para, paras, table
from evalnb.outline import section, sub_number
from evalnb.prose import say
from evalnb.scoring import IndicatorScore

DIRECTION_WORDS = {"≥": "不低于", "≤": "不高于", "=": "为"}


def title(anchor: str) -> str:
    return heading(2, section(anchor).title, anchor)


def sub(i: int, text: str) -> str:
    return heading(3, f"{sub_number(i)}{text}")


def _s(value: object) -> str:
    """A text cell as shown: an empty cell (None or NaN from pandas) is blank, never "nan"."""
    return value if isinstance(value, str) else ""


def _numbered(items: list[str]) -> str:
    return "".join(para(f"{i}.{text}") for i, text in enumerate(items, start=1))


def _join(names: list[str]) -> str:
    return "、".join(names)


# ---------------------------------------------------------------- 一、部门基本情况
def preamble(ctx: ReportContext) -> str:
    """The policy-basis paragraph(s) that open the report, as the department wrote them (文字材料 评价依据)."""
    return "".join(para(t, "preamble") for t in ctx.dy.text("评价依据"))


def overview(ctx: ReportContext) -> str:
    dy = ctx.dy
    projects = dy.budget["name"].nunique()
    functions = "；".join(dy.text("主要职能"))
    items = ([functions] if functions else []) + [say("s1", "projects", dy.year, projects, "".join(dy.text("项目安排依据")))]
    items += dy.text("资金用途")
    cats = dy.budget.groupby("category", sort=False).agg(projects=("name", "nunique"), budget=("budget", "sum"),
                                                         executed=("executed", "sum"))
    rows = [(cat, int(r.projects), fixed(r.budget, 2), fixed(r.executed, 2), percent(r.executed / r.budget if r.budget else 0))
            for cat, r in cats.iterrows()]
    total = ("合计", projects, fixed(dy.total("budget"), 2), fixed(dy.total("executed"), 2), percent(dy.execution_rate))
    return sub(0, "部门概况") + _numbered(items) + table(
        ["项目类别", "项目个数", "全年预算数（万元）", "全年执行数（万元）", "执行率"], rows, numeric=(1, 2, 3, 4),
        caption="表1 项目按类别汇总", foot=total)


def finances(ctx: ReportContext) -> str:
    dy = ctx.dy
    budget, executed, initial = dy.total("budget"), dy.total("executed"), dy.total("initial")
    sources = dy.budget.groupby("source", sort=False)["budget"].sum().sort_values(ascending=False)
    text = say("s1", "execution", dy.year, budget, executed, dy.execution_rate, list(sources.index))
    if abs(initial - budget) > 0.000001:
        text += say("s1", "adjustment", initial, budget > initial, abs(budget - initial))
    shares = [(name, v, v / budget) for name, v in sources.items()]
    parts = [para(text), para(say("s1", "by_source", shares))]
    if dy.prior is not None:
        prior = dy.prior
        parts.append(para(say("s1", "year_on_year", prior.year, budget, prior.total("budget"), executed,
                              prior.total("executed"), dy.execution_rate, prior.execution_rate)))
    parts += [para(t) for t in dy.text("预算执行说明")]
    return sub(1, "部门收支预决算情况") + "".join(parts)


def finance_charts(ctx: ReportContext) -> list:
    """图1–图3 as :class:`evalnb.charts.Chart` objects (``image/png`` outputs when shown), not HTML."""
    from evalnb import charts

    dy = ctx.dy
    parts = [charts.chart(charts.budget_by_category(dy), "按项目类别的全年预算数与全年执行数条形图",
                          "图1 按项目类别的预算与执行"),
             charts.chart(charts.funding_sources(dy), "全年预算资金来源构成环形图", "图2 资金来源构成")]
    trend = charts.year_on_year(dy)
    if trend is not None:
        parts.append(charts.chart(trend, f"{dy.prior.year}年与{dy.year}年预算与执行对比柱状图", "图3 预算与执行同比"))
    return parts


def goals(ctx: ReportContext) -> str:
    ind = ctx.dy.indicators
    counts = ind.groupby("level1", sort=False).size()
    summary = say("s1", "indicator_count", len(ind), list(counts.items()))
    return sub(2, "部门整体支出绩效目标、指标") + paras(ctx.dy.text("年度总体目标")) + para(summary)


def _goal(ind: pd.Series) -> str:
    """不低于300家; a rank ceiling reads 前20位."""
    if ind["unit"] in RANK_UNITS and ind["direction"] == "≤":
        return f"前{plain(ind['target'])}{ind['unit']}"
    return f"{DIRECTION_WORDS[ind['direction']]}{measure(ind['target'], ind['unit'])}"


def _target_text(r: object) -> str:
    if r.nature == "定性":
        return r.target_text or ""
    return f"{r.direction}{measure(r.target, r.unit)}"


# ---------------------------------------------------------------- 二、自评工作开展情况
def leading_group(ctx: ReportContext) -> str:
    team = ctx.dy.team
    if team.empty:
        return ""

    def people(role: str) -> str:
        rows = team[team["role"] == role]
        by_title: dict[str, list[str]] = {}
        for r in rows.itertuples():
            by_title.setdefault(_s(r.title), []).append(r.name)
        return "、".join(f"{_join(names)}{title}" for title, names in by_title.items())

    return say("s2", "leading_group", ctx.dy.department, len(team), people("组长"), people("副组长"), people("成员"))


def organisation(ctx: ReportContext) -> str:
    basis = "".join(ctx.dy.text("自评组织"))
    return sub(0, "自评的组织工作") + para(f"{basis}{leading_group(ctx)}")


def method(ctx: ReportContext) -> str:
    book = ctx.rulebook
    rule = say("s2", "rules", book.title, book.execution_weight, book.grades[0].min, book.grades[0].label)
    return sub(1, "自评的方法和过程") + paras(ctx.dy.text("自评方法与过程")) + para(rule)


# ---------------------------------------------------------------- 三、目标实现情况及指标分析
def overall_achievement(ctx: ReportContext) -> str:
    items = ctx.card.indicators
    text = say("s3", "overall", len(items), sum(i.met for i in items), [i.name for i in items if not i.met])
    return sub(0, "总体绩效目标实现情况") + paras(ctx.dy.text("总体目标实现情况")) + para(text)


def indicator_sentence(ind: pd.Series, item: IndicatorScore, threshold: float) -> str:
    """What was achieved against the target, in words; the points are in section 四 and the appendix."""
    if ind["nature"] == "定性":
        return say("s3", "qualitative", ind["name"], ind["target_text"], ind["actual_text"])
    unit = ind["unit"]
    details = [f"年度目标{_goal(ind)}"]
    details += [f"占{scope}{share(ind['actual'], base)}" for scope, base in comparisons(ind)]
    if pd.notna(ind["prior"]):
        change = fmt_change(ind["actual"], ind["prior"], unit)
        details.append(f"上年{measure(ind['prior'], unit)}" + (f"，{change}" if change else ""))
    if not item.met:
        status = say("s3", "unmet", item.achievement)
    elif ind["direction"] == "≥" and item.achievement is not None and item.achievement >= threshold:
        status = say("s3", "exceeded", item.achievement)
    else:
        status = say("s3", "met")
    return say("s3", "quantitative", ind["name"], measure(ind["actual"], unit), details, status)


def indicator_analysis(ctx: ReportContext) -> str:
    ind = ctx.dy.indicators.reset_index(drop=True)
    items = ctx.card.indicators
    parts = [sub(1, "分项绩效目标实现情况及指标分析")]
    for n, (level1, group) in enumerate(ind.groupby("level1", sort=False), start=1):
        parts.append(heading(4, f"{n}.{level1}"))
        for k, (level2, rows) in enumerate(group.groupby("level2", sort=False), start=1):
            sentences = [indicator_sentence(r, items[i], ctx.rulebook.over_threshold) for i, r in rows.iterrows()]
            parts.append(f'<p class="level2"><strong>（{k}）{esc(level2)}</strong></p>'
                         + bullets(sentences).replace("<ul>", '<ul class="indicators">', 1))
    narrative = ctx.dy.text("分项目标实现情况")
    if narrative:
        parts.append(heading(4, f"{ind['level1'].nunique() + 1}.其他工作情况") + paras(narrative))
    return "".join(parts)


def indicator_chart(ctx: ReportContext) -> object:
    """图4 as an :class:`evalnb.charts.Chart` (an ``image/png`` output when shown); None without 定量 results."""
    from evalnb import charts

    fig = charts.indicator_completion(ctx.card)
    if fig is None:
        return None
    return charts.chart(fig, "各定量指标实际值相对年度目标的完成程度条形图", "图4 定量指标完成程度")


# ---------------------------------------------------------------- 四、评价结论和评价等级
def conclusion(ctx: ReportContext) -> str:
    card = ctx.card
    subtotals = [(name, s["score"], s["weight"]) for name, s in card.subtotals.items()]
    text = say("s4", "conclusion", card.rules_title, card.execution_rate, card.execution_score, card.execution_weight,
               subtotals, card.total, card.grade)
    parts = [para(text, "conclusion")]
    rows = [("预算执行率", plain(card.execution_weight), plain(card.execution_score))]
    rows += [(name, plain(s["weight"]), plain(s["score"])) for name, s in card.subtotals.items()]
    foot = ("总分", plain(card.max_points), fixed(card.total, 2, strip=True))
    return "".join(parts) + table(["评分项目", "分值", "得分"], rows, numeric=(1, 2), caption="表4 评分汇总", foot=foot)


# ---------------------------------------------------------------- 五、存在的问题及改进措施
def problems(ctx: ReportContext) -> str:
    """The department's own words; what the data shows beyond them goes to the review memo."""
    return sub(0, "存在的主要问题") + paras(ctx.dy.text("存在问题"))


def measures(ctx: ReportContext) -> str:
    return sub(1, "改进措施") + paras(ctx.dy.text("改进措施"))


# ---------------------------------------------------------------- 六、评价工作组
def team_table(ctx: ReportContext) -> str:
    rows = [(r.name, r.org, _s(r.title), _s(r.rank), "") for r in ctx.dy.team.itertuples()]
    return table(["姓名", "工作单位", "职务", "职称", "签字"], rows, cls="signatures")


# ---------------------------------------------------------------- 附件
def scoring_table(ctx: ReportContext) -> str:
    card, dy = ctx.card, ctx.dy
    funds = [("年度资金总额", fixed(dy.total("initial"), 2), fixed(card.budget, 2), fixed(card.executed, 2),
              plain(card.execution_weight), percent(card.execution_rate), plain(card.execution_score))]
    for source, g in dy.budget.groupby("source", sort=False):
        funds.append((f"其中：{source}", fixed(g["initial"].sum(), 2), fixed(g["budget"].sum(), 2),
                      fixed(g["executed"].sum(), 2), "—", percent(g["executed"].sum() / g["budget"].sum()), "—"))
    goals_rows = [("；".join(dy.text("年度总体目标")) or "—", "；".join(dy.text("总体目标实现情况")) or "—")]
    rows = []
    for (_, r), item in zip(dy.indicators.iterrows(), card.indicators, strict=True):
        actual = measure(r["actual"], r["unit"]) if r["nature"] == "定量" else r["actual_text"]
        note = r["deviation_note"] if isinstance(r["deviation_note"], str) else ""
        rows.append((r["level1"], r["level2"], r["name"], _target_text(r), actual, plain(item.weight),
                     plain(item.score), note))
    foot = ("总分", "", "", "", "", plain(card.max_points), fixed(card.total, 2, strip=True), "")
    return (heading(3, "（一）部门整体支出绩效自评表")
            + table(["", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "分值", "执行率", "得分"], funds,
                    numeric=(1, 2, 3, 4, 5, 6), caption="资金情况")
            + table(["预期目标", "实际完成情况"], goals_rows, caption="年度总体目标")
            + table(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                     "偏差原因分析及改进措施"], rows, numeric=(5, 6), caption="绩效指标", foot=foot, cls="scoring"))


def project_list(ctx: ReportContext) -> str:
    rows = [(r.name, r.category, r.source, fixed(r.initial, 2), fixed(r.budget, 2), fixed(r.executed, 2),
             percent(r.executed / r.budget) if r.budget else "—", _s(r.note))
            for r in ctx.dy.budget.itertuples()]
    foot = ("合计", "", "", fixed(ctx.dy.total("initial"), 2), fixed(ctx.dy.total("budget"), 2),
            fixed(ctx.dy.total("executed"), 2), percent(ctx.dy.execution_rate), "")
    return heading(3, "（二）项目支出明细") + table(
        ["项目名称", "项目类别", "资金来源", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "执行率", "备注"],
        rows, numeric=(3, 4, 5, 6), foot=foot)
