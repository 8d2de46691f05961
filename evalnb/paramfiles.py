"""Per department-year parameter files, ``params/<部门>_<年度>.yaml``: reading and checking them.

One YAML file per department-year, written by ``evalnb params`` from the store or by hand:

    department: 科学技术局
    year: 2024
    rules: national-2020      # optional: overrides the workbook's 评分规则
    mail_to: [finance@example.gov.cn]     # optional: who `evalnb mail` sends the report to
    mail_cc: [office@example.gov.cn]      # optional
    mail_from: finance@example.gov.cn     # optional: the sender (else EVALNB_MAIL_FROM or the SMTP login)
    rectify_days: 10          # optional: the review memo's 整改时限 in working days (else memo.j2's default)

Below the store on purpose: the review memo reads its 整改时限 here, and batch its jobs (``evalnb.batch.params``
writes the files and checks their mail addresses).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from evalnb import safeyaml
from evalnb.errors import ParamsError
from evalnb.paths import find_project, params_dir, safe_name

KEYS = {"department": str, "year": int, "rules": str, "mail_to": list, "mail_cc": list, "mail_from": str,
        "rectify_days": int}
TYPE_NAMES = {str: "文字", int: "整数", list: "列表（如 [a@example.gov.cn, b@example.gov.cn]）"}
REQUIRED = ("department", "year")
POSITIVE = ("rectify_days",)


def params_path(department: str, year: int, folder: Path | None = None) -> Path:
    return (folder or params_dir()) / f"{safe_name(department)}_{year}.yaml"


def stored_params(department: str, year: int) -> dict:
    """The params file of a department-year, if there is one (else an empty dict)."""
    path = params_path(department, year)
    return read_params(path) if path.exists() else {}


def rectify_days(department: str, year: int) -> int | None:
    """The 整改时限 (working days) a department-year's params file sets; None without a project or a setting."""
    if find_project() is None:          # a kernel outside any project (an installed notebook): nothing to read
        return None
    return stored_params(department, year).get("rectify_days")


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
        _check(path, key, value)
    return {"department": raw["department"], "year": raw["year"], "rules": raw.get("rules"),
            "mail_to": raw.get("mail_to") or [], "mail_cc": raw.get("mail_cc") or [], "mail_from": raw.get("mail_from"),
            "rectify_days": raw.get("rectify_days")}


def _check(path: Path, key: str, value: object) -> None:
    if key not in KEYS:
        raise ParamsError(f"参数文件 {path}：未知的键 {key}；允许的键：{'、'.join(KEYS)}")
    if isinstance(value, bool) or (value is not None and not isinstance(value, KEYS[key])):
        raise ParamsError(f"参数文件 {path}：键 {key} 应为{TYPE_NAMES[KEYS[key]]}，实际为 {value!r}")
    if isinstance(value, list) and not all(isinstance(v, str) for v in value):
        raise ParamsError(f"参数文件 {path}：键 {key} 应为邮件地址的列表，实际为 {value!r}")
    if key in POSITIVE and value is not None and value < 1:
        raise ParamsError(f"参数文件 {path}：键 {key} 应为正整数（工作日数），实际为 {value!r}")
