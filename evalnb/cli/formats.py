"""What the console calls each shipped format of the registry (:mod:`evalnb.deliver.formats`) and its option's
help; a format registered elsewhere brings its own (``Format.label``, ``Format.help``). Importing this module
(the CLI does) gives the shipped formats these words in the registry, so progress lines written below the
CLI (``[PDF] …pdf``) use them too."""

from __future__ import annotations

from dataclasses import replace

from evalnb.deliver.formats import REGISTRY, register

LABELS = {"html": "报告", "memo": "复核意见", "pdf": "PDF", "docx": "Word", "xlsx": "Excel 自评表",
          "memo-xlsx": "Excel 复核意见"}
HELP = {
    "pdf": "另存 PDF：<报告名>.pdf（A4，页脚“第 X 页 共 Y 页”；需要系统的 Pango 库）",
    "docx": "另存 Word：<报告名>.docx（公文样式，可编辑、盖章）",
    "xlsx": "另存 Excel：<报告名>_自评表.xlsx（只含报送的自评表），并在旁边写出 <报告名>_复核意见.xlsx"
            "（计分依据、复核发现、共性指标）",
    "memo-xlsx": "只另存 <报告名>_复核意见.xlsx（计分依据、复核发现、共性指标），供复核人员使用，不随自评表报送",
}


def label(kind: str) -> str:
    return REGISTRY[kind].label or kind


def option_help(kind: str) -> str:
    return REGISTRY[kind].help


for _kind, _fmt in list(REGISTRY.items()):
    register(replace(_fmt, label=_fmt.label or LABELS.get(_kind, ""), help=_fmt.help or HELP.get(_kind, "")))
