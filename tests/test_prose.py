"""The report's wording lives in templates (evalnb/templates/prose/*.j2): a folder with one changed section
template changes only that section, values never missing silently, user text never evaluated."""

from __future__ import annotations

import json
import shutil

import jinja2
import pytest

from evalnb.errors import WordingError
from evalnb.sections.outline import SECTIONS
from evalnb.text import prose
from tests.helpers import evalnb


def test_a_sentence_comes_from_its_template():
    expected = "全年3个绩效指标中，2个达到或超过年度指标值，1个未完全达到（培训人次）。"
    assert prose.say("s3", "overall", 3, 2, ["培训人次"]) == expected
    assert prose.say("s1", "projects", 2024, 32, "") == "2024年我单位共安排项目32个。"


def test_a_missing_value_fails_loudly():
    with pytest.raises(jinja2.UndefinedError):
        prose.say("s4", "conclusion", "规则", 0.9, 9, 10, [], 99)       # the grade is missing


def test_user_text_is_a_value_not_a_template():
    text = prose.say("s3", "qualitative", "{{ 7*7 }}{% raw %}", "{{ config }}", "达成年度指标")
    assert text == "{{ 7*7 }}{% raw %}方面，年度目标为“{{ config }}”，完成情况为“达成年度指标”"


def html_outputs(notebook) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(o["data"].get("text/html", "")) for c in cells for o in c.get("outputs", []) if "data" in o]


def test_an_override_folder_changes_only_its_section(project, tmp_path):
    region = tmp_path / "region"
    region.mkdir()
    original = (prose.PACKAGE_PROSE / "s2.j2").read_text(encoding="utf-8")
    assert "最高得满分" in original
    (region / "s2.j2").write_text(original.replace("最高得满分", "由局长统一部署自评工作"), encoding="utf-8")
    args = ("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"])
    plain = evalnb(*args, "--out", str(tmp_path / "plain"), env=project["env"])
    regional = evalnb(*args, "--out", str(tmp_path / "regional"), "--templates", str(region), env=project["env"])
    assert plain.returncode == 0 and regional.returncode == 0, regional.stderr
    changed = []
    for section in SECTIONS:
        before = html_outputs(tmp_path / "plain" / "科学技术局" / "2024" / "sections" / section.notebook)
        after = html_outputs(tmp_path / "regional" / "科学技术局" / "2024" / "sections" / section.notebook)
        if before != after:
            changed.append(section.anchor)
    assert changed == ["s2"]
    report = (tmp_path / "regional" / "科学技术局" / "2024" / "report.html").read_text(encoding="utf-8")
    assert "由局长统一部署自评工作" in report and "最高得满分" not in report
    # the same folder again: the cache serves every section (the override's content is part of the keys)
    (tmp_path / "regional" / "科学技术局" / "2024" / ".evalnb-report.json").unlink()     # render, from the cache
    again = evalnb(*args, "--out", str(tmp_path / "regional"), "--templates", str(region), env=project["env"])
    assert "7 节中 7 节未变化" in again.stdout
    shutil.rmtree(region)
    missing = evalnb(*args, "--templates", str(region), env=project["env"])
    assert missing.returncode == 2 and "措辞模板目录" in missing.stderr


def test_every_section_has_its_template_and_its_fixed_wording_comes_from_it(tmp_path, monkeypatch):
    assert {f"{s.anchor}.j2" for s in SECTIONS} <= {p.name for p in prose.PACKAGE_PROSE.glob("*.j2")}
    assert prose.words("s6", "team_table")["columns"][-1] == "签字"
    region = tmp_path / "region"
    region.mkdir()
    original = (prose.PACKAGE_PROSE / "s6.j2").read_text(encoding="utf-8")
    (region / "s6.j2").write_text(original.replace('"签字"', '"签名"'), encoding="utf-8")
    monkeypatch.setenv(prose.ENV_VAR, str(region))
    assert prose.words("s6", "team_table")["columns"] == ["姓名", "工作单位", "职务", "职称", "签名"]
    assert prose.words("s1", "headings")[0] == "部门概况"          # other sections keep the shipped file
    with pytest.raises(WordingError, match=r"s6\.j2 缺少取值“no_such_value”"):
        prose.words("s6", "no_such_value")
