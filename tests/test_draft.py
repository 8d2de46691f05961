"""Problems derived from the data, `evalnb draft`, and the draft → edit in Excel → final workflow, on the
seed workbook (科学技术局 2024 as the seed report wrote it: 100 分, “无问题存在。”)."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from evalnb.intake.ingest import ingest
from evalnb.review import problems
from evalnb.rules import scoring
from evalnb.store import data
from tests.helpers import ROOT, SAMPLES, SEED_SAMPLE, evalnb

# The seed's facts as the stored data gives them (domain-rules §8 and the issue that asked for them):
# 256.91万元 unspent, 18 of 36 lines below 100%, 17 lines adjusted (追加 529.05 and 调减 53.73万元, net +475.32;
# each line named with its amounts, the largest first) without reasons,
# 9 targets met exactly (授信“超10亿元” against 10亿元 is not one), no 成本指标, declared 100 vs 99.87. The seed
# states no 上年 figures, so its 正式 workbook has none and no target is compared with last year's actual.
SEED_PROBLEMS = {
    "declared-higher": ["自评总分为100分", "99.87分", "高出0.13分"],
    "unspent": ["未支出256.91万元", "36个预算行中有18个"],
    "adjusted-unexplained": ["17个预算行", "净调增475.32万元"],
    "targets-met-exactly": ["9个指标"],
    "no-cost-indicator": ["未设置成本指标"],
}
# What the department states about itself (drafted into its workbook); the rest is the reviewer's (memo only).
DRAFTED_KINDS = ["unspent", "adjusted-unexplained", "no-cost-indicator"]
# The reviewer's voice: never in a department's own report (issue 27, items 2–3)
REVIEWER_VOICE = ["自评打分不够严格", "自评总分为", "高出0.13分", "真实性有待", "有待进一步核实", "绩效目标设定偏保守"]


@pytest.fixture
def seed_store(tmp_path):
    db = f"sqlite:///{tmp_path / 'store.sqlite'}"
    ingest(SAMPLES, db)
    return db


def test_the_problems_of_the_seed_with_their_numbers(seed_store):
    dy = data.load("科学技术局", 2024, seed_store)
    card = scoring.score(dy)
    found = {p.kind: p for p in problems.derive(dy, card)}
    assert list(found) == list(SEED_PROBLEMS)
    for kind, numbers in SEED_PROBLEMS.items():
        for number in numbers:
            assert number in found[kind].problem, (kind, number)
        assert found[kind].measure
    drafted = problems.for_department(dy, card)
    assert [p.kind for p in drafted] == DRAFTED_KINDS
    assert not [v for p in drafted for v in REVIEWER_VOICE if v in p.problem + p.measure]


def test_a_drafted_sentence_whose_figures_no_longer_hold_is_found(make_workbook, content, db_url):
    """Accepted drafts are the department's words; when the data changes after, the sentence is untrue
    (issue 27: "a drafted sentence whose numbers no longer hold after edits")."""
    content["项目支出"][0]["全年执行数（万元）"] = content["项目支出"][0]["全年预算数（万元）"] - 10
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    unspent = next(p for p in problems.for_department(dy, scoring.score(dy)) if p.kind == "unspent")
    content["文字材料"].append({"章节": "存在问题", "内容": f"1.{unspent.problem}"})
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    assert problems.stale_drafts(dy, scoring.score(dy)) == []           # still true
    content["项目支出"][0]["全年执行数（万元）"] = content["项目支出"][0]["全年预算数（万元）"] - 4
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    assert problems.stale_drafts(dy, scoring.score(dy)) == [f"1.{unspent.problem}"]
    from evalnb.review.checks import ERROR, run_checks

    stale = [f for f in run_checks(dy) if "drafted-sentence-stale" in f.codes]     # keeps the report a draft
    assert len(stale) == 1 and stale[0].severity == ERROR and "与现有数据不符" in stale[0].message


def test_a_rate_target_of_100_met_at_100_is_not_suspicious(make_workbook, content, db_url):
    """100% is a ceiling: met exactly is the only way to meet it (issue 27, item 12)."""
    content["绩效指标"][0].update({"计量单位": "%", "年度指标值": 100, "实际完成值": 100})
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    assert "targets-met-exactly" not in {p.kind for p in problems.derive(dy, scoring.score(dy))}
    content["绩效指标"][0].update({"年度指标值": 95, "实际完成值": 95})
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    assert "targets-met-exactly" in {p.kind for p in problems.derive(dy, scoring.score(dy))}


def test_no_cost_indicator_only_where_the_rulebook_has_a_place_for_one(make_workbook, content, db_url):
    """10号's 产出指标 holds a 成本指标; a 部门整体 tree without that category is not faulted (item 12)."""
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    assert "no-cost-indicator" in {p.kind for p in problems.derive(dy, scoring.score(dy))}
    content["绩效指标"][0]["二级指标"] = "成本指标"
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    assert "no-cost-indicator" not in {p.kind for p in problems.derive(dy, scoring.score(dy))}


def test_a_clean_department_year_has_none(make_workbook, content, db_url):
    content["绩效指标"][0]["二级指标"] = "成本指标"
    for line in content["项目支出"]:
        line["全年预算数（万元）"] = line["年初预算数（万元）"]
        line["全年执行数（万元）"] = line["年初预算数（万元）"]
    content["绩效指标"][0]["实际完成值"] = 101
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    assert problems.derive(dy, scoring.score(dy)) == []


# The memo tells the adjustments as its finding does: each line with its amounts, 追加 and 调减 apart
MEMO_PROBLEMS = {**SEED_PROBLEMS, "adjusted-unexplained": [
    "17个预算行", "追加529.05万元、调减53.73万元", "“科技型中小企业培育资金”年初687.35万元、全年756.09万元（追加68.74万元）"]}


def test_memo_lists_the_problems(project, seed_report):
    memo = (seed_report["path"].parent / "复核意见.html").read_text(encoding="utf-8")
    text = BeautifulSoup(memo, "html.parser").get_text(" ", strip=True)
    for numbers in MEMO_PROBLEMS.values():
        for number in numbers:
            assert number in text, number


def texts_rows(path):
    sheet = load_workbook(path)["文字材料"]
    headers = [c.value for c in sheet[1]]
    return headers, [dict(zip(headers, (c.value for c in row), strict=False)) for row in sheet.iter_rows(min_row=2)
                     if any(c.value for c in row)]


def section_text(html: str, anchor: str, next_anchor: str) -> str:
    """The visible text of one report section: from its heading to the next section's."""
    part = html[html.index(f'id="{anchor}"'):html.index(f'id="{next_anchor}"')]
    return BeautifulSoup(f"<h2 {part}", "html.parser").get_text("", strip=True)


def test_draft_then_edit_then_final(seed_store, tmp_path, project):
    """The documented way out of the draft, exactly as the README tells it (issue 27, items 1–3): `evalnb draft`
    → clear 来源 → set 自评总分 to the computed 99.87 → ingest → `report --final`. The filed section 五 then
    lists the drafted problems, numbered, in place of “无问题存在。”, in the department's voice."""
    source = tmp_path / "科学技术局_2024.xlsx"
    shutil.copyfile(SEED_SAMPLE, source)
    before = source.read_bytes()
    out = tmp_path / "草拟稿.xlsx"
    env = project["env"]
    result = evalnb("draft", "--dept", "科学技术局", "--year", "2024", "--out", str(out), "--from", str(source),
                    "--db", seed_store, env=env)
    assert result.returncode == 0, result.stderr
    assert source.read_bytes() == before                              # the officer's workbook is untouched
    headers, rows = texts_rows(out)
    assert "来源" in headers
    drafted = [r for r in rows if r["来源"] == "草拟"]
    assert [r["章节"] for r in drafted] == ["存在问题"] * 3 + ["改进措施"] * 3
    problems_rows = [r["内容"] for r in rows if r["章节"] == "存在问题"]
    assert "无问题存在。" not in problems_rows and "未支出256.91万元" in problems_rows[0]   # in the placeholder's place
    again = evalnb("draft", "--dept", "科学技术局", "--year", "2024", "--out", str(out), "--from", str(source),
                   "--db", seed_store, env=env)
    assert again.returncode == 2 and "已存在" in again.stderr

    # As drafted, the report is a draft and says why.
    assert evalnb("ingest", str(out), "--db", seed_store, env=env).returncode == 0
    drafty = evalnb("report", "--final", "--dept", "科学技术局", "--year", "2024", "--db", seed_store,
                    "--out", str(tmp_path / "out"), env=env)
    assert drafty.returncode == 1 and "草拟段落尚待确认" in drafty.stderr

    # The officer follows the README: clears 来源 on the drafted rows and corrects 自评总分; nothing else.
    book = load_workbook(out)
    sheet = book["文字材料"]
    origin = [c.value for c in sheet[1]].index("来源") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, origin).value == "草拟":
            sheet.cell(row, origin).value = None
    for row in book["基本信息"].iter_rows(min_row=2):
        if row[0].value == "自评总分":
            row[1].value = 99.87
    book.save(out)
    assert evalnb("ingest", str(out), "--db", seed_store, env=env).returncode == 0
    out_dir = tmp_path / "out"          # not the shared outputs: other tests read the seed report there
    final = evalnb("report", "--final", "--dept", "科学技术局", "--year", "2024", "--db", seed_store,
                   "--out", str(out_dir), env=env)
    assert final.returncode == 0, final.stderr
    assert "状态：可定稿报送" in final.stdout
    html = (out_dir / "科学技术局" / "2024" / "report.html").read_text(encoding="utf-8")
    text = BeautifulSoup(html, "html.parser").get_text(" ", strip=True)
    assert "草稿" not in text
    five = section_text(html, "s5", "s6")
    assert "无问题存在" not in five                                       # item 1: no placeholder above problems
    assert not [v for v in REVIEWER_VOICE if v in five]                  # items 2–3: no totals, no reviewer voice
    assert "1.预算执行还不够到位：全年预算未支出256.91万元" in five and "2.预算编制的精准性有待提高" in five
    assert "3.绩效指标体系还不够完整" in five                               # numbered as 公文 list them
    check = evalnb("check", "--dept", "科学技术局", "--year", "2024", "--db", seed_store, "--strict", env=env)
    assert check.returncode == 0 and "数据表中找不到" not in check.stdout


def test_draft_refuses_a_workbook_that_is_not_the_ingested_one(seed_store, tmp_path, project):
    other = ROOT / "data" / "sample" / "教育局_2024.xlsx"
    result = evalnb("draft", "--dept", "科学技术局", "--year", "2024", "--out", str(tmp_path / "x.xlsx"),
                    "--from", str(other), "--db", seed_store, env=project["env"])
    assert result.returncode == 2 and "不是同一份工作簿" in result.stderr and not (tmp_path / "x.xlsx").exists()


def test_write_draft_appends_drafted_rows_and_leaves_the_source_alone(seed_store, tmp_path):
    """The draft module on its own (no process): rows appended under 来源 = 草拟, the source untouched, an
    existing output kept unless forced, the source never overwritten."""
    from evalnb.errors import UsageError
    from evalnb.review.draft import write_draft

    source = tmp_path / "科学技术局_2024.xlsx"
    shutil.copyfile(SEED_SAMPLE, source)
    before = source.read_bytes()
    drafted = write_draft("科学技术局", 2024, tmp_path / "草拟稿.xlsx", source, seed_store)
    assert source.read_bytes() == before and len(drafted.problems) == 3
    headers, rows = texts_rows(drafted.path)
    assert [r["章节"] for r in rows if r["来源"] == "草拟"] == ["存在问题"] * 3 + ["改进措施"] * 3
    with pytest.raises(UsageError, match="已存在"):
        write_draft("科学技术局", 2024, drafted.path, source, seed_store)
    with pytest.raises(UsageError, match="不能覆盖原工作簿"):
        write_draft("科学技术局", 2024, source, source, seed_store, force=True)
