"""Fuzz ``evalnb ingest`` with hundreds of hostile and careless files (built in tests/fuzz_workbooks.py).

Every variant must end in success or in a WorkbookError whose problems all name the file (and the sheet,
row and column for a cell-level mutation), never in any other exception, and a refusal must leave the
store byte for byte as it was. The seed is derived from the commit under test (a new commit fuzzes anew, a
rerun of the same commit replays it) and printed in the run's header and on failure: replay any run with
EVALNB_FUZZ_SEED=<seed>; EVALNB_FUZZ_COUNT sets the number of variants (default 1,000, over v1 and v2 sheets).
"""

from __future__ import annotations

import os
import random
import re
import time
import traceback
from collections import Counter

import pytest

from evalnb.errors import WorkbookError
from evalnb.intake.ingest import ingest
from tests import fuzz_workbooks as fw
from tests.helpers import evalnb, fuzz_seed

SEED = fuzz_seed()
COUNT = int(os.environ.get("EVALNB_FUZZ_COUNT") or 1000)
HANG_GUARD = 20.0            # seconds; a hang guard only, not a timing assertion
CJK = re.compile(r"[\u4e00-\u9fff]")
LIMIT_VARIABLES = ("EVALNB_MAX_FILE_MB", "EVALNB_MAX_UNZIPPED_MB", "EVALNB_MAX_ROWS", "EVALNB_MAX_COLUMNS",
                   "EVALNB_MAX_TEXT_CHARS", "EVALNB_MAX_PARAGRAPH_CHARS", "EVALNB_MAX_MONEY", "EVALNB_MAX_SCORE",
                   "EVALNB_MAX_VALUE", "EVALNB_MAX_DECIMALS", "EVALNB_MIN_YEAR", "EVALNB_MAX_YEAR")


@pytest.fixture
def store(tmp_path, content, make_workbook, monkeypatch):
    """A store that already holds one valid department-year (and the variants' own, once one is accepted)."""
    for name in LIMIT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "store.sqlite"
    url = f"sqlite:///{db}"
    content["基本信息"][0]["内容"] = "基准局"
    ingest([make_workbook(content, "基准局_2024.xlsx")], url)
    return db, url


def judge(variant: fw.Variant, outcome, before: bytes, after: bytes, seconds: float) -> list[str]:
    """What is wrong with how ingest handled ``variant``; empty when it was handled right."""
    wrong = []
    if seconds > HANG_GUARD:
        wrong.append(f"took {seconds:.1f}s")
    if isinstance(outcome, BaseException) and not isinstance(outcome, WorkbookError):
        return [*wrong, "raised " + "".join(traceback.format_exception_only(outcome)).strip()]
    if not isinstance(outcome, WorkbookError):
        if variant.must_refuse:
            wrong.append("accepted, but must be refused")
        if variant.kind == "lock-file" and (after != before or not outcome.skipped):
            wrong.append("a lock file must be skipped without touching the store")
        return wrong
    problems = outcome.problems
    if after != before:
        wrong.append("refused, but the store changed")
    if not problems:
        wrong.append("WorkbookError without problems")
    for p in problems:
        text = str(p)
        if p.file != variant.name or not p.sheet or not CJK.search(p.expected):
            wrong.append(f"problem not located in Chinese: {text!r}")
    if variant.sheet and not any(p.sheet == variant.sheet for p in problems):
        wrong.append(f"no problem names sheet {variant.sheet}: {[str(p) for p in problems]}")
    if variant.row and not any(p.sheet == variant.sheet and p.row == variant.row and p.column for p in problems):
        wrong.append(f"no problem names {variant.sheet} row {variant.row} and a column: {[str(p) for p in problems]}")
    if variant.fragment and not any(variant.fragment in str(p) for p in problems):
        wrong.append(f"no problem says {variant.fragment!r}: {[str(p) for p in problems]}")
    return wrong


def test_fuzz_ingest(tmp_path, store, monkeypatch):
    db, url = store
    failures, kinds, outcomes = [], Counter(), Counter()
    started = time.perf_counter()
    for index, mutation in fw.variants(SEED, COUNT):
        try:
            variant = mutation(random.Random(f"{SEED}-{index}"))
        except Exception:  # a bug in the generator, not in evalnb: still reported with the seed
            failures.append(f"#{index} {mutation.__name__}: generator failed\n{traceback.format_exc()}")
            continue
        kinds[variant.kind.split()[0]] += 1
        folder = tmp_path / f"v{index:03d}"
        folder.mkdir()
        path = folder / variant.name
        path.write_bytes(variant.data)
        before = db.read_bytes()
        t0 = time.perf_counter()
        with monkeypatch.context() as env:
            for name, value in variant.env.items():
                env.setenv(name, value)
            try:
                outcome = ingest([path], url)
            except BaseException as exc:  # judged below: only WorkbookError is acceptable
                outcome = exc
        seconds = time.perf_counter() - t0
        outcomes["refused" if isinstance(outcome, BaseException) else "accepted"] += 1
        failures += [f"#{index} {variant.kind}: {w}" for w in judge(variant, outcome, before, db.read_bytes(), seconds)]
    elapsed = time.perf_counter() - started
    print(f"fuzz seed {SEED}: {COUNT} variants in {elapsed:.1f}s, {dict(outcomes)}, kinds {dict(sorted(kinds.items()))}")
    assert not failures, f"EVALNB_FUZZ_SEED={SEED} ({len(failures)} failures):\n" + "\n".join(failures[:30])
    assert len(kinds) >= len(fw.MUTATIONS) - 1, f"EVALNB_FUZZ_SEED={SEED}: not every mutation ran: {kinds}"


CLI_CASES = {
    "far-cell": lambda rng: fw.far_cell(random.Random(1)),
    "doctype": fw.doctype,
    "xls": lambda rng: fw.Variant("xls", fw.NOT_WORKBOOKS["xls"][0](), name="旧表.xls"),
    "truncated": fw.truncate,
    "nan": fw.bad_number_xml,
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_cli_refuses_without_traceback(tmp_path, store, case):
    db, url = store
    variant = CLI_CASES[case](random.Random(SEED))
    path = tmp_path / variant.name
    path.write_bytes(variant.data)
    before = db.read_bytes()
    result = evalnb("ingest", str(path), "--db", url)
    assert result.returncode == 2, f"EVALNB_FUZZ_SEED={SEED}\n{result.stderr}"
    assert "Traceback" not in result.stderr and variant.name in result.stderr, f"EVALNB_FUZZ_SEED={SEED}\n{result.stderr}"
    assert db.read_bytes() == before


def test_cli_batch_of_hostile_files_is_refused_whole(tmp_path, store, make_workbook, content):
    """A valid workbook among broken ones is not loaded either (all or none), and every broken one is named."""
    db, url = store
    paths = [make_workbook(content, "好的.xlsx")]
    for kind in ("encrypted", "pdf", "csv", "empty"):
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(fw.NOT_WORKBOOKS[kind][0]())
        paths.append(path)
    before = db.read_bytes()
    result = evalnb("ingest", *map(str, paths), "--db", url)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert all(f"{kind}.xlsx" in result.stderr for kind in ("encrypted", "pdf", "csv", "empty")), result.stderr
    assert db.read_bytes() == before


def test_cli_skips_lock_files(tmp_path, store, make_workbook, content):
    db, url = store
    lock = tmp_path / "~$测试局_2024.xlsx"
    lock.write_bytes(fw.lock_file(random.Random(0)).data)
    result = evalnb("ingest", str(make_workbook(content)), str(lock), "--db", url)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
