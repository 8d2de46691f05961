"""The store: every department-year ever ingested, in one SQL database (SQLAlchemy Core).

SQLite by default (``outputs/evalnb.sqlite``), any SQLAlchemy URL otherwise; the SQL is portable so
PostgreSQL works the same. A workbook is written in one transaction: re-ingesting a department-year
replaces it atomically, and a failure leaves the previous data untouched.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SAWarning, SQLAlchemyError

from evalnb import settings
from evalnb.console import closest
from evalnb.errors import NotFoundError, StaleDataError
from evalnb.paths import default_db_url
from evalnb.store.submission import Submission

# SQLite keeps Numeric as REAL; values are rounded back to the column's scale on reading, which is
# exact for the 5-6 decimals of 万元 amounts. PostgreSQL keeps them as exact NUMERIC.
warnings.filterwarnings("ignore", message=r".*does \*not\* support Decimal objects natively", category=SAWarning)

MONEY = Numeric(20, 6)
VALUE = Numeric(24, 6)
metadata = MetaData()

dept_years = Table(
    "dept_years", metadata,
    Column("id", Integer, primary_key=True),
    Column("department", String(200), nullable=False),
    Column("year", Integer, nullable=False),
    Column("parent", String(200)),
    Column("rules", String(200), nullable=False),
    Column("nature", String(20), nullable=False),
    Column("declared_total", VALUE),
    Column("declared_grade", String(20)),
    Column("source_file", String(500), nullable=False),
    Column("source_path", String(4096)),    # the workbook's resolved absolute path at ingest (None: before 0009)
    Column("sha256", String(64), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("report_date", Date),            # 报告日期 as the department typed it (None: the ingest date is used)
    Column("attachment", String(50)),       # 附件编号, e.g. 附件4
    Column("project_rules", String(200)),   # 项目评分规则: the 项目支出绩效自评表's rulebook (None: the default)
    UniqueConstraint("department", "year", name="uq_dept_year"),
    sqlite_autoincrement=True,      # new stores never reuse a replaced department-year's id
)


def _child(name: str, *columns: Column) -> Table:
    return Table(
        name, metadata,
        Column("dept_year_id", Integer, ForeignKey("dept_years.id"), nullable=False, index=True),
        Column("seq", Integer, nullable=False),
        Column("row", Integer, nullable=False),
        *columns,
    )


texts = _child("texts", Column("section", String(50), nullable=False), Column("content", Text, nullable=False),
               Column("origin", String(20)))      # None: the department's own text; "草拟": drafted by evalnb
budget_lines = _child(
    "budget_lines",
    Column("name", String(500), nullable=False), Column("category", String(200), nullable=False),
    Column("source", String(200), nullable=False), Column("initial", MONEY, nullable=False),
    Column("budget", MONEY, nullable=False), Column("executed", MONEY, nullable=False), Column("note", Text),
    Column("expense_type", String(20)),     # 项目支出 / 基本支出-人员经费 / 基本支出-公用经费 (None: a 0.3 store's 项目支出)
    Column("fund_nature", String(20)),      # 当年财政拨款 / 上年结转资金 / 其他资金
)
indicators = _child(
    "indicators",
    Column("level1", String(100), nullable=False), Column("level2", String(100), nullable=False),
    Column("name", String(500), nullable=False), Column("nature", String(10), nullable=False),
    Column("direction", String(5)), Column("target", VALUE), Column("actual", VALUE),
    Column("target_text", Text), Column("actual_text", Text), Column("unit", String(50)),
    Column("weight", VALUE, nullable=False), Column("declared_score", VALUE), Column("scope", Text),
    Column("base", Text), Column("prior", VALUE), Column("deviation_note", Text),
    Column("project", String(500)),         # None: a department-level indicator
    Column("core", Boolean),                # 是否核心指标 (None: not said)
    Column("adjusted", VALUE),              # 调整指标值: the target in force when the year's target was adjusted
    Column("adjusted_text", Text),          # 调整指标值 as typed (None: not adjusted)
    Column("content", Text),                # 指标内容 as the region's form prints it (None: not given)
    Column("standard", Text),               # 评价标准 likewise
)
team = _child(
    "team",
    Column("name", String(100), nullable=False), Column("org", String(200), nullable=False),
    Column("title", String(200)), Column("rank", String(200)), Column("role", String(20), nullable=False),
)
accounts = _child(      # 收支总表
    "accounts",
    Column("item", String(50), nullable=False), Column("initial", MONEY), Column("budget", MONEY),
    Column("final", MONEY, nullable=False), Column("prior_final", MONEY),
)
facts = _child(         # 部门情况
    "facts",
    Column("item", String(50), nullable=False), Column("budget", MONEY), Column("actual", MONEY, nullable=False),
    Column("prior_budget", MONEY), Column("prior_actual", MONEY),
)
deductions = _child(    # 扣分事项
    "deductions",
    Column("level1", String(100), nullable=False), Column("level2", String(100), nullable=False),
    Column("name", String(500), nullable=False), Column("item", String(200), nullable=False),
    Column("count", Integer, nullable=False), Column("reason", Text, nullable=False),
)
projects = _child(      # 项目情况: one row per project with a 项目支出绩效自评表 of its own
    "projects",
    Column("name", String(500), nullable=False), Column("parent", String(200)), Column("unit", String(200)),
    Column("manager", String(100)), Column("finance", String(100)), Column("goal", Text), Column("outcome", Text),
    Column("summary", Text), Column("reason", Text), Column("conclusion", Text), Column("problems", Text),
    Column("measures", Text), Column("declared_total", VALUE),
)
ingest_log = Table(
    "ingest_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("file", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("department", String(200), nullable=False),
    Column("year", Integer, nullable=False),
    Column("replaced", Integer, nullable=False),
    Column("texts", Integer, nullable=False),
    Column("budget_lines", Integer, nullable=False),
    Column("indicators", Integer, nullable=False),
    Column("team", Integer, nullable=False),
    Column("accounts", Integer),            # 收支总表 rows (NULL: logged before contract v2)
    Column("facts", Integer),               # 部门情况 rows
    Column("deductions", Integer),          # 扣分事项 rows (NULL: logged before rulebook v2)
)
mail_log = Table(      # the mails that carried reports (evalnb mail --send, batch --mail)
    "mail_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("department", String(200), nullable=False),
    Column("year", Integer, nullable=False),
    Column("report_sha256", String(64), nullable=False),
    Column("recipients", Text, nullable=False),        # one recipient (before 0008: several, sorted, one per line)
    Column("subject", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False, server_default="delivered"),    # delivered | uncertain
)
store_info = Table(    # one row: the store's own id, made with the store (0011) and kept by a copy of it
    "store_info", metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
CHILDREN = {"texts": texts, "budget": budget_lines, "indicators": indicators, "team": team, "accounts": accounts,
            "facts": facts, "deductions": deductions, "projects": projects}


def open_store(url: str | None = None, create: bool = False) -> Engine:
    """An engine on the store, its schema upgraded to the newest migration on first use in this process;
    with ``create`` a missing SQLite file is made (else it is NotFoundError)."""
    url = url or default_db_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(_sqlite_file(parsed.database, parsed.query))
        if not path.exists():
            if not create:
                raise NotFoundError(f"没有找到数据库 {path}：请先导入工作簿（evalnb ingest 工作簿.xlsx，新项目加 --init），"
                                    f"或用 --db、环境变量 {settings.DB.name} 指定已有的数据库")
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    upgrade_schema(engine)
    return engine


def _sqlite_file(database: str, query: Mapping[str, object]) -> str:
    """The file a SQLite URL names: ``file:PATH`` when the URL asks for URI filenames (``uri=true``)."""
    if str(query.get("uri", "")).lower() in ("true", "1") and database.startswith("file:"):
        return database.removeprefix("file:")
    return database


MIGRATIONS = Path(__file__).with_name("migrations")
_upgraded: set[str] = set()


def upgrade_schema(engine: Engine) -> None:
    """Bring the store to the newest Alembic revision. A store made before migrations existed (tables but
    no ``alembic_version``) is stamped as the baseline first, then upgraded: its data is kept."""
    key = engine.url.render_as_string(hide_password=False)
    if key in _upgraded:
        return
    if _at_head(engine):               # the common case: no need to import Alembic (half a second) to know it
        _upgraded.add(key)
        return
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if "dept_years" in tables and "alembic_version" not in tables:
            command.stamp(config, "0001")
        command.upgrade(config, "head")
    _upgraded.add(key)


def head_revision() -> str:
    """The newest migration's revision id (the file names start with it: 0007_indicator_form_columns.py)."""
    return max(p.name.split("_")[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def _at_head(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:
        return False                    # no table yet: Alembic makes it
    return current == [head_revision()]


def save(engine: Engine, submissions: list[Submission]) -> list[bool]:
    """Write validated workbooks in one transaction: all of them land or none does.

    Returns, per workbook, whether it replaced a department-year already stored.
    """
    with engine.begin() as conn:
        return [_save_one(conn, sub) for sub in submissions]


def _save_one(conn: Connection, sub: Submission) -> bool:
    profile = sub.profile
    now = datetime.now(UTC)
    old = conn.execute(select(dept_years.c.id).where(
        dept_years.c.department == profile["department"], dept_years.c.year == profile["year"])).scalar()
    if old is not None:
        for table in CHILDREN.values():
            conn.execute(delete(table).where(table.c.dept_year_id == old))
        conn.execute(delete(dept_years).where(dept_years.c.id == old))
    new_id = conn.execute(insert(dept_years).values(
        **{k: profile.get(k) for k in ("department", "year", "parent", "rules", "nature",
                                       "declared_total", "declared_grade", "report_date", "attachment",
                                       "project_rules")},
        source_file=sub.file, source_path=sub.path, sha256=sub.sha256, loaded_at=now,
    )).inserted_primary_key[0]
    for key, table in CHILDREN.items():
        records = getattr(sub, key)
        if records:
            conn.execute(insert(table), [{**r, "dept_year_id": new_id, "seq": i} for i, r in enumerate(records)])
    counts = sub.row_counts
    conn.execute(insert(ingest_log).values(
        file=sub.file, sha256=sub.sha256, loaded_at=now, department=profile["department"],
        year=profile["year"], replaced=int(old is not None), texts=counts["texts"],
        budget_lines=counts["budget"], indicators=counts["indicators"], team=counts["team"],
        accounts=counts["accounts"], facts=counts["facts"], deductions=counts["deductions"]))
    return old is not None


def department_years(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        rows = conn.execute(select(dept_years.c.department, dept_years.c.year)
                            .order_by(dept_years.c.department, dept_years.c.year)).all()
    return [(r.department, r.year) for r in rows]


def store_id(engine: Engine) -> str | None:
    """The id made when the store was created (migration 0011): the same for a copy of the store (a backup, a
    moved project), different for any other store, whatever its URL. None if the row was removed."""
    with engine.connect() as conn:
        return conn.execute(select(store_info.c.id).order_by(store_info.c.created_at)).scalars().first()


FETCH_ATTEMPTS = 5


def _not_stored(department: str, year: int, stored: list[tuple[str, int]]) -> NotFoundError:
    """A department-year not in the store: what is, and what the user probably meant (a year it has, a name like it)."""
    years = sorted(y for d, y in stored if d == department)
    nearest = min(years, key=lambda y: abs(y - year)) if years else None
    return NotFoundError.department_year(department, year, stored, years, nearest,
                                         closest(department, sorted({d for d, _ in stored})))


def fetch(engine: Engine, department: str, year: int) -> dict[str, Any]:
    """The stored records of one department-year: ``profile`` and one list per child table.

    The records are one version: the version (:func:`version_of`) is read again after the child rows;
    if an ingest landed in between, the read is repeated."""
    for _ in range(FETCH_ATTEMPTS):
        with engine.connect() as conn:
            head = _head(conn, department, year)
            if head is None:
                raise _not_stored(department, int(year), department_years(engine))
            result: dict[str, Any] = {"profile": dict(head)}
            for key, table in CHILDREN.items():
                rows = conn.execute(select(table).where(table.c.dept_year_id == head["id"])
                                    .order_by(table.c.seq)).mappings().all()
                result[key] = [dict(r) for r in rows]
            again = _head(conn, department, year)
        if again is not None and version_of(again) == version_of(head):
            return result
    raise StaleDataError(f"{department} {year} 在读取时被连续重新导入 {FETCH_ATTEMPTS} 次，请稍后再试")


def _head(conn: Connection, department: str, year: int) -> Any:
    return conn.execute(select(dept_years).where(
        dept_years.c.department == department, dept_years.c.year == year)).mappings().first()


def version_of(head: Any) -> str:
    """A token that differs for every ingest of a department-year. The row id alone is not enough:
    SQLite hands a deleted row's id to the next insert, so the load time and the workbook's hash count too."""
    loaded = head["loaded_at"]
    stamp = loaded.isoformat() if hasattr(loaded, "isoformat") else str(loaded)
    return hashlib.sha256(f"{head['id']}|{head['sha256']}|{stamp}".encode()).hexdigest()[:16]


def current_version(engine: Engine, department: str, year: int) -> str | None:
    """The department-year's stored version (see :func:`version_of`), or None if it is not stored."""
    with engine.connect() as conn:
        head = _head(conn, department, year)
    return None if head is None else version_of(head)


def stored_rules(engine: Engine, department: str, year: int) -> str | None:
    """The rulebook the stored workbook names (None if the department-year is not stored)."""
    with engine.connect() as conn:
        head = _head(conn, department, year)
    return None if head is None else head["rules"]


def ingest_history(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(ingest_log).order_by(ingest_log.c.id)).mappings()]


def mailed(engine: Engine, department: str, year: int, report_sha256: str) -> dict[str, tuple[datetime, str]]:
    """Who has this very report (by recipient, lower case): when it was sent to them and whether it surely
    arrived (``delivered``) or may have (``uncertain``)."""
    with engine.connect() as conn:
        rows = conn.execute(select(mail_log.c.recipients, mail_log.c.sent_at, mail_log.c.status).where(
            mail_log.c.department == department, mail_log.c.year == year,
            mail_log.c.report_sha256 == report_sha256).order_by(mail_log.c.id)).all()
    return {address: (sent_at, status) for listed, sent_at, status in rows for address in listed.split("\n")}


def log_mail(engine: Engine, department: str, year: int, report_sha256: str, recipients: list[str],
             subject: str, status: str = "delivered") -> None:
    """One row per recipient, all in one transaction."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for address in sorted({a.strip().lower() for a in recipients}):
            conn.execute(insert(mail_log).values(department=department, year=year, report_sha256=report_sha256,
                                                 recipients=address, subject=subject, sent_at=now, status=status))
