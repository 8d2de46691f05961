"""The report's HTML made ready for paper, for the PDF and the Word writer alike (the page on screen is left as
it is): a table of :data:`WIDE_COLUMNS` or more columns is *wide* (landscape pages in the PDF, a landscape
section in Word), and the project list's funding-source rows are grouped under their project (one 项目名称 and
项目类别 cell spanning the project's rows, the rows kept on one page).
"""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

WIDE_COLUMNS = 8           # the 自评表's indicator form (8–11 columns by rulebook) and the project list
PROJECTS = "projects"      # the project list's class (evalnb.sections.blocks.project_list)
GROUPED = 2                # its leading cells that name a project: 项目名称, 项目类别


def columns(table: object) -> int:
    """The table's width in columns (its widest row, spans counted)."""
    return max((sum(int(c.get("colspan") or 1) for c in tr.xpath("./th|./td")) for tr in table.xpath(".//tr")),
               default=0)


def is_wide(table: object) -> bool:
    return columns(table) >= WIDE_COLUMNS


def _text(cell: object) -> str:
    return " ".join(cell.text_content().split())


def group_projects(table: object) -> None:
    """Consecutive rows of one project (same name and category, one row per funding source) become one
    ``<tbody class="group">``: the project's leading cells span its rows, and the group never splits over pages."""
    for body in table.findall("tbody"):
        rows = body.findall("tr")
        runs: list[list[object]] = []
        for tr in rows:
            key = [_text(c) for c in tr.xpath("./td")[:GROUPED]]
            if runs and key == [_text(c) for c in runs[-1][0].xpath("./td")[:GROUPED]] and key[0]:
                runs[-1].append(tr)
            else:
                runs.append([tr])
        if all(len(run) == 1 for run in runs):
            continue
        bodies: list[object] = []
        for run in runs:
            if len(run) > 1:
                for cell in run[0].xpath("./td")[:GROUPED]:
                    cell.set("rowspan", str(len(run)))
                for tr in run[1:]:
                    for cell in tr.xpath("./td")[:GROUPED]:
                        tr.remove(cell)
                bodies.append(lxml_html.Element("tbody", {"class": "group"}))
            elif not bodies or bodies[-1].get("class"):
                bodies.append(lxml_html.Element("tbody"))
            bodies[-1].extend(run)
        at = table.index(body)
        table.remove(body)
        table[at:at] = bodies


def prepare(tree: object) -> object:
    """Group the project list's rows (the print CSS and the Word writer find wide tables themselves)."""
    for table in tree.xpath(f"//table[contains(concat(' ', @class, ' '), ' {PROJECTS} ')]"):
        group_projects(table)
    return tree


def read(report_html: Path) -> object:
    """The report's tree, ready for paper."""
    return prepare(lxml_html.fromstring(report_html.read_bytes()))
