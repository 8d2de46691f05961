"""Store migrations (Alembic): a store made before migrations existed upgrades in place on first use, with
its data intact, on SQLite (a real evalnb 0.1 store) and on the PostgreSQL server the tests start."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from evalnb.intake.blank import write_workbook
from evalnb.intake.ingest import ingest
from evalnb.store import data
from evalnb.store import sql as store
from tests.helpers import ROOT

OLD_DUMP = Path(__file__).parent / "data" / "store-0.1.sql"


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(store.MIGRATIONS)).get_current_head()


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        result = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in
                  ("dept_years", "texts", "budget_lines", "indicators", "team", "ingest_log")}
    engine.dispose()
    return result


def assert_upgraded_with_data(url: str, before: dict[str, int]) -> None:
    dy = data.load("科学技术局", 2024, url)             # first use: the upgrade happens here
    assert round(dy.total("budget"), 5) == 20094.62746 and round(dy.total("executed"), 5) == 19837.71876
    assert dy.prior is not None and dy.prior.year == 2023 and dy.text("存在问题") == ["无问题存在。"]
    assert (dy.indicators["unit"] == "%").sum() >= 2                   # text with % survived the copy
    assert counts(url) == before
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert "origin" in {c["name"] for c in inspect(conn).get_columns("texts")}
        assert {"expense_type", "fund_nature"} <= {c["name"] for c in inspect(conn).get_columns("budget_lines")}
        assert {"accounts", "facts", "deductions"} <= set(inspect(conn).get_table_names())
        assert {"project", "core", "adjusted", "adjusted_text"} <= {c["name"] for c in inspect(conn).get_columns("indicators")}
    engine.dispose()
    assert len(store.store_id(store.open_store(url)) or "") == 32       # an old store gets an id of its own
    assert dy.indicators["core"].isna().all()                          # older rows did not say: blank in the form
    assert not dy.indicators["target_adjusted"].any()                  # and their 年度指标值 is the target in force
    assert dy.project_count == dy.budget["name"].nunique() == 32     # old lines read as 项目支出
    assert dy.accounts.empty and dy.measures["结转结余率"].missing == "未提供收支总表，无法计算结转结余率"


def ingest_contract_v2(url: str) -> None:
    """After the upgrade the store takes a workbook that fills every sheet of contract v2."""
    ingest(sorted((ROOT / "data" / "sample").glob("农业农村局_*.xlsx")), url)
    dy = data.load("农业农村局", 2024, url)
    assert len(dy.accounts) == 7 and len(dy.facts) == 8 and dy.measures["在职人员控制率"].computed


def test_an_evalnb_0_1_sqlite_store_upgrades_in_place(tmp_path, content):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_DUMP.read_text(encoding="utf-8"))
    url = f"sqlite:///{path}"
    before = counts(url)
    assert before["dept_years"] == 2 and before["indicators"] == 68
    assert_upgraded_with_data(url, before)
    ingest([write_workbook(tmp_path / "new.xlsx", content)], url)        # and it takes new data afterwards
    assert counts(url)["dept_years"] == 3
    ingest_contract_v2(url)


def test_a_pre_migration_postgresql_store_upgrades_in_place(pg_url):
    """The baseline schema is made by revision 0001 without stamping it, as evalnb 0.1's create_all left
    it; the 0.1 store's rows are loaded into it, then first use stamps and upgrades."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(pg_url)
    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(text("DROP TABLE alembic_version"))
        cursor = conn.connection.cursor()          # the driver's own: no parameters, so "%" stays text
        for line in OLD_DUMP.read_text(encoding="utf-8").splitlines():
            if line.startswith("INSERT INTO"):
                cursor.execute(line)
        for table in ("dept_years", "ingest_log"):      # as a restore does (pg_dump writes setval too)
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    engine.dispose()
    before = counts(pg_url)
    assert before["dept_years"] == 2
    assert_upgraded_with_data(pg_url, before)
    ingest_contract_v2(pg_url)


def test_a_new_store_is_made_by_the_migrations(tmp_path, content):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    ingest([write_workbook(tmp_path / "a.xlsx", content)], url)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'dept_years'")).scalar()
    assert "AUTOINCREMENT" in ddl
    engine.dispose()


def test_a_store_has_an_id_of_its_own_that_a_copy_keeps(tmp_path, content):
    """Cache keys name the store by this id: a copy of the store (a moved project, a restored backup) is the same
    store, another store holding the same workbooks is not, and re-ingesting keeps the id."""
    workbook = write_workbook(tmp_path / "a.xlsx", content)
    one, other, copy = (tmp_path / f"{name}.sqlite" for name in ("one", "other", "copy"))
    for path in (one, other):
        ingest([workbook], f"sqlite:///{path}")
    shutil.copyfile(one, copy)
    ids = [store.store_id(store.open_store(f"sqlite:///{path}")) for path in (one, other, copy)]
    assert ids[0] == ids[2] and ids[0] != ids[1] and all(len(i or "") == 32 for i in ids)
    ingest([workbook], f"sqlite:///{copy}")
    assert store.store_id(store.open_store(f"sqlite:///{copy}")) == ids[0]


def test_a_store_at_the_newest_migration_is_known_without_alembic(tmp_path):
    """open_store skips Alembic when alembic_version already names the newest migration file."""
    from sqlalchemy import create_engine, text

    from evalnb.store import sql as store

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    engine = store.open_store(url, create=True)
    assert store._at_head(engine) and store.head_revision() == max(
        p.name[:4] for p in (store.MIGRATIONS / "versions").glob("0*.py"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    assert not store._at_head(engine)
    assert not store._at_head(create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}"))
