"""`evalnb notebook`'s choices, without a kernel: which sections a user's words name, and where the copies go
(the copies themselves are executed and opened in tests/test_jupyterlab.py)."""

from __future__ import annotations

import pytest

from evalnb.errors import UsageError
from evalnb.report.explore import pick, work_dir
from evalnb.sections.outline import SECTIONS


def test_sections_are_named_by_anchor_number_or_notebook():
    assert pick(None) == list(SECTIONS) and pick([]) == list(SECTIONS)
    assert [s.anchor for s in pick(["s3", "1", "07", "05_problems_and_measures.ipynb", "s3"])] == \
        ["s3", "s1", "appendix", "s5"]                                   # each once, in the order asked


def test_an_unknown_section_lists_the_choices():
    with pytest.raises(UsageError, match="没有章节“s9”：可选 s1（01_basic_info）.*也可写序号 1–7"):
        pick(["s9"])


def test_copies_go_under_work_by_department_and_year_with_a_safe_name(tmp_path):
    assert work_dir("科学技术局", 2024, tmp_path) == tmp_path / "work" / "科学技术局" / "2024"
    hostile = work_dir("../../etc", 2024, tmp_path)
    assert hostile.parent.parent == tmp_path / "work" and ".." not in hostile.parts
