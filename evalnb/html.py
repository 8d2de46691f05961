"""Small HTML builders. Every piece of text from a workbook passes through :func:`esc`."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from IPython.display import HTML


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
          caption: str | None = None, foot: Sequence[object] | None = None, cls: str = "") -> str:
    """A table in a scrolling wrapper (phones); columns listed in ``numeric`` align right."""
    def cells(row: Sequence[object], tag: str) -> str:
        return "".join(f'<{tag}{" class=num" if i in numeric else ""}>{esc(v)}</{tag}>' for i, v in enumerate(row))

    head = f"<thead><tr>{cells(headers, 'th')}</tr></thead>"
    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows)
    tfoot = f"<tfoot><tr>{cells(foot, 'td')}</tr></tfoot>" if foot else ""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<div class="table-wrap"><table class="{esc(cls)}">{cap}{head}<tbody>{body}</tbody>{tfoot}</table></div>'


def show(*parts: str) -> HTML:
    """What a notebook cell displays: the joined parts as one HTML output."""
    return HTML("".join(p for p in parts if p))
