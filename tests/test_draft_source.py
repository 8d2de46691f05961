"""Issue 27 item 11: `evalnb draft` without --from finds the ingested workbook from any working directory
(ingest stores its resolved path; the sha256 proves it is the one), and says clearly, naming the path, when it
moved or its content changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from evalnb.errors import UsageError
from evalnb.intake.ingest import ingest
from evalnb.store import data
from tests.helpers import ROOT, SEED_SAMPLE

WHERE = ("--dept", "科学技术局", "--year", "2024")


def run(cwd: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evalnb.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=600)


def folders(tmp_path: Path) -> tuple[Path, Path, str]:
    """``filed/`` holding a copy of the seed workbook, an unrelated ``elsewhere/``, and a store URL."""
    filed, elsewhere = tmp_path / "filed", tmp_path / "elsewhere"
    filed.mkdir()
    elsewhere.mkdir()
    shutil.copyfile(SEED_SAMPLE, filed / SEED_SAMPLE.name)
    return filed, elsewhere, f"sqlite:///{tmp_path / 'store.sqlite'}"


def drafted_rows(path: Path) -> list[str]:
    sheet = load_workbook(path)["文字材料"]
    headers = [c.value for c in sheet[1]]
    return [row[headers.index("章节")] for row in sheet.iter_rows(min_row=2, values_only=True)
            if row[headers.index("来源")] == "草拟"]


def test_ingest_stores_the_resolved_path_of_a_relative_name(tmp_path, monkeypatch):
    filed, _, db = folders(tmp_path)
    monkeypatch.chdir(filed)
    ingest([SEED_SAMPLE.name], db)
    dy = data.load("科学技术局", 2024, db)
    assert dy.source_path == str((filed / SEED_SAMPLE.name).resolve()) and dy.source_file == SEED_SAMPLE.name


def test_draft_without_from_works_from_another_folder_and_names_the_path_when_it_moved(tmp_path, project):
    """The README's flow: ingest in one folder (a relative name, as `make report` does), draft from another."""
    filed, elsewhere, db = folders(tmp_path)
    env = project["env"]
    assert run(filed, "ingest", SEED_SAMPLE.name, "--db", db, env=env).returncode == 0
    done = run(elsewhere, "draft", *WHERE, "--out", "x.xlsx", "--db", db, env=env)
    assert done.returncode == 0, done.stderr
    rows = drafted_rows(elsewhere / "x.xlsx")
    assert rows and set(rows) == {"存在问题", "改进措施"} and rows.count("存在问题") == rows.count("改进措施")

    ingested = (filed / SEED_SAMPLE.name).resolve()
    (filed / "archive").mkdir()
    shutil.move(ingested, filed / "archive" / SEED_SAMPLE.name)
    moved = run(elsewhere, "draft", *WHERE, "--out", "y.xlsx", "--db", db, env=env)
    assert moved.returncode == 2 and not (elsewhere / "y.xlsx").exists()
    assert str(ingested) in moved.stderr and "已不在原处" in moved.stderr and "--from" in moved.stderr, moved.stderr
    # and with --from its new place, it works again
    again = run(elsewhere, "draft", *WHERE, "--out", "y.xlsx", "--from", str(filed / "archive" / SEED_SAMPLE.name),
                "--db", db, env=env)
    assert again.returncode == 0, again.stderr


def test_a_workbook_changed_since_ingest_is_named_with_the_way_out(tmp_path, monkeypatch):
    from evalnb.review.draft import write_draft

    filed, elsewhere, db = folders(tmp_path)
    ingest([filed / SEED_SAMPLE.name], db)
    shutil.copyfile(ROOT / "data" / "sample" / "科学技术局_2023.xlsx", filed / SEED_SAMPLE.name)  # saved over
    monkeypatch.chdir(elsewhere)
    with pytest.raises(UsageError) as refused:
        write_draft("科学技术局", 2024, Path("x.xlsx"), db=db)
    said = str(refused.value)
    assert str((filed / SEED_SAMPLE.name).resolve()) in said and "内容已改动" in said and "evalnb ingest" in said
    assert not Path("x.xlsx").exists()


def test_a_store_from_before_paths_were_kept_still_looks_in_the_working_directory(tmp_path, monkeypatch):
    """A department-year ingested before revision 0009 has no path: the file name in the working directory is
    used as before, and the message says that ingesting again makes --from unnecessary."""
    from evalnb.review.draft import write_draft

    filed, elsewhere, db = folders(tmp_path)
    ingest([filed / SEED_SAMPLE.name], db)
    engine = create_engine(db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE dept_years SET source_path = NULL"))
    engine.dispose()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(UsageError, match="重新导入一次后即可省略 --from"):
        write_draft("科学技术局", 2024, Path("x.xlsx"), db=db)
    monkeypatch.chdir(filed)
    assert write_draft("科学技术局", 2024, elsewhere / "x.xlsx", db=db).path.is_file()
