"""What the ``evalnb`` command shows a person: Chinese help and errors, logging, progress, tables.

Every failure a user can cause or meet (a bad workbook, a store that cannot be reached, a full disk,
Ctrl-C) becomes one Chinese message and a documented exit code; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import logging
import re
import sys
import unicodedata
from collections.abc import Sequence

from evalnb import settings
from evalnb.errors import EvalnbError

log = logging.getLogger("evalnb")

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_NOT_FOUND, EXIT_STORE, EXIT_FILES, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 5, 130

SEVERITY = {"error": "错误", "warning": "提示", "info": "信息"}

def setup_logging(verbose: int = 0, quiet: bool = False, log_file: str | None = None) -> None:
    """Messages to stderr (``-v`` more, ``-q`` only warnings and errors) and, with ``--log``, all of
    them with times to a file, for unattended batch runs."""
    # asyncio reports tasks that ended with the kernel (Ctrl-C, a dead kernel) on its own logger: noise here.
    logging.getLogger("asyncio").setLevel(logging.DEBUG if verbose > 1 else logging.CRITICAL)
    log.handlers.clear()
    log.setLevel(logging.DEBUG)
    log.propagate = False
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)
    console.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(console)
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)


def explain(exc: BaseException) -> tuple[str, int] | None:
    """A Chinese message and exit code for a failure the user can act on; None if it is a bug."""
    if isinstance(exc, EvalnbError):
        return str(exc), exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return "已中断", EXIT_INTERRUPTED
    store = _explain_store(exc)
    if store:
        return store, EXIT_STORE
    if isinstance(exc, OSError):
        return _explain_os(exc), EXIT_FILES
    return None


def _explain_store(exc: BaseException) -> str | None:
    from sqlalchemy import exc as sa

    if isinstance(exc, sa.NoSuchModuleError | sa.ArgumentError):
        return (f"数据库地址（--db 或 {settings.DB.name}）无法识别或缺少驱动：应为 SQLAlchemy 地址，如 "
                "sqlite:///outputs/evalnb.sqlite 或 postgresql+psycopg://用户@主机/库"
                "（PostgreSQL 需安装 evalnb[postgres]）")
    if isinstance(exc, ModuleNotFoundError) and exc.name in ("psycopg", "psycopg2", "pymysql", "MySQLdb"):
        return (f"数据库驱动 {exc.name} 未安装：evalnb 支持 SQLite（无需驱动）和 PostgreSQL"
                "（pip install 'evalnb[postgres]'）")
    if isinstance(exc, sa.OperationalError) and "readonly database" in str(exc.orig):
        return ("数据库文件只读，无法写入：请检查该文件及其所在文件夹的写权限"
                f"（--db 或 {settings.DB.name} 指向的 SQLite 文件），或换一个可写的位置")
    if isinstance(exc, sa.OperationalError | sa.InterfaceError):
        return ("无法连接或访问数据库，请检查地址、端口、用户名、密码、库名是否正确，服务器是否在运行。"
                f"数据库的回答：{_first_line(exc.orig)}")
    if isinstance(exc, sa.DataError | sa.IntegrityError):
        return f"数据库拒绝写入（数值过大或文字过长等）：{_first_line(exc.orig)}；已写入的内容已回滚"
    if isinstance(exc, sa.SQLAlchemyError):
        return f"数据库出错：{_first_line(exc)}"
    return None


def _explain_os(exc: OSError) -> str:
    import errno

    where = f"：{exc.filename}" if exc.filename else ""
    reasons = {errno.ENOSPC: "磁盘已满", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
               errno.EROFS: "文件系统只读", errno.ENOENT: "文件或目录不存在", errno.EISDIR: "这是一个目录，不是文件",
               errno.ENOTDIR: "路径中有一段不是目录", errno.ENAMETOOLONG: "文件名过长", errno.EMFILE: "打开的文件过多"}
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return f"文件操作失败（{reason}）{where}"


def _first_line(exc: object) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def mask_secrets(text: str) -> str:
    """A URL's password never reaches the console, a log or a file."""
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def printable(text: str) -> str:
    """User text on one terminal line: control and bidi-format characters shown as escapes."""
    return "".join(ch if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp") else f"\\u{ord(ch):04x}"
                   for ch in text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    rows = [[printable(cell) for cell in row] for row in rows]
    widths = [max(width(x) for x in col) for col in zip(header, *rows, strict=True)]
    return "\n".join("  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in (header, *rows))


def closest(word: str, choices: Sequence[str], n: int = 3) -> list[str]:
    """The choices a mistyped ``word`` most likely meant: those holding its characters in order (科技局 → 科学技术局),
    then those spelled alike (reprot → report); at most ``n``."""
    import difflib

    def holds(choice: str) -> bool:
        it = iter(choice)
        return len(word) > 1 and all(ch in it for ch in word)

    ordered = sorted((c for c in choices if c != word and holds(c)), key=lambda c: len(c) - len(word))
    ordered += difflib.get_close_matches(word, [c for c in choices if c != word], n=n, cutoff=0.5)
    return list(dict.fromkeys(ordered))[:n]


PROGRESS_FORMAT = "{desc}：{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} 份 [已用 {elapsed}，预计剩余 {remaining}]{postfix}"
