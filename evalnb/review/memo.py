"""The review memo (复核意见): what the finance bureau's reviewer, and the officer before filing, need to
see and the filed report must not say: declared against computed scores, the basis of every point,
every finding with what to do, the problems the data shows, and why a report is still a draft.

Each public function returns an HTML block for ``notebooks/review/memo.ipynb``; :func:`draft_reasons`
also decides whether the report carries the 草稿 banner and whether ``evalnb report --final`` may write it.
"""

from __future__ import annotations

from evalnb.review.context import ReportContext, load_context  # noqa: F401  (the memo notebook imports only this module)
from evalnb.review.findings import ERROR, Finding
from evalnb.review.problems import derive
from evalnb.text.fmt import fixed, pct, plain
from evalnb.text.html import bullets, esc, heading, para, show, table  # noqa: F401  (show: for the notebook)

SEVERITY_WORDS = {"error": "错误", "warning": "提示", "info": "信息"}

# What the department should do about each finding, by its stable code.
ADVICE = {
    "declared-score-mismatch": "按评分规则核对自评得分；自评得分高于规则得分的，应调整得分或补充计分依据。",
    "declared-grade-mismatch": "评价等级应与总分所在的等级区间一致。",
    "perfect-score-no-problems": "如实填写存在的主要问题和对应的改进措施；满分或接近满分须有充分依据。",
    "unexplained-deviation": "在“偏差原因分析及改进措施”中说明未完成的原因和改进措施。",
    "over-achievement-unexplained": "说明超额完成的原因；目标明显偏低的，下一年度应据实调高目标值。",
    "low-execution-unexplained": "在“预算执行说明”或项目“备注”中说明执行率偏低的原因。",
    "qualitative-out-of-band": "定性指标得分应落在其评价档次对应的分值区间内。",
    "unit-mismatch": "核对计量单位与指标值是否一致（比率用%，金额用元、万元或亿元）。",
    "budget-exceeded": "核对全年执行数与全年预算数；超出预算的支出须有资金来源和依据。",
    "narrative-number-unmatched": "核对文字材料中的数字与表格数据，二者应一致。",
    "equal-target-missed": "“=”类指标应恰好达到目标值：说明偏差原因；若多多益善或越少越好，应改用 ≥ 或 ≤。",
    "spending-above-income": "核对收支总表：本年支出不应超过本年收入与上年结转之和。",
    "accounts-unbalanced": "核对收支总表：上年结转 + 本年收入 − 本年支出 应等于年末结转结余。",
    "accounts-lines-mismatch": "收支总表的支出科目应与项目支出表中同一支出类型各行的合计一致，请核对后重新导入。",
    "common-indicator-mismatch": "共性指标的实际完成值应按公式由预算数据计算：请改为计算值，或核对收支数据。",
    "common-indicator-unverifiable": "补充收支总表或部门情况表，以便按数据核对该指标。",
    "measure-uncomputable": "补充收支总表、部门情况表或项目支出表中计算该指标所需的数据后重新导入。",
}
DEFAULT_ADVICE = "请核实并修改后重新导入工作簿。"
REQUIRED_TEXTS = ("主要职能", "年度总体目标", "存在问题", "改进措施")


def draft_reasons(ctx: ReportContext) -> list[str]:
    """Why the report cannot be filed yet (empty: it can): error findings and texts still missing."""
    reasons = [f"复核发现错误：{f.message}" for f in ctx.findings if f.severity == ERROR]
    reasons += [f"文字材料“{name}”尚未填写" for name in REQUIRED_TEXTS if not ctx.dy.text(name)]
    reasons += [f"文字材料“{section}”中的草拟段落尚待确认：{content}" for section, content in ctx.dy.drafted]
    return reasons


def status(ctx: ReportContext) -> str:
    reasons = draft_reasons(ctx)
    if not reasons:
        return heading(2, "一、报告状态", "memo-status") + para("未发现须修改后方能报送的问题，报告可定稿报送。")
    return (heading(2, "一、报告状态", "memo-status") + para(f"报告为草稿，有以下{len(reasons)}项须处理后方能定稿报送：", "draft")
            + bullets(reasons))


def score_review(ctx: ReportContext) -> str:
    """Declared against computed, item by item, with the basis of every point."""
    card = ctx.card
    rows = [("预算执行率", plain(card.execution_weight), "—", plain(card.execution_score), "—", card.execution_basis)] \
        if card.execution_weight else []
    for item in card.items:
        declared = "" if item.declared_score is None else plain(item.declared_score)
        diff = "" if item.declared_score is None else fixed(item.declared_score - item.score, 2, strip=True)
        rows.append((item.name, plain(item.weight), declared, plain(item.score), diff, item.basis))
    declared_total = "" if card.declared_total is None else plain(card.declared_total)
    diff_total = "" if card.declared_total is None else fixed(card.declared_total - card.total, 2, strip=True)
    foot = ("总分", plain(card.max_points), declared_total, fixed(card.total, 2, strip=True), diff_total, card.total_basis)
    grades = f"按规则计算：{fixed(card.total, 2, strip=True)}分，“{card.grade}”"
    if card.declared_total is not None:
        grades += f"；部门自评：{plain(card.declared_total)}分" + (f"，“{card.declared_grade}”" if card.declared_grade else "")
    return (heading(2, "二、得分复核", "memo-scores") + para(grades)
            + table(["项目", "分值", "自评得分", "计算得分", "差额", "计分依据"], rows, numeric=(1, 2, 3, 4), foot=foot,
                    caption=f"评分规则：{card.rules_title}", cls="scoring"))


def findings(ctx: ReportContext) -> str:
    head = heading(2, "三、复核发现", "memo-findings")
    if not ctx.findings:
        return head + para("按复核要点检查，未发现问题。")
    counts = {w: sum(SEVERITY_WORDS[f.severity] == w for f in ctx.findings) for w in SEVERITY_WORDS.values()}
    summary = "，".join(f"{w}{n}项" for w, n in counts.items() if n)
    return head + para(f"共{len(ctx.findings)}项（{summary}）：") + "".join(_finding(i, f) for i, f in
                                                                        enumerate(ctx.findings, start=1))


def _finding(number: int, f: Finding) -> str:
    severity = SEVERITY_WORDS[f.severity]
    return (f'<div class="finding {esc(f.severity)}"><p><strong>{number}.【{esc(severity)}】{esc(f.location)}</strong></p>'
            f"<p>发现：{esc(f.message)}</p><p>处理：{esc(ADVICE.get(f.code, DEFAULT_ADVICE))}</p>"
            f'<p class="code">编号 {esc(f.code)}</p></div>')


def _sentence(text: str) -> str:
    """A phrase as a sentence: ends with 。 unless the department already closed it."""
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "…")) else f"{text}。"


def data_issues(ctx: ReportContext) -> list[str]:
    """Unmet targets and low execution, in words, with the department's own reasons where it gave them."""
    issues = []
    for (_, r), item in zip(ctx.dy.indicators.iterrows(), ctx.card.indicators, strict=True):
        if not item.met and item.applicable and item.method in ("ratio", "bands"):
            reason = r["deviation_note"] if isinstance(r["deviation_note"], str) else "未说明偏差原因"
            issues.append(f"“{item.name}”未完成年度指标：{item.basis}。{_sentence(reason)}")
    issues += [f"“{item.name}”：{_sentence(item.basis)}" for item in ctx.card.items
               if not item.met and item.applicable and item.method in ("measure", "deduction")]
    threshold = ctx.rulebook.low_execution_threshold
    if ctx.card.execution_rate < threshold:
        issues.append(f"部门预算执行率为{pct(ctx.card.execution_rate)}，低于{pct(threshold)}。")
    for r in ctx.dy.budget.itertuples():
        rate = r.executed / r.budget if r.budget else 1
        if rate < threshold:
            note = r.note if isinstance(r.note, str) and r.note else "未说明原因"
            issues.append(f"项目“{r.name}”（{r.source}）执行率为{pct(rate)}。{_sentence(note)}")
    return issues


def data_problems(ctx: ReportContext) -> str:
    head = heading(2, "四、数据反映的问题", "memo-data")
    derived = [p.problem for p in derive(ctx.dy, ctx.card) if p.problem not in ctx.dy.text("存在问题")]
    issues = derived + data_issues(ctx)
    if not issues:
        return head + para("数据未反映未完成的指标或偏低的执行率。")
    stated = "；".join(t.rstrip("。；;. ") for t in ctx.dy.text("存在问题")) or "（未填写）"
    return (head + para(f"报告“存在的主要问题”为：{stated}。数据还反映以下情况，请核实是否应在报告中说明：")
            + bullets(issues))
