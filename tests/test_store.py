"""The store: atomic loads, replacement, the ingest log, and the notebooks' data API."""

import pytest
from sqlalchemy import text

from evalnb.errors import NotFoundError, StaleDataError, WorkbookError
from evalnb.intake.ingest import ingest
from evalnb.store import data
from evalnb.store import sql as store
from tests.helpers import SAMPLES, file_digest


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request):
    """The same store tests on SQLite and on a real PostgreSQL server."""
    return request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url")


def snapshot(url):
    """Every row of every table, in a stable order."""
    engine = store.open_store(url)
    with engine.connect() as conn:
        result = {t.name: sorted(map(repr, conn.execute(t.select()).all())) for t in store.metadata.sorted_tables}
    engine.dispose()
    return result


def test_ingest_then_load(make_workbook, content, store_url):
    ingest([make_workbook(content)], store_url)
    dy = data.load("测试局", 2024, store_url)
    assert dy.total("budget") == 160 and dy.total("executed") == 155
    assert list(dy.budget["name"]) == ["项目甲", "项目乙"]
    assert dy.budget["budget"].dtype == "float64"
    assert dy.text("主要职能") == ["负责测试工作。"]
    assert dy.team.iloc[0]["role"] == "组长"
    assert dy.indicators.iloc[1]["actual_text"] == "达成年度指标"
    assert dy.prior is None
    assert data.departments(store_url) == ["测试局"] and data.years("测试局", store_url) == [2024]


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


def test_reingest_replaces_atomically_and_logs(make_workbook, content, store_url):
    path = make_workbook(content)
    first = ingest([path], store_url)
    assert first[0].replaced is False
    content["项目支出"] = content["项目支出"][:1]
    content["项目支出"][0]["全年执行数（万元）"] = 80
    second = ingest([make_workbook(content)], store_url)
    assert second[0].replaced is True
    dy = data.load("测试局", 2024, store_url)
    assert list(dy.budget["executed"]) == [80.0]
    engine = store.open_store(store_url)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from budget_lines")).scalar() == 1
        assert conn.execute(text("select count(*) from dept_years")).scalar() == 1
    log = store.ingest_history(engine)
    assert [(e["replaced"], e["budget_lines"]) for e in log] == [(0, 2), (1, 1)]
    assert log[0]["sha256"] != log[1]["sha256"] and len(log[0]["sha256"]) == 64


def test_same_department_year_twice_in_one_ingest_is_an_error(make_workbook, content, store_url):
    a = make_workbook(content, "a.xlsx")
    b = make_workbook(content, "b.xlsx")
    with pytest.raises(WorkbookError) as exc:
        ingest([a, b], store_url)
    assert "重复" in str(exc.value) and "a.xlsx" in str(exc.value)


def test_unknown_department_year_lists_what_is_stored(make_workbook, content, store_url):
    ingest([make_workbook(content)], store_url)
    with pytest.raises(NotFoundError) as exc:
        data.load("测试局", 2031, store_url)
    assert "测试局 2024" in str(exc.value)


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(NotFoundError) as exc:
        data.load("测试局", 2024, f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert "evalnb ingest" in str(exc.value)


def test_prior_year_is_attached(make_workbook, content, store_url):
    ingest([make_workbook(content)], store_url)
    content["基本信息"][1]["内容"] = 2023
    ingest([make_workbook(content, "2023.xlsx")], store_url)
    dy = data.load("测试局", 2024, store_url)
    assert dy.prior is not None and dy.prior.year == 2023 and dy.prior.prior is None


def test_failed_ingest_leaves_every_row_unchanged(make_workbook, content, store_url):
    ingest([make_workbook(content)], store_url)
    before = snapshot(store_url)
    content["绩效指标"][0]["分值"] = "五十"
    with pytest.raises(WorkbookError):
        ingest([make_workbook(content, "bad.xlsx")], store_url)
    assert snapshot(store_url) == before


def test_failure_inside_the_transaction_rolls_back(make_workbook, content, store_url, monkeypatch):
    """If writing the second workbook fails (fault injected), the first one is not loaded either."""
    ingest([make_workbook(content)], store_url)
    before = snapshot(store_url)
    other = {**content, "基本信息": [{"字段": "部门名称", "内容": "新部门"}, {"字段": "年度", "内容": 2024}]}
    real_save_one = store._save_one
    calls = []

    def failing_second(conn, sub):
        calls.append(sub.file)
        if len(calls) == 2:
            raise OSError("disk full (injected)")
        return real_save_one(conn, sub)

    monkeypatch.setattr(store, "_save_one", failing_second)
    with pytest.raises(OSError):
        ingest([make_workbook(other, "a.xlsx"), make_workbook(content, "b.xlsx")], store_url)
    assert calls == ["a.xlsx", "b.xlsx"]
    assert snapshot(store_url) == before


def test_sample_totals_are_exact_on_every_backend(store_url):
    ingest(SAMPLES, store_url)
    dy = data.load("科学技术局", 2024, store_url)
    assert (dy.total("budget"), dy.total("executed")) == (20094.62746, 19837.71876)
    assert data.departments(store_url) == ["交通运输局", "农业农村局", "教育局", "科学技术局"]


def test_every_ingest_is_a_new_version_even_where_ids_are_reused(tmp_path, content):
    """SQLite gives a replaced row's id to the next insert (stores made before AUTOINCREMENT do): the
    version must still change, or a report could cache one version's sections under another's key."""
    from datetime import UTC, datetime, timedelta

    from evalnb.intake.blank import write_workbook
    from evalnb.store.data import load

    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    path = write_workbook(tmp_path / "a.xlsx", content)
    seen = []
    for _ in range(3):
        ingest([path], db)
        seen.append(load("测试局", 2024, db).version)
    assert len(set(seen)) == 3
    now = datetime.now(UTC)
    same_id = [{"id": 5, "sha256": "x", "loaded_at": now}, {"id": 5, "sha256": "x", "loaded_at": now + timedelta(microseconds=1)}]
    assert store.version_of(same_id[0]) != store.version_of(same_id[1])
    with pytest.raises(StaleDataError):
        load("测试局", 2024, db, version=seen[0])
