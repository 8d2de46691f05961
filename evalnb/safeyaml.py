"""YAML from users (rulebooks, params files): a safe loader with a size cap, no aliases, a depth and node
limit and no duplicate keys, so an alias bomb, a huge or deeply nested file is refused at once instead of
exhausting memory or the stack, and a key typed twice is named instead of the last one silently winning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evalnb.errors import not_utf8, yaml_message

MAX_BYTES = 1_000_000
MAX_DEPTH = 32           # a rulebook tree is 3–4 levels of nodes, about 8 levels of YAML
MAX_NODES = 50_000       # every scalar, list and mapping; the largest shipped rulebook has about 300


class NoAliasLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses anchors and aliases (``&a`` / ``*a``: our files never need them),
    nesting deeper than MAX_DEPTH (named by its key path), more than MAX_NODES nodes, and duplicate keys."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._path: list[str] = []
        self._nodes = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "不允许使用 YAML 别名（*引用）", event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise yaml.composer.ComposerError(None, None, f"内容过多（超过 {MAX_NODES} 项）", self.peek_event().start_mark)
        if index is None and parent is not None:          # a mapping's key: a scalar, no deeper
            return super().compose_node(parent, index)
        self._path.append(index.value if isinstance(index, yaml.ScalarNode) else f"[{index}]" if parent else "")
        try:
            if len(self._path) > MAX_DEPTH:
                where = ".".join(p for p in self._path[:8] if p).replace(".[", "[")
                raise yaml.composer.ComposerError(None, None, f"嵌套层数过多（超过 {MAX_DEPTH} 层），位于 {where}…",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._path.pop()

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, str | int | float | bool) and key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"键“{key}”重复（第 {seen[key].line + 1} 行已有）：每个键只能出现一次",
                        key_node.start_mark)
                seen.setdefault(key, key_node.start_mark)
        return super().construct_mapping(node, deep)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refused if it is not a regular file or is larger than MAX_BYTES."""
    if not path.is_file():
        raise ValueError("不是普通文件")
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"文件过大（超过 {MAX_BYTES // 1000} KB）")
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"文件过大（超过 {MAX_BYTES // 1000} KB）")
    return data


class YAMLSyntaxError(yaml.YAMLError):
    """Raised for malformed YAML: where (line and column, counted from 1) and what, in Chinese."""


def describe(exc: yaml.MarkedYAMLError) -> str:
    """第 3 行第 12 列：缺少“,”或“]”…: where the parser stopped, then what it found, in Chinese."""
    mark = exc.problem_mark or exc.context_mark
    return yaml_message(exc.problem or exc.context or "", None if mark is None else (mark.line + 1, mark.column + 1))


def load(data: bytes | str) -> Any:
    """Parse one YAML document; raises yaml.YAMLError (aliases, depth, size and duplicate keys included) on
    anything malformed, with a Chinese message that gives the line and column (YAMLSyntaxError)."""
    try:
        return yaml.load(data, Loader=NoAliasLoader)  # noqa: S506  NoAliasLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        raise YAMLSyntaxError(describe(exc)) from None
    except yaml.reader.ReaderError as exc:
        raise YAMLSyntaxError(not_utf8(exc.position + 1)) from None
