"""Fixtures (real workbooks written with openpyxl, real SQLite stores and projects in tmp folders, real servers)
and the test tiers.

Tiers are markers assigned here from what a test uses, so nobody has to remember them:
``unit`` (no kernel, no process), ``render`` (a kernel or the ``evalnb`` command), ``system`` (Chromium,
LibreOffice, JupyterLab, PostgreSQL, dask or an SMTP server) and ``soak`` (long runs, marked in their module).
A ``unit`` test that starts a process fails and says so, so a test cannot sit in the wrong tier unnoticed.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import inspect
import os
import shutil
import subprocess
import textwrap
import uuid
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from evalnb.intake.blank import write_workbook
from tests.helpers import evalnb, fuzz_seed, minimal_content, new_project, project_at, warm_up

TIERS = ("unit", "render", "system", "soak")
SYSTEM_FIXTURES = {"browser", "lab", "pg_admin_url", "pg_url", "smtp_server", "chromium", "soffice"}
RENDER_FIXTURES = {"seed_report", "seed_text", "warm_sections"}   # a project of its own renders only when asked to
# Calls that start a kernel or a process; a test reaching one (directly or through a helper of its module)
# is at least `render`.
RENDER_CALLS = {"evalnb", "subprocess", "Popen", "render_report", "render_review", "render_summary", "publish",
                "run_batch", "run_job", "open_session", "ensure_kernel", "KernelSession", "write_pdf", "main",
                "session_for", "render_projects", "publish_projects"}
SYSTEM_CALLS = {"soffice", "write_pdf", "LocalCluster", "Controller"}


def pytest_report_header(config: pytest.Config) -> str:
    seed = fuzz_seed()
    return f"fuzz seed: {seed} (replay: EVALNB_FUZZ_SEED={seed})"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "unit: no kernel and no process (make test-fast)")
    config.addinivalue_line("markers", "render: runs a kernel or the evalnb command")
    config.addinivalue_line("markers", "system: Chromium, LibreOffice, JupyterLab, PostgreSQL, dask or an SMTP server")
    config.addinivalue_line("markers", "soak: long runs (200 reports, a batch of 30, kill -9, a fresh install)")


def _names_reached(function, depth: int = 3) -> set[str]:
    """The global names a test function uses, and those of the module-level functions it calls (a few levels)."""
    seen: set[str] = set()
    pending = [(function, 0)]
    module = inspect.getmodule(function)
    while pending:
        fn, level = pending.pop()
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
        except (OSError, TypeError, SyntaxError):
            if level == 0:          # the test's own source unreadable (edited since import): assume the worst
                return set(RENDER_CALLS)
            continue
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | \
                {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        for name in names - seen:
            seen.add(name)
            target = getattr(module, name, None)
            if level < depth and inspect.isfunction(target) and inspect.getmodule(target) is module:
                pending.append((target, level + 1))
    return seen


def tier(item: pytest.Item) -> str:
    """The tier a test belongs to: the one it is marked with (soak tests, and what no fixture shows), else the
    highest that its fixtures and the calls it reaches need."""
    for marked in ("soak", "system", "render"):
        if item.get_closest_marker(marked):
            return marked
    fixtures = set(getattr(item, "fixturenames", ()))
    params = getattr(getattr(item, "callspec", None), "params", {})
    reached = _names_reached(item.function) if hasattr(item, "function") else set()
    if fixtures & SYSTEM_FIXTURES or reached & SYSTEM_CALLS or "postgresql" in params.values():
        return "system"
    if fixtures & RENDER_FIXTURES or reached & RENDER_CALLS or item.module.__name__.endswith("test_fuzz"):
        return "render"
    return "unit"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        found = tier(item)
        if not item.get_closest_marker(found):
            item.add_marker(found)
    items.sort(key=lambda item: not item.get_closest_marker("soak"))   # the longest first: workers finish together
    for item in items:
        if {"seed_report", "seed_text"} & set(item.fixturenames):
            item.add_marker(pytest.mark.xdist_group("sample-project"))   # one worker renders the samples once
        elif {"wheel", "installed"} & set(item.fixturenames):
            item.add_marker(pytest.mark.xdist_group("install"))          # one wheel and one fresh venv


class _NoProcess:
    def __init__(self, *args, **kwargs):
        raise AssertionError("a `unit` test started a process: use a fixture of the render tier "
                             "(project, make_project) or the CLI helper, so the test is tiered `render`")


@pytest.fixture(autouse=True)
def _unit_tests_start_no_process(request, monkeypatch):
    if request.node.get_closest_marker("unit") and not request.node.get_closest_marker("render"):
        monkeypatch.setattr(subprocess, "Popen", _NoProcess)
    yield


# --------------------------------------------------------------------------------------------- workbooks

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


# ---------------------------------------------------------------------------------------------- projects
# The warm start: the samples are ingested once per test run into a template project, and every sample
# department-year is rendered there once. A project a test makes copies the template's store (whose own id comes
# with it) and, for a test that renders, its section cache and the cache's key, so its first report reuses every
# unchanged section. A test about caching, fingerprints, kills or hostile input asks for ``cold=True`` (or makes
# a project of its own workbooks, which nothing has rendered).

def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every test worker of this run sees (xdist gives each worker a base folder below a shared one)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "warm"
    folder.mkdir(exist_ok=True)
    return folder


@contextlib.contextmanager
def _exclusive(folder: Path):
    """Hold the folder's lock: one worker builds the template, the others wait for it."""
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def warm_store(tmp_path_factory) -> dict:
    """The template project: the samples ingested once per test run (no process; unit tests may copy it)."""
    folder = _shared_folder(tmp_path_factory)
    with _exclusive(folder):
        if not (folder / "ingested").exists():
            shutil.rmtree(folder / "project", ignore_errors=True)
            new_project(folder / "project", samples=True)
            (folder / "ingested").touch()
    return project_at(folder / "project")


@pytest.fixture(scope="session")
def warm_sections(tmp_path_factory, warm_store) -> dict:
    """The template with every sample department-year rendered once (one batch per test run)."""
    folder = _shared_folder(tmp_path_factory)
    with _exclusive(folder):
        if not (folder / "rendered").exists():
            result = evalnb("batch", "--workers", "2", "--db", warm_store["db"], env=warm_store["env"])
            assert result.returncode == 0, result.stdout + result.stderr
            (folder / "rendered").touch()
    return {**warm_store, "rendered": True}


def _tier_renders(request: pytest.FixtureRequest) -> bool:
    return not request.node.get_closest_marker("unit")


@pytest.fixture
def make_project(tmp_path: Path, request: pytest.FixtureRequest):
    """``make_project(contents=None, samples=False, cold=False)``: a new project under this test's tmp folder.
    With the samples it starts warm (a copy of the template, its sections cached) unless ``cold``."""
    made = []

    def make(contents: list[dict] | None = None, samples: bool = False, cold: bool = False) -> dict:
        root = tmp_path / f"project{len(made) or ''}"
        if samples and not cold:
            template = request.getfixturevalue("warm_sections" if _tier_renders(request) else "warm_store")
            made.append(new_project(root, contents, template=template))
        else:
            made.append(new_project(root, contents, samples))
        return made[-1]
    return make


@pytest.fixture(scope="session")
def project(tmp_path_factory, warm_store):
    """The samples in a project shared by the tests that only read it (one per test worker), a copy of the
    template's store; its sections are cached (the template's) before a test of a rendering tier uses it."""
    return new_project(tmp_path_factory.mktemp("shared") / "project", template=warm_store)


@pytest.fixture(autouse=True)
def _shared_project_starts_warm(request: pytest.FixtureRequest):
    """The shared project reaches a test that renders with the template's sections cached."""
    if "project" in request.fixturenames and _tier_renders(request):
        warm_up(request.getfixturevalue("project"), request.getfixturevalue("warm_sections"))


@pytest.fixture(scope="session")
def seed_report(project, warm_sections):
    warm_up(project, warm_sections)
    result = evalnb("report", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], env=project["env"])
    assert result.returncode == 0, result.stderr
    path = project["root"] / "outputs" / "科学技术局" / "2024" / "report.html"
    return {"path": path, "html": path.read_text(encoding="utf-8"), "stdout": result.stdout, "stderr": result.stderr}


@pytest.fixture(scope="session")
def seed_text(seed_report):
    return BeautifulSoup(seed_report["html"], "html.parser").get_text(" ", strip=True)


# ------------------------------------------------------------------------------------------ system parts

@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, once per test worker, with the network off."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=args)
        yield launched
        launched.close()


def _program(name: str) -> str:
    """A system program `make test` installs (Debian's); its absence fails the test, never skips it."""
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: run the tests with `make test`")
    return found


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium that prints PDFs."""
    return _program("chromium")


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice Writer, which opens the Word files as a department would."""
    return _program("soffice")


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
