"""The report's outline: one notebook per section, in report order (the seed report's six + appendix)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Section:
    """One report section. ``reads`` names the data slices it shows (cache.data_slices; "*" = all) and
    ``texts`` the 文字材料 sections; tests/test_cache.py checks that nothing else changes its output. Its
    title is wording: ``title`` in the template named by its anchor (``s1.j2`` …), unless ``label`` gives
    one (a page that is not a report section). An ``attachment`` (附件) follows the 落款 on a new page."""

    notebook: str
    anchor: str
    reads: tuple[str, ...] = ("*",)
    texts: tuple[str, ...] = ()
    label: str | None = None
    attachment: bool = False        # a 附件: after the 落款 (department, date), from a new page

    @property
    def title(self) -> str:
        if self.label is not None:
            return self.label
        from evalnb.errors import WordingError
        from evalnb.text.prose import shipped_words, words  # lazy: light modules read the outline, not Jinja

        try:
            return words(self.anchor, "title")
        except WordingError:            # a region's copy made before titles were wording: the shipped one
            return shipped_words(self.anchor, "title")


SECTIONS: tuple[Section, ...] = (
    Section("01_basic_info.ipynb", "s1", ("profile", "budget", "indicators", "prior", "accounts", "facts"),
            ("评价依据", "主要职能", "项目安排依据", "资金用途", "年度总体目标", "预算执行说明")),
    Section("02_self_evaluation_work.ipynb", "s2", ("profile", "team"),
            ("自评组织", "自评方法与过程")),
    Section("03_goals_and_indicators.ipynb", "s3",
            ("profile", "indicators"), ("总体目标实现情况", "分项目标实现情况")),
    Section("04_conclusion_and_grade.ipynb", "s4", ("profile", "budget", "indicators")),
    Section("05_problems_and_measures.ipynb", "s5", ("profile",), ("存在问题", "改进措施")),
    Section("06_evaluation_team.ipynb", "s6", ("team",)),
    Section("07_appendix_scoring_table.ipynb", "appendix", ("*",), attachment=True),
)
# The project forms of a department-year: one notebook for all of them, run once per department-year
PROJECT_FORMS = Section(str(Path("project") / "forms.ipynb"), "projects", label="")
CN_NUMBERS = "一二三四五六七八九十"


def sub_number(i: int) -> str:
    """（一）（二）… for the i-th (0-based) subsection."""
    return f"（{CN_NUMBERS[i]}）" if i < 10 else f"（{i + 1}）"


def section(anchor: str) -> Section:
    return next(s for s in SECTIONS if s.anchor == anchor)
