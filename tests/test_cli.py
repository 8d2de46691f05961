"""The evalnb command as a user runs it: a real subprocess, real files."""

import subprocess
import sys

import pytest

from evalnb.cli.parser import build_parser
from evalnb.intake.blank import write_workbook


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
    assert f"用法：evalnb {name}" in result.stdout and "显示本帮助并退出" in result.stdout


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
    assert "已导入 测试局 2024" in run("ingest", str(path), "--db", db).stdout
    listed = run("list", "--db", db).stdout.splitlines()
    assert listed[0].split() == ["部门", "年度", "得分", "等级"] and listed[1].split()[:2] == ["测试局", "2024"]
    shown = run("show", "--dept", "测试局", "--year", "2024", "--db", db)
    assert "预算执行率 96.88%" in shown.stdout          # 155 / 160
    assert "全年预算数 160.00万元，全年执行数 155.00万元" in shown.stdout
    missing = run("show", "--dept", "测试局", "--year", "2020", "--db", db)
    assert missing.returncode == 3 and "测试局 2024" in missing.stderr


def test_template_command_writes_a_workbook(tmp_path):
    out = tmp_path / "sub" / "空白.xlsx"
    result = run("template", str(out))
    assert result.returncode == 0 and out.exists()


def test_template_refuses_to_overwrite_without_force(tmp_path, content):
    filled = write_workbook(tmp_path / "已填.xlsx", content)
    before = filled.read_bytes()
    refused = run("template", str(filled))
    assert refused.returncode == 2 and "已存在" in refused.stderr and "--force" in refused.stderr
    assert filled.read_bytes() == before
    assert run("template", str(filled), "--force").returncode == 0 and filled.read_bytes() != before
    onto_folder = run("template", str(tmp_path))
    assert onto_folder.returncode == 2 and "目录" in onto_folder.stderr and "Traceback" not in onto_folder.stderr


def test_version_and_python_m():
    result = subprocess.run([sys.executable, "-m", "evalnb", "--version"], capture_output=True, text=True, timeout=60)
    from evalnb import __version__
    assert result.returncode == 0 and result.stdout.strip() == f"evalnb {__version__}"


def test_usage_errors_are_chinese(tmp_path):
    missing = run("report", "--dept", "测试局")
    assert missing.returncode == 2 and "缺少必填参数：--year" in missing.stderr
    bad_year = run("show", "--dept", "测试局", "--year", "99999999999999999999")
    assert bad_year.returncode == 2 and "不是合理的年度" in bad_year.stderr
    workers = run("batch", "--workers", "-1", "--db", f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert workers.returncode == 2 and "--workers" in workers.stderr and "Traceback" not in workers.stderr


@pytest.mark.parametrize(("url", "expected"), [
    ("not a url", "无法识别"),
    ("mysql://u:s3cr3t-pw@127.0.0.1/x", "驱动"),
    ("postgresql+psycopg://evalnb:s3cr3t-pw@127.0.0.1:1/evalnb", "无法连接"),
])
def test_store_errors_are_one_chinese_line_without_password(url, expected):
    result = run("list", "--db", url)
    assert result.returncode == 4, result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr and "s3cr3t-pw" not in result.stderr
    debug = run("list", "--db", url, "--debug")
    assert "Traceback" in debug.stderr and "s3cr3t-pw" not in debug.stderr


def test_summary_for_a_year_without_data_names_the_stored_years(tmp_path, content):
    path = write_workbook(tmp_path / "ok.xlsx", content)
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    run("ingest", str(path), "--db", db)
    result = run("summary", "--year", "2022", "--db", db)
    assert result.returncode == 3 and "2022" in result.stderr and "2024" in result.stderr


def test_log_file_and_quiet(tmp_path, content):
    path = write_workbook(tmp_path / "ok.xlsx", content)
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    log = tmp_path / "run.log"
    result = run("ingest", str(path), "--db", db, "-q", "--log", str(log))
    assert result.returncode == 0
    failed = run("show", "--dept", "无此局", "--year", "2024", "--db", db, "--log", str(log))
    assert failed.returncode == 3
    assert "无此局" in log.read_text(encoding="utf-8")
