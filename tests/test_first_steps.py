"""A first-time user's first steps, as they type them: outside a project every command says where it looked and how
to get there and writes nothing; a new store only with --init; "did you mean" for departments, years and
subcommands; help and errors in Chinese with Chinese metavars lined up by display width; YAML errors with line and
column."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from evalnb.cli.parser import build_parser
from evalnb.console import closest, width
from evalnb.errors import Problem, RulebookError
from tests.helpers import ROOT, SEED_SAMPLE

WHERE = ("--dept", "科学技术局", "--year", "2024")
# One way to call every subcommand with what it needs, as a user would type it.
CALLS = {
    "template": ("x.xlsx",), "ingest": (str(SEED_SAMPLE),), "list": (), "show": WHERE, "score": WHERE, "check": WHERE,
    "report": WHERE, "review": WHERE, "mail": WHERE, "draft": (*WHERE, "--out", "x.xlsx"), "summary": ("--year", "2024"),
    "rules": ("list",), "params": (), "batch": (), "notebook": WHERE,
}
RULES_CALLS = {"list": (), "show": ("national-2020",), "check": (str(ROOT / "evalnb" / "rules" / "national-2020.yaml"),),
               "schema": ()}
# English a Chinese user may read in help and errors: names of programs, formats, commands, keys and values they type.
ALLOWED_ENGLISH = {
    "CPU", "Chromium", "Pango", "Excel", "HTML", "JSON", "JupyterLab", "LocalCluster", "Python", "SMTP", "SQLAlchemy", "Schema",
    "URL", "WPS", "PostgreSQL", "SQLite", "Tab", "UTF-8", "YAML", "Word", "PDF", "evalnb", "local", "code", "schema",
    "appendix", "basic_info", "s1", "s6", "national-2020", "mail_cc", "mail_from", "mail_to", "memo", "memo-xlsx", "docx",
    "html", "pdf", "xlsx", "eml", "yaml", "cd", *CALLS, *RULES_CALLS,
}


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The command as a user runs it — the installed `evalnb` script (``python -m`` would put the working
    directory first on sys.path, where a test project's empty evalnb/ marker would shadow the package) — with
    no evalnb settings from the test's environment unless given."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("EVALNB_")}
    return subprocess.run([str(Path(sys.executable).with_name("evalnb")), *args], cwd=cwd, capture_output=True,
                          text=True, env={**base, **(env or {})}, timeout=300)


def english(text: str) -> set[str]:
    """Words of Latin letters left once options, paths, file names, URLs and setting names are taken out."""
    text = re.sub(r"(?<![\w])--?[\w-]+", " ", text)
    text = re.sub(r"\S*[/.\\]\S*", " ", text)
    text = re.sub(r"\b[A-Z][A-Z0-9_]+_[A-Z0-9_]+\b", " ", text)
    text = re.sub(r"[\w-]*\d[\w-]*", " ", text)             # names with digits: s1, 01_basic_info, national-2020
    return set(re.findall(r"[A-Za-z][A-Za-z0-9_-]+", text)) - ALLOWED_ENGLISH


def test_outside_a_project_every_command_says_where_it_looked_and_writes_nothing(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    calls = [(name, *args) for name, args in CALLS.items()] + [("rules", name, *args) for name, args in RULES_CALLS.items()]
    assert {c[0] for c in calls} == set(subcommands())
    for call in calls:
        done = run(*call, cwd=empty)
        assert done.returncode == 2, (call, done.stdout, done.stderr)
        assert str(empty) in done.stderr and "EVALNB_HOME" in done.stderr and "cd" in done.stderr, (call, done.stderr)
        assert "evalnb ingest --init" in done.stderr and not english(done.stderr), (call, english(done.stderr))
        assert list(empty.iterdir()) == [], call
    gone = tmp_path / "gone"
    done = run("list", cwd=empty, env={"EVALNB_HOME": str(gone)})
    assert done.returncode == 2 and f"环境变量 EVALNB_HOME 指向的项目目录 {gone} 不存在" in done.stderr
    assert not gone.exists() and list(empty.iterdir()) == []


def test_ingest_starts_a_store_only_with_init(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "outputs").mkdir()                     # an outputs/ folder alone is not a project
    refused = run("ingest", str(SEED_SAMPLE), cwd=home)
    assert refused.returncode == 2 and "--init" in refused.stderr and list((home / "outputs").iterdir()) == []
    # a home variable naming a folder without a store: asked for --init too
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    asked = run("ingest", str(SEED_SAMPLE), cwd=elsewhere, env={"EVALNB_HOME": str(home)})
    assert asked.returncode == 2 and f"{home} 还没有数据库" in asked.stderr and "--init" in asked.stderr
    done = run("ingest", "--init", str(SEED_SAMPLE), cwd=home)
    assert done.returncode == 0, done.stderr
    assert f"已在 {home} 新建项目" in done.stdout and (home / "outputs" / "evalnb.sqlite").is_file()
    # now a project: from a folder below it too, with no --init
    below = home / "分析"
    below.mkdir()
    listed = run("list", cwd=below)
    assert listed.returncode == 0 and "科学技术局" in listed.stdout
    again = run("ingest", str(SEED_SAMPLE), cwd=below)
    assert again.returncode == 0 and "已替换 科学技术局 2024" in again.stdout


def test_did_you_mean_departments_years_and_subcommands(project):
    env = {"EVALNB_ROOT": str(project["root"]), "EVALNB_DB": project["db"]}
    dept = run("show", "--dept", "科技局", "--year", "2024", cwd=project["root"], env=env)
    assert dept.returncode == 3 and "是不是要找：科学技术局？" in dept.stderr
    year = run("score", "--dept", "科学技术局", "--year", "2025", cwd=project["root"], env=env)
    assert year.returncode == 3 and "科学技术局 已有的年度为 2023、2024，是不是要找 2024 年度？" in year.stderr
    typo = run("reprot", *WHERE, cwd=project["root"], env=env)
    assert typo.returncode == 2 and "是不是要输入：report？" in typo.stderr and english(typo.stderr) == {"reprot"}
    rules = run("rules", "shwo", cwd=project["root"], env=env)
    assert rules.returncode == 2 and "是不是要输入：show" in rules.stderr


def test_closest_prefers_names_holding_the_typed_characters():
    assert closest("科技局", ["科学技术局", "教育局", "财政局"]) == ["科学技术局"]
    assert closest("reprot", ["report", "review", "params"])[0] == "report"
    assert closest("统计局", ["科学技术局", "教育局"]) == []


def subcommands() -> list[str]:
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(action.choices)


def every_parser():
    top = build_parser()
    yield "evalnb", top
    commands = next(a for a in top._actions if a.dest == "command")
    for name, sub in commands.choices.items():
        yield f"evalnb {name}", sub
        for action in sub._actions:
            if action.dest == "rules_command":
                for rule_name, rule_sub in action.choices.items():
                    yield f"evalnb {name} {rule_name}", rule_sub


def help_columns(text: str) -> list[int]:
    """The display column where each option's or command's help starts (lines of the listing only)."""
    columns = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^  \S", line):
            head = re.match(r"^(  \S.*?)(\s{2,})(\S.*)$", line)
            if head:
                columns.append(width(head.group(1) + head.group(2)))
            elif i + 1 < len(lines) and lines[i + 1].startswith(" " * 6):
                columns.append(len(lines[i + 1]) - len(lines[i + 1].lstrip(" ")))
    return columns


def test_every_help_is_chinese_with_chinese_metavars_lined_up(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    for prog, parser in every_parser():
        text = parser.format_help()
        assert text.startswith(f"用法：{prog}") and "\n选项：\n" in text, prog
        assert not english(text), (prog, english(text))
        assert not re.search(r"\b[A-Z]{2,}\b(?=[\]\s])", re.sub(r"\b[A-Z][A-Z0-9_]*_[A-Z0-9_]+\b|URL|SMTP|HTML|JSON|CPU|PDF",
                                                                 "", text)), prog      # DEPT, YEAR, FILE, DIR …
        assert "命令：\n  命令\n" not in text and ":\n" not in text.replace("：\n", ""), prog
        columns = help_columns(text)
        assert columns and len(set(columns)) == 1, (prog, columns, text)
        assert all(width(line) <= 100 for line in text.splitlines() if not line.startswith(("用法", " " * 10))), prog


def test_error_paths_are_chinese(project, tmp_path):
    env = {"EVALNB_ROOT": str(project["root"]), "EVALNB_DB": project["db"]}
    bad = tmp_path / "坏规则.yaml"
    bad.write_text("title: 测试\ntree: [a, b\n", encoding="utf-8")
    cases = [
        ((), "缺少必填参数：命令"),
        (("show", "--dept", "科学技术局"), "缺少必填参数：--year"),
        (("show", *WHERE[:3], "二〇二四"), "不是年度"),
        (("list", "--bogus"), "无法识别的参数：--bogus"),
        (("list", "--d", "x"), "选项 --d 不明确，可能是："),
        (("mail", *WHERE, "--send", "--eml", "x.eml"), "参数 --eml 不能与 --send 同时使用"),
        (("list", "--quiet=是"), "参数 -q/--quiet 不带值，却给了 '是'"),
        (("ingest",), "请给出要导入的工作簿"),
        (("notebook", *WHERE, "--section", "s9"), "没有章节“s9”"),
        (("rules", "check", str(bad)), f"评分规则 {bad}：不是有效的 YAML 文件：第 3 行第 1 列：缺少“,”或“]”"),
        (("ingest", str(tmp_path / "无此文件.xlsx")), "无此文件.xlsx"),
    ]
    for args, expected in cases:
        done = run(*args, cwd=project["root"], env=env)
        assert done.returncode != 0 and expected in done.stderr, (args, done.stderr)
        assert not english(done.stderr), (args, english(done.stderr))


@pytest.mark.parametrize(("text", "expected"), [
    ("title: x\ntree: [a, b\n", "第 3 行第 1 列：缺少“,”或“]”"),
    ('title: "没有闭合\nsource: x\n', "引号没有闭合"),
    ("title: a\n  source: b\n", "第 2 行第 9 列：此处不能出现“:”"),
    ("title: a\ntree:\n\t- x\n", "不能用制表符（Tab）缩进"),
    ("title: {a: 1\n", "缺少“,”或“}”"),
])
def test_yaml_errors_name_file_line_and_column_in_chinese(tmp_path, text, expected):
    from evalnb.rules import load_rulebook

    path = tmp_path / "规则.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulebookError) as refused:
        load_rulebook(str(path))
    message = str(refused.value)
    assert str(path) in message and expected in message, message
    assert not english(message), message


def test_a_problem_with_the_file_itself_names_no_sheet():
    assert str(Problem("x.xlsx", "-", None, None, None, "不是工作簿")) == "文件 x.xlsx：不是工作簿"
    located = Problem("x.xlsx", "项目支出", 3, "项目名称", None, "不能为空")
    assert str(located) == "文件 x.xlsx，工作表“项目支出”，第3行，列“项目名称”：不能为空"
