"""The store: atomic loads, replacement, the ingest log, and the notebooks' data API."""

import pytest
from sqlalchemy import text

from evalnb import data, store
from evalnb.errors import NotFoundError, WorkbookError
from evalnb.ingest import ingest
from tests.conftest import file_digest


def test_ingest_then_load(make_workbook, content, db_url):
    ingest([make_workbook(content)], db_url)
    dy = data.load("测试局", 2024, db_url)
    assert dy.total("budget") == 160 and dy.total("executed") == 155
    assert list(dy.budget["name"]) == ["项目甲", "项目乙"]
    assert dy.budget["budget"].dtype == "float64"
    assert dy.text("主要职能") == ["负责测试工作。"]
    assert dy.team.iloc[0]["role"] == "组长"
    assert dy.indicators.iloc[1]["actual_text"] == "达成年度指标"
    assert dy.prior is None
    assert data.departments(db_url) == ["测试局"] and data.years("测试局", db_url) == [2024]


def test_bad_workbook_leaves_the_store_byte_for_byte_unchanged(make_workbook, content, db_url, tmp_path):
    ingest([make_workbook(content)], db_url)
    db_file = tmp_path / "store.sqlite"
    before = file_digest(db_file)
    good_other = {**content, "基本信息": [{"字段": "部门名称", "内容": "别的局"}, {"字段": "年度", "内容": 2023}]}
    good = make_workbook(good_other, "good.xlsx")
    content["项目支出"][0]["全年执行数（万元）"] = "九十五"
    bad = make_workbook(content, "bad.xlsx")
    with pytest.raises(WorkbookError):
        ingest([bad], db_url)
    assert file_digest(db_file) == before
    # one bad file among good ones: nothing is loaded, not even the good one
    with pytest.raises(WorkbookError):
        ingest([good, bad], db_url)
    assert file_digest(db_file) == before


def test_bad_workbook_does_not_create_a_store(make_workbook, content, tmp_path):
    content["项目支出"][0]["全年执行数（万元）"] = "?"
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    with pytest.raises(WorkbookError):
        ingest([make_workbook(content)], url)
    assert not (tmp_path / "new.sqlite").exists()


def test_reingest_replaces_atomically_and_logs(make_workbook, content, db_url):
    path = make_workbook(content)
    first = ingest([path], db_url)
    assert first[0].replaced is False
    content["项目支出"] = content["项目支出"][:1]
    content["项目支出"][0]["全年执行数（万元）"] = 80
    second = ingest([make_workbook(content)], db_url)
    assert second[0].replaced is True
    dy = data.load("测试局", 2024, db_url)
    assert list(dy.budget["executed"]) == [80.0]
    engine = store.open_store(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from budget_lines")).scalar() == 1
        assert conn.execute(text("select count(*) from dept_years")).scalar() == 1
    log = store.ingest_history(engine)
    assert [(e["replaced"], e["budget_lines"]) for e in log] == [(0, 2), (1, 1)]
    assert log[0]["sha256"] != log[1]["sha256"] and len(log[0]["sha256"]) == 64


def test_same_department_year_twice_in_one_ingest_is_an_error(make_workbook, content, db_url):
    a = make_workbook(content, "a.xlsx")
    b = make_workbook(content, "b.xlsx")
    with pytest.raises(WorkbookError) as exc:
        ingest([a, b], db_url)
    assert "重复" in str(exc.value) and "a.xlsx" in str(exc.value)


def test_unknown_department_year_lists_what_is_stored(make_workbook, content, db_url):
    ingest([make_workbook(content)], db_url)
    with pytest.raises(NotFoundError) as exc:
        data.load("测试局", 2031, db_url)
    assert "测试局 2024" in str(exc.value)


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(NotFoundError) as exc:
        data.load("测试局", 2024, f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert "evalnb ingest" in str(exc.value)


def test_prior_year_is_attached(make_workbook, content, db_url):
    ingest([make_workbook(content)], db_url)
    content["基本信息"][1]["内容"] = 2023
    ingest([make_workbook(content, "2023.xlsx")], db_url)
    dy = data.load("测试局", 2024, db_url)
    assert dy.prior is not None and dy.prior.year == 2023 and dy.prior.prior is None
