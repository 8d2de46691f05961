"""The review memo (复核意见): what the finance bureau's reviewer, and the officer before filing, need to
see and the filed report must not say. It opens with the 复核结论 a reviewer signs (复核得分 and 等级,
同意 or 退回修改 with each reason and what to fix, 整改时限), then the basis of every point, the findings
that do not send the report back, and the problems the data shows beyond the department's own list.
Each thing is told once: a finding in the conclusion is not repeated below it.

Each public function returns an HTML block for ``notebooks/review/memo.ipynb``; :func:`draft_reasons`
also decides whether the report carries the 草稿 banner and whether ``evalnb report --final`` may write it.
"""

from __future__ import annotations

from dataclasses import dataclass

from evalnb import paramfiles
from evalnb.review.context import ReportContext, load_context  # noqa: F401  (the memo notebook imports only this module)
from evalnb.review.findings import ERROR, WARNING, Finding
from evalnb.review.problems import derive
from evalnb.text.fmt import fixed, plain
from evalnb.text.html import bullets, esc, heading, para, show, table  # noqa: F401  (show: for the notebook)
from evalnb.text.prose import say, words
from evalnb.workbook import BUDGET, INDICATORS, TEXTS

WORDING = "memo"          # evalnb/templates/prose/memo.j2
REQUIRED_TEXTS = ("主要职能", "年度总体目标", "存在问题", "改进措施")     # 文字材料 sections a report cannot lack
# Problems evalnb derives (evalnb/review/problems.py) that a finding tells, without their noise: declared
# against computed (declared-score-mismatch), unexplained adjustments (budget-adjusted-unexplained),
# targets met exactly (targets-met-exactly), no 成本指标 (cost-indicator-missing).
TOLD_AS_FINDINGS = ("declared-higher", "adjusted-unexplained", "targets-met-exactly", "no-cost-indicator")


def severity_word(severity: str) -> str:
    return words(WORDING, "severity")[severity]


def advice(code: str) -> str:
    """What the department should do about a finding of ``code``."""
    return words(WORDING, "advice").get(code, words(WORDING, "default_advice"))


def advice_for(finding: Finding) -> str:
    """What to do about a finding and those merged into it."""
    return "".join(dict.fromkeys(advice(code) for code in finding.codes))


def _heading(part: str) -> str:
    return heading(2, words(WORDING, "headings")[part], f"memo-{part}")


def draft_reasons(ctx: ReportContext) -> list[str]:
    """Why the report cannot be filed yet (empty: it can): error findings and texts still missing."""
    reasons = [say(WORDING, "reason_error", f.message) for f in ctx.findings if f.severity == ERROR]
    return reasons + [text for text, _ in _other_reasons(ctx)]


def _other_reasons(ctx: ReportContext) -> list[tuple[str, str]]:
    """(reason, what to do) for what keeps the report a draft besides error findings."""
    missing = [(say(WORDING, "reason_missing_text", name), say(WORDING, "advice_missing_text", name))
               for name in REQUIRED_TEXTS if not ctx.dy.text(name)]
    drafted = [(say(WORDING, "reason_drafted", section, content), words(WORDING, "advice_drafted"))
               for section, content in ctx.dy.drafted]
    return missing + drafted


@dataclass(frozen=True)
class Item:
    """One numbered item of the memo: a finding, or another reason the report is still a draft."""
    severity: str
    location: str
    message: str
    advice: str
    codes: tuple[str, ...] = ()


def _returned(ctx: ReportContext) -> list[Item]:
    """Why the report goes back, in the conclusion's order: the errors, then texts missing or drafted."""
    errors = [Item(f.severity, f.location, f.message, advice_for(f), f.codes) for f in ctx.findings
              if f.severity == ERROR]
    return errors + [Item(ERROR, TEXTS.name, text, todo) for text, todo in _other_reasons(ctx)]


def _item(number: int, item: Item, labels: dict[str, str]) -> str:
    code = f'<p class="code">{esc(labels["code"])}{esc("、".join(item.codes))}</p>' if item.codes else ""
    return (f'<div class="finding {esc(item.severity)}"><p><strong>{number}.【{esc(severity_word(item.severity))}】'
            f'{esc(item.location)}</strong></p><p>{esc(labels["found"])}{esc(item.message)}</p>'
            f'<p>{esc(labels["advice"])}{esc(item.advice)}</p>{code}</div>')


def conclusion(ctx: ReportContext, rectify_days: int | None = None) -> str:
    """一、复核结论: 复核得分 and 等级, 同意 or 退回修改 with each reason and 整改要求, the 整改时限 (``rectify_days``
    working days, else :func:`deadline_days`) and the lines the reviewer signs."""
    card = ctx.card
    head = _heading("conclusion") + para(say(WORDING, "review_score", card.total, card.grade, card.declared_total,
                                             card.declared_grade))
    sign = para(words(WORDING, "signature"), "signature")
    returned = _returned(ctx)
    if not returned:
        warnings = sum(f.severity == WARNING for f in ctx.findings)
        return head + para(say(WORDING, "agreed", warnings)) + sign
    labels = words(WORDING, "conclusion_labels")
    days = rectify_days or deadline_days(card.department, card.year)
    return (head + para(say(WORDING, "returned", len(returned)), "draft")
            + "".join(_item(i, item, labels) for i, item in enumerate(returned, start=1))
            + para(say(WORDING, "deadline", days)) + sign)


def deadline_days(department: str, year: int) -> int:
    """The 整改时限 in working days: ``rectify_days`` of the department-year's params file, else memo.j2's default."""
    return paramfiles.rectify_days(department, year) or words(WORDING, "rectify_days")


def status(ctx: ReportContext) -> str:
    """The memo's first block under its former name: the 复核结论 with the default 整改时限."""
    return conclusion(ctx)


def score_review(ctx: ReportContext) -> str:
    """Declared against computed, item by item, with the basis of every point."""
    card = ctx.card
    rows = [(words(WORDING, "execution_row"), plain(card.execution_weight), "—", plain(card.execution_score), "—",
             card.execution_basis)] if card.execution_weight else []
    for item in card.items:
        declared = "" if item.declared_score is None else plain(item.declared_score)
        diff = "" if item.declared_score is None else fixed(item.declared_score - item.score, 2, strip=True)
        rows.append((item.name, plain(item.weight), declared, plain(item.score), diff, item.basis))
    declared_total = "" if card.declared_total is None else plain(card.declared_total)
    diff_total = "" if card.declared_total is None else fixed(card.declared_total - card.total, 2, strip=True)
    foot = (words(WORDING, "total_row"), plain(card.max_points), declared_total, fixed(card.total, 2, strip=True),
            diff_total, card.total_basis)
    return (_heading("scores")
            + table(words(WORDING, "score_columns"), rows, numeric=(1, 2, 3, 4), foot=foot,
                    caption=say(WORDING, "rules_caption", card.rules_title), cls="scoring"))


def findings(ctx: ReportContext) -> str:
    """三、复核发现: every finding counted; those not in the conclusion (提示, 信息) listed, numbered on from it."""
    head = _heading("findings")
    if not ctx.findings:
        return head + para(say(WORDING, "no_findings"))
    counts = [(severity_word(s), n) for s in words(WORDING, "severity")
              if (n := sum(f.severity == s for f in ctx.findings))]
    errors = sum(f.severity == ERROR for f in ctx.findings)
    rest = [f for f in ctx.findings if f.severity != ERROR]
    labels = words(WORDING, "finding_labels")
    start = len(_returned(ctx)) + 1
    return head + para(say(WORDING, "findings_count", len(ctx.findings), counts, errors, bool(rest))) + "".join(
        _item(i, Item(f.severity, f.location, f.message, advice_for(f), f.codes), labels)
        for i, f in enumerate(rest, start=start))


def _sentence(text: str) -> str:
    """A phrase as a sentence: ends with 。 unless the department already closed it."""
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "…")) else f"{text}。"


def _flagged(ctx: ReportContext, code: str, sheet: str, row: int | None = None) -> bool:
    """Whether a finding of ``code`` (merged or not) is on that sheet and row (any row: None)."""
    return any(code in f.codes and f.sheet == sheet and (row is None or f.row == row) for f in ctx.findings)


def data_issues(ctx: ReportContext) -> list[str]:
    """Unmet targets and low execution, in words, with the department's own reasons where it gave them; what a
    finding already tells (an unmet target or low execution left unexplained) is not told again."""
    issues = []
    for (_, r), item in zip(ctx.dy.indicators.iterrows(), ctx.card.indicators, strict=True):
        explained_elsewhere = _flagged(ctx, "unexplained-deviation", INDICATORS.name, item.row)
        if not item.met and item.applicable and item.method in ("ratio", "bands") and not explained_elsewhere:
            reason = r["deviation_note"] if isinstance(r["deviation_note"], str) else words(WORDING, "no_deviation_reason")
            issues.append(say(WORDING, "indicator_missed", item.name, item.basis, _sentence(reason)))
    issues += [say(WORDING, "rule_item_missed", item.name, _sentence(item.basis)) for item in ctx.card.items
               if not item.met and item.applicable and item.method in ("measure", "deduction")]
    threshold = ctx.rulebook.low_execution_threshold
    if ctx.card.execution_rate < threshold and not _flagged(ctx, "low-execution-unexplained", TEXTS.name):
        issues.append(say(WORDING, "low_execution", ctx.card.execution_rate, threshold))
    for r in ctx.dy.budget.itertuples():
        rate = r.executed / r.budget if r.budget else 1
        if rate < threshold and not _flagged(ctx, "low-execution-unexplained", BUDGET.name, int(r.row)):
            note = r.note if isinstance(r.note, str) and r.note else words(WORDING, "no_execution_reason")
            issues.append(say(WORDING, "low_execution_line", r.name, r.source, rate, _sentence(note)))
    return issues


def data_problems(ctx: ReportContext) -> str:
    """四、数据反映的问题: what the data shows that neither the department's 存在问题 nor a finding tells."""
    head = _heading("data")
    stated_text = ctx.dy.text("存在问题")
    derived = [p.problem for p in derive(ctx.dy, ctx.card)
               if p.kind not in TOLD_AS_FINDINGS and p.problem not in stated_text]
    issues = derived + data_issues(ctx)
    if not issues:
        return head + para(say(WORDING, "nothing_found"))
    stated = [t.rstrip("。；;. ") for t in stated_text]
    return head + para(say(WORDING, "also_found", stated)) + bullets(issues)
