"""The formats of a report, one registry: each a :class:`Format` (name, file name, MIME type, writer).

The HTML report and the memo are written by the render (:mod:`evalnb.report.render`); every other format is
written from them by its ``writer``: PDF (:mod:`evalnb.deliver.pdf`), Word (:mod:`evalnb.deliver.word`) and
Excel (:mod:`evalnb.deliver.xlsx`): the 自评表 as the department files it (``xlsx``) and, always beside it, its
review for the bureau and the officer (``memo-xlsx``, …_复核意见.xlsx, named as the HTML memo is). The CLI's
options, batch jobs, the report's freshness check and mail attachments all read this registry, so a new format
is one :func:`register` call (the shipped formats' words for the console are in :mod:`evalnb.cli.formats`). Files are named for
people (:func:`evalnb.paths.document_name`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evalnb.paths import MEMO_DOCUMENT, document_name


@dataclass(frozen=True)
class Source:
    """What a writer makes its file from: the rendered report and the data version it shows."""
    html: Path
    department: str
    year: int
    db: str | None
    rules: str | None
    version: str | None


@dataclass(frozen=True)
class Format:
    name: str                   # the option (--pdf) and the mail attachment's name (--attach pdf)
    document: str               # the document's name after the report's: 自评表 → …_自评表.xlsx
    suffix: str
    mime: str
    label: str = ""             # what the console calls the file (the shipped formats': evalnb.cli.formats)
    help: str = ""              # the option's help (likewise); empty for the formats every render writes
    writer: Callable[[Source, Path], Path] | None = None   # None: written by the render itself
    companions: tuple[str, ...] = ()     # formats written whenever this one is asked (the review beside the 自评表)

    def path(self, folder: Path, department: str, year: int) -> Path:
        return folder / document_name(department, year, self.document, self.suffix)


REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    REGISTRY[fmt.name] = fmt
    return fmt


def extra() -> tuple[str, ...]:
    """The formats written on request, beside the HTML (in registration order)."""
    return tuple(name for name, fmt in REGISTRY.items() if fmt.writer is not None)


def with_companions(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The asked formats and those written with them: ``xlsx`` brings ``memo-xlsx``."""
    return tuple(dict.fromkeys(k for kind in kinds for k in (kind, *REGISTRY[kind].companions)))


def path_of(folder: Path, department: str, year: int, kind: str) -> Path:
    return REGISTRY[kind].path(folder, department, year)


def file_names(department: str, year: int, kinds: tuple[str, ...]) -> dict[str, str]:
    """The file name of each asked format (what the freshness check looks for beside the report)."""
    return {kind: path_of(Path("."), department, year, kind).name for kind in kinds}


def write_formats(source: Source, kinds: tuple[str, ...], progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write the asked formats of ``source`` beside its HTML; they join the report's record. ``progress`` hears
    of each before it is written ("[PDF] <file name>")."""
    written = []
    for kind in kinds:
        fmt = REGISTRY[kind]
        assert fmt.writer is not None, f"{kind} is written by the render"
        path = fmt.path(source.html.parent, source.department, source.year)
        if progress:
            progress(f"[{fmt.label or kind}] {path.name}")
        written.append(fmt.writer(source, path))
    if written:
        from evalnb.report.fingerprint import add_files  # lazy: the no-op path imports only what it needs

        add_files(source.html.parent, written, source.version)
    return written


# The writers import their libraries on first use: `evalnb report` with nothing to do stays instant.
def _pdf(source: Source, path: Path) -> Path:
    from evalnb.deliver.pdf import write_pdf  # lazy: a writer's library on first use

    return write_pdf(source.html, path)


def _docx(source: Source, path: Path) -> Path:
    from evalnb.deliver.word import write_docx  # lazy: a writer's library on first use

    return write_docx(source.html, path)


def _xlsx(source: Source, path: Path) -> Path:
    from evalnb.deliver.xlsx import write_xlsx  # lazy: a writer's library on first use
    from evalnb.review.context import load_context  # lazy: a writer's library on first use

    return write_xlsx(load_context(source.department, source.year, source.db, source.rules, source.version), path)


def _memo_xlsx(source: Source, path: Path) -> Path:
    from evalnb.deliver.xlsx import write_review_xlsx  # lazy: a writer's library on first use
    from evalnb.review.context import load_context  # lazy: a writer's library on first use

    return write_review_xlsx(load_context(source.department, source.year, source.db, source.rules, source.version),
                             path)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
register(Format("html", "", ".html", "text/html"))
register(Format("memo", MEMO_DOCUMENT, ".html", "text/html"))
register(Format("pdf", "", ".pdf", "application/pdf", writer=_pdf))
register(Format("docx", "", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                writer=_docx))
register(Format("xlsx", "自评表", ".xlsx", XLSX, writer=_xlsx, companions=("memo-xlsx",)))
register(Format("memo-xlsx", MEMO_DOCUMENT, ".xlsx", XLSX, writer=_memo_xlsx))
