"""Every ``EVALNB_*`` environment variable, declared once: its name, its default and a Chinese help line.

Modules read a setting through its declaration (``settings.DB.get()``), never by spelling the name. The
README's table of settings is generated from here (``python -m evalnb.settings``) and a test keeps the two
equal, so a new setting is documented by declaring it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str            # what applies when the variable is not set (a value, or in words)
    help: str               # one line, Chinese: what the setting does
    group: str

    def get(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The value set (trimmed), or None when the variable is unset or empty."""
        value = (os.environ if environ is None else environ).get(self.name, "").strip()
        return value or None

    def paths(self, environ: Mapping[str, str] | None = None) -> list[Path]:
        """A list of folders, separated by ``os.pathsep`` (``:`` on Linux, ``;`` on Windows)."""
        return [Path(p) for p in (self.get(environ) or "").split(os.pathsep) if p]


SETTINGS: dict[str, Setting] = {}


def declare(name: str, default: str, help: str, group: str) -> Setting:
    assert name.startswith("EVALNB_") and name not in SETTINGS, name
    SETTINGS[name] = setting = Setting(name, default, help, group)
    return setting


PLACES, OUTPUT, MAIL, LIMITS = "位置", "输出", "邮件", "导入上限"

HOME = declare("EVALNB_HOME", "当前目录，或其上层中最近的 evalnb 项目目录",
               "项目目录：outputs/、params/ 和（若有）notebooks/ 在其下；用户给出的相对路径从这里算起", PLACES)
ROOT = declare("EVALNB_ROOT", "—", "EVALNB_HOME 的旧名，仍然有效", PLACES)
DB = declare("EVALNB_DB", "sqlite:///<项目目录>/outputs/evalnb.sqlite",
             "数据库地址（SQLAlchemy URL），如 postgresql+psycopg://user@host/evalnb；--db 优先", PLACES)
TEMPLATES = declare("EVALNB_TEMPLATES", "（无）", "地区措辞模板所在的文件夹（可多个，用 os.pathsep 分隔），"
                    "其中的同名文件替换内置措辞；--templates 优先", PLACES)
RULES_DIR = declare("EVALNB_RULES_DIR", "（无）",
                    "自定义评分规则（.yaml）所在的文件夹（可多个），先于内置规则查找", PLACES)
CACHE_KEY = declare("EVALNB_CACHE_KEY", "~/.local/state/evalnb/cache-<outputs 的摘要>.key（自动生成，权限 0600）",
                    "章节缓存封记所用密钥文件；多台机器共用 outputs/ 时指向同一份，它不应放在 outputs/ 下", OUTPUT)
FONT = declare("EVALNB_FONT", "系统的 Noto Sans CJK SC，否则随包附带的子集字体",
               "图表使用的中文字体文件（.otf/.ttf/.ttc）", OUTPUT)
SMTP_URL = declare("EVALNB_SMTP_URL", "（无：只能写出 .eml 文件）",
                   "发信服务器，如 smtp+starttls://user@mail.example.gov.cn:587、smtps://user@host:465", MAIL)
SMTP_PASSWORD = declare("EVALNB_SMTP_PASSWORD", "系统密钥环（evalnb[keyring]）中的密码",
                        "发信密码；不会写入任何文件", MAIL)
MAIL_FROM = declare("EVALNB_MAIL_FROM", "SMTP 用户名", "发件人地址；--from 优先", MAIL)
MAX_FILE_MB = declare("EVALNB_MAX_FILE_MB", "20", "工作簿文件大小上限（MB）", LIMITS)
MAX_UNZIPPED_MB = declare("EVALNB_MAX_UNZIPPED_MB", "200", "工作簿解压后各部分合计大小上限（MB）", LIMITS)
MAX_ROWS = declare("EVALNB_MAX_ROWS", "5000", "每个工作表的行数上限（含表头）", LIMITS)
MAX_COLUMNS = declare("EVALNB_MAX_COLUMNS", "50", "每个工作表的列数上限（50 即 AX 列）", LIMITS)
MAX_TEXT_CHARS = declare("EVALNB_MAX_TEXT_CHARS", "2000", "短文本单元格的字数上限（数据库列更窄时取其宽度）", LIMITS)
MAX_PARAGRAPH_CHARS = declare("EVALNB_MAX_PARAGRAPH_CHARS", "10000", "段落单元格（文字材料、备注、偏差原因等）的字数上限", LIMITS)
MAX_MONEY = declare("EVALNB_MAX_MONEY", "1e12", "金额（万元）的绝对值须小于此数", LIMITS)
MAX_SCORE = declare("EVALNB_MAX_SCORE", "100", "分值、自评得分、自评总分的上限（下限为 0）", LIMITS)
MAX_VALUE = declare("EVALNB_MAX_VALUE", "1e15", "其他数值的绝对值须小于此数", LIMITS)
MAX_DECIMALS = declare("EVALNB_MAX_DECIMALS", "6", "保留的小数位数上限（更多即报错，末尾的 0 不计）", LIMITS)
MIN_YEAR = declare("EVALNB_MIN_YEAR", "1990", "年度下限", LIMITS)
MAX_YEAR = declare("EVALNB_MAX_YEAR", "2100", "年度上限", LIMITS)


def markdown_table() -> str:
    """The README's table of settings."""
    rows = ["| 类别 | 环境变量 | 未设置时 | 作用 |", "|---|---|---|---|"]
    rows += [f"| {s.group} | `{s.name}` | {s.default} | {s.help} |" for s in SETTINGS.values()]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
