"""The other formats of a rendered report, beside its HTML: PDF (:mod:`evalnb.pdf`), Word
(:mod:`evalnb.word`) and Excel (:mod:`evalnb.export`), each named for people (:func:`evalnb.paths.document_name`)."""

from __future__ import annotations

from pathlib import Path

from evalnb.paths import document_name

FORMATS = ("pdf", "docx", "xlsx")
# format → (the document's name suffix, file suffix, MIME type) of the file beside report.html
FILES = {"html": ("", ".html", "text/html"), "memo": ("复核意见", ".html", "text/html"),
         "pdf": ("", ".pdf", "application/pdf"),
         "docx": ("", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
         "xlsx": ("自评表", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


def path_of(folder: Path, department: str, year: int, kind: str) -> Path:
    document, suffix, _ = FILES[kind]
    return folder / document_name(department, year, document, suffix)


def write_formats(html: Path, department: str, year: int, db: str | None, rules: str | None, version: str | None,
                  formats: tuple[str, ...]) -> list[Path]:
    """Write the asked formats of the report ``html`` (of data ``version``) beside it."""
    written = []
    for kind in formats:
        path = path_of(html.parent, department, year, kind)
        if kind == "pdf":
            from evalnb.pdf import write_pdf
            written.append(write_pdf(html, path))
        elif kind == "docx":
            from evalnb.word import write_docx
            written.append(write_docx(html, path))
        elif kind == "xlsx":
            from evalnb.context import load_context
            from evalnb.export import write_xlsx
            written.append(write_xlsx(load_context(department, year, db, rules, version), path))
    if written:
        from evalnb.fingerprint import add_files
        add_files(html.parent, written, version)
    return written
