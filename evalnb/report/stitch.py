"""Stitch executed notebooks into one self-contained HTML page (nbconvert, template ``evalnb``).

Two pages are made from one department-year: the filed report (the department's own document: its
title, its date, nothing about how it was made in visible text; provenance only in ``<meta>`` tags and
``provenance.json``) and the review memo (复核意见) for the reviewer and the officer.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
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


ATTACHMENT_MARK = "evalnb_attachment"     # cell metadata: the 落款 goes before this cell, the 附件 start a page


def merge(executed: list[Path], attachments: int | None = None) -> nbformat.NotebookNode:
    """One notebook of the report cells: parameter cells and stderr streams left out; the first cell that shows
    something of the attachments (附件: ``executed[attachments:]``) marked, so that the page puts the 落款 after
    the body and before them."""
    merged = nbformat.v4.new_notebook()
    for i, path in enumerate(executed):
        nb = nbformat.read(path, as_version=4)
        merged.metadata = merged.metadata or nb.metadata
        shown = []
        for cell in nb.cells:
            if set(cell.metadata.get("tags", [])) & set(HIDDEN_TAGS):
                continue
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
                shown += [cell] if cell.outputs else []
            merged.cells.append(cell)
        first_attachment = attachments is not None and i >= attachments and \
            not any(ATTACHMENT_MARK in c.metadata for c in merged.cells)
        if first_attachment and shown:
            shown[0].metadata[ATTACHMENT_MARK] = True
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
    closing_placed: bool = False        # the 落款 stands before the first 附件 cell (not at the page's end)
    provenance: dict[str, str] = field(default_factory=dict)    # <meta name="evalnb:…"> tags
    attachment: str | None = None       # 附件编号, the line above the title (附件4)


_local = threading.local()


def _exporter() -> HTMLExporter:
    """This thread's exporter: made once, so its Jinja templates compile once (0.3 s each time otherwise; a
    department's project forms are dozens of pages)."""
    exporter = getattr(_local, "exporter", None)
    if exporter is None:
        exporter = _local.exporter = HTMLExporter(
            template_name="evalnb", extra_template_basedirs=[str(TEMPLATES)], exclude_input=True,
            exclude_input_prompt=True, exclude_output_prompt=True)
    return exporter


def export_html(nb: nbformat.NotebookNode, page: Page) -> str:
    exporter = _exporter()
    resources = {"evalnb": {**asdict(page), "version": evalnb.__version__}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _ingested_on(dy: DepartmentYear) -> date:
    loaded = dy.loaded_at if dy.loaded_at.tzinfo else dy.loaded_at.replace(tzinfo=UTC)
    return loaded.astimezone().date()


def report_date(dy: DepartmentYear) -> str:
    """The 落款 date: 报告日期 as typed; else the day the data was ingested when that falls in the year after
    the one reported (when such reports are filed); else that year with month and day left blank, to be
    written when the report is sealed. Never the machine's clock at rendering, so re-rendering does not
    change a filed report."""
    if dy.report_date is not None:
        return say(WORDING, "date", dy.report_date.year, dy.report_date.month, dy.report_date.day)
    day = _ingested_on(dy)
    if day.year == dy.year + 1:
        return say(WORDING, "date", day.year, day.month, day.day)
    return say(WORDING, "blank_date", dy.year + 1)


def memo_dates(dy: DepartmentYear) -> list[str]:
    """The memo's header lines on dates: when the data was ingested, and how the 落款 date was set when the
    workbook gives no 报告日期."""
    day = _ingested_on(dy)
    lines = [say(WORDING, "memo_imported", say(WORDING, "date", day.year, day.month, day.day))]
    if dy.report_date is None:
        lines.append(say(WORDING, "memo_date_defaulted", report_date(dy), day.year == dy.year + 1))
    return lines


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
    nb = merge(executed, next((i for i, s in enumerate(SECTIONS) if s.attachment), None))
    page = Page(kicker=dy.department, heading=say(WORDING, "report_heading", dy.year), meta=[],
                toc=[(s.anchor, s.title) for s in SECTIONS], sample=_sample_notice(dy),
                draft=draft or None, closing=[dy.department, report_date(dy)], provenance=provenance(dy, book),
                attachment=dy.attachment,
                closing_placed=any(ATTACHMENT_MARK in c.metadata for c in nb.cells))
    return export_html(nb, page)


def memo_page(executed: Path, dy: DepartmentYear, book: Rulebook) -> str:
    toc = [(f"memo-{part}", title) for part, title in words("memo", "headings").items()]
    page = Page(kicker=dy.department, heading=say(WORDING, "memo_heading", dy.year),
                meta=[words(WORDING, "memo_note"), *memo_dates(dy), say(WORDING, "memo_rules", book.title)],
                toc=toc, sample=_sample_notice(dy), provenance=provenance(dy, book))
    return export_html(merge([executed]), page)


def _sample_notice(dy: DepartmentYear) -> str | None:
    return words(WORDING, "sample_notice") if dy.is_sample else None
