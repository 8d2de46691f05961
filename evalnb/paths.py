"""Where things live. Users' files (outputs/, params/) are under the *home*; the section notebooks are
the home's own ``notebooks/`` when it has one (a checkout, or an analyst's copy), else the ones
installed with the package.

The home is ``$EVALNB_HOME`` (``$EVALNB_ROOT`` is an older name for it), else the nearest folder up
from the working directory that is a project: an evalnb checkout (it holds ``notebooks/`` and ``evalnb/``),
or a folder holding a store (``outputs/evalnb.sqlite``) or the mark ``evalnb ingest --init`` leaves
(``outputs/.evalnb-home``). The command refuses to run anywhere else (:func:`require_project`); the library
falls back to the working directory.
"""

from __future__ import annotations

import hashlib
import os
import re
import site
import sys
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from evalnb import settings
from evalnb.errors import EvalnbError, ProjectError

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"      # the shipped wording: prose/ (sections), mail/, evalnb/ (nbconvert)
WORDING_ENV = settings.TEMPLATES.name   # folders of a region's wording, searched before the shipped templates


# Every name under outputs/ (and params/), in one place.
OUTPUTS, PARAMS = "outputs", "params"
STORE_FILE = "evalnb.sqlite"              # the default store
HOME_MARK = ".evalnb-home"                # outputs/.evalnb-home: a project whose store is elsewhere (--db, EVALNB_DB)


def is_project(folder: Path) -> bool:
    """A checkout, or a folder with a store or the mark of ``evalnb ingest --init``."""
    return ((folder / "notebooks").is_dir() and (folder / "evalnb").is_dir()) or \
        (folder / OUTPUTS / STORE_FILE).is_file() or (folder / OUTPUTS / HOME_MARK).is_file()


def home_setting() -> tuple[str, Path] | None:
    """(variable name, folder) of the home set in the environment, if any."""
    for setting in (settings.HOME, settings.ROOT):
        if home := setting.get():
            return setting.name, Path(home).expanduser().resolve()
    return None


def find_project() -> Path | None:
    """The home set in the environment, else the nearest project up from the working directory, else None."""
    if (home := home_setting()) is not None:
        return home[1]
    here = Path.cwd().resolve()
    return next((folder for folder in (here, *here.parents) if is_project(folder)), None)


def project_root() -> Path:
    """The home folder: outputs/ and params/ are below it; relative paths given by users start here."""
    return find_project() or Path.cwd().resolve()


def require_project(creating: bool = False) -> Path:
    """The home, for the command: outside a project (or with a home variable naming no folder) a ProjectError that
    says where evalnb looked and how to get there. ``creating`` (``ingest --init``): the working directory (or the
    home variable's folder, made if missing) will do."""
    home = home_setting()
    if creating:
        return home[1] if home else find_project() or Path.cwd().resolve()
    if home is not None:
        name, folder = home
        if not folder.is_dir():
            raise ProjectError(f"环境变量 {name} 指向的项目目录 {folder} 不存在：请改为已有的 evalnb 项目目录，"
                               f"或取消 {name} 后在项目目录中运行；要在该处新建项目：evalnb ingest --init 工作簿.xlsx")
        return folder
    if (found := find_project()) is not None:
        return found
    here = Path.cwd().resolve()
    raise ProjectError(
        f"这里不是 evalnb 项目目录：在 {here} 及其上层目录中没有找到项目（项目目录含 outputs/{STORE_FILE}，"
        f"或是 evalnb 源码目录）。请 cd 到项目目录后再运行，或设置环境变量 {settings.HOME.name}=项目目录；"
        f"要在 {here} 新建项目：evalnb ingest --init 工作簿.xlsx。本目录未写入任何文件")
REPORT_FILE = "report.html"               # outputs/<部门>/<年度>/…: the report, as the tools address it
MEMO_FILE = "复核意见.html"                 # the review memo beside it
MEMO_DOCUMENT = MEMO_FILE.removesuffix(".html")   # …_复核意见.html, …_复核意见.xlsx: the review, for people
PROVENANCE_FILE = "provenance.json"       # what the report was made from
RECORD_FILE = ".evalnb-report.json"       # the fingerprint of the inputs and the sha256 of every file written
LOCK_FILE = ".evalnb.report.lock"         # one writer per folder
SECTIONS_DIR = "sections"                 # the executed section notebooks of the current report
FAILED_DIR = "failed"                     # those of a failed run, for inspection
STAGING_PREFIX = ".staging-"              # a run's folder until it is swapped into place
CACHE_DIR = ".cache"                      # outputs/.cache/<部门>/<年度>: executed sections by key; matplotlib/
SUMMARY_DIR = "summary"                   # outputs/summary/<年度>.html


def outputs_dir() -> Path:
    return project_root() / OUTPUTS


def notebooks_dir() -> Path:
    """The section notebooks: the home's ``notebooks/``, else the checkout's (editable install), else
    the copies installed under the environment's ``share/evalnb/notebooks``."""
    candidates = [project_root() / "notebooks", PACKAGE.parent / "notebooks",
                  Path(sys.prefix) / "share" / "evalnb" / "notebooks",
                  Path(site.getuserbase()) / "share" / "evalnb" / "notebooks"]
    for folder in candidates:
        if (folder / "01_basic_info.ipynb").is_file():
            return folder
    raise EvalnbError("找不到章节 notebook：evalnb 安装不完整，请重新安装（pip install evalnb），"
                      "或在 evalnb 项目目录中运行")


def default_db_url() -> str:
    """``$EVALNB_DB`` if set, else the SQLite file ``outputs/evalnb.sqlite``."""
    return settings.DB.get() or f"sqlite:///{outputs_dir() / STORE_FILE}"


MAX_NAME_BYTES = 120     # well under the 255-byte limit of a file name, leaving room for suffixes
LONG_NAME_BYTES = 180    # a name made of several texts (department, year, project): still room for ".docx" and a
#                          write-then-rename temporary name (about 20 bytes more)
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def safe_name(text: str, limit: int = MAX_NAME_BYTES) -> str:
    """A file or folder name for a department (or any user text): readable, and different for
    different texts. Chinese is kept; path separators, control and format characters (an RTL override
    too), Windows-reserved names and leading dots are replaced; when anything had to change, or the
    name is cut to ``limit`` bytes, a short hash of the original text is appended, so ``a/b`` and
    ``a_b`` never share a folder."""
    cleaned = "".join("_" if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in text)
    cleaned = re.sub(r'[\\/:*?"<>|]', "_", cleaned).strip(" .")
    if cleaned.split(".")[0].upper() in WINDOWS_RESERVED:
        cleaned = f"_{cleaned}"
    encoded = cleaned.encode("utf-8")
    if cleaned == text and cleaned and len(encoded) <= limit:
        return cleaned
    short = encoded[:limit - 9].decode("utf-8", errors="ignore")
    return f"{short or '_'}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


REPORT_TITLE = "年度整体支出绩效自评报告"


def document_name(department: str, year: int, document: str = "", suffix: str = ".html") -> str:
    """A file name for people: 科学技术局_2024年度整体支出绩效自评报告.html, …_复核意见.html."""
    tail = f"_{document}" if document else ""
    return f"{safe_name(department)}_{year}{REPORT_TITLE}{tail}{suffix}"


def report_dir(department: str, year: int, root: Path | None = None) -> Path:
    """outputs/<部门>/<年度>: where a department-year's report and its companions are written."""
    return (root or outputs_dir()) / safe_name(department) / str(year)


def cache_dir(department: str, year: int, root: Path | None = None) -> Path:
    """outputs/.cache/<部门>/<年度>: the executed sections of a department-year, by key."""
    return (root or outputs_dir()) / CACHE_DIR / safe_name(department) / str(year)


def summary_dir(root: Path | None = None) -> Path:
    return (root or outputs_dir()) / SUMMARY_DIR


def params_dir() -> Path:
    return project_root() / PARAMS


def override_dirs() -> list[Path]:
    """The folders named by ``EVALNB_TEMPLATES`` (several separated by ``os.pathsep``), searched in order."""
    return settings.TEMPLATES.paths()


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Write-then-rename: a temporary path beside ``target`` (a random name, so two writers never share it)
    that replaces ``target`` when the block succeeds. On failure (a full disk, a crash of the writer) it is
    removed and ``target`` keeps its previous content."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        if exc.filename is None:       # a write on an open file (a full disk) names no file: name the target
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(target: Path, content: str | bytes) -> Path:
    """``content`` (text as UTF-8) into ``target``, write-then-rename."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return target
