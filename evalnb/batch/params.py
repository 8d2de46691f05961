"""Per department-year parameter files in ``params/``: writing them from the store, and the mail addresses they
name, checked. Reading and checking a file is :mod:`evalnb.paramfiles` (the review memo reads it too)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

from evalnb.deliver.addresses import checked
from evalnb.errors import ParamsError
from evalnb.paramfiles import params_path, stored_params
from evalnb.paths import params_dir

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
