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
from evalnb.text.fmt import fixed, plain
from evalnb.text.html import bullets, esc, heading, para, show, table  # noqa: F401  (show: for the notebook)
from evalnb.text.prose import say, words

WORDING = "memo"          # evalnb/templates/prose/memo.j2
REQUIRED_TEXTS = ("主要职能", "年度总体目标", "存在问题", "改进措施")     # 文字材料 sections a report cannot lack


def severity_word(severity: str) -> str:
    return words(WORDING, "severity")[severity]


def advice(code: str) -> str:
    """What the department should do about a finding of ``code``."""
    return words(WORDING, "advice").get(code, words(WORDING, "default_advice"))


def _heading(part: str) -> str:
    return heading(2, words(WORDING, "headings")[part], f"memo-{part}")


def draft_reasons(ctx: ReportContext) -> list[str]:
    """Why the report cannot be filed yet (empty: it can): error findings and texts still missing."""
    reasons = [say(WORDING, "reason_error", f.message) for f in ctx.findings if f.severity == ERROR]
    reasons += [say(WORDING, "reason_missing_text", name) for name in REQUIRED_TEXTS if not ctx.dy.text(name)]
    reasons += [say(WORDING, "reason_drafted", section, content) for section, content in ctx.dy.drafted]
    return reasons


def status(ctx: ReportContext) -> str:
    reasons = draft_reasons(ctx)
    if not reasons:
        return _heading("status") + para(say(WORDING, "fileable"))
    return _heading("status") + para(say(WORDING, "draft", len(reasons)), "draft") + bullets(reasons)


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
    grades = say(WORDING, "grades", card.total, card.grade, card.declared_total, card.declared_grade)
    return (_heading("scores") + para(grades)
            + table(words(WORDING, "score_columns"), rows, numeric=(1, 2, 3, 4), foot=foot,
                    caption=say(WORDING, "rules_caption", card.rules_title), cls="scoring"))


def findings(ctx: ReportContext) -> str:
    head = _heading("findings")
    if not ctx.findings:
        return head + para(say(WORDING, "no_findings"))
    counts = [(severity_word(s), n) for s in words(WORDING, "severity")
              if (n := sum(f.severity == s for f in ctx.findings))]
    return head + para(say(WORDING, "findings_count", len(ctx.findings), counts)) + "".join(
        _finding(i, f) for i, f in enumerate(ctx.findings, start=1))


def _finding(number: int, f: Finding) -> str:
    label = words(WORDING, "finding_labels")
    return (f'<div class="finding {esc(f.severity)}"><p><strong>{number}.【{esc(severity_word(f.severity))}】'
            f'{esc(f.location)}</strong></p><p>{esc(label["found"])}{esc(f.message)}</p>'
            f'<p>{esc(label["advice"])}{esc(advice(f.code))}</p><p class="code">{esc(label["code"])}{esc(f.code)}</p></div>')


def _sentence(text: str) -> str:
    """A phrase as a sentence: ends with 。 unless the department already closed it."""
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "…")) else f"{text}。"


def data_issues(ctx: ReportContext) -> list[str]:
    """Unmet targets and low execution, in words, with the department's own reasons where it gave them."""
    issues = []
    for (_, r), item in zip(ctx.dy.indicators.iterrows(), ctx.card.indicators, strict=True):
        if not item.met and item.applicable and item.method in ("ratio", "bands"):
            reason = r["deviation_note"] if isinstance(r["deviation_note"], str) else words(WORDING, "no_deviation_reason")
            issues.append(say(WORDING, "indicator_missed", item.name, item.basis, _sentence(reason)))
    issues += [say(WORDING, "rule_item_missed", item.name, _sentence(item.basis)) for item in ctx.card.items
               if not item.met and item.applicable and item.method in ("measure", "deduction")]
    threshold = ctx.rulebook.low_execution_threshold
    if ctx.card.execution_rate < threshold:
        issues.append(say(WORDING, "low_execution", ctx.card.execution_rate, threshold))
    for r in ctx.dy.budget.itertuples():
        rate = r.executed / r.budget if r.budget else 1
        if rate < threshold:
            note = r.note if isinstance(r.note, str) and r.note else words(WORDING, "no_execution_reason")
            issues.append(say(WORDING, "low_execution_line", r.name, r.source, rate, _sentence(note)))
    return issues


def data_problems(ctx: ReportContext) -> str:
    head = _heading("data")
    derived = [p.problem for p in derive(ctx.dy, ctx.card) if p.problem not in ctx.dy.text("存在问题")]
    issues = derived + data_issues(ctx)
    if not issues:
        return head + para(say(WORDING, "nothing_found"))
    stated = [t.rstrip("。；;. ") for t in ctx.dy.text("存在问题")]
    return head + para(say(WORDING, "also_found", stated)) + bullets(issues)
