"""The format registry: a new format is one registration, and the CLI, the freshness check and the record
beside the report pick it up (a toy plain-text format here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evalnb.cli.main import main
from evalnb.cli.parser import build_parser
from evalnb.deliver import formats
from evalnb.deliver.formats import Format, Source


def _plain_text(source: Source, path: Path) -> Path:
    from bs4 import BeautifulSoup

    from evalnb.paths import write_atomic

    return write_atomic(path, BeautifulSoup(source.html.read_text(encoding="utf-8"), "html.parser").get_text("\n"))


@pytest.fixture
def toy_format():
    toy = formats.register(Format("txt", "纯文本", ".txt", "text/plain", "纯文本", "另存纯文本：<报告名>_纯文本.txt",
                                  _plain_text))
    try:
        yield toy
    finally:
        del formats.REGISTRY["txt"]


def test_a_registered_format_is_an_option_of_report_and_batch(toy_format):
    parser = build_parser()
    assert parser.parse_args(["report", "--dept", "甲", "--year", "2024", "--txt"]).txt
    assert parser.parse_args(["batch", "--txt"]).txt
    assert "txt" in formats.extra() and "html" not in formats.extra()


def test_a_registered_format_is_written_beside_a_current_report_once(toy_format, project, seed_report, monkeypatch,
                                                                      capsys):
    monkeypatch.setenv("EVALNB_ROOT", str(project["root"]))
    args = ["report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--txt"]
    assert main(args) == 0
    said = capsys.readouterr().out
    path = seed_report["path"].parent / "科学技术局_2024年度整体支出绩效自评报告_纯文本.txt"
    assert "沿用上次生成的报告" in said and re.search(r"纯文本：.*_纯文本\.txt（\d+ KB）", said)
    assert "科学技术局" in path.read_text(encoding="utf-8")
    assert main(args) == 0
    assert "纯文本：" in (again := capsys.readouterr().out) and "（未变化）" in again
