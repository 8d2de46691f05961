"""Stitch executed notebooks into one self-contained HTML page (nbconvert, template ``evalnb``).

Two pages are made from one department-year: the filed report (the department's own document: its
title, its date, nothing about how it was made in visible text; provenance only in ``<meta>`` tags and
``provenance.json``) and the review memo (复核意见) for the reviewer and the officer.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

import evalnb
from evalnb.paths import TEMPLATES
from evalnb.rules import Rulebook
from evalnb.sections.outline import SECTIONS
from evalnb.store.data import DepartmentYear
from evalnb.text.prose import say, words

HIDDEN_TAGS = ("parameters", "injected-parameters", "evalnb-reset")
WORDING = "page"           # evalnb/templates/prose/page.j2


def merge(executed: list[Path]) -> nbformat.NotebookNode:
    """One notebook of the report cells: parameter cells and stderr streams left out."""
    merged = nbformat.v4.new_notebook()
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        merged.metadata = merged.metadata or nb.metadata
        for cell in nb.cells:
            if set(cell.metadata.get("tags", [])) & set(HIDDEN_TAGS):
                continue
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
            merged.cells.append(cell)
    return merged


@dataclass(frozen=True)
class Page:
    """What the page template shows around the notebook outputs."""

    kicker: str
    heading: str
    meta: list[str]
    toc: list[tuple[str, str]]
    sample: str | None = None           # the 示例数据 notice, when the data is sample data
    draft: list[str] | None = None      # why the report is still a draft (草稿 banner and watermark)
    closing: list[str] = field(default_factory=list)      # department and date, above the seal
    provenance: dict[str, str] = field(default_factory=dict)    # <meta name="evalnb:…"> tags
    attachment: str | None = None       # 附件编号, the line above the title (附件4)


def export_html(nb: nbformat.NotebookNode, page: Page) -> str:
    exporter = HTMLExporter(template_name="evalnb", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    resources = {"evalnb": {**asdict(page), "version": evalnb.__version__}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def report_date(dy: DepartmentYear) -> str:
    """The report's date: its 报告日期 as typed, else the day its data was ingested (never the machine's
    clock at rendering, so re-rendering does not change a filed report)."""
    day = dy.report_date
    if day is None:
        loaded = dy.loaded_at if dy.loaded_at.tzinfo else dy.loaded_at.replace(tzinfo=UTC)
        day = loaded.astimezone().date()
    return say(WORDING, "date", day.year, day.month, day.day)


def provenance(dy: DepartmentYear, book: Rulebook) -> dict[str, str]:
    """What the page was made from (its <meta> tags): no clock, so the same data renders the same bytes."""
    return {"department": dy.department, "year": str(dy.year), "rules": book.name, "rules_sha256": book.sha256,
            "workbook": dy.source_file, "workbook_sha256": dy.sha256, "data_version": dy.version,
            "evalnb": evalnb.__version__}


def provenance_json(dy: DepartmentYear, book: Rulebook) -> str:
    """``provenance.json`` beside the report: the same, plus when it was rendered."""
    record = {**provenance(dy, book), "rendered_at": datetime.now(UTC).isoformat(timespec="seconds")}
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def report_page(executed: list[Path], dy: DepartmentYear, book: Rulebook, draft: list[str]) -> str:
    page = Page(kicker=dy.department, heading=say(WORDING, "report_heading", dy.year), meta=[],
                toc=[(s.anchor, s.title) for s in SECTIONS], sample=_sample_notice(dy),
                draft=draft or None, closing=[dy.department, report_date(dy)], provenance=provenance(dy, book),
                attachment=dy.attachment)
    return export_html(merge(executed), page)


def memo_page(executed: Path, dy: DepartmentYear, book: Rulebook) -> str:
    toc = [(f"memo-{part}", title) for part, title in words("memo", "headings").items()]
    page = Page(kicker=dy.department, heading=say(WORDING, "memo_heading", dy.year),
                meta=[words(WORDING, "memo_note"), say(WORDING, "memo_imported", report_date(dy)),
                      say(WORDING, "memo_rules", book.title)],
                toc=toc, sample=_sample_notice(dy), provenance=provenance(dy, book))
    return export_html(merge([executed]), page)


def _sample_notice(dy: DepartmentYear) -> str | None:
    return words(WORDING, "sample_notice") if dy.is_sample else None
