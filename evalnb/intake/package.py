"""The file as bytes and as a zip package: a regular file within the size limit, sniffed for what it really is
(.xls, an encrypted workbook, CSV, PDF, a damaged zip), its parts checked (decompressed size, no DOCTYPE)
before openpyxl opens it."""

from __future__ import annotations

import io
import os
import stat
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any, NoReturn

import openpyxl

from evalnb import limits as _limits
from evalnb import settings
from evalnb.errors import Problem, WorkbookError
from evalnb.workbook import (
    SHEETS,
)

RESAVE = "请在 Excel（或 WPS）中打开，另存为“Excel 工作簿 (*.xlsx)”后再导入"


ENCRYPTED = ("文件已加密（设置了打开密码），无法读取：请在 Excel 中取消密码"
             "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx")


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


MAX_PARTS = 10000            # zip members; an .xlsx has a few dozen


PROLOG_BYTES = 64 * 1024     # how far into an XML part its root element must have started


def _refuse(file: str, expected: str) -> NoReturn:
    raise WorkbookError([Problem(file, "-", None, None, None, expected)])


def brief(exc: BaseException) -> str:
    detail = " ".join(str(exc).split())[:120]
    return f"{exc.__class__.__name__}: {detail}" if detail else exc.__class__.__name__


def _corrupt(exc: BaseException) -> str:
    return f"无法读取：文件已损坏或不是有效的 .xlsx 工作簿（{brief(exc)}）"


def read_bytes(path: Path, file: str, limits: _limits.Limits) -> bytes:
    """The file's bytes, read once; only a regular file no larger than ``limits.file_mb``.

    ``stat`` first, so a directory, FIFO or device (``/dev/zero``) is refused without opening it; the
    open is non-blocking and re-checked with ``fstat`` in case the path was swapped in between.
    """
    too_big = f"文件过大：超过上限 {limits.file_mb} MB（可用环境变量 {settings.MAX_FILE_MB.name} 调整）；数据工作簿通常不足 1 MB"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        _refuse(file, "无法读取文件：文件不存在")
    except (OSError, ValueError) as exc:     # ValueError: a NUL in the path
        _refuse(file, f"无法读取文件：{getattr(exc, 'strerror', None) or brief(exc)}")
    if stat.S_ISDIR(info.st_mode):
        _refuse(file, "这是一个文件夹，不是 .xlsx 工作簿：请给出文件夹中的 .xlsx 文件")
    if not stat.S_ISREG(info.st_mode):
        _refuse(file, "不是普通文件（是设备、管道或套接字），无法作为 .xlsx 工作簿读取")
    if info.st_size > limits.file_bytes:
        _refuse(file, too_big)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        _refuse(file, f"无法读取文件：{exc.strerror or brief(exc)}")
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            _refuse(file, "不是普通文件（是设备、管道或套接字），无法作为 .xlsx 工作簿读取")
        try:
            data = handle.read(limits.file_bytes + 1)
        except OSError as exc:
            _refuse(file, f"无法读取文件：{exc.strerror or brief(exc)}")
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


def open_package(data: bytes, file: str, limits: _limits.Limits) -> zipfile.ZipFile:
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
    for name in chartsheets(archive):
        if name in {sheet.name for sheet in SHEETS}:
            archive.close()
            raise WorkbookError([Problem(file, name, None, None, None, chart_message(name))])
    return archive


def chart_message(name: str) -> str:
    return f"“{name}”是图表工作表，不是数据表：请删除它（图表可放在普通工作表中），必要时另建名为“{name}”的普通工作表"


def chartsheets(archive: zipfile.ZipFile) -> list[str]:
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
                f"（可用环境变量 {settings.MAX_UNZIPPED_MB.name} 调整）：疑为异常或恶意构造的文件")
    for info in infos:
        with archive.open(info) as handle:
            head = handle.read(PROLOG_BYTES)
        xml_name = info.filename.lower().endswith((".xml", ".rels", ".vml"))
        looks_xml = head.lstrip()[:1] == b"<" or head[:3] == b"\xef\xbb\xbf" or head[:2] in (b"\xff\xfe", b"\xfe\xff")
        if (xml_name or looks_xml) and (why := _prolog_problem(head, complete=len(head) < PROLOG_BYTES)):
            return f"部件 {info.filename} {why}"
    return _shared_strings_problem(archive, names, limits)


def _shared_strings_problem(archive: zipfile.ZipFile, names: set[str], limits: _limits.Limits) -> str | None:
    """openpyxl reads every shared string before the first cell: 3,000,000 unused ones took minutes. No sheet
    within the limits can use more than rows × columns of them, so counting stops there."""
    member = next((n for n in names if n.lower() == "xl/sharedstrings.xml"), None)
    if member is None:
        return None
    cap = limits.rows * limits.columns
    count = 0
    with archive.open(member) as handle:
        for _, element in ET.iterparse(handle, events=("end",)):
            if element.tag.endswith("}si") or element.tag == "si":
                count += 1
                if count > cap:
                    return (f"共享字符串超过 {cap} 个（每个工作表最多 {limits.rows} 行 × {limits.columns} 列用得到的数量）："
                            "疑为异常或恶意构造的文件；请在 Excel 中另存后再导入")
            element.clear()
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


def load_book(data: bytes, file: str, charts: list[str]) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything on a damaged package: KeyError, ParseError, TypeError…
        if charts:            # openpyxl cannot read a chartsheet without a drawing
            raise WorkbookError([Problem(file, name, None, None, None, chart_message(name)) for name in charts]) from exc
        _refuse(file, _corrupt(exc))
