"""The report's sections as HTML: Chinese prose generated from data, tables and charts.

Each public function returns an HTML string for one block of a section notebook; every number in it
comes from the context's data or scorecard, every workbook text is escaped. ``charts`` (matplotlib) is
imported only by the blocks that draw, so sections without charts start faster.
"""

from __future__ import annotations

import re

import pandas as pd

from evalnb.review.budget_checks import carry_over_explains
from evalnb.review.context import ReportContext
from evalnb.rules import Rulebook
from evalnb.rules.scoring import IndicatorScore
from evalnb.sections import form
from evalnb.sections.outline import section, sub_number
from evalnb.store.data import DepartmentYear, shares
from evalnb.text.fmt import RANK_UNITS, counted, fixed, measure, percent, plain, share
from evalnb.text.fmt import change as fmt_change
from evalnb.text.fmt import change_wan as fmt_change_wan
from evalnb.text.html import esc, heading, para, paras, table
from evalnb.text.prose import say, words
from evalnb.workbook import CARRIED_IN, CARRIED_OUT, EXPENSE_ITEMS, FACT_UNITS, INCOME_ITEMS, PROJECT, THREE_PUBLIC


def title(anchor: str) -> str:
    return heading(2, section(anchor).title, anchor)


def sub(anchor: str, i: int) -> str:
    """The i-th (0-based) subsection heading of a section, as its template words it: （一）部门概况."""
    return heading(3, f"{sub_number(i)}{words(anchor, 'headings')[i]}")


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
    functions = "；".join(dy.text("主要职能"))
    items = [functions] if functions else []
    if staff := staffing(dy):
        items.append(staff)
    items.append(say("s1", "projects", dy.year, dy.project_count, "".join(dy.text("项目安排依据"))))
    items += dy.text("资金用途")
    return sub("s1", 0) + _numbered(items) + category_table(dy)


def staffing(dy: DepartmentYear) -> str:
    """内设机构, 编制, 在职 and 离退休 from 部门情况, where given ("" if none is)."""
    labels = words("s1", "staffing_labels")
    found = [(labels[item], f"{plain(v)}{FACT_UNITS[item]}") for item in labels if (v := dy.fact(item)) is not None]
    return say("s1", "staffing", found) if found else ""


def category_table(dy: DepartmentYear) -> str:
    """表1: projects by 项目类别 (基本支出 lines in one row of their own, not counted as projects)."""
    w = words("s1", "category_table")

    def row(label: str, lines: pd.DataFrame, count: object) -> tuple:
        budget, executed = lines["budget"].sum(), lines["executed"].sum()
        return (label, count, fixed(budget, 2), fixed(executed, 2), percent(executed / budget if budget else 0))

    projects = dy.projects
    rows = [row(cat, lines, lines["name"].nunique()) for cat, lines in projects.groupby("category", sort=False)]
    basic = dy.budget[dy.budget["expense_type"] != PROJECT]
    if not basic.empty:
        rows.append(row(w["basic"], basic, "—"))
    total = row(w["total"], dy.budget, dy.project_count)
    return table(w["columns"], rows, numeric=(1, 2, 3, 4), caption=w["caption"], foot=total)


def finances(ctx: ReportContext) -> str:
    dy = ctx.dy
    budget, executed, initial = dy.total("budget"), dy.total("executed"), dy.total("initial")
    sources = dy.budget.groupby("source", sort=False)["budget"].sum().sort_values(ascending=False)
    projects_only = bool((dy.budget["expense_type"] == PROJECT).all())
    text = say("s1", "execution", dy.year, budget, executed, dy.execution_rate, list(sources.index), projects_only)
    if abs(initial - budget) > 0.000001:
        text += say("s1", "adjustment", initial, budget > initial, abs(budget - initial))
    if executed > budget + 0.005 and carry_over_explains(dy, executed - budget):
        text += say("s1", "carried_spent", executed - budget)
    source_shares = [(name, v, v / budget) for name, v in sources.items()]
    parts = [*(para(t) for t in accounts_summary(dy)), para(text), para(say("s1", "by_source", source_shares))]
    if dy.comparable_prior is not None:
        prior = dy.comparable_prior
        parts.append(para(say("s1", "year_on_year", prior.year, budget, prior.total("budget"), executed,
                              prior.total("executed"), dy.execution_rate, prior.execution_rate)))
    parts += [para(t) for t in (*facts_summary(dy), *dy.text("预算执行说明"))]
    return sub("s1", 1) + "".join(parts)


def _prior_account(dy: DepartmentYear, item: str) -> float | None:
    """Last year's 决算 of a 科目: typed beside this year's, else the stored previous year's."""
    typed = dy.account(item, "prior_final")
    if typed is None and dy.comparable_prior is not None:
        typed = dy.comparable_prior.account(item)
    return typed


def _account_total(dy: DepartmentYear, items: tuple[str, ...], prior: bool = False) -> float | None:
    values = [_prior_account(dy, i) if prior else dy.account(i) for i in items]
    given = [v for v in values if v is not None]
    if not given or (prior and len(given) < len([i for i in items if dy.account(i) is not None])):
        return None
    return sum(given)


def accounts_summary(dy: DepartmentYear) -> list[str]:
    """收入 and 支出 by kind from the 收支总表, with 同比 in 万元 and % (nothing without the sheet)."""
    if dy.accounts.empty:
        return []
    sentences = []
    income = _account_total(dy, INCOME_ITEMS)
    if income is not None:
        items = [(i, v, fmt_change_wan(v, _prior_account(dy, i))) for i in INCOME_ITEMS if (v := dy.account(i)) is not None]
        sentences.append(say("s1", "income", dy.year, income, fmt_change_wan(income, _account_total(dy, INCOME_ITEMS, True)),
                             items if len(items) > 1 else [], dy.account(CARRIED_IN)))
    spent = _account_total(dy, EXPENSE_ITEMS)
    if spent:
        basic_detail = [(i, v) for i in ("人员经费", "公用经费") if (v := dy.account(i)) is not None]
        basic = sum(v for _, v in basic_detail) if basic_detail else None
        project = dy.account("项目支出")
        parts = [(name, v, v / spent) for name, v in (("基本支出", basic), ("项目支出", project)) if v is not None]
        sentences.append(say("s1", "spending", dy.year, spent, fmt_change_wan(spent, _account_total(dy, EXPENSE_ITEMS, True)),
                             parts, basic_detail, dy.account(CARRIED_OUT)))
    return sentences


def facts_summary(dy: DepartmentYear) -> list[str]:
    """"三公经费" and 政府采购 from 部门情况, where given."""
    sentences = []
    actual = [(i, v) for i in THREE_PUBLIC if (v := dy.fact(i)) is not None]
    if actual:
        total = sum(v for _, v in actual)
        budgets = [dy.fact(i, "budget") for i, _ in actual]
        priors = [dy.fact(i, "prior_actual") for i, _ in actual]
        budget = sum(budgets) if None not in budgets else None
        change = fmt_change_wan(total, sum(priors)) if None not in priors else ""
        sentences.append(say("s1", "three_public", total, budget, change, actual if len(actual) > 1 else []))
    bought = dy.fact("政府采购")
    if bought is not None:
        planned = dy.fact("政府采购", "budget") or None          # a 0 budget has no execution rate
        sentences.append(say("s1", "procurement", planned, bought, bought / planned if planned else None))
    return sentences


def finance_charts(ctx: ReportContext) -> list:
    """图1–图3 as :class:`evalnb.sections.charts.Chart` objects (``image/png`` outputs when shown), not HTML."""
    from evalnb.sections import charts  # lazy: matplotlib only for the sections that draw

    dy = ctx.dy
    by_category, by_source, by_year = (words("s1", n) for n in ("chart_categories", "chart_sources", "chart_years"))
    parts = [charts.chart(charts.budget_by_category(dy, by_category), by_category["alt"], by_category["caption"]),
             charts.chart(charts.funding_sources(dy, by_source), by_source["alt"], by_source["caption"])]
    trend = charts.year_on_year(dy, by_year)
    if trend is not None:
        parts.append(charts.chart(trend, say("s1", "chart_years_alt", dy.comparable_prior.year, dy.year), by_year["caption"]))
    return parts


def goals(ctx: ReportContext) -> str:
    items = [i for i in ctx.card.items if i.applicable]
    counts: dict[str, int] = {}
    for item in items:
        counts[item.level1] = counts.get(item.level1, 0) + 1
    summary = say("s1", "indicator_count", len(items), list(counts.items()))
    return sub("s1", 2) + paras(ctx.dy.text("年度总体目标")) + para(summary)


def _goal(ind: pd.Series) -> str:
    """不低于300家; a rank ceiling reads 前20位; a target adjusted during the year says what it was at first."""
    goal = _goal_words(ind, ind["target"])
    return goal + say("s3", "adjusted", _goal_words(ind, ind["initial_target"])) if form.changed(ind) else goal


def _goal_words(ind: pd.Series, value: float) -> str:
    if ind["unit"] in RANK_UNITS and ind["direction"] == "≤":
        return say("s3", "rank_goal", f"{plain(value)}{ind['unit']}")
    return say("s3", "goal", ind["direction"], measure(value, ind["unit"]))


# ---------------------------------------------------------------- 二、自评工作开展情况
def leading_group(ctx: ReportContext) -> str:
    """我局成立了以局长张伟为组长…的领导小组: the team by role, title before name; "" without a team."""
    team = ctx.dy.team
    if team.empty:
        return ""

    def people(role: str) -> list[tuple[str, list[str]]]:
        by_title: dict[str, list[str]] = {}
        for r in team[team["role"] == role].itertuples():
            title = _s(r.title)
            by_title.setdefault("" if title in r.name else title, []).append(r.name)   # 财务科科长 named so
        return list(by_title.items())

    dept = ctx.dy.department
    return say("s2", "leading_group", self_reference(dept), dept, people("组长"), people("副组长"), people("成员"))


def self_reference(department: str) -> str:
    """How the department calls itself: 我局, 我委, 我中心 … by the end of its name, else 我单位."""
    endings = words("s2", "self_reference")
    fits = [end for end in endings if department.endswith(end)]
    return endings[max(fits, key=len)] if fits else words("s2", "self_default")


def organisation(ctx: ReportContext) -> str:
    """The policy basis as the department wrote it, then the leading group unless the department told it."""
    basis = "".join(ctx.dy.text("自评组织"))
    told = any(w in basis for w in words("s2", "own_group_words"))
    return sub("s2", 0) + para(basis if told else f"{basis}{leading_group(ctx)}")


def cites(book: Rulebook) -> str:
    """The rulebook as the report cites it: its document (《…》（文号）), else its title."""
    return book.document or say("s2", "cited", book.title)


def method(ctx: ReportContext) -> str:
    book = ctx.rulebook
    grades = [(g.min, g.label) for g in book.grades]
    rule = say("s2", "grading", cites(book), ctx.card.execution_weight, ctx.card.methods, grades)
    return sub("s2", 1) + paras(ctx.dy.text("自评方法与过程")) + para(rule)


# ---------------------------------------------------------------- 三、目标实现情况及指标分析
def overall_achievement(ctx: ReportContext) -> str:
    items = [i for i in ctx.card.items if i.applicable]
    text = say("s3", "overall", len(items), sum(i.met for i in items), [i.name for i in items if not i.met])
    return sub("s3", 0) + paras(ctx.dy.text("总体目标实现情况")) + para(text)


def indicator_clause(ind: pd.Series | None, item: IndicatorScore, threshold: float) -> str:
    """What was achieved against the target, as a clause of its 二级指标's paragraph (no points: those are
    in section 四 and the appendix)."""
    if not item.applicable:
        return say("s3", "not_applicable", item.name)
    if item.method == "measure":
        return say("s3", "measured", item.name, item.measured / 100) if item.measured is not None else \
            say("s3", "uncomputed", item.name)
    if item.method == "deduction":
        return say("s3", "deduction", item.name, list(item.reasons))
    if item.method == "declared":
        return say("s3", "declared", item.name, ind["actual_text"])
    if ind["nature"] == "定性":
        told = (ind["name"], ind["target_text"], ind["actual_text"])
        # the first target only when it changed (a region's copy of s3.j2 from before takes three arguments)
        return say("s3", "qualitative", *told, ind["initial_target_text"]) if form.changed(ind) else \
            say("s3", "qualitative", *told)
    unit, exact = ind["unit"], not form.approximate(ind)
    # an approximate actual (超10亿元) is not divided into shares, changes or completion degrees: a figure the
    # source gives as "more than" must not come back more precise than the source
    told = [(scope, base if isinstance(base, str) else share(ind["actual"], base)) for scope, base in shares(ind)
            if exact or isinstance(base, str)]
    prior = measure(ind["prior"], unit) if pd.notna(ind["prior"]) else ""
    change = fmt_change(ind["actual"], ind["prior"], unit) if prior and exact else ""
    if not item.met:
        status = say("s3", "unmet", item.achievement)
    elif exact and ind["direction"] == "≥" and item.achievement is not None and item.achievement >= threshold:
        status = say("s3", "exceeded", item.achievement)
    else:
        status = ""
    return say("s3", "quantitative", counted(ind["name"], unit), form.actual_shown(ind), _goal(ind), told,
               prior, change, status)


def _group_paragraphs(label: str, clauses: list[str]) -> str:
    """（1）数量指标。clause；clause；clause。 Each clause in a span (class indicator) for readers and tests; a
    group of more indicators than a paragraph tells (s3.j2 ``clauses_per_paragraph``) goes on in further
    paragraphs, so no paragraph becomes a page of clauses."""
    count = -(-len(clauses) // int(words("s3", "clauses_per_paragraph")))        # paragraphs needed
    cuts = [round(i * len(clauses) / count) for i in range(count + 1)]          # of near-equal length
    parts = []
    for n, (start, end) in enumerate(zip(cuts, cuts[1:], strict=False)):
        body = "；".join(f'<span class="indicator">{esc(c)}</span>' for c in clauses[start:end])
        lead = f"<strong>{esc(label)}</strong>" if n == 0 else ""
        parts.append(f'<p class="level2">{lead}{body}。</p>')
    return "".join(parts)


def indicator_analysis(ctx: ReportContext) -> str:
    """The department's own 分项目标实现情况 paragraphs first and whole; then per 一级指标 a heading and per
    二级指标 its paragraph(s) of indicator clauses, in the rulebook's order."""
    by_row = {int(r["row"]): r for _, r in ctx.dy.indicators.iterrows()}
    groups: dict[str, dict[str, list[str]]] = {}
    for item in ctx.card.items:
        clause = indicator_clause(by_row.get(item.row) if item.row else None, item, ctx.rulebook.over_threshold)
        groups.setdefault(item.level1, {}).setdefault(item.level2 or item.name, []).append(clause)
    parts = [sub("s3", 1), paras(ctx.dy.text("分项目标实现情况"))]
    for n, (level1, level2s) in enumerate(groups.items(), start=1):
        parts.append(heading(4, say("s3", "level1", n, level1)))
        for k, (level2, clauses) in enumerate(level2s.items(), start=1):
            parts.append(_group_paragraphs(say("s3", "level2", k, level2), clauses))
    return "".join(parts)


def indicator_chart(ctx: ReportContext) -> object:
    """图4 as an :class:`evalnb.sections.charts.Chart` (an ``image/png`` output when shown); None without 定量 results.
    Numbered after section 一's charts: 图3 where there is no 同比 chart, so that figures run on without a gap."""
    from evalnb.sections import charts  # lazy: matplotlib only for the sections that draw

    labels = words("s3", "chart_completion")
    fig = charts.indicator_completion(ctx.card, labels, ctx.dy)
    if fig is None:
        return None
    number = 3 if ctx.dy.comparable_prior is None else 4          # 图1, 图2 (and 图3 同比) come before it
    # one bar per indicator: readable on a screen, not on A4 — the PDF and the Word file leave it out
    return charts.chart(fig, labels["alt"], say("s3", "chart_completion_caption", number, labels["caption"]),
                        screen_only=True)


# ---------------------------------------------------------------- 四、评价结论和评价等级
def conclusion(ctx: ReportContext) -> str:
    card = ctx.card
    subtotals = [(name, s["score"], s["weight"]) for name, s in card.subtotals.items()]
    text = say("s4", "conclusion", cites(ctx.rulebook), card.execution_rate, card.execution_score, card.execution_weight,
               subtotals, card.total, card.grade, card.notes,
               card.execution_name)
    w = words("s4", "score_table")
    rows = [(name, plain(weight), plain(score)) for name, weight, score in card.parts(w["execution"])]
    foot = (w["total"], plain(card.max_points), fixed(card.total, 2, strip=True))
    return para(text, "conclusion") + table(w["columns"], rows, numeric=(1, 2), caption=w["caption"], foot=foot)


# ---------------------------------------------------------------- 五、存在的问题及改进措施
def problems(ctx: ReportContext) -> str:
    """The department's own words; what the data shows beyond them goes to the review memo."""
    return sub("s5", 0) + _items(ctx.dy.text("存在问题"))


def measures(ctx: ReportContext) -> str:
    return sub("s5", 1) + _items(ctx.dy.text("改进措施"))


def _items(texts: list[str]) -> str:
    """Several problems (or measures) numbered 1. 2. … as 公文 list them, unless the department numbered
    them itself (一是…, （一）…, 1.…); a single paragraph stands alone."""
    marker = re.compile(words("s5", "enumerated"))
    if len(texts) < 2 or any(marker.match(t) for t in texts):
        return paras(texts)
    return _numbered(texts)


# ---------------------------------------------------------------- 六、评价工作组
def team_table(ctx: ReportContext) -> str:
    rows = [(r.name, r.org, _s(r.title), _s(r.rank), "") for r in ctx.dy.team.itertuples()]
    return table(words("s6", "team_table")["columns"], rows, cls="signatures")


# ---------------------------------------------------------------- 附件
def _rate(lines: pd.DataFrame) -> str:
    """A group's execution rate; "—" where its 全年预算 is 0 (上年结转 spent without a budget line)."""
    budget = lines["budget"].sum()
    return percent(lines["executed"].sum() / budget) if budget else "—"


def _appendix_heading(i: int) -> str:
    return heading(3, f"{sub_number(i)}{words('appendix', 'headings')[i]}")


def scoring_table(ctx: ReportContext) -> str:
    return _appendix_heading(0) + form_tables(ctx)


def form_tables(ctx: ReportContext) -> str:
    """The 自评表 as the rulebook's form lays it out: header, funds, goals, indicators with the 总分, closing rows and
    signatures. The department's appendix and each 项目支出绩效自评表 alike (a project's view of the data)."""
    card, dy, book = ctx.card, ctx.dy, ctx.rulebook
    w_funds, w_goal, w_ind = (words("appendix", n) for n in ("funds_table", "goal_table", "indicator_table"))
    has_row = bool(card.execution_weight)
    funds = [(w_funds["total"], fixed(dy.total("initial"), 2), fixed(card.budget, 2), fixed(card.executed, 2),
              plain(card.execution_weight) if has_row else "—", percent(card.execution_rate),
              plain(card.execution_score) if has_row else "—")]
    funds += [(f"{w_funds['part']}{name}", fixed(initial, 2), fixed(budget, 2), fixed(executed, 2), "—",
               percent(executed / budget) if budget else "—", "—")
              for name, initial, budget, executed in form.funds(card, dy, book)]
    goals_rows = [("；".join(dy.text("年度总体目标")) or "—", "；".join(dy.text("总体目标实现情况")) or "—")]
    w_form = words("appendix", "form_rows")
    head = form.header(card, dy, book)
    funds_table = (table(w_funds["columns"], funds, numeric=(1, 2, 3, 4, 5, 6), caption=w_funds["caption"])
                   if form.funds_points(book) else
                   table(w_form["funds_columns"], [(r[0], *r[1:4], r[5]) for r in funds], numeric=(1, 2, 3, 4),
                         caption=w_funds["caption"]))
    closing = form.closing(card, dy, book)
    signed = form.signatures(dy, book)
    return ((table([f for f, _ in head], [tuple(v for _, v in head)], caption=w_form["header_caption"],
                   cls="form-header") if head else "")
            + funds_table
            + _project_notes(dy)
            + table(w_goal["columns"], goals_rows, caption=w_goal["caption"])
            + table(form.headers(book), form.rows(card, dy, book), numeric=form.numeric(book), caption=w_ind["caption"],
                    foot=form.foot(card, book), cls="scoring", wide=form.wide(book))
            + (table(["", ""], closing, caption=w_form["closing_caption"], cls="form-closing", wide=(1,))
               if closing else "")
            + (table([who for who, _ in signed], [tuple(name for _, name in signed)], caption=w_form["signature_caption"],
                     cls="signatures") if signed else ""))


def _project_notes(dy: DepartmentYear) -> str:
    """A project form's 原因 (执行率偏低或预算调整) and 项目实施内容及过程概述, where its 项目情况 gives them."""
    rows = [(label, "；".join(dy.text(section))) for section, label in words("projects", "form_notes").items()
            if dy.project_name and dy.text(section)]
    return table(["", ""], rows, cls="form-closing", wide=(1,)) if rows else ""


def project_list(ctx: ReportContext) -> str:
    dy = ctx.dy
    rows = [(r.name, r.category, r.source, fixed(r.initial, 2), fixed(r.budget, 2), fixed(r.executed, 2),
             percent(r.executed / r.budget) if r.budget else "—", _s(r.note))
            for r in dy.budget.itertuples()]
    w = words("appendix", "project_table")
    foot = (w["total"], "", "", fixed(dy.total("initial"), 2), fixed(dy.total("budget"), 2),
            fixed(dy.total("executed"), 2), percent(dy.execution_rate), "")
    return _appendix_heading(1) + table(w["columns"], rows, numeric=(3, 4, 5, 6), foot=foot, cls="projects")
