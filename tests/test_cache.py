"""The section cache: what each section declares it reads is all that changes it, and re-runs are
incremental and survive a killed run."""

import copy
import os
import re
import signal
import subprocess
import sys
import time

import nbformat
import pandas as pd
import pytest

from evalnb import sections
from evalnb.intake.blank import write_workbook
from evalnb.intake.ingest import ingest
from evalnb.report.cache import data_slices
from evalnb.review.checks import run_checks
from evalnb.review.context import ReportContext, load_context
from evalnb.rules.scoring import score
from evalnb.sections.outline import SECTIONS
from evalnb.workbook import TEXT_SECTIONS
from tests.helpers import ROOT, SAMPLES, SEED_SAMPLE, evalnb, warm_up


def builders(section):
    nb = nbformat.read(ROOT / "notebooks" / section.notebook, as_version=4)
    names = re.findall(r"\bs\.(\w+)\(", "\n".join(c.source for c in nb.cells))   # from evalnb import sections as s
    return [getattr(sections, n) for n in names if n not in ("title", "show", "load_context")]


def as_text(part):
    """A block as text: HTML as is, a chart (evalnb.sections.charts.Chart) as its HTML, lists joined, None empty."""
    if isinstance(part, list):
        return "".join(as_text(p) for p in part)
    return part.html() if hasattr(part, "html") else part or ""


def render(ctx, section):
    return "".join(as_text(b(ctx)) for b in builders(section))


def rebuild(ctx, dy):
    card = score(dy, ctx.rulebook)
    return ReportContext(dy, ctx.rulebook, card, run_checks(dy, ctx.rulebook, card))


def mutations(dy):
    """One change per data slice, each touching nothing else."""
    def budget(d):
        d.budget.loc[0, "executed"] = 0          # large enough to move every rate that is shown
    def indicators(d):
        d.indicators.loc[0, "actual"] -= 1
    def team(d):
        d.team.loc[0, "name"] = "换人"
    def prior(d):
        d.prior = None
    def profile(d):
        d.declared_total = 88.0
    def accounts(d):
        d.accounts = pd.DataFrame([{"row": 2, "item": "财政拨款收入", "initial": None, "budget": None,
                                    "final": 20000.0, "prior_final": 18000.0}])
    def facts(d):
        d.facts = pd.DataFrame([{"row": 2, "item": "在职人数", "budget": None, "actual": 40.0, "prior_budget": None,
                                 "prior_actual": None}])
    changes = {"budget": budget, "indicators": indicators, "team": team, "prior": prior, "profile": profile,
               "accounts": accounts, "facts": facts}
    for name in TEXT_SECTIONS:
        changes[f"texts:{name}"] = lambda d, n=name: d.texts.__setitem__(n, ["这一段改过了，含数字7.5。"])
    return changes


@pytest.fixture(scope="module")
def seed_ctx(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cache') / 's.sqlite'}"
    ingest(SAMPLES, url)
    return load_context("科学技术局", 2024, url)


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.anchor)
def test_a_section_changes_only_with_what_it_reads(seed_ctx, section):
    before = render(seed_ctx, section)
    changed_any = False
    for slice_name, mutate in mutations(seed_ctx.dy).items():
        dy = copy.deepcopy(seed_ctx.dy)
        mutate(dy)
        after = render(rebuild(seed_ctx, dy), section)
        declared = ("*" in section.reads or slice_name in section.reads
                    or slice_name.removeprefix("texts:") in section.texts)
        if not declared:
            assert after == before, f"{section.notebook} changes with {slice_name} but does not declare it"
        changed_any |= after != before
    assert changed_any        # the comparison can fail: something the section reads does change it


def test_slices_cover_every_text_section(seed_ctx):
    dy = copy.deepcopy(seed_ctx.dy)
    for name in TEXT_SECTIONS:
        dy.texts.setdefault(name, ["x"])
    assert {f"texts:{n}" for n in TEXT_SECTIONS} <= set(data_slices(dy))


@pytest.fixture
def own_project(make_project, content):
    return {**make_project([content]), "content": content}


def unchanged(result):
    """How many of the 7 sections were reused; all of them when the report was found current (no kernel)."""
    if "沿用上次生成的报告" in result.stdout:
        return 7
    return int(re.search(r"7 节中 (\d+) 节未变化", result.stdout).group(1))


def test_reruns_are_incremental(own_project):
    args = ("report", "--dept", "测试局", "--year", "2024", "--db", own_project["db"])
    first = evalnb(*args, env=own_project["env"])
    assert first.returncode == 0, first.stderr
    assert unchanged(first) == 0
    assert unchanged(evalnb(*args, env=own_project["env"])) == 7                  # current: nothing run
    (own_project["root"] / "outputs" / "测试局" / "2024" / ".evalnb-report.json").unlink()
    rendered = evalnb(*args, env=own_project["env"])
    assert "7 节中 7 节未变化" in rendered.stdout                                   # rendered from the cache
    content = own_project["content"]
    content["文字材料"].append({"章节": "存在问题", "内容": "培训场地不足。"})
    ingest([write_workbook(own_project["tmp"] / "wb2.xlsx", content)], own_project["db"])
    after_text = evalnb(*args, env=own_project["env"])
    assert unchanged(after_text) == 5          # 五 shows the text, the appendix checks every paragraph
    html = (own_project["root"] / "outputs" / "测试局" / "2024" / "report.html").read_text(encoding="utf-8")
    assert "培训场地不足。" in html
    assert unchanged(evalnb(*args, "--rules", "sichuan", env=own_project["env"])) == 0
    assert unchanged(evalnb(*args, "--force", env=own_project["env"])) == 0
    cache = own_project["root"] / "outputs" / ".cache" / "测试局" / "2024"
    assert len(list(cache.glob("*.ipynb"))) == 8          # older entries pruned: 7 sections and the memo


def seed_report(project):
    return evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], env=project["env"])


def seed_with_text(folder, section, paragraph):
    """The seed workbook with the 文字材料 paragraph of ``section`` replaced, as a department re-files it."""
    import openpyxl

    book = openpyxl.load_workbook(SEED_SAMPLE)
    sheet = book["文字材料"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == section)
    row[1].value = paragraph
    folder.mkdir(exist_ok=True)
    book.save(folder / SEED_SAMPLE.name)
    return folder / SEED_SAMPLE.name


def test_a_copied_project_reuses_its_sections_until_its_store_changes(make_project, tmp_path):
    project = make_project(samples=True)      # a copy of the warm template: its store, section cache and key
    first = seed_report(project)
    assert first.returncode == 0, first.stderr
    assert unchanged(first) == 7 and "缓存条目" not in first.stderr        # every section reused, none evicted
    ingest([seed_with_text(tmp_path / "refiled", "存在问题", "培训场地不足。")], project["db"])
    after = seed_report(project)
    assert after.returncode == 0, after.stderr
    assert unchanged(after) == 5               # 五 shows the text, the appendix checks every paragraph
    html = (project["root"] / "outputs" / "科学技术局" / "2024" / "report.html").read_text(encoding="utf-8")
    assert "培训场地不足。" in html and "无问题存在。" not in html


def test_sections_cached_beside_another_store_are_not_used(make_project, warm_sections):
    project = make_project(samples=True, cold=True)     # the same workbooks, ingested into a store of its own
    warm_up(project, warm_sections)                      # the template's cache and its key beside it
    result = seed_report(project)
    assert result.returncode == 0, result.stderr
    assert unchanged(result) == 0


HOLD = "EVALNB_TEST_HOLD"


def hold_section(root, notebook):
    """A cell in the project's copy of ``notebook`` that, while the file named by $EVALNB_TEST_HOLD exists, marks
    that it was reached and waits: a run can be killed in the middle of that section, at no guessed moment.
    Without the variable the cell does nothing (the notebook, hence its cache key, is the same)."""
    path = root / "notebooks" / notebook
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        f"import os, pathlib, time\nhold = os.environ.get({HOLD!r})\nif hold:\n"
        "    pathlib.Path(hold + '.reached').touch()\n    while pathlib.Path(hold).exists():\n        time.sleep(0.05)"))
    nbformat.write(nb, path)


def test_a_killed_run_is_resumed(own_project):
    hold_section(own_project["root"], SECTIONS[3].notebook)       # 四 waits: 一 to 三 are cached by then
    hold = own_project["tmp"] / "hold"
    hold.touch()
    args = [sys.executable, "-m", "evalnb.cli", "report", "--dept", "测试局", "--year", "2024", "--db", own_project["db"]]
    proc = subprocess.Popen(args, env={**os.environ, **own_project["env"], HOLD: str(hold)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    cache = own_project["root"] / "outputs" / ".cache" / "测试局" / "2024"
    deadline = time.monotonic() + 600          # a loaded machine starts a kernel slowly; the timing is not the test
    while time.monotonic() < deadline and not hold.with_name("hold.reached").exists() and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)       # the kernel too, in the middle of section 四
    proc.wait()
    hold.unlink()
    done = len(list(cache.glob("*.seal.json")))
    assert done == 3, proc.stderr.read().decode()
    resumed = evalnb("report", "--dept", "测试局", "--year", "2024", "--db", own_project["db"], env=own_project["env"])
    assert resumed.returncode == 0, resumed.stderr
    assert unchanged(resumed) == done              # every section the killed run finished is reused
    out = own_project["root"] / "outputs" / "测试局" / "2024"
    assert (out / "report.html").exists() and not list(out.glob(".staging-*"))
    assert not list(cache.glob("*.tmp"))
