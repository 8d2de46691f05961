"""A normal install, as a user outside the checkout gets it: build the wheel, install it with the locked
runtime dependencies into a fresh venv in a temp folder, and render the sample report there."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEED_SAMPLE

pytestmark = pytest.mark.soak          # a fresh venv and a real render: the long lane

# With bytecode compiled at install (~130 MB; a kernel then imports pandas/matplotlib without compiling them,
# even under PYTHONDONTWRITEBYTECODE): 532 MB measured; without it the venv grows to that size on first use.
RUNTIME_BUDGET_MB = 600


def run(cmd: list, cwd: Path, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert result.returncode == 0, f"{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def clean_env(**extra: str) -> dict:
    """The user's environment: no evalnb settings, no venv of ours on PATH."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("EVALNB_", "VIRTUAL_ENV", "PYTHONPATH", "JUPYTER"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    return {**env, **extra}


def du_mb(folder: Path) -> float:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(ROOT, src, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "outputs", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"))
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, src], cwd=src)
    return next(dist.glob("evalnb-*.whl"))


def test_wheel_carries_notebooks_templates_and_fonts(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    data = next(n.split("/")[0] for n in names if ".data/" in n)
    committed = sorted(p.relative_to(ROOT / "notebooks").as_posix() for p in (ROOT / "notebooks").rglob("*.ipynb"))
    assert sorted(n.split("share/evalnb/notebooks/")[1] for n in names if "share/evalnb/notebooks/" in n) == committed
    assert f"{data}/data/share/jupyter/nbconvert/templates/evalnb/index.html.j2" in names
    assert f"{data}/data/etc/jupyter/jupyter_server_config.d/evalnb.json" in names
    assert "evalnb/templates/evalnb/index.html.j2" in names and "evalnb/rules/national-2020.yaml" in names
    assert any(n.startswith("evalnb/sections/fonts/") and n.endswith((".otf", ".ttf")) for n in names)
    assert "evalnb/sections/fonts/OFL.txt" in names and "evalnb/store/migrations/script.py.mako" in names


def wheelhouse() -> Path:
    """Every locked runtime wheel, downloaded once per lock file (keyed by its sha256) into the user's cache,
    so the install below runs offline as an intranet install does (README, "Offline / intranet")."""
    lock = ROOT / "requirements.lock"
    key = hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    folder = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "evalnb-tests" / f"wheelhouse-{key}"
    if not (folder / ".complete").is_file():
        staging = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--require-hashes",
             "--no-deps", "-r", lock, "-d", staging], cwd=ROOT)
        (staging / ".complete").touch()
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    return folder


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the locked runtime and the wheel, installed with no index (offline)."""
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", venv], cwd=venv)
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "install", "--quiet", "--no-index",
           "--find-links", wheelhouse()]
    run([*pip, "--require-hashes", "--no-deps", "-r", ROOT / "requirements.lock"], cwd=venv)
    run([*pip, "--no-deps", wheel], cwd=venv)
    return venv


@pytest.fixture(scope="module")
def user_folder(installed, tmp_path_factory) -> Path:
    """A folder of the user's, far from the checkout, where the sample report is rendered."""
    work = tmp_path_factory.mktemp("user")
    evalnb = installed / "bin" / "evalnb"
    run([evalnb, "ingest", "--init", SEED_SAMPLE], cwd=work, env=clean_env())     # a new project: --init
    run([evalnb, "report", "--dept", "科学技术局", "--year", "2024"], cwd=work, env=clean_env())
    return work


def test_installed_wheel_renders_the_sample_report_under_the_working_directory(installed, user_folder):
    report = user_folder / "outputs" / "科学技术局" / "2024" / "report.html"
    text = report.read_text(encoding="utf-8")
    assert "科学技术局" in text and "2024年度整体支出绩效自评报告" in text and "98.72%" in text
    assert (user_folder / "outputs" / "evalnb.sqlite").is_file()
    site = next((installed / "lib").glob("python3*/site-packages"))
    assert not (site / "outputs").exists()          # nothing written into the installation


def test_installed_wheel_batch_and_home_variable(installed, user_folder, tmp_path):
    home = tmp_path / "home"
    env = clean_env(EVALNB_HOME=str(home))
    run([installed / "bin" / "evalnb", "ingest", "--init", SEED_SAMPLE], cwd=tmp_path, env=env)
    result = run([installed / "bin" / "evalnb", "batch", "--workers", "1"], cwd=tmp_path, env=env)
    assert "成功 1 份，失败 0 份" in result.stdout
    assert (home / "outputs" / "科学技术局" / "2024" / "report.html").is_file()


def test_installed_entry_points(installed, tmp_path):
    version = run([installed / "bin" / "python", "-m", "evalnb", "--version"], cwd=tmp_path, env=clean_env())
    assert version.stdout.startswith("evalnb ")
    assert "用法" in run([installed / "bin" / "evalnb", "--help"], cwd=tmp_path, env=clean_env()).stdout


def test_installed_nbconvert_finds_the_evalnb_template(installed, user_folder, tmp_path):
    section = user_folder / "outputs" / "科学技术局" / "2024" / "sections" / "01_basic_info.ipynb"
    run([installed / "bin" / "jupyter", "nbconvert", "--to", "html", "--template", "evalnb", "--output-dir", tmp_path,
         section], cwd=tmp_path, env=clean_env())
    html = (tmp_path / "01_basic_info.html").read_text(encoding="utf-8")
    assert "<script" not in html and "load_context" not in html and "部门概况" in html


def test_runtime_venv_stays_lean_and_has_no_test_tools(installed, user_folder):
    """Measured after a report ran, so the bytecode Python writes on import is counted too."""
    size = du_mb(installed)
    print(f"runtime venv: {size:.0f} MB")
    assert size <= RUNTIME_BUDGET_MB
    site = next((installed / "lib").glob("python3*/site-packages"))
    for dev_only in ("pytest", "playwright", "hypothesis", "ruff", "mplfonts", "psycopg", "distributed"):
        assert not (site / dev_only).exists(), dev_only
