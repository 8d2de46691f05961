"""The report's wording as Jinja2 templates: one file per section (``evalnb/templates/prose/s1.j2`` …
``s6.j2``, ``appendix.j2``): each sentence a macro, numbers formatted by filters from :mod:`evalnb.text.fmt`;
headings, captions, table columns and chart labels set as top-level values. Python computes, the
template phrases; no arithmetic in templates.

A region or a department rewords a section without touching Python: a file of the same name in a folder
named by ``EVALNB_TEMPLATES`` (several separated by ``os.pathsep``; ``evalnb report --templates DIR``
sets it) is used instead of the shipped one. Undefined values fail loudly (StrictUndefined). The output
is plain text: it is escaped where it becomes HTML (:func:`evalnb.text.html.para`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, UndefinedError
from jinja2.runtime import Macro

from evalnb.errors import WordingError
from evalnb.paths import TEMPLATES, override_dirs
from evalnb.paths import WORDING_ENV as ENV_VAR  # noqa: F401  (the name users and the CLI know)
from evalnb.text import fmt

PACKAGE_PROSE = TEMPLATES / "prose"


def _and(names: list[str]) -> str:
    """A、B和C."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{'、'.join(names[:-1])}和{names[-1]}"


def quote(text: object) -> str:
    """“text”, with quotation marks inside it turned into the inner pair: 三公经费 in “三公经费”变动率 is quoted
    as “‘三公经费’变动率” (never “““三公经费”变动率”)."""
    inner = str(text).replace("“", "‘").replace("”", "’").replace('"', "")
    return f"“{inner}”"


FILTERS = {
    "wan": fmt.wan, "change_wan": fmt.change_wan, "pct": fmt.pct, "plain": fmt.plain, "yoy": fmt.yoy,
    "rate_change": fmt.rate_change,
    "measure": fmt.measure, "score": lambda v: fmt.fixed(v, 2, strip=True), "join_and": _and,
    "fixed": fmt.fixed, "percent": fmt.percent, "quote": quote, "num": fmt.exact,
}


@cache
def _environment(search_path: tuple[str, ...]) -> Environment:
    env = Environment(loader=FileSystemLoader(list(search_path)), undefined=StrictUndefined, autoescape=False,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env


def environment() -> Environment:
    return _environment(tuple(str(p) for p in (*override_dirs(), PACKAGE_PROSE)))


def words(section: str, name: str) -> Any:
    """Fixed wording of a section (headings, captions, table columns, chart labels): the value that
    ``<section>.j2`` sets at its top level with ``{% set name = … %}``."""
    template = environment().get_template(f"{section}.j2")
    if not hasattr(template.module, name):
        raise WordingError(_outdated(template, section, f"缺少取值“{name}”"))
    return getattr(template.module, name)


def shipped_words(section: str, name: str) -> Any:
    """The shipped wording of a value, whatever a region's copy of the template says (a fallback for keys a
    copy made before they existed cannot know)."""
    return getattr(_environment((str(PACKAGE_PROSE),)).get_template(f"{section}.j2").module, name)


def _outdated(template: Any, section: str, what: str) -> str:
    return (f"措辞模板 {template.filename} {what}：该文件可能复制自较早的版本，"
            f"请对照 {PACKAGE_PROSE / f'{section}.j2'} 补上或改正")


def say(section: str, sentence: str, /, *args: object, **values: object) -> str:
    """One sentence of a section: the macro ``sentence`` of ``<section>.j2``, on one line.

    A region's copy of the template that lacks the sentence, takes other arguments or uses a value this
    version does not give is a :class:`WordingError` naming the file; errors of the shipped files (and any
    other error) pass through as they are."""
    template = environment().get_template(f"{section}.j2")
    macro = getattr(template.module, sentence, None)
    if macro is None:
        raise WordingError(_outdated(template, section, f"缺少句式“{sentence}”"))
    if not _takes(macro, len(args), values):
        raise WordingError(_outdated(template, section, f"中句式“{sentence}”的参数与本版本不同（本版本传入 "
                                                          f"{len(args) + len(values)} 个）"))
    try:
        text = str(macro(*args, **values))
    except UndefinedError as exc:
        if Path(template.filename).parent == PACKAGE_PROSE:
            raise
        raise WordingError(_outdated(template, section, f"中句式“{sentence}”用到了本版本没有的内容（{exc.message}）")
                           ) from exc
    return "".join(line.strip() for line in text.splitlines())


def _takes(macro: Macro, count: int, names: dict[str, object]) -> bool:
    """Whether the macro takes ``count`` positional arguments and the keyword ``names``."""
    positional = count <= len(macro.arguments) or macro.catch_varargs
    return positional and (macro.catch_kwargs or all(n in macro.arguments for n in names))
