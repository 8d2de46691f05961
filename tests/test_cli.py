"""The evalnb command as a user runs it: a real subprocess, real files."""

import subprocess
import sys

import pytest

from evalnb.cli import build_parser
from evalnb.template import write_workbook


def run(*args, env_db=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "evalnb.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


@pytest.mark.parametrize("name", subcommands())
def test_every_subcommand_has_help(name):
    result = run(name, "--help")
    assert result.returncode == 0
    assert f"usage: evalnb {name}" in result.stdout


def test_ingest_bad_workbook_exits_2_and_names_the_cell(tmp_path, content):
    content["绩效指标"][0]["实际完成值"] = "很多"
    path = write_workbook(tmp_path / "坏.xlsx", content)
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    result = run("ingest", str(path), "--db", db)
    assert result.returncode == 2
    assert "坏.xlsx" in result.stderr and "绩效指标" in result.stderr and "第2行" in result.stderr
    assert "实际完成值" in result.stderr and "很多" in result.stderr
    assert not (tmp_path / "s.sqlite").exists()


def test_ingest_list_show(tmp_path, content):
    path = write_workbook(tmp_path / "ok.xlsx", content)
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    assert "loaded 测试局 2024" in run("ingest", str(path), "--db", db).stdout
    assert run("list", "--db", db).stdout.strip() == "测试局\t2024"
    shown = run("show", "--dept", "测试局", "--year", "2024", "--db", db)
    assert "预算执行率 96.88%" in shown.stdout          # 155 / 160
    missing = run("show", "--dept", "测试局", "--year", "2020", "--db", db)
    assert missing.returncode == 3 and "测试局 2024" in missing.stderr


def test_template_command_writes_a_workbook(tmp_path):
    out = tmp_path / "sub" / "空白.xlsx"
    result = run("template", str(out))
    assert result.returncode == 0 and out.exists()
