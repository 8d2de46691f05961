"""Per department-year parameter files in ``params/``: what papermill receives for a report.

One YAML file per department-year, written by ``evalnb params`` from the store or by hand:

    department: 科学技术局
    year: 2024
    rules: national-2020      # optional: overrides the workbook's 评分规则
    mail_to: [finance@example.gov.cn]     # optional: who `evalnb mail` sends the report to
    mail_cc: [office@example.gov.cn]      # optional
    mail_from: finance@example.gov.cn     # optional: the sender (else EVALNB_MAIL_FROM or the SMTP login)
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

from evalnb import safeyaml
from evalnb.deliver.addresses import checked
from evalnb.errors import ParamsError
from evalnb.paths import params_dir, safe_name

KEYS = {"department": str, "year": int, "rules": str, "mail_to": list, "mail_cc": list, "mail_from": str}
TYPE_NAMES = {str: "文字", int: "整数", list: "列表（如 [a@example.gov.cn, b@example.gov.cn]）"}
REQUIRED = ("department", "year")


def params_path(department: str, year: int, folder: Path | None = None) -> Path:
    return (folder or params_dir()) / f"{safe_name(department)}_{year}.yaml"


def stored_params(department: str, year: int) -> dict:
    """The params file of a department-year, if there is one (else an empty dict)."""
    path = params_path(department, year)
    return read_params(path) if path.exists() else {}


RECIPIENTS_FILE = "recipients.csv"      # 部门,年度,收件人,抄送 (年度 blank: every year)
ADDRESS_SEPARATORS = re.compile(r"[;；,，、\s]+")


def sender(department: str, year: int) -> str | None:
    """The sender a department-year's params file names (``mail_from``), checked; None if it names none."""
    given = stored_params(department, year).get("mail_from")
    return checked([given], f"{params_path(department, year)} 的 mail_from")[0] if given else None


def recipients(department: str, year: int) -> tuple[list[str], list[str]]:
    """Who gets a department-year's report: ``mail_to``/``mail_cc`` of its params file, else the rows of
    ``params/recipients.csv`` for that department (and year, or any year)."""
    stored = stored_params(department, year)
    if stored.get("mail_to"):
        where = params_path(department, year)
        return checked(stored["mail_to"], f"{where} 的 mail_to"), checked(stored.get("mail_cc", []), f"{where} 的 mail_cc")
    path = params_dir() / RECIPIENTS_FILE
    if not path.exists():
        return [], []
    to: list[str] = []
    cc: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if {"部门", "收件人"} - set(row):
                raise ParamsError(f"{path}：第1行应为表头 部门,年度,收件人,抄送")
            year_cell = (row.get("年度") or "").strip()
            if row["部门"].strip() == department and year_cell in ("", str(year)):
                to += checked([a for a in ADDRESS_SEPARATORS.split(row["收件人"] or "") if a], f"{path} 第{number}行“收件人”")
                cc += checked([a for a in ADDRESS_SEPARATORS.split(row.get("抄送") or "") if a], f"{path} 第{number}行“抄送”")
    return to, cc


def write_params(db: str | None = None, folder: Path | None = None) -> list[Path]:
    folder = folder or params_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    from evalnb.store import sql as store  # lazy: batch with nothing to do imports no SQLAlchemy

    for department, year in store.department_years(store.open_store(db)):
        path = params_path(department, year, folder)
        if not path.exists():       # hand-edited files are kept
            text = yaml.safe_dump({"department": department, "year": year}, allow_unicode=True, sort_keys=False)
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def read_params(path: Path) -> dict:
    try:
        raw = safeyaml.load(safeyaml.read_bytes(path).decode("utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ParamsError(f"参数文件 {path} 无法读取：{exc}") from exc
    if not isinstance(raw, dict):
        raise ParamsError(f"参数文件 {path}：应为键值映射，键为 {'、'.join(KEYS)}")
    for key in REQUIRED:
        if key not in raw:
            raise ParamsError(f"参数文件 {path}：缺少键 {key}")
    for key, value in raw.items():
        if key not in KEYS:
            raise ParamsError(f"参数文件 {path}：未知的键 {key}；允许的键：{'、'.join(KEYS)}")
        if isinstance(value, bool) or (value is not None and not isinstance(value, KEYS[key])):
            raise ParamsError(f"参数文件 {path}：键 {key} 应为{TYPE_NAMES[KEYS[key]]}，实际为 {value!r}")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise ParamsError(f"参数文件 {path}：键 {key} 应为邮件地址的列表，实际为 {value!r}")
    return {"department": raw["department"], "year": raw["year"], "rules": raw.get("rules"),
            "mail_to": raw.get("mail_to") or [], "mail_cc": raw.get("mail_cc") or [], "mail_from": raw.get("mail_from")}
