"""Small HTML builders. Every piece of text from a workbook passes through :func:`esc`."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from IPython.display import HTML, display


def esc(text: object) -> str:
    return "" if text is None else html.escape(str(text), quote=True)


def heading(level: int, text: str, anchor: str | None = None) -> str:
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return f"<h{level}{ident}>{esc(text)}</h{level}>"


def para(text: str, cls: str | None = None) -> str:
    klass = f' class="{esc(cls)}"' if cls else ""
    return f"<p{klass}>{esc(text)}</p>"


def paras(texts: Iterable[str]) -> str:
    return "".join(para(t) for t in texts)


def bullets(items: Iterable[str]) -> str:
    body = "".join(f"<li>{esc(i)}</li>" for i in items)
    return f"<ul>{body}</ul>" if body else ""


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[int] = (),
          caption: str | None = None, foot: Sequence[object] | None = None, cls: str = "",
          wide: Sequence[int] = ()) -> str:
    """A table in a scrolling wrapper (phones); columns listed in ``numeric`` align right, those in ``wide``
    (running text) get room to read."""
    classes = {**dict.fromkeys(wide, " class=wide"), **dict.fromkeys(numeric, " class=num")}

    def cells(row: Sequence[object], tag: str) -> str:
        return "".join(f"<{tag}{classes.get(i, '')}>{esc(v)}</{tag}>" for i, v in enumerate(row))

    head = f"<thead><tr>{cells(headers, 'th')}</tr></thead>"
    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows)
    tfoot = f"<tfoot><tr>{cells(foot, 'td')}</tr></tfoot>" if foot else ""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<div class="table-wrap"><table class="{esc(cls)}">{cap}{head}<tbody>{body}</tbody>{tfoot}</table></div>'


class Outputs:
    """Several outputs of one cell, displayed in order (HTML and charts)."""

    def __init__(self, items: list[object]):
        self.items = items

    def _ipython_display_(self) -> None:
        for item in self.items:
            display(item)


def show(*parts: object) -> HTML | Outputs:
    """What a notebook cell displays. Parts are HTML strings, display objects (a :class:`evalnb.sections.charts.Chart`)
    or lists of them; empty parts are left out. Adjacent strings join into one HTML output; with only
    strings the result is that one HTML output."""
    flat = [q for p in parts for q in (p if isinstance(p, list | tuple) else [p]) if q]
    items: list[object] = []
    for part in flat:
        if isinstance(part, str) and items and isinstance(items[-1], str):
            items[-1] += part
        else:
            items.append(part)
    if all(isinstance(i, str) for i in items):
        return HTML("".join(str(i) for i in items))
    return Outputs([HTML(i) if isinstance(i, str) else i for i in items])
