"""Read and validate a department-year workbook.

:func:`read_workbook` returns a :class:`Submission` or raises :class:`WorkbookError` carrying every
problem found, each located by file, sheet, Excel row and column header as the user wrote them.
Nothing here touches the store.

Whatever the file holds, those are the only two outcomes. The bytes are read once (regular files only,
size-capped) and sniffed, so that an .xls, an encrypted workbook, a PDF or a CSV is named as what it is;
the zip package is checked (decompressed size, no DOCTYPE in any XML part); each sheet's XML is scanned
in one streaming pass for data beyond :mod:`evalnb.limits` and for cells openpyxl could not convert;
only then does openpyxl read the sheet, in read-only mode and within those bounds.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import re
import stat
import warnings
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import openpyxl
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.utils.datetime import from_ISO8601

from evalnb import limits as _limits
from evalnb.errors import Problem, RulebookError, WorkbookError
from evalnb.rules import DEFAULT_RULES, Rulebook, fit, load_rulebook
from evalnb.store.submission import Submission
from evalnb.text.fmt import RANK_UNITS
from evalnb.text.numbers import NumberFormatError, NumberTooLarge, normalize_text, parse_number, shown
from evalnb.workbook import (
    ACCOUNT_ITEMS,
    ACCOUNTS,
    BUDGET,
    CORE_ANSWERS,
    DATA_NATURES,
    DEDUCTIONS,
    DIRECTIONS,
    EXPENSE_TYPES,
    FACT_ITEMS,
    FACTS,
    FUND_NATURES,
    INDICATORS,
    NOT_APPLICABLE,
    PROFILE,
    PROFILE_FIELDS,
    PROJECT,
    REQUIRED_PROFILE_FIELDS,
    SHEETS,
    TEAM,
    TEAM_ROLES,
    TEXT_ORIGINS,
    TEXT_SECTIONS,
    TEXTS,
    Sheet,
)

SEPARATORS = r"[;；、]"
# C0 controls other than tab/newline, DEL and lone surrogates (from _xD800_ escapes): no store keeps them.
INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
SHOWN_CHARS = 60
# Profile fields stored in a String column of dept_years (the width PostgreSQL enforces).
PROFILE_STORE_COLUMNS = {"部门名称": "department", "上级主管部门": "parent", "评分规则": "rules", "评价等级": "declared_grade",
                         "附件编号": "attachment"}
RESAVE = "请在 Excel（或 WPS）中打开，另存为“Excel 工作簿 (*.xlsx)”后再导入"
ENCRYPTED = ("文件已加密（设置了打开密码），无法读取：请在 Excel 中取消密码"
             "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MAX_PARTS = 10000            # zip members; an .xlsx has a few dozen
PROLOG_BYTES = 64 * 1024     # how far into an XML part its root element must have started


def _shown_value(value: object) -> str | None:
    """A cell value for a message, cut short: nobody wants a 10 000-character paragraph echoed back."""
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}…（共 {len(text)} 字）"


def _letter(column: int) -> str:
    try:
        return get_column_letter(column)
    except ValueError:
        return f"第{column}列"


class _Row:
    """One data row of a sheet; the typed getters record problems instead of raising."""

    def __init__(self, file: str, sheet: Sheet, excel_row: int, cells: dict[str, Any],
                 formats: dict[str, str], headers: dict[str, str], problems: list[Problem],
                 limits: _limits.Limits | None = None):
        self.file, self.sheet, self.excel_row = file, sheet, excel_row
        self.cells, self.formats, self.headers, self.problems = cells, formats, headers, problems
        self.limits = limits or _limits.current()
        self.bad: set[str] = set()       # cells already refused (too long, control characters)

    def header(self, key: str) -> str:
        return self.headers.get(key, key)

    def blank_except(self, key: str) -> bool:
        """Only ``key`` is filled: a 科目 the template lists that the department left empty."""
        return all(normalize_text(v) == "" for k, v in self.cells.items() if k != key)

    def problem(self, key: str, expected: str, show_value: bool = True) -> None:
        shown_value = _shown_value(self.cells.get(key)) if show_value else None
        self.problems.append(Problem(self.file, self.sheet.name, self.excel_row, self.header(key), shown_value, expected))

    def check_text(self, key: str, limit: int) -> None:
        """Refuse text longer than ``limit`` or holding control characters; the getters then skip the cell."""
        value = self.cells.get(key)
        if not isinstance(value, str) or key in self.bad:
            return
        if len(value) > limit:
            self.problem(key, f"文字过长：共 {len(value)} 个字符，此列最多 {limit} 个字符")
            self.bad.add(key)
        elif match := INVISIBLE.search(value):
            self.problem(key, f"含有不可见的控制字符（U+{ord(match.group()):04X}，第 {match.start() + 1} 个字符），"
                              "请删除后再保存")
            self.bad.add(key)

    def check_one_line(self, key: str) -> None:
        """A name (部门名称 …) goes into file names, mail subjects and titles: no line breaks (Alt+Enter)."""
        value = self.cells.get(key)
        if isinstance(value, str) and key not in self.bad and ("\n" in value.strip() or "\r" in value.strip()):
            self.problem(key, "不能换行（单元格中按了 Alt+Enter）：请写在一行内")
            self.bad.add(key)

    def text(self, key: str, required: bool = False) -> str | None:
        """Text as typed (trimmed); full-width punctuation of Chinese prose is kept."""
        if key in self.bad:
            return None
        raw = self.cells.get(key)
        value = "" if raw is None else str(raw).strip()
        if not value and required and key in self.cells:  # a missing column is reported once, on row 1
            self.problem(key, "必填，不能为空", show_value=False)
        return value or None

    def token(self, key: str) -> str | None:
        """A short code-like value (unit, rulebook name): full-width characters folded to half-width."""
        return None if key in self.bad else normalize_text(self.cells.get(key)) or None

    def choice(self, key: str, choices: dict[str, str] | tuple[str, ...], required: bool = True) -> str | None:
        if self.text(key, required) is None:
            return None
        value = normalize_text(self.cells.get(key))
        # keys as normalize_text folds them: 因公出国（境）费 typed with either kind of bracket
        mapping = {normalize_text(k): v for k, v in (choices.items() if isinstance(choices, dict) else
                                                     ((c, c) for c in choices))}
        if value not in mapping:
            allowed = "、".join(dict.fromkeys(mapping.values()))
            self.problem(key, f"应为以下之一：{allowed}")
            return None
        return mapping[value]

    def number(self, key: str, unit: str | None = None, required: bool = False,
               minimum: Decimal | None = Decimal(0), too_big: str | None = None,
               text: str | None = None) -> Decimal | None:
        """The cell's number (``text``: the part of the cell that holds it, e.g. 50个 of ≥50个)."""
        if key in self.bad:
            return None
        raw = self.cells.get(key) if text is None else text
        if raw is None or normalize_text(raw) == "":
            if required and key in self.cells:
                self.problem(key, "必填，应为数字", show_value=False)
            return None
        percent = "%" in self.formats.get(key, "")
        try:
            value = parse_number(raw, unit, percent_format=percent, limits=self.limits)
        except NumberTooLarge as exc:
            self.problem(key, too_big or str(exc))
            return None
        except NumberFormatError as exc:
            self.problem(key, str(exc))
            return None
        if minimum is not None and value < minimum:
            self.problem(key, f"应为不小于 {minimum} 的数字")
            return None
        return value

    def money(self, key: str, required: bool = False) -> Decimal | None:
        """An amount in 万元, below ``limits.money``."""
        too_big = f"金额过大：应小于 {shown(self.limits.money)} 万元（金额单位为万元，请确认没有按元填写）"
        value = self.number(key, required=required, too_big=too_big)
        if value is not None and value >= self.limits.money:
            self.problem(key, too_big)
            return None
        return value

    def score(self, key: str, required: bool = False) -> Decimal | None:
        """Points: 0 to ``limits.score``."""
        too_big = f"分值应在 0 到 {shown(self.limits.score)} 之间"
        value = self.number(key, required=required, too_big=too_big)
        if value is not None and value > self.limits.score:
            self.problem(key, too_big)
            return None
        return value


def read_workbook(path: str | Path, limits: _limits.Limits | None = None) -> Submission:
    limits = limits or _limits.current()
    path = Path(path)
    file = path.name or str(path)
    data = _read_bytes(path, file, limits)
    archive = _open_package(data, file, limits)
    try:
        book = _load(data, file, _chartsheets(archive))
        try:
            return _validate(file, data, book, archive, limits)
        finally:
            book.close()
    finally:
        archive.close()


def _validate(file: str, data: bytes, book: Any, archive: zipfile.ZipFile, limits: _limits.Limits) -> Submission:
    problems: list[Problem] = []
    notes: list[str] = []
    rows: dict[str, list[_Row]] = {}
    readable: set[str] = set()
    for sheet in SHEETS:
        got = _sheet_rows(file, book, archive, sheet, problems, notes, limits)
        rows[sheet.name] = got or []
        if got is not None:
            readable.add(sheet.name)
    profile = _profile(rows[PROFILE.name], file, problems, limits, complain=PROFILE.name in readable)
    rulebook = _rulebook(rows[PROFILE.name], profile["rules"])
    submission = Submission(
        file=file, sha256=hashlib.sha256(data).hexdigest(), profile=profile,
        texts=[t for r in rows[TEXTS.name] if (t := _text(r))],
        budget=[b for r in rows[BUDGET.name] if (b := _budget(r))],
        indicators=[i for r in rows[INDICATORS.name] if (i := _indicator(r, rulebook))],
        team=[m for r in rows[TEAM.name] if (m := _member(r))],
        accounts=[a for r in rows[ACCOUNTS.name] if (a := _account(r))],
        facts=[f for r in rows[FACTS.name] if (f := _fact(r))],
        deductions=[d for r in rows[DEDUCTIONS.name] if (d := _deduction(r, rulebook))],
        notes=notes,
    )
    _check_projects(submission, rows)
    _check_duplicates(submission, rows)
    if rulebook is not None and INDICATORS.name in readable and not any(p.sheet == INDICATORS.name for p in problems):
        _report_fit(file, fit.check(rulebook, submission.indicators, submission.deductions), rows, problems)
    for sheet in (BUDGET, INDICATORS, TEAM):
        if sheet.name in readable and not rows[sheet.name]:
            problems.append(Problem(file, sheet.name, 2, None, None, "至少需要一行数据"))
    if problems:
        raise WorkbookError(problems)
    return submission


# --- the file: regular, bounded, sniffed ---------------------------------------------------------------

def _refuse(file: str, expected: str) -> NoReturn:
    raise WorkbookError([Problem(file, "-", None, None, None, expected)])


def _brief(exc: BaseException) -> str:
    detail = " ".join(str(exc).split())[:120]
    return f"{exc.__class__.__name__}: {detail}" if detail else exc.__class__.__name__


def _corrupt(exc: BaseException) -> str:
    return f"无法读取：文件已损坏或不是有效的 .xlsx 工作簿（{_brief(exc)}）"


def _read_bytes(path: Path, file: str, limits: _limits.Limits) -> bytes:
    """The file's bytes, read once; only a regular file no larger than ``limits.file_mb``.

    ``stat`` first, so a directory, FIFO or device (``/dev/zero``) is refused without opening it; the
    open is non-blocking and re-checked with ``fstat`` in case the path was swapped in between.
    """
    too_big = f"文件过大：超过上限 {limits.file_mb} MB（可用环境变量 EVALNB_MAX_FILE_MB 调整）；数据工作簿通常不足 1 MB"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        _refuse(file, "无法读取文件：文件不存在")
    except (OSError, ValueError) as exc:     # ValueError: a NUL in the path
        _refuse(file, f"无法读取文件：{getattr(exc, 'strerror', None) or _brief(exc)}")
    if stat.S_ISDIR(info.st_mode):
        _refuse(file, "这是一个文件夹，不是 .xlsx 工作簿：请给出文件夹中的 .xlsx 文件")
    if not stat.S_ISREG(info.st_mode):
        _refuse(file, "不是普通文件（是设备、管道或套接字），无法作为 .xlsx 工作簿读取")
    if info.st_size > limits.file_bytes:
        _refuse(file, too_big)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        _refuse(file, f"无法读取文件：{exc.strerror or _brief(exc)}")
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            _refuse(file, "不是普通文件（是设备、管道或套接字），无法作为 .xlsx 工作簿读取")
        try:
            data = handle.read(limits.file_bytes + 1)
        except OSError as exc:
            _refuse(file, f"无法读取文件：{exc.strerror or _brief(exc)}")
    if len(data) > limits.file_bytes:
        _refuse(file, too_big)
    return data


def _as_text(head: bytes) -> str | None:
    """The start of a file as text, or None if it looks binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    return None if controls > len(head) // 100 else head.decode("utf-8", errors="replace")


def _sniff(data: bytes) -> str | None:
    """What a file that is not a zip package actually is, in words for the user; None for a zip."""
    if data.startswith(ZIP_MAGIC):
        return None
    if not data:
        return "文件为空（0 字节），不是 .xlsx 工作簿"
    if data.startswith(OLE_MAGIC):   # a compound file: .xls, .doc, or an .xlsx encrypted with a password
        if "EncryptedPackage".encode("utf-16-le") in data:
            return ENCRYPTED
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "这是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 中另存为 .xlsx（Excel 工作簿）"
        return f"这是旧版 Office 文档（如 Word 97-2003 .doc），不是 .xlsx 工作簿：{RESAVE}"
    if data.startswith(b"%PDF"):
        return "这是 PDF 文件，不是 Excel 工作簿：PDF 无法导入，请提交 .xlsx 格式的数据工作簿"
    text = _as_text(data[:8192])
    if text is None:
        return f"不是 .xlsx 工作簿：无法识别的文件格式（开头字节 {data[:8].hex(' ')}）"
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in start:
            return f"这是 Excel 2003 XML 表格文件，不是 .xlsx 工作簿：{RESAVE}"
        if "<html" in start or "<table" in start:
            return f"这是网页 (HTML) 文件（常见于系统导出的“.xls”），不是 .xlsx 工作簿：{RESAVE}"
        return f"这是 XML 文本文件，不是 .xlsx 工作簿：{RESAVE}"
    first_line = start.split("\n", 1)[0]
    if any(sep in first_line for sep in (",", "\t", "，", ";")):
        return "这是 CSV 文本文件（逗号或制表符分隔），不是 .xlsx 工作簿：请在 Excel 中打开后另存为 .xlsx"
    return f"这是纯文本文件，不是 .xlsx 工作簿：{RESAVE}"


def _open_package(data: bytes, file: str, limits: _limits.Limits) -> zipfile.ZipFile:
    """The zip package, once it is known to be an .xlsx within limits and free of DOCTYPEs."""
    if what := _sniff(data):
        _refuse(file, what)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, and whatever a forged central directory raises
        _refuse(file, _corrupt(exc))
    try:
        problem = _package_problem(archive, limits)
    except Exception as exc:  # a damaged member: zlib.error, BadZipFile, NotImplementedError, EOFError…
        problem = _corrupt(exc)
    if problem:
        archive.close()
        _refuse(file, problem)
    for name in _chartsheets(archive):
        if name in {sheet.name for sheet in SHEETS}:
            archive.close()
            raise WorkbookError([Problem(file, name, None, None, None, _chart_message(name))])
    return archive


def _chart_message(name: str) -> str:
    return f"“{name}”是图表工作表，不是数据表：请删除它（图表可放在普通工作表中），必要时另建名为“{name}”的普通工作表"


def _chartsheets(archive: zipfile.ZipFile) -> list[str]:
    """Names of the workbook's chartsheets (from xl/workbook.xml and its rels); empty if those are unreadable."""
    try:
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        charts = {r.get("Id") for r in rels if (r.get("Type") or "").endswith("/chartsheet")}
        if not charts:
            return []
        book = ET.fromstring(archive.read("xl/workbook.xml"))
    except Exception:  # missing or damaged parts: openpyxl's load reports them
        return []
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return [s.get("name", "") for s in book.iter() if s.tag.rpartition("}")[2] == "sheet" and s.get(rid) in charts]


def _package_problem(archive: zipfile.ZipFile, limits: _limits.Limits) -> str | None:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if len(infos) > MAX_PARTS:
        return f"文件结构异常：包含 {len(infos)} 个部件（正常的 .xlsx 只有几十个），疑为异常或恶意构造的文件"
    if "[Content_Types].xml" not in names:      # not Office Open XML: OpenDocument, or any other zip
        if "mimetype" in names:
            with archive.open("mimetype") as handle:
                kind = handle.read(200)
            if b"spreadsheet" in kind:
                return f"这是 OpenDocument 表格 (.ods，WPS/LibreOffice 格式)，不是 .xlsx 工作簿：{RESAVE}"
            return "这是 OpenDocument 文档，不是 Excel 工作簿：请提交 .xlsx 格式的数据工作簿"
        return "这是 ZIP 压缩包，不是 .xlsx 工作簿：如工作簿在压缩包内，请先解压再导入其中的 .xlsx 文件"
    if "word/document.xml" in names:
        return "这是 Word 文档 (.docx)，不是 Excel 工作簿：请提交 .xlsx 格式的数据工作簿"
    if "ppt/presentation.xml" in names:
        return "这是 PowerPoint 演示文稿 (.pptx)，不是 Excel 工作簿：请提交 .xlsx 格式的数据工作簿"
    if "xl/workbook.bin" in names:
        return f"这是 Excel 二进制工作簿 (.xlsb)，不是 .xlsx 工作簿：{RESAVE}"
    if any(info.flag_bits & 0x1 for info in infos):
        return ENCRYPTED
    total = sum(info.file_size for info in infos)
    if total > limits.unzipped_bytes:
        return (f"文件解压后共 {total / 1024 / 1024:.0f} MB，超过上限 {limits.unzipped_mb} MB"
                "（可用环境变量 EVALNB_MAX_UNZIPPED_MB 调整）：疑为异常或恶意构造的文件")
    for info in infos:
        with archive.open(info) as handle:
            head = handle.read(PROLOG_BYTES)
        xml_name = info.filename.lower().endswith((".xml", ".rels", ".vml"))
        looks_xml = head.lstrip()[:1] == b"<" or head[:3] == b"\xef\xbb\xbf" or head[:2] in (b"\xff\xfe", b"\xfe\xff")
        if (xml_name or looks_xml) and (why := _prolog_problem(head, complete=len(head) < PROLOG_BYTES)):
            return f"部件 {info.filename} {why}"
    return None


def _prolog_problem(head: bytes, complete: bool) -> str | None:
    """Refuse a DOCTYPE before any parser sees it: the door to XXE and entity expansion, never written by Excel.

    Walks the XML prolog (declaration, processing instructions, comments) up to the root element.
    """
    encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    text = head.decode(encoding, errors="ignore").lstrip("\ufeff")
    damaged = "不是有效的 XML（开头异常）：文件已损坏或被篡改"
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text):
            return None if complete else damaged
        if text.startswith("<?", pos):
            end, close = text.find("?>", pos), 2
        elif text.startswith("<!--", pos):
            end, close = text.find("-->", pos), 3
        elif text.startswith("<!", pos):
            return "含有 DOCTYPE 或实体声明：Excel 不会生成这种内容，疑为恶意构造的文件，已拒绝读取"
        elif text.startswith("<", pos) and (text[pos + 1: pos + 2].isalpha() or text[pos + 1: pos + 2] in ("_", ":")):
            return None
        else:
            return damaged
        if end < 0:
            return None if complete else damaged
        pos = end + close


def _load(data: bytes, file: str, charts: list[str]) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything on a damaged package: KeyError, ParseError, TypeError…
        if charts:            # openpyxl cannot read a chartsheet without a drawing
            raise WorkbookError([Problem(file, name, None, None, None, _chart_message(name)) for name in charts]) from exc
        _refuse(file, _corrupt(exc))


# --- a sheet: scanned, then read within bounds ---------------------------------------------------------

def _sheet_rows(file: str, book: Any, archive: zipfile.ZipFile, sheet: Sheet, problems: list[Problem],
                notes: list[str], limits: _limits.Limits) -> list[_Row] | None:
    """The sheet's non-empty data rows, or None when it is missing or unreadable (the problems say why)."""
    def report(row: int | None, column: str | None, value: str | None, expected: str) -> None:
        problems.append(Problem(file, sheet.name, row, column, value, expected))

    if sheet.name not in book.sheetnames:
        if not sheet.optional:
            report(None, None, None, f"缺少工作表“{sheet.name}”；工作簿中现有：{'、'.join(book.sheetnames)}")
        return None
    ws = book[sheet.name]
    if not hasattr(ws, "iter_rows"):
        report(None, None, None, _chart_message(sheet.name))
        return None
    try:
        found, titles = _scan_sheet(archive, ws._worksheet_path, getattr(ws, "_shared_strings", None), limits)
        grid = [] if found else _read_grid(ws, limits)
    except Exception as exc:  # the XML parser and openpyxl raise anything on a damaged sheet
        report(None, None, None, f"无法读取该工作表：文件已损坏（{_brief(exc)}）")
        return None
    if found:
        for row, column, value, expected in found:
            where = None if column is None else titles.get(column) or _letter(column)
            report(row, where, _shown_value(value), expected)
        return None

    header = grid[0] if grid else ()
    if sheet.optional and not any(normalize_text(c.value) for c in header):
        return None                 # an optional sheet left empty (even its header cleared): not provided
    positions: dict[str, list[int]] = {}
    for idx, cell in enumerate(header, start=1):
        if norm := normalize_text(cell.value):
            positions.setdefault(norm, []).append(idx)
    wanted = {normalize_text(col.header): col for col in sheet.columns}
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for norm, col in wanted.items():
        where = positions.get(norm, [])
        if len(where) > 1:
            both = " 与 ".join(f"{_letter(i)} 列“{str(header[i - 1].value).strip()}”" for i in where)
            report(1, col.header, None, f"表头重复：{both} 是同一列，每列只能出现一次，请删除或改名多余的列")
        elif where:
            columns[col.key] = where[0]
            headers[col.key] = str(header[where[0] - 1].value).strip()
        elif col.required:
            report(1, col.header, None, f"缺少列“{col.header}”；第1行应为表头：{' | '.join(sheet.headers)}")
    extra = [h if len(h) <= 40 else h[:40] + "…" for h in positions if h not in wanted]
    if extra:
        notes.append(f"{file}“{sheet.name}”：已忽略多余的列 {'、'.join(extra)}")

    lengths = _text_limits(sheet, limits)
    result = []
    for excel_row, cells_row in enumerate(grid[1:], start=2):
        cells = {key: cells_row[idx - 1].value for key, idx in columns.items()}
        if all(normalize_text(v) == "" for v in cells.values()):
            continue
        formats = {key: _number_format(cells_row[idx - 1]) for key, idx in columns.items()}
        row = _Row(file, sheet, excel_row, cells, formats, headers, problems, limits)
        for key in cells:
            row.check_text(key, lengths[key])
        result.append(row)
    return result


def _read_grid(ws: Any, limits: _limits.Limits) -> list[tuple]:
    """Rows 1..limits.rows, columns 1..limits.columns: never the sheet's own <dimension>, which can be forged."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(ws.iter_rows(min_row=1, max_row=limits.rows, max_col=limits.columns))


def _number_format(cell: Any) -> str:
    try:
        return cell.number_format or ""
    except (IndexError, KeyError, AttributeError, TypeError):  # a style the (damaged) styles part lacks
        return ""


@functools.cache
def _store_widths() -> dict[str, dict[str, int]]:
    """Widths of the store's String columns by sheet and key: PostgreSQL refuses longer text."""
    from evalnb.store import sql as store

    tables = {TEXTS.name: store.texts, BUDGET.name: store.budget_lines, INDICATORS.name: store.indicators,
              TEAM.name: store.team, PROFILE.name: store.dept_years, ACCOUNTS.name: store.accounts,
              DEDUCTIONS.name: store.deductions,
              FACTS.name: store.facts}
    return {name: {c.name: c.type.length for c in table.columns if getattr(c.type, "length", None)}
            for name, table in tables.items()}


def _text_limits(sheet: Sheet, limits: _limits.Limits) -> dict[str, int]:
    widths = _store_widths()[sheet.name]
    return {col.key: min(limits.paragraph_chars if col.paragraph else limits.text_chars, widths.get(col.key, math.inf))
            for col in sheet.columns}


Found = list[tuple[int | None, int | None, str | None, str]]


def _scan_sheet(archive: zipfile.ZipFile, member: str, shared: list | None,
                limits: _limits.Limits) -> tuple[Found, dict[int, str]]:
    """One streaming pass over a sheet's XML before openpyxl reads it.

    Returns (row, column, value, problem) tuples, and row 1's headers by column number to name them by.

    Stops at the first cell with content beyond ``limits.rows``/``limits.columns`` (one cell at XFD1048576
    costs a few microseconds here, and gigabytes to a reader that trusts the sheet's extent), and finds the
    cells openpyxl would choke on: NaN/inf numbers, a shared-string index out of range, rows out of order.
    Memory stays flat: every finished row is dropped.
    """
    found: Found = []
    titles: dict[int, str] = {}
    shared_count = None if shared is None else len(shared)
    depth = row = column = 0
    sheet_data = None
    with archive.open(member) as source:
        try:
            for event, element in ET.iterparse(source, events=("start", "end")):
                tag = element.tag.rpartition("}")[2]
                if event == "start":
                    depth += 1
                    if tag == "sheetData":
                        sheet_data = element
                    elif tag == "row":
                        number = _row_number(element.get("r"), row)
                        if number is None or number <= row:
                            at = element.get("r")
                            why = f"行号无效或顺序错乱（{at!r} 出现在第{row}行之后）：文件已损坏，{RESAVE}"
                            return [*found, (row + 1, None, at, why)], titles
                        row, column = number, 0
                    continue
                depth -= 1
                if tag == "c":
                    ref = element.get("r")
                    try:
                        column = coordinate_to_tuple(ref)[1] if ref else column + 1
                    except ValueError:
                        return [*found, (row, None, ref, f"单元格地址 {ref!r} 无效：文件已损坏，{RESAVE}")], titles
                    value = _cell_content(element)
                    if value is not None:
                        if row > limits.rows or column > limits.columns:
                            return [*found, (row, column, None, _beyond(row, column, limits))], titles
                        if why := _cell_problem(element, value, shared_count):
                            found.append((row, column, value, why))
                        elif row == 1:
                            title = shared[int(value)] if shared is not None and element.get("t") == "s" else value
                            titles[column] = str(title).strip()[:40]
                    element.clear()
                elif tag == "row":
                    element.clear()
                    if sheet_data is not None and depth == 2:
                        sheet_data.remove(element)
                elif depth <= 1:
                    element.clear()
        except ET.ParseError as exc:   # raised where expat stopped: ``row`` is the row being read
            near = f"（第{row}行附近）" if row else ""
            why = f"工作表内容不是有效的 XML{near}：文件已损坏或含有非法字符（如控制字符），{RESAVE}（{exc}）"
            return [*found, (row or None, None, None, why)], titles
    return found, titles


def _beyond(row: int, column: int, limits: _limits.Limits) -> str:
    return (f"数据超出允许范围：单元格 {_letter(column)}{row} 有内容，而每个工作表最多 {limits.rows} 行、"
            f"{limits.columns} 列（到 {_letter(limits.columns)} 列）；请删除多余的行、列后再导入"
            "（上限可用环境变量 EVALNB_MAX_ROWS、EVALNB_MAX_COLUMNS 调整）")


def _row_number(ref: str | None, previous: int) -> int | None:
    if ref is None:
        return previous + 1
    try:
        number = float(ref)
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 1 else None


def _cell_content(element: ET.Element) -> str | None:
    """What a <c> holds as openpyxl would read it (value, cached formula result, inline string); None if empty."""
    inline = element.get("t") == "inlineStr"
    for child in element:
        name = child.tag.rpartition("}")[2]
        if name == "v" and not inline and child.text:
            return child.text
        if name == "is" and inline:
            return "".join(child.itertext()) or None
    return None


def _cell_problem(element: ET.Element, value: str, shared_count: int | None) -> str | None:
    kind = element.get("t", "n")
    try:
        int(element.get("s", "0"))
        if kind == "n":
            if not math.isfinite(float(value)):
                return "单元格中的数值为 NaN 或无穷大：应为有限的数字"
        elif kind == "s":
            index = int(value)
            if shared_count is not None and not 0 <= index < shared_count:
                return f"共享字符串编号 {index} 超出范围（共 {shared_count} 个）：文件已损坏，{RESAVE}"
        elif kind == "b":
            int(value)
        elif kind == "d":
            from_ISO8601(value)
    except (ValueError, TypeError, OverflowError):
        return f"单元格内容与其类型（{kind}）不符：文件已损坏，{RESAVE}"
    return None


# --- the sheets' records -------------------------------------------------------------------------------

def _profile(rows: list[_Row], file: str, problems: list[Problem], limits: _limits.Limits,
             complain: bool = True) -> dict[str, Any]:
    """The 基本信息 fields; ``complain`` is False when the sheet could not be read at all (already reported)."""
    fields: dict[str, _Row] = {}
    widths = _store_widths()[PROFILE.name]
    for row in rows:
        name = row.choice("field", tuple(PROFILE_FIELDS))
        if name in fields:
            row.problem("field", f"字段“{name}”重复（第{fields[name].excel_row}行已填写）")
        elif name:
            fields[name] = row
            if name in PROFILE_STORE_COLUMNS:
                row.check_text("value", widths.get(PROFILE_STORE_COLUMNS[name], limits.text_chars))
                row.check_one_line("value")
    for name in REQUIRED_PROFILE_FIELDS:
        if complain and (name not in fields or not fields[name].text("value")) and \
                not (name in fields and "value" in fields[name].bad):
            where = fields[name].excel_row if name in fields else None
            problems.append(Problem(file, PROFILE.name, where, "内容" if where else "字段", None,
                                    f"缺少必填字段“{name}”"))

    def field(name: str, read: str = "text") -> Any:
        row = fields.get(name)
        return getattr(row, read)("value") if row is not None else None

    year = field("年度", "number") if field("年度") else None
    if year is not None and (year != int(year) or not limits.min_year <= year <= limits.max_year):
        fields["年度"].problem("value", f"应为四位整数年份，如 2024（{limits.min_year}–{limits.max_year}）")
        year = None
    nature = fields["数据性质"].choice("value", DATA_NATURES, required=False) if "数据性质" in fields else None
    return {
        "department": field("部门名称"),
        "year": int(year) if year is not None else None,
        "parent": field("上级主管部门"),
        "rules": field("评分规则", "token") or DEFAULT_RULES,
        "nature": nature or "正式",
        "declared_total": field("自评总分", "score"),
        "declared_grade": field("评价等级"),
        "report_date": _date(fields["报告日期"]) if "报告日期" in fields else None,
        "attachment": field("附件编号"),
    }


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def _date(row: _Row) -> date | None:
    """报告日期: an Excel date cell, or text such as 2025-03-10, 2025/3/10, 2025.3.10, 2025年3月10日."""
    raw = row.cells.get("value")
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = normalize_text(raw).replace(" ", "")
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    row.problem("value", "应为日期，如 2025-03-10 或 2025年3月10日")
    return None


def _rulebook(profile_rows: list[_Row], rules: str) -> Rulebook | None:
    """The workbook's rulebook, or None (with a problem on 评分规则) when it names none that loads.

    A workbook names a rulebook; it cannot point at a file (only the person running evalnb can, with --rules)."""
    try:
        if rules.endswith((".yaml", ".yml")) or "/" in rules or "\\" in rules:
            raise RulebookError("工作簿中的评分规则应填规则名称（如 national-2020），不能是文件路径；"
                                "自定义规则请放入 EVALNB_RULES_DIR 目录或在命令行用 --rules 指定")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return load_rulebook(rules)
    except (RulebookError, OSError, ValueError) as exc:   # OSError: a name too long for the file system
        row = next(r for r in profile_rows if normalize_text(r.cells.get("field")) == "评分规则")
        detail = exc if isinstance(exc, RulebookError) else f"找不到名为 {_shown_value(rules)!r} 的评分规则（{_brief(exc)}）"
        row.problem("value", f"评分规则无效：{detail}")
        return None


def _text(row: _Row) -> dict[str, Any] | None:
    section = row.choice("section", tuple(TEXT_SECTIONS))
    content = row.text("content", required=True)
    origin = row.choice("origin", TEXT_ORIGINS, required=False)
    if section and content:
        return {"row": row.excel_row, "section": section, "content": content, "origin": origin}
    return None


def _budget(row: _Row) -> dict[str, Any] | None:
    record = {
        "row": row.excel_row,
        "name": row.text("name", required=True),
        "category": row.text("category", required=True),
        "source": row.text("source", required=True),
        "initial": row.money("initial", required=True),
        "budget": row.money("budget", required=True),
        "executed": row.money("executed", required=True),
        "note": row.text("note"),
        "expense_type": row.choice("expense_type", EXPENSE_TYPES, required=False) or PROJECT,
        "fund_nature": row.choice("fund_nature", FUND_NATURES, required=False),
    }
    required = ("name", "category", "source", "initial", "budget", "executed")
    return record if all(record[k] is not None for k in required) else None


def _indicator(row: _Row, rulebook: Rulebook | None) -> dict[str, Any] | None:
    level1, level2, name = (row.text(k, required=True) for k in ("level1", "level2", "name"))
    placed = fit.place_row(row, rulebook, level1, level2, name)
    nature = fit.nature(row, placed)
    unit = row.token("unit")
    record: dict[str, Any] = {
        "row": row.excel_row, "level1": level1, "level2": level2, "name": name, "nature": nature, "unit": unit,
        "weight": fit.weight(row, placed), "declared_score": row.score("declared_score"),
        **_comparisons(row, unit), "prior": None,
        "deviation_note": row.text("deviation_note"), "project": row.text("project"), "core": _core(row),
        "direction": None, "target": None, "actual": None, "target_text": None, "actual_text": None,
        "adjusted": None, "adjusted_text": _adjusted_text(row),
    }
    if fit.not_applicable(row):
        record["actual_text"] = NOT_APPLICABLE
        record["target_text"] = row.text("target")
        record["nature"] = nature or NOT_APPLICABLE         # a dropped indicator needs no 指标性质
        ok = _no_adjustment(row, record, "标为不适用的指标")
    elif nature == "定量":
        ok = _quantitative(row, record)
    elif nature == "定性":
        record["target_text"] = row.text("target", required=True)
        record["actual_text"] = row.choice("actual", fit.answers(rulebook, placed))
        ok = record["target_text"] and record["actual_text"]
    elif nature in fit.FIXED_NATURES.values():
        ok = fit.fixed_leaf(row, record, placed) and _no_adjustment(
            row, record, f"指标性质为{record['nature']}的指标由评分规则计分，")
    else:
        ok = False
    required = ("level1", "level2", "name", "weight")
    return record if ok and all(record[k] is not None for k in required) else None


# what forms write in an empty 调整指标值 cell; taken as a target they would replace the real one
NO_ADJUSTMENT = ("/", "／", "-", "--", "–", "—", "——", "无", "暂无", "未调整", "不调整", "无调整", "未变", "无变化", "同上",
                 "同年初", "N/A", "NA", "否", NOT_APPLICABLE)


def _adjusted_text(row: _Row) -> str | None:
    text = row.text("adjusted")
    if text is not None and normalize_text(text) in NO_ADJUSTMENT:
        row.problem("adjusted", "指标值未调整的请留空（不填“/”“无”“不适用”等）")
        return None
    return text


def _no_adjustment(row: _Row, record: dict[str, Any], which: str) -> bool:
    """A row the rulebook scores (计算, 扣分, 自评) or a 不适用 one has no target of the department's to adjust."""
    if record["adjusted_text"] is None:
        return True
    row.problem("adjusted", f"{which}不填调整指标值")
    return False


def _core(row: _Row) -> bool | None:
    """是否核心指标: 是 / 否, or None when the row does not say."""
    answer = row.choice("core", CORE_ANSWERS, required=False)
    return None if answer is None else answer == CORE_ANSWERS[0]


def _quantitative(row: _Row, record: dict[str, Any]) -> bool:
    goal = _goal(row, "target")
    unit = record["unit"] or goal.unit
    record["unit"] = unit
    if not unit:
        row.problem("unit", "定量指标必填计量单位", show_value=False)
    record["direction"] = _direction(row, goal, unit)
    record["target"] = row.number("target", unit, required=True, minimum=None, text=goal.text)
    record["actual"] = row.number("actual", unit, required=True, minimum=None, text=_rank_text(row, "actual"))
    record["prior"] = row.number("prior", unit, minimum=None, text=_rank_text(row, "prior"))
    record["target_text"] = row.text("target")
    ok = bool(record["direction"] and record["target"] is not None and record["actual"] is not None)
    ok = ok and _adjusted_target(row, record)
    return ok and not (unit == "%" and not _percent_scale_matches(row, record))


def _adjusted_target(row: _Row, record: dict[str, Any]) -> bool:
    """调整指标值, written as 年度指标值 is (≥250家, 250): the same direction and unit; blank: not adjusted."""
    if record["adjusted_text"] is None:
        return True
    goal = _goal(row, "adjusted")
    if goal.direction and goal.direction != record["direction"]:
        row.problem("adjusted", f"调整指标值中的方向 {goal.direction} 与指标方向 {record['direction']} 不一致"
                                "（调整的是指标值，不是指标方向）")
        return False
    record["adjusted"] = row.number("adjusted", record["unit"], minimum=None, text=goal.text)
    return record["adjusted"] is not None


@dataclass(frozen=True)
class _Goal:
    """A 年度指标值 cell as real forms write it: "≥50个", "≤90万元", "前20位", "=100%", or a bare number."""

    direction: str | None      # from a leading ≥ ≤ = (or 前, a rank ceiling: ≤)
    text: str | None           # the number with its unit, for parse_number
    unit: str | None           # a unit typed after the number, when 计量单位 is empty


GOAL = re.compile(r"^(?P<direction>>=|<=|[≥≤=≧≦])?\s*(?P<rank>前|第)?\s*(?P<number>[-+]?[\d.,]+)\s*(?P<unit>\D*)$")


# A measure word or unit as forms write it (家, 万元, 平方米, 万人次, %, km): no 以上/以下/左右 qualifiers.
UNIT = re.compile(r"(?!.*(以上|以下|以内|左右|不低于|不高于|不少于|不超过|约))[%‰\u4e00-\u9fffA-Za-z²³/·]{1,8}")


def _goal(row: _Row, key: str) -> _Goal:
    """The direction, number and unit of a 年度指标值 (or 调整指标值) cell such as ≥50个 or 前20位."""
    raw = row.cells.get(key)
    match = GOAL.match(normalize_text(raw)) if isinstance(raw, str) else None
    if match is None:              # a number cell, or text parse_number will explain
        return _Goal(None, None, None)
    direction = DIRECTIONS[match["direction"]] if match["direction"] else ("≤" if match["rank"] == "前" else None)
    unit = match["unit"].strip() or None
    if unit and not UNIT.fullmatch(unit):
        return _Goal(None, None, None)         # "100%以上": parse_number refuses it, naming the cell
    return _Goal(direction, f"{match['number']}{unit or ''}", unit)


def _rank_text(row: _Row, key: str) -> str | None:
    """第17位 → 17位 (the ordinal is how ranks are written, not part of the number)."""
    raw = row.cells.get(key)
    if isinstance(raw, str) and normalize_text(raw).startswith("第"):
        return normalize_text(raw)[1:]
    return None


def _direction(row: _Row, goal: _Goal, unit: str | None) -> str | None:
    """指标方向 from its column, or from the 年度指标值 cell; the two must agree; a rank is ≤ (smaller is better)."""
    typed = row.choice("direction", DIRECTIONS, required=goal.direction is None)
    if typed and goal.direction and typed != goal.direction:
        row.problem("direction", f"与年度指标值“{row.cells.get('target')}”中的方向 {goal.direction} 不一致")
        return None
    direction = typed or goal.direction
    if direction == "≥" and unit in RANK_UNITS:
        row.problem("direction", f"排名（计量单位为{unit}）越小越好，指标方向应为 ≤，或把年度指标值写作“前20{unit}”")
        return None
    return direction


def _percent_scale_matches(row: _Row, record: dict[str, Any]) -> bool:
    """A % indicator's target and actual on one scale: 0.93 typed beside 90 means 93, and is refused as such.

    A value counts as a fraction when it was typed as a bare number (not ``0.93%``, not a cell formatted
    as a percentage) in (0, 1], the other value is above 1, and ×100 brings the two within a factor of 10
    of each other; a true 0.5% beside a 5% target is then typed ``0.5%``, as the message says.
    """
    pairs = (("actual", "target"), ("target", "actual"), ("adjusted", "actual"), ("actual", "adjusted"))
    for key, other_key in pairs:
        small, other, raw = record[key], record[other_key], row.cells.get(key)
        if small is None or other is None:
            continue
        typed_percent = "%" in row.formats.get(key, "") or (isinstance(raw, str) and "%" in normalize_text(raw))
        if typed_percent or not 0 < small <= 1 < other or not other / 10 < small * 100 < other * 10:
            continue
        points = shown(small * 100)
        row.problem(key, f"计量单位为%时，{row.header(key)} {shown(small)} 与{row.header(other_key)} {shown(other)} "
                         f"不在同一量级：若指 {points}%，请填写 {points} 或 {points}%；"
                         f"若确为 {shown(small)}%，请填写“{shown(small)}%”")
        return False
    return True


def _comparisons(row: _Row, unit: str | None) -> dict[str, str | None]:
    """比较范围 and 比较基数, one pair or several separated by ；(全市；全省 with 33；100)."""
    scopes = [s for s in re.split(SEPARATORS, row.text("scope") or "") if s]
    raw = row.cells.get("base")
    if "base" in row.bad:
        pieces: list[Any] = []
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        pieces = [raw]           # a number cell: parsed as such, not through str() (1e+40, 1e-05)
    else:
        pieces = [b for b in re.split(SEPARATORS, row.text("base") or "") if b]
    bases = []
    for piece in pieces:
        try:
            value = parse_number(piece, unit, limits=row.limits)
        except NumberFormatError as exc:
            row.problem("base", str(exc))
            return {"scope": None, "base": None}
        if value <= 0:
            row.problem("base", "比较基数应为大于 0 的数字")
            return {"scope": None, "base": None}
        bases.append(value)
    if len(scopes) != len(bases):
        row.problem("base", f"比较范围有 {len(scopes)} 项、比较基数有 {len(bases)} 项，应一一对应（多项用“；”分隔）")
        return {"scope": None, "base": None}
    return {"scope": "；".join(scopes) or None, "base": "；".join(f"{b.normalize():f}" for b in bases) or None}


def _member(row: _Row) -> dict[str, Any] | None:
    record = {
        "row": row.excel_row, "name": row.text("name", required=True), "org": row.text("org", required=True),
        "title": row.text("title"), "rank": row.text("rank"), "role": row.choice("role", TEAM_ROLES),
    }
    return record if record["name"] and record["org"] and record["role"] else None


def _account(row: _Row) -> dict[str, Any] | None:
    if row.blank_except("item"):
        return None
    record = {"row": row.excel_row, "item": row.choice("item", tuple(ACCOUNT_ITEMS)),
              "initial": row.money("initial"), "budget": row.money("budget"),
              "final": row.money("final", required=True), "prior_final": row.money("prior_final")}
    return record if record["item"] and record["final"] is not None else None


def _fact(row: _Row) -> dict[str, Any] | None:
    if row.blank_except("item"):
        return None
    record = {"row": row.excel_row, "item": row.choice("item", tuple(FACT_ITEMS)), "budget": row.money("budget"),
              "actual": row.money("actual", required=True), "prior_budget": row.money("prior_budget"),
              "prior_actual": row.money("prior_actual")}
    return record if record["item"] and record["actual"] is not None else None


def _report_fit(file: str, issues: list[fit.Issue], rows: dict[str, list[_Row]], problems: list[Problem]) -> None:
    """Issues of the workbook against its rulebook, on the rows and columns they concern."""
    by_number = {sheet: {r.excel_row: r for r in sheet_rows} for sheet, sheet_rows in rows.items()}
    for issue in issues:
        row = by_number.get(issue.sheet, {}).get(issue.row)
        if row is not None and issue.column:
            row.problem(issue.column, issue.message)
        else:
            column = INDICATORS.columns[0].header if issue.column == "level1" else None
            problems.append(Problem(file, issue.sheet, issue.row, column, None, issue.message))


def _deduction(row: _Row, rulebook: Rulebook | None) -> dict[str, Any] | None:
    record = {"row": row.excel_row, **{k: row.text(k, required=True) for k in ("level1", "level2", "name", "item")},
              "count": row.number("count", required=True, minimum=Decimal(1)), "reason": row.text("reason", required=True)}
    if record["count"] is not None and record["count"] != int(record["count"]):
        row.problem("count", "次数应为正整数")
        return None
    if any(v is None for v in record.values()):
        return None
    record["count"] = int(record["count"])
    return record if fit.deduction_item(row, rulebook, record) else None


def _check_projects(sub: Submission, rows: dict[str, list[_Row]]) -> None:
    """An indicator's 项目名称 names a project of 项目支出 (blank: the department as a whole)."""
    projects = {b["name"] for b in sub.budget if b["expense_type"] == PROJECT}
    by_number = {r.excel_row: r for r in rows[INDICATORS.name]}
    for ind in sub.indicators:
        if ind["project"] and ind["project"] not in projects:
            by_number[ind["row"]].problem("project", "应为“项目支出”表中某个项目的项目名称（支出类型为项目支出），"
                                                     "或留空表示部门整体指标")


def _check_duplicates(sub: Submission, rows: dict[str, list[_Row]]) -> None:
    def dupes(sheet: Sheet, records: list[dict], keys: tuple[str, ...], what: str) -> None:
        seen: dict[tuple, int] = {}
        by_number = {r.excel_row: r for r in rows[sheet.name]}
        for rec in records:
            ident = tuple(rec[k] for k in keys)
            if ident in seen:
                by_number[rec["row"]].problem(keys[0], f"{what}重复（第{seen[ident]}行已有）")
            else:
                seen[ident] = rec["row"]

    dupes(BUDGET, sub.budget, ("name", "source"), "项目名称 + 资金来源")
    dupes(INDICATORS, sub.indicators, ("name", "project"), "三级指标（同一项目内）")
    dupes(TEAM, sub.team, ("name",), "姓名")
    dupes(ACCOUNTS, sub.accounts, ("item",), "科目")
    dupes(FACTS, sub.facts, ("item",), "项目")
