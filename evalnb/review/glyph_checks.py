"""Characters no font can draw: a department's text checked against the fonts the report is drawn with.

A name such as 堃喆䶮局 is stored as typed; a character that no font of the chain (:func:`evalnb.text.glyphs.chain`)
has would be an empty box (tofu) in the charts and, where the reader's fonts lack it too, in the HTML, PDF and Word.
One finding per character names it, where it is typed, and the fix (a font that has it, or ``EVALNB_FONT``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pandas as pd

from evalnb import settings
from evalnb.review.findings import WARNING, Finding
from evalnb.text import glyphs
from evalnb.text.prose import say
from evalnb.workbook import ACCOUNTS, BUDGET, DEDUCTIONS, FACTS, INDICATORS, PROFILE, TEAM, TEXTS

if TYPE_CHECKING:
    from evalnb.rules import Rulebook
    from evalnb.rules.scoring import Scorecard
    from evalnb.store.data import DepartmentYear

W = "findings"            # the wording: evalnb/templates/prose/findings.j2
MAX_NAMED = 20            # characters named one by one; a workbook in another script is one finding, not thousands


def _strings(frame: pd.DataFrame) -> list[str]:
    return [v for column in frame.columns for v in frame[column].tolist() if isinstance(v, str)]


def typed_text(dy: DepartmentYear) -> list[tuple[str, str]]:
    """(sheet, text) of everything a department typed that the report or the memo can show."""
    found = [(PROFILE.name, t) for t in (dy.department, dy.parent, dy.attachment) if t]
    found += [(TEXTS.name, t) for paragraphs in dy.texts.values() for t in paragraphs]
    for sheet, frame in ((BUDGET, dy.budget), (INDICATORS, dy.indicators), (TEAM, dy.team), (ACCOUNTS, dy.accounts),
                         (FACTS, dy.facts), (DEDUCTIONS, dy.deductions)):
        found += [(sheet.name, t) for t in _strings(frame)]
    return found


def excerpt(text: str, ch: str, around: int = 8) -> str:
    at = text.index(ch)
    return text[max(0, at - around):at + around + 1].strip()


def missing_glyphs(dy: DepartmentYear, card: Scorecard | None = None, rules: Rulebook | None = None) -> Iterator[Finding]:
    """One finding per character no font has (the first MAX_NAMED), located at the sheet it is first typed in."""
    typed = typed_text(dy)
    absent = glyphs.missing([text for _, text in typed])
    named = absent[:MAX_NAMED]
    for i, ch in enumerate(named):
        sheet, text = next((sheet, text) for sheet, text in typed if ch in text)
        more = len(absent) - len(named) if i == len(named) - 1 else 0       # told once, with the last one named
        yield Finding(WARNING, "glyph-missing",
                      say(W, "glyph_missing", ch, f"U+{ord(ch):04X}", excerpt(text, ch), settings.FONT.name, more),
                      sheet)


GLYPH_CHECKS = (missing_glyphs,)
