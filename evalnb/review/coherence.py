"""The department's words against themselves and against its data: "无问题存在" beside listed problems,
"个别指标未达预期" when every indicator was met (and "全部完成" when some were not), a drafted sentence the
data no longer bears out, and 示例 data as the prior year of a 正式 report. A text that contradicts itself
or the data keeps the report a draft (an error); the prior year is a warning, since the report leaves the
comparison out.

The words matched are vocabulary of the templates (``placeholders`` in ``problems.j2``;
``claims_some_missed``, ``claims_all_met``, ``claim_sections`` in ``findings.j2``), so a region extends
them without code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from evalnb.review.findings import ERROR, WARNING, Finding
from evalnb.review.problems import is_placeholder, stale_drafts
from evalnb.text.prose import say, words
from evalnb.workbook import PROFILE, TEXTS

if TYPE_CHECKING:
    from evalnb.rules import Rulebook
    from evalnb.rules.scoring import IndicatorScore, Scorecard
    from evalnb.store.data import DepartmentYear

W = "findings"                                  # evalnb/templates/prose/findings.j2
SENTENCE_ENDS = re.compile(r"[。；;！!？?\n]+")
SHOWN = 3                                       # names or sentences quoted in one finding


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences and clauses ended by 。；！？, without their closing marks."""
    return [s.strip() for s in SENTENCE_ENDS.split(paragraph) if s.strip()]


def stated_problems(dy: DepartmentYear) -> list[str]:
    """The sentences of 存在问题, as the department wrote them."""
    return [s for p in dy.text(words(W, "problem_section")) for s in sentences(p)]


def no_problem_beside_problems(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    said = stated_problems(dy)
    placeholders = [s for s in said if is_placeholder(s)]
    problems = [s for s in said if not is_placeholder(s)]
    if placeholders and problems:
        yield Finding(ERROR, "no-problem-beside-problems",
                      say(W, "no_problem_beside_problems", placeholders[0], problems[:SHOWN], len(problems) > SHOWN),
                      TEXTS.name)


def _targets(card: Scorecard) -> list[IndicatorScore]:
    """The indicators with a target of the department's (计算, 扣分 and 自评 rows have none to miss)."""
    return [i for i in card.indicators if i.applicable and i.method in ("ratio", "bands")]


def narrative_claims(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """"个别指标未达预期" while every target was met, and "各项指标全部完成" while some were missed."""
    targets = _targets(card)
    missed = [i.name for i in targets if not i.met]
    said = [(section, s) for section in words(W, "claim_sections") for p in dy.text(section) for s in sentences(p)]
    claims = dict.fromkeys((section, claim) for section, s in said if targets and (claim := _contradicted(s, missed)))
    for section, claim in claims:
        message = (say(W, "claims_all_met_but_some_missed", section, claim, len(missed), missed[:SHOWN]) if missed
                   else say(W, "claims_some_missed_but_all_met", section, claim, len(targets)))
        yield Finding(ERROR, "narrative-contradicts-data", message, TEXTS.name)


def _contradicted(sentence: str, missed: list[str]) -> str | None:
    """The words of a sentence the data contradicts: that some targets were missed when none was, or that
    all were met when some were not."""
    some = re.search(words(W, "claims_some_missed"), sentence)
    if some:
        return None if missed else some.group(0)
    every = re.search(words(W, "claims_all_met"), sentence)
    return every.group(0) if every and missed else None


def prior_year_sample(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """The year before is 示例 data while this one is 正式: the report's 上年 figures and 同比 rest on it."""
    prior = dy.prior
    if dy.is_sample or prior is None or not prior.is_sample:
        return
    yield Finding(WARNING, "prior-year-sample",
                  say(W, "prior_year_sample", prior.year, prior.total("budget"), prior.execution_rate), PROFILE.name)


def stale_draft(dy: DepartmentYear, card: Scorecard, rules: Rulebook) -> Iterator[Finding]:
    """A 存在问题 sentence evalnb drafted and the department accepted, whose figures the data no longer gives."""
    for text in stale_drafts(dy, card):
        yield Finding(ERROR, "drafted-sentence-stale", say(W, "drafted_sentence_stale", text), TEXTS.name)


COHERENCE_CHECKS = (no_problem_beside_problems, narrative_claims, prior_year_sample, stale_draft)
