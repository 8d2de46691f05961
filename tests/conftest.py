"""Shared fixtures: real workbooks written with openpyxl, real SQLite stores in tmp folders."""

from __future__ import annotations

import copy
import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from evalnb.intake.blank import write_workbook
from evalnb.intake.ingest import ingest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "sample").glob("*.xlsx"))
SEED_SAMPLE = ROOT / "data" / "sample" / "科学技术局_2024.xlsx"


def minimal_content() -> dict[str, list[dict]]:
    """A small valid department-year, keyed by sheet and column header as a user types them."""
    return copy.deepcopy({
        "基本信息": [{"字段": "部门名称", "内容": "测试局"}, {"字段": "年度", "内容": 2024}],
        "文字材料": [{"章节": "主要职能", "内容": "负责测试工作。"},
                    {"章节": "存在问题", "内容": "项目甲执行进度偏慢。"},
                    {"章节": "改进措施", "内容": "按月调度项目进度。"}],
        "项目支出": [
            {"项目名称": "项目甲", "项目类别": "业务", "资金来源": "区本级财政", "年初预算数（万元）": 100,
             "全年预算数（万元）": 100, "全年执行数（万元）": 95},
            {"项目名称": "项目乙", "项目类别": "运转", "资金来源": "上级转移支付", "年初预算数（万元）": 50,
             "全年预算数（万元）": 60, "全年执行数（万元）": 60},
        ],
        "绩效指标": [
            {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "培训人次", "指标性质": "定量",
             "指标方向": "≥", "年度指标值": 100, "实际完成值": 120, "计量单位": "人次", "分值": 50},
            {"一级指标": "效益指标", "二级指标": "社会效益指标", "三级指标": "服务水平", "指标性质": "定性",
             "年度指标值": "服务水平提升", "实际完成值": "达成年度指标", "分值": 30},
            {"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "满意度", "指标性质": "定量",
             "指标方向": ">=", "年度指标值": "90%", "实际完成值": "92%", "计量单位": "%", "分值": 10},
        ],
        "评价工作组": [{"姓名": "张三", "工作单位": "测试局", "职务": "局长", "组内分工": "组长"}],
    })


@pytest.fixture
def content() -> dict[str, list[dict]]:
    return minimal_content()


@pytest.fixture
def make_workbook(tmp_path: Path):
    """Write a workbook from content into tmp_path and return its path."""
    def make(content: dict, name: str = "测试局_2024.xlsx") -> Path:
        return write_workbook(tmp_path / name, content)
    return make


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


def evalnb(*args, env=None):
    return subprocess.run([sys.executable, "-m", "evalnb.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture(scope="session")
def project(tmp_path_factory):
    """A project root of its own (copied notebooks, own outputs) with the samples ingested."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    (root / "evalnb").mkdir()   # project_root() looks for notebooks/ and evalnb/
    db = f"sqlite:///{root / 'outputs' / 'evalnb.sqlite'}"
    ingest(SAMPLES, db)
    return {"root": root, "db": db, "env": {"EVALNB_ROOT": str(root)}}


@pytest.fixture(scope="session")
def seed_report(project):
    result = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], env=project["env"])
    assert result.returncode == 0, result.stderr
    path = project["root"] / "outputs" / "科学技术局" / "2024" / "report.html"
    return {"path": path, "html": path.read_text(encoding="utf-8"), "stdout": result.stdout, "stderr": result.stderr}


@pytest.fixture(scope="session")
def seed_text(seed_report):
    return BeautifulSoup(seed_report["html"], "html.parser").get_text(" ", strip=True)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The PostgreSQL server `make test` starts (.ci/start-postgres); in CI its absence is a failure."""
    url = os.environ.get("EVALNB_TEST_PG")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("EVALNB_TEST_PG is not set: run the tests with `make test`")
        pytest.skip("no PostgreSQL server: `make test` starts one")
    return url


@pytest.fixture
def pg_url(pg_admin_url):
    """A fresh, empty database on the test server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"evalnb_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
