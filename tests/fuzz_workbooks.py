"""Hostile and careless inputs for ``evalnb ingest``, made from a valid workbook written by the project's own writer.

Every generator takes a :class:`random.Random` and returns a :class:`Variant`: the bytes of one file and
what a correct refusal must point at. Used by tests/test_fuzz.py (hundreds of variants per run) and by
the regression tests in tests/test_intake.py (one named case each).
"""

from __future__ import annotations

import io
import random
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Font

from evalnb.intake.blank import write_workbook
from evalnb.workbook import ACCOUNTS, BUDGET, FACTS, INDICATORS, PROFILE, SHEETS, TEAM, TEXTS
from tests.helpers import minimal_content as v1_content

NAME = "测试局_2024.xlsx"
DATA_SHEETS = (TEXTS, BUDGET, INDICATORS, TEAM, ACCOUNTS, FACTS)
MONEY = ("年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）")
SST_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


@dataclass
class Variant:
    kind: str
    data: bytes
    name: str = NAME
    sheet: str | None = None        # a refusal must name this sheet …
    row: int | None = None          # … and this row, with a column (cell-level mutations)
    must_refuse: bool = False
    fragment: str | None = None     # … and say this somewhere
    env: dict[str, str] = field(default_factory=dict)


def build(content: dict) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return write_workbook(Path(tmp) / NAME, content).read_bytes()


def minimal_content() -> dict:
    """The conftest workbook plus the optional sheets of contract v2, so that every sheet gets mutated."""
    content = v1_content()
    content["收支总表"] = [{"科目": "财政拨款收入", "决算数（万元）": 160},
                         {"科目": "项目支出", "全年预算数（万元）": 160, "决算数（万元）": 155},
                         {"科目": "年末结转结余", "决算数（万元）": 5}]
    content["部门情况"] = [{"项目": "编制人数", "实际数": 20}, {"项目": "在职人数", "实际数": 18},
                         {"项目": "公务接待费", "预算数": 3, "实际数": 2.5, "上年实际数": 2.8}]
    return content


@cache
def base_bytes() -> bytes:
    return build(minimal_content())


def rezip(data: bytes, edit: Callable[[str, bytes], bytes | None] = lambda name, body: body,
          add: dict[str, bytes] | None = None) -> bytes:
    """The package with every member passed through ``edit`` (None drops it) and ``add`` appended."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = edit(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info.filename, body)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def sheet_parts(data: bytes) -> dict[str, str]:
    """Sheet name → zip member of its XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    sheets = re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book)
    return {name: "xl/" + targets[rid].lstrip("/").removeprefix("xl/") for name, rid in sheets}


@cache
def shared_strings_bytes() -> bytes:
    """The base workbook as Excel writes it: an XML declaration and a shared-string table, not inline strings."""
    data = base_bytes()
    strings: list[str] = []

    def to_sst(match: re.Match) -> str:
        strings.append(match.group(4))
        return f'<c {match.group(1)}t="s"{match.group(2)}><v>{len(strings) - 1}</v></c>'

    def edit(name: str, body: bytes) -> bytes:
        text = body.decode()
        if name.startswith("xl/worksheets/"):
            text = re.sub(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t([^>]*)>(.*?)</t></is></c>', to_sst, text)
        elif name == "[Content_Types].xml":
            text = text.replace("</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_CT}"/></Types>')
        elif name == "xl/_rels/workbook.xml.rels":
            text = text.replace("</Relationships>",
                                f'<Relationship Id="rIdSst" Type="{SST_REL}" Target="sharedStrings.xml"/></Relationships>')
        if not text.startswith("<?xml"):
            text = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text
        return text.encode()

    rewritten = rezip(data, edit)      # fills `strings` as a side effect
    items = "".join(f"<si><t xml:space=\"preserve\">{s}</t></si>" for s in strings)
    sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>')
    return rezip(rewritten, add={"xl/sharedStrings.xml": sst.encode()})


def edit_book(data: bytes, change: Callable) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replace_text(xml: str, old: str, new: str) -> str:
    """Replace text in an XML part as the writer put it there: as characters, or as character references
    (openpyxl writes &#24352;&#19977; for 张三 when lxml is installed)."""
    def refs(text: str) -> str:
        return "".join(ch if ord(ch) < 128 else f"&#{ord(ch)};" for ch in text)
    return xml.replace(old, new).replace(refs(old), refs(new))


def edit_sheet_xml(data: bytes, sheet: str, change: Callable[[str], str]) -> bytes:
    part = sheet_parts(data)[sheet]
    return rezip(data, lambda name, body: change(body.decode()).encode() if name == part else body)


# --- content-level mutations ---------------------------------------------------------------------------

JUNK = ["abc", "六十", "", " ", None, True, False, "=SUM(A1:A3)", "1e5", "12,34", "٣٣", "NaN", "inf", "-0", "%",
        "１２３", "1.2.3", "#N/A", "null", "\t", "0x1A", "∞", "一百", "336个", "98.72%", "-1", "10000000000"]
HUGE = [1e15, 1e22, 1e30, 1e40, 1e308, 10**30, -1e16, "1" + "0" * 30, "0." + "1" * 25, 0.1234567, "1.0000001",
        1e-7, "9" * 400]


def _cell(rng: random.Random, content: dict, sheets=DATA_SHEETS) -> tuple:
    sheet = rng.choice(sheets)
    index = rng.randrange(len(content[sheet.name]))
    return sheet, index, content[sheet.name][index]


def cell_value(rng: random.Random) -> Variant:
    content = minimal_content()
    sheet, index, record = _cell(rng, content, (PROFILE, *DATA_SHEETS))
    header = rng.choice(sheet.headers)
    record[header] = rng.choice(JUNK)
    return Variant("cell-value", build(content), sheet=sheet.name)


def huge_number(rng: random.Random) -> Variant:
    content = minimal_content()
    value = rng.choice(HUGE)
    target = rng.choice(["money", "weight", "score", "target", "actual", "prior", "base", "total", "year"])
    if target == "money":
        sheet, index, header = BUDGET, rng.randrange(2), rng.choice(MONEY)
    elif target in ("total", "year"):
        content["基本信息"].append({"字段": "自评总分", "内容": 90})
        sheet, index, header = PROFILE, (2 if target == "total" else 1), "内容"
    else:
        header = {"weight": "分值", "score": "自评得分", "target": "年度指标值", "actual": "实际完成值",
                  "prior": "上年完成值", "base": "比较基数"}[target]
        sheet, index = INDICATORS, rng.choice([0, 2])
        if target == "base":
            content["绩效指标"][index]["比较范围"] = "全市"
    content[sheet.name][index][header] = value
    return Variant(f"huge-{target}", build(content), sheet=sheet.name, row=index + 2, must_refuse=True)


def long_text(rng: random.Random) -> Variant:
    content = minimal_content()
    sheet, index, record = _cell(rng, content)
    header = rng.choice([c.header for c in sheet.columns])
    record[header] = rng.choice("长文字") * rng.choice([10001, 20000, 60000])
    return Variant("long-text", build(content), sheet=sheet.name, row=index + 2, must_refuse=True, fragment="文字过长")


def narrow_text(rng: random.Random) -> Variant:
    """Text wider than the store's column (计量单位 50, 姓名 100, 部门名称 200): PostgreSQL would refuse it."""
    content = minimal_content()
    sheet, index, header, width = rng.choice([(INDICATORS, 0, "计量单位", 51), (TEAM, 0, "姓名", 101),
                                              (PROFILE, 0, "内容", 201), (INDICATORS, 0, "二级指标", 101)])
    content[sheet.name][index][header] = "字" * width
    return Variant("narrow-text", build(content), sheet=sheet.name, row=index + 2, must_refuse=True, fragment="文字过长")


def delete_char(rng: random.Random) -> Variant:
    content = minimal_content()
    content["项目支出"][0]["项目名称"] = "项目\x7f甲"
    return Variant("delete-char", build(content), sheet="项目支出", row=2, must_refuse=True, fragment="控制字符")


def duplicate_header(rng: random.Random) -> Variant:
    sheet = rng.choice(DATA_SHEETS)
    header = rng.choice(sheet.headers)
    twin = header.replace("（", "(").replace("）", ")") if rng.random() < 0.5 else header

    def change(book):
        book[sheet.name].cell(1, len(sheet.headers) + rng.randint(1, 3), twin)
    return Variant("duplicate-header", edit_book(base_bytes(), change), sheet=sheet.name, row=1, must_refuse=True,
                   fragment="重复")


def missing_sheet(rng: random.Random) -> Variant:
    """A required sheet gone or renamed (收支总表 and 部门情况 are optional: a v1 workbook has neither)."""
    sheet = rng.choice([s for s in SHEETS if not s.optional])

    def change(book):
        if rng.random() < 0.5:
            del book[sheet.name]
        else:
            book[sheet.name].title = sheet.name + "（旧）"
    return Variant("missing-sheet", edit_book(base_bytes(), change), sheet=sheet.name, must_refuse=True)


def missing_column(rng: random.Random) -> Variant:
    sheet = rng.choice(DATA_SHEETS)
    required = [i for i, c in enumerate(sheet.columns, start=1) if c.required]
    column = rng.choice(required)

    def change(book):
        book[sheet.name].cell(1, column).value = rng.choice([None, "资金渠道", "列1", " "])
    return Variant("missing-column", edit_book(base_bytes(), change), sheet=sheet.name, row=1, must_refuse=True)


def extra_columns(rng: random.Random) -> Variant:
    sheet = rng.choice(DATA_SHEETS)
    last = rng.choice([20, 50, 51, 60, 200])

    def change(book):
        ws = book[sheet.name]
        for col in range(len(sheet.headers) + 1, last + 1):
            ws.cell(1, col, f"附加{col}")
            ws.cell(2, col, rng.choice(["x", 1, None]))
    beyond = last > 50
    return Variant("extra-columns", edit_book(base_bytes(), change), sheet=sheet.name if beyond else None,
                   must_refuse=beyond)


def formula(rng: random.Random) -> Variant:
    content = minimal_content()
    sheet, index, record = _cell(rng, content)
    record[rng.choice(sheet.headers)] = rng.choice(["=1/0", "=SUM(D2:E2)", "=A1", '=HYPERLINK("http://x","y")', "=",
                                                    "=1+", "==", "=NA()"])
    return Variant("formula", build(content), sheet=sheet.name)


FAR = ["XFD1048576", "ZZ20000", "A5001", "AY2", "A1048576", "XFD1", "AX5000"]


def far_cell(rng: random.Random) -> Variant:
    sheet = rng.choice(SHEETS)
    coord = rng.choice(FAR)
    styled_only = rng.random() < 0.25

    def change(book):
        if styled_only:
            book[sheet.name][coord].font = Font(bold=True)
        else:
            book[sheet.name][coord] = rng.choice([1, "x", 0.5])
    inside = coord == "AX5000"        # the last cell within the default limits
    refuse = not styled_only and not inside
    return Variant("far-cell" + ("-styled" if styled_only else ""), edit_book(base_bytes(), change),
                   sheet=sheet.name if refuse else None, must_refuse=refuse,
                   fragment="超出允许范围" if refuse else None)


def forged_dimension(rng: random.Random) -> Variant:
    sheet = rng.choice(SHEETS)
    ref = rng.choice(["A1:XFD1048576", "A1:ZZ20000", "A1:A1", "B2:C3"])
    data = edit_sheet_xml(base_bytes(), sheet.name, lambda x: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', x))
    return Variant("forged-dimension", data)


def percent_trap(rng: random.Random) -> Variant:
    content = minimal_content()
    row = content["绩效指标"][2]                     # 满意度, unit %
    if rng.random() < 0.5:
        row.update({"年度指标值": 90, "实际完成值": rng.choice([0.93, 0.92, 0.9])})
        column = "实际完成值"
    else:
        row.update({"年度指标值": rng.choice([0.9, 0.95]), "实际完成值": 92})
        column = "年度指标值"
    return Variant("percent-trap", build(content), sheet="绩效指标", row=4, must_refuse=True,
                   fragment=f"{column} 0.9")


def zero_budget(rng: random.Random) -> Variant:
    """Every 项目支出 amount 0 (a zero-filled template): it was stored, then 0 ÷ 0 broke every command."""
    content = minimal_content()
    for line in content["项目支出"]:
        for column in MONEY:
            line[column] = rng.choice([0, 0.0, "0", "0.00"])
    return Variant("zero-budget", build(content), sheet="项目支出", row=2, must_refuse=True, fragment="合计为 0")


def fractional_count(rng: random.Random) -> Variant:
    """A 人数 or 机构数 with a fraction: 12.5 people was stored."""
    content = minimal_content()
    index = rng.randrange(2)                               # 编制人数, 在职人数
    content["部门情况"][index]["实际数"] = rng.choice([12.5, "18.2", 0.5, 19.99])
    return Variant("fractional-count", build(content), sheet="部门情况", row=index + 2, must_refuse=True,
                   fragment="应为整数")


def percent_money(rng: random.Random) -> Variant:
    """A percentage in a 万元 column: ``12%`` was stored as 0.12 万元 and used in 预算调整率."""
    content = minimal_content()
    if rng.random() < 0.5:
        content["收支总表"][rng.randrange(3)]["决算数（万元）"] = rng.choice(["12%", "98.5%", "０.５％"])
        return Variant("percent-money", build(content), sheet="收支总表", must_refuse=True, fragment="不能是百分数")
    content["部门情况"][2]["实际数"] = rng.choice(["12%", "2.5%"])
    return Variant("percent-money", build(content), sheet="部门情况", row=4, must_refuse=True, fragment="不能是百分数")


def year(rng: random.Random) -> Variant:
    content = minimal_content()
    content["基本信息"][1]["内容"] = rng.choice([1e30, 1989, 2101, 2024.5, "二〇二四", -2024, "2024年", 1e308, "9" * 40])
    return Variant("year", build(content), sheet="基本信息", row=3, must_refuse=True)


def score_bounds(rng: random.Random) -> Variant:
    content = minimal_content()
    if rng.random() < 0.5:
        content["绩效指标"][0]["分值"] = rng.choice([100.5, 101, 1e22, 1000])
        return Variant("score", build(content), sheet="绩效指标", row=2, must_refuse=True)
    content["基本信息"].append({"字段": "自评总分", "内容": rng.choice([100.01, 1e30, 250])})
    return Variant("declared-total", build(content), sheet="基本信息", row=4, must_refuse=True)


RULE_NAMES = ["规" * 100, "a" * 199, "/dev/zero", "..", "x.yaml", "/etc/passwd.yaml", "../rules/sichuan", " national-2020 ",
              "ＳＩＣＨＵＡＮ", "nul\x7f", "\\\\server\\share\\r.yaml", "%s%n%x", "national-2020.yaml"]


def rules_name(rng: random.Random) -> Variant:
    """评分规则 names a file to read: a hostile name must end in a located problem, never an OSError."""
    content = minimal_content()
    content["基本信息"].append({"字段": "评分规则", "内容": rng.choice(RULE_NAMES)})
    return Variant("rules-name", build(content))


def tight_limits(rng: random.Random) -> Variant:
    """Row and column limits lowered through the environment, so a small workbook crosses them."""
    env = rng.choice([{"EVALNB_MAX_ROWS": "2"}, {"EVALNB_MAX_COLUMNS": "5"}, {"EVALNB_MAX_ROWS": "3"}])
    return Variant("tight-limits", base_bytes(), must_refuse=True, fragment="超出允许范围", env=env)


# --- XML- and zip-level corruptions ---------------------------------------------------------------------

BAD_NUMBERS = ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1E400", "abc", "1,5", "0x1A", "--1", "1e"]


def bad_number_xml(rng: random.Random) -> Variant:
    data = base_bytes()
    sheet = rng.choice([BUDGET, INDICATORS, PROFILE])
    xml = zipfile.ZipFile(io.BytesIO(data)).read(sheet_parts(data)[sheet.name]).decode()
    cells = re.findall(r'<c r="([A-Z]+)(\d+)"[^>]*t="n"[^>]*><v>[^<]+</v>', xml)
    letters, row = rng.choice(cells)
    bad = rng.choice(BAD_NUMBERS)
    data = edit_sheet_xml(data, sheet.name, lambda x: re.sub(
        rf'(<c r="{letters}{row}"[^>]*><v>)[^<]+(</v>)', lambda m: m.group(1) + bad + m.group(2), x))
    return Variant("bad-number-xml", data, sheet=sheet.name, row=int(row), must_refuse=True)


def control_chars_xml(rng: random.Random) -> Variant:
    source = rng.choice(["inline", "sst"])
    junk = rng.choice(["\x01", "\x1f", "&#1;", "&#x0;", "\x00", "&#xFFFE;", "\ud800"])
    raw = junk.encode("utf-8", "surrogatepass")
    if source == "sst":
        data = rezip(shared_strings_bytes(),
                     lambda n, b: b.replace(b"</t></si>", raw + b"</t></si>", 1) if n == "xl/sharedStrings.xml" else b)
        return Variant("control-chars-sst", data, must_refuse=True)
    sheet = rng.choice(DATA_SHEETS)
    part = sheet_parts(base_bytes())[sheet.name]
    data = rezip(base_bytes(), lambda n, b: b.replace(b"</t></is>", raw + b"</t></is>", 2) if n == part else b)
    return Variant("control-chars-xml", data, sheet=sheet.name, must_refuse=True)


def truncate(rng: random.Random) -> Variant:
    data = rng.choice([base_bytes(), shared_strings_bytes()])
    return Variant("truncate", data[: rng.randrange(0, len(data))], must_refuse=True)


def flip_bytes(rng: random.Random) -> Variant:
    data = bytearray(rng.choice([base_bytes(), shared_strings_bytes()]))
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return Variant("flip-bytes", bytes(data))


def flip_xml(rng: random.Random) -> Variant:
    """Random damage inside one XML member, the zip around it intact."""
    data = rng.choice([base_bytes(), shared_strings_bytes()])
    names = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith((".xml", ".rels"))]
    part = rng.choice(names)

    def damage(body: bytes) -> bytes:
        body = bytearray(body)
        for _ in range(rng.randint(1, 5)):
            at = rng.randrange(len(body))
            body[at] = rng.choice(b"<>&\"'/=x0\x01\xff ")
        return bytes(body)
    return Variant("flip-xml", rezip(data, lambda n, b: damage(b) if n == part else b))


DOCTYPES = [
    b'<!DOCTYPE x [<!ENTITY e "aaaaaaaaaa">]>',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd">',
    b'<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>',
    b"<!DOCTYPE worksheet>",
]


def doctype(rng: random.Random) -> Variant:
    data = rng.choice([base_bytes(), shared_strings_bytes()])
    names = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith((".xml", ".rels"))]
    part = rng.choice(names)
    decl = rng.choice(DOCTYPES)
    padding = b"<!--" + b"x" * rng.choice([0, 10, 70000]) + b"-->" if rng.random() < 0.3 else b""

    def inject(body: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", body)
        body = re.sub(rb"(<t[^>]*>)", rb"\1&e;", body, count=1) if b"ENTITY e" in decl else body
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + padding + decl + b"\n" + body
    return Variant("doctype", rezip(data, lambda n, b: inject(b) if n == part else b), must_refuse=True)


REMOVABLE = ["xl/styles.xml", "[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels",
             "docProps/core.xml", "docProps/app.xml", "xl/theme/theme1.xml", "xl/sharedStrings.xml", "SHEET"]


def remove_member(rng: random.Random) -> Variant:
    data = shared_strings_bytes() if rng.random() < 0.5 else base_bytes()
    member = rng.choice(REMOVABLE)
    if member == "SHEET":
        member = sheet_parts(data)[rng.choice(SHEETS).name]
    return Variant(f"remove {member}", rezip(data, lambda n, b: None if n == member else b))


def bad_shared_string(rng: random.Random) -> Variant:
    data = shared_strings_bytes()
    sheet = rng.choice(DATA_SHEETS)
    xml = zipfile.ZipFile(io.BytesIO(data)).read(sheet_parts(data)[sheet.name]).decode()
    letters, row = rng.choice(re.findall(r'<c r="([A-Z]+)(\d+)"[^>]*t="s"[^>]*><v>\d+</v>', xml))
    bad = rng.choice(["99999", "-1", "abc", "1.5", "", "100000000000000000000"])
    data = edit_sheet_xml(data, sheet.name, lambda x: re.sub(
        rf'(<c r="{letters}{row}"[^>]*><v>)\d+(</v>)', lambda m: m.group(1) + bad + m.group(2), x))
    return Variant("bad-shared-string", data, sheet=sheet.name, row=int(row) if bad else None, must_refuse=bool(bad))


def row_order(rng: random.Random) -> Variant:
    sheet = rng.choice([BUDGET, INDICATORS])
    bad = rng.choice(["swap", "zero", "text", "dup"])

    def change(xml: str) -> str:
        if bad == "swap":
            return xml.replace('<row r="2"', '<row r="X"').replace('<row r="3"', '<row r="2"').replace('<row r="X"', '<row r="3"')
        return xml.replace('<row r="3"', {"zero": '<row r="0"', "text": '<row r="abc"', "dup": '<row r="2"'}[bad])
    return Variant("row-order", edit_sheet_xml(base_bytes(), sheet.name, change), sheet=sheet.name, must_refuse=True)


def bad_cell_ref(rng: random.Random) -> Variant:
    sheet = rng.choice(DATA_SHEETS)
    ref = rng.choice(["A0", "AAAA2", "2A", "", "XFE2", "A-1"])
    data = edit_sheet_xml(base_bytes(), sheet.name, lambda x: x.replace('<c r="A2"', f'<c r="{ref}"', 1))
    invalid = ref in ("AAAA2", "2A", "A-1", "XFE2")   # A0 and no reference at all: openpyxl reads them as A2
    return Variant("bad-cell-ref", data, sheet=sheet.name if invalid else None, must_refuse=invalid)


def chartsheet(rng: random.Random) -> Variant:
    sheet = rng.choice(SHEETS)

    def change(book):
        index = book.sheetnames.index(sheet.name)
        del book[sheet.name]
        book.create_chartsheet(sheet.name, index)
    return Variant("chartsheet", edit_book(base_bytes(), change), sheet=sheet.name, must_refuse=True, fragment="图表")


def encrypted_zip_flag(rng: random.Random) -> Variant:
    data = bytearray(base_bytes())
    for sig in (b"PK\x01\x02", b"PK\x03\x04"):
        at = data.find(sig)
        while at >= 0:
            data[at + (8 if sig == b"PK\x01\x02" else 6)] |= 1
            at = data.find(sig, at + 4)
    return Variant("zip-encrypted", bytes(data), must_refuse=True, fragment="加密")


def unzipped_limit(rng: random.Random) -> Variant:
    data = rezip(base_bytes(), add={"xl/media/padding.bin": bytes(2 * 1024 * 1024)})
    return Variant("unzipped-limit", data, must_refuse=True, fragment="解压后", env={"EVALNB_MAX_UNZIPPED_MB": "1"})


def reencoded(rng: random.Random) -> Variant:
    """Still valid: UTF-16 sheet XML, comments and processing instructions before the root."""
    sheet = rng.choice(SHEETS)
    part = sheet_parts(base_bytes())[sheet.name]
    if rng.random() < 0.5:
        def edit(n, b):
            return ('<?xml version="1.0" encoding="UTF-16"?>' + b.decode()).encode("utf-16") if n == part else b
    else:
        def edit(n, b):
            return b'<?xml version="1.0"?>\n<!-- made by hand -->\n<?pi x?>\n' + b if n == part else b
    return Variant("reencoded", rezip(base_bytes(), edit))


# --- not workbooks at all -------------------------------------------------------------------------------

def _cfb(*streams: str) -> bytes:
    """Enough of a compound file (magic, directory entry names) for sniffing: .xls or encrypted .xlsx."""
    names = b"".join(s.encode("utf-16-le") + b"\x00" * (64 - 2 * len(s)) for s in ("Root Entry", *streams))
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + names + bytes(1024)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


NOT_WORKBOOKS: dict[str, tuple[Callable[[], bytes], str]] = {
    "xls": (lambda: _cfb("Workbook", "\x05SummaryInformation"), "97-2003 (.xls)"),
    "encrypted": (lambda: _cfb("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"), "加密"),
    "doc": (lambda: _cfb("WordDocument"), "旧版 Office"),
    "pdf": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
    "csv": (lambda: "部门名称,年度\n测试局,2024\n".encode(), "CSV"),
    "csv-gbk": (lambda: "项目名称,全年预算数\n项目甲,100\n".encode("gbk"), "CSV"),
    "tsv-utf16": (lambda: "字段\t内容\n部门名称\t测试局\n".encode("utf-16"), "CSV"),
    "html": (lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
    "xml2003": (lambda: b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
                "2003 XML"),
    "text": (lambda: "这不是工作簿".encode(), "文本"),
    "empty": (lambda: b"", "为空"),
    "random": (lambda: random.Random(7).randbytes(4096), "无法识别"),
    "docx": (lambda: _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), "Word"),
    "pptx": (lambda: _zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}), "PowerPoint"),
    "ods": (lambda: _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<c/>"}),
            "OpenDocument"),
    "xlsb": (lambda: _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00"}), ".xlsb"),
    "zip": (lambda: _zip({"readme.txt": b"hello"}), "ZIP"),
    "empty-zip": (lambda: _zip({}), "ZIP"),
}


def not_a_workbook(rng: random.Random) -> Variant:
    kind = rng.choice(sorted(NOT_WORKBOOKS))
    make, fragment = NOT_WORKBOOKS[kind]
    name = rng.choice([NAME, f"测试局_2024.{kind.split('-')[0]}"])
    return Variant(f"not-xlsx {kind}", make(), name=name, must_refuse=True, fragment=fragment)


def lock_file(rng: random.Random) -> Variant:
    data = b"\x05zhang" + b" " * 48 + "张三".encode("utf-16-le") + bytes(100)
    return Variant("lock-file", data, name="~$" + NAME)


MUTATIONS: tuple[Callable[[random.Random], Variant], ...] = (
    cell_value, huge_number, long_text, narrow_text, delete_char, duplicate_header, missing_sheet, missing_column,
    extra_columns, formula, far_cell, forged_dimension, percent_trap, year, score_bounds, rules_name, tight_limits,
    bad_number_xml, control_chars_xml, truncate, flip_bytes, flip_xml, doctype, remove_member, bad_shared_string,
    row_order, bad_cell_ref, chartsheet, encrypted_zip_flag, unzipped_limit, reencoded, not_a_workbook, lock_file,
    zero_budget, fractional_count, percent_money,
)


def variants(seed: int, count: int) -> list[tuple[int, Callable[[random.Random], Variant]]]:
    """``count`` (index, mutation) pairs covering every mutation, the rest drawn at random; each index seeds its own rng."""
    rng = random.Random(seed)
    chosen = list(MUTATIONS) + [rng.choice(MUTATIONS) for _ in range(count - len(MUTATIONS))]
    rng.shuffle(chosen)
    return list(enumerate(chosen))
