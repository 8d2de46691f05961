"""YAML from users (rulebooks, params files): a safe loader with a size cap, no aliases, a depth and node
limit and no duplicate keys, so an alias bomb, a huge or deeply nested file is refused at once instead of
exhausting memory or the stack, and a key typed twice is named instead of the last one silently winning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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


# PyYAML's messages (problem, or context then problem), as a person who wrote the file reads them.
TOKENS = {"<stream end>": "文件末尾", "<block end>": "缩进结束", "<block mapping start>": "新的键值",
          "<block sequence start>": "新的列表", "<scalar>": "一个值", "<document start>": "文档开始",
          "<flow mapping end>": "“}”", "<flow sequence end>": "“]”", "<block entry>": "“-” 列表项", "<key>": "键",
          "<value>": "值", ",": "“,”", "]": "“]”", "}": "“}”", ":": "“:”", "-": "“-”", "?": "“?”"}
MESSAGES = [
    (r"expected ',' or '(\]|\})', but got '?([^']*)'?", "缺少“,”或{0}：括号没有闭合，或其中的项之间少了逗号（遇到{1}）"),
    (r"expected the node content, but found '?([^']*)'?", "此处缺少值（遇到{0}）"),
    (r"mapping values are not allowed here", "此处不能出现“:”：值中含“: ”时请给整个值加引号，或检查缩进"),
    (r"could not find expected ':'", "缺少“:”：每个键后应有“: 值”，或上一行的引号没有闭合"),
    (r"found character '\\t' that cannot start any token", "不能用制表符（Tab）缩进，请改用空格"),
    (r"found character '(.*)' that cannot start any token", "字符“{0}”不能出现在这里：请给整个值加引号"),
    (r"found unexpected end of stream", "引号没有闭合：到文件末尾也没有找到对应的引号"),
    (r"did not find expected key", "缺少键或缩进不一致：同一层的键应对齐"),
    (r"did not find expected '-' indicator", "列表项的缩进不一致：同一列表的“-”应对齐"),
    (r"did not find expected <document start>", "文件中有多余的内容：检查缩进"),
    (r"expected <block end>, but found '?([^']*)'?", "缩进不一致（遇到{0}）：同一层的键应对齐"),
    (r"expected <document start>, but found '?([^']*)'?", "缩进不一致（遇到{0}）：文件只能有一个顶层映射"),
    (r"found unhashable key", "键不能是列表或映射"),
    (r"found unknown escape character '(.*)'", "双引号中的转义“\\{0}”无效：路径等文字请用单引号"),
    (r"found undefined alias '?([^']*)'?", "不允许使用 YAML 别名（*{0}）"),
    (r"found a tab character that violates indentation", "不能用制表符（Tab）缩进，请改用空格"),
    (r"found a tab character where an indentation space is expected", "不能用制表符（Tab）缩进，请改用空格"),
]


def _token(text: str) -> str:
    return TOKENS.get(text, f"“{text}”")


def describe(exc: yaml.MarkedYAMLError) -> str:
    """第 3 行第 12 列：缺少“,”或“]”…: where the parser stopped, then what it found, in Chinese."""
    import re

    mark = exc.problem_mark or exc.context_mark
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark is not None else ""
    problem = exc.problem or exc.context or ""
    if re.search(r"[\u4e00-\u9fff]", problem):        # ours (aliases, depth, size, duplicate keys): already Chinese
        return where + problem
    for pattern, chinese in MESSAGES:
        if found := re.fullmatch(pattern, problem):
            return where + chinese.format(*(_token(g) for g in found.groups()))
    return where + "YAML 格式有误：请检查这一处的引号、冒号、括号和缩进"


def load(data: bytes | str) -> Any:
    """Parse one YAML document; raises yaml.YAMLError (aliases, depth, size and duplicate keys included) on
    anything malformed, with a Chinese message that gives the line and column (YAMLSyntaxError)."""
    try:
        return yaml.load(data, Loader=NoAliasLoader)  # noqa: S506  NoAliasLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        raise YAMLSyntaxError(describe(exc)) from None
    except yaml.reader.ReaderError as exc:
        raise YAMLSyntaxError(f"不是 UTF-8 编码的文本（第 {exc.position + 1} 个字节无法识别）：请另存为 UTF-8 编码") from None
