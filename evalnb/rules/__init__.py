"""Rulebooks: a region's scoring rules as a tree in a YAML file (see README, "How to write a rulebook").

A rulebook is named by its file stem (``national-2020``) and looked up in ``$EVALNB_RULES_DIR``
(os.pathsep-separated folders) and then in this package; a value ending in ``.yaml``/``.yml`` is a path
(relative to the project root). Old names (``sichuan``, ``chongqing``) are aliases of the converted
rulebooks. A malformed file raises :class:`RulebookError` naming every broken key path.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from evalnb import settings
from evalnb.errors import RulebookError
from evalnb.paths import project_root

if TYPE_CHECKING:        # the model (pydantic) and YAML load only when a rulebook is read: finding one is instant
    from evalnb.rules import model
    from evalnb.rules.model import Bands, Ratio

DEFAULT_RULES = "national-2020"
PACKAGE_RULES_DIR = Path(__file__).parent
ALIASES = {"sichuan": "sichuan-project", "chongqing": "chongqing-dept"}     # the names before rulebook v2


@dataclass(frozen=True)
class Rulebook:
    """A loaded rulebook: its name, file and hash beside the validated tree."""
    name: str
    path: Path
    sha256: str
    spec: model.Rulebook

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def region(self) -> str:
        return self.spec.region

    @property
    def document(self) -> str:
        """The rules' source as a report cites it: 《文件名称》（文号）; "" where the rulebook names none."""
        return self.spec.document

    @property
    def rounding(self) -> int:
        return self.spec.rounding

    @property
    def low_execution_threshold(self) -> float:
        return float(self.spec.low_execution_threshold)

    @property
    def quantitative(self) -> Ratio:
        return self.spec.quantitative

    @property
    def qualitative(self) -> Bands:
        return self.spec.qualitative

    @property
    def over_threshold(self) -> float:
        return float(self.spec.quantitative.over_threshold)

    @property
    def grades(self) -> tuple[model.Grade, ...]:
        return self.spec.grades

    @property
    def execution(self) -> model.MeasureLeaf | None:
        """The top-level 预算执行率 row of 10号-style trees; None where the tree has none (a Sichuan city's)."""
        from evalnb.rules.model import MeasureLeaf  # lazy: finding a rulebook's file imports no pydantic

        return next((n for n in self.spec.tree if isinstance(n, MeasureLeaf)
                     and n.measure in ("预算执行率", "年初预算执行率", "含结转预算执行率")), None)

    @property
    def execution_weight(self) -> float:
        return float(self.execution.weight) if self.execution else 0.0

    def grade(self, total: float) -> str:
        for g in self.grades:
            if total >= g.min:
                return g.label
        return self.grades[-1].label


def available() -> list[str]:
    names = {p.stem for folder in _search_dirs() for p in folder.glob("*.yaml")}
    return sorted(names)


def _search_dirs() -> list[Path]:
    return [*settings.RULES_DIR.paths(), PACKAGE_RULES_DIR]


def rulebook_path(name: str) -> Path:
    if name.endswith((".yaml", ".yml")):
        path = Path(name)
        path = path if path.is_absolute() else project_root() / path
        if path.is_file():
            return path
        if path.exists():
            raise RulebookError(f"找不到评分规则文件 {name}：该路径不是普通文件（是文件夹、管道或设备），应为 .yaml 文件")
        raise RulebookError(f"找不到评分规则文件 {name}")
    for folder in _search_dirs():
        path = folder / f"{name}.yaml"
        if path.is_file():
            return path
    if name in ALIASES:
        warnings.warn(f"评分规则 {name} 已更名为 {ALIASES[name]}，旧名称今后将不再支持", DeprecationWarning, stacklevel=3)
        return rulebook_path(ALIASES[name])
    raise RulebookError(f"未知的评分规则 {name!r}；可用的有：{'、'.join(available())}")


def load_rulebook(name: str = DEFAULT_RULES) -> Rulebook:
    path = rulebook_path(name or DEFAULT_RULES)
    return _validated(path, _stamps(path))


def source_digest(path: Path) -> str:
    """sha256 of a rulebook's file and of every file it ``extends`` (editing a base changes it), without
    validating it (no pydantic: the report's no-op check uses it)."""
    return _source(path, _stamps(path))[1]


def _stamps(path: Path) -> tuple[int, ...]:
    """The modification times of a rulebook's file and of its bases: the key its reading is cached on, so that a
    long-lived process (a kernel, a batch worker) sees an edit of a base too. Only ``stat`` once warm."""
    stamps: list[int] = []
    while path is not None and len(stamps) <= MAX_EXTENDS:
        try:
            stamps.append(path.stat().st_mtime_ns)
        except OSError:
            break                    # reading it says what is wrong
        path = _base_of(path, stamps[-1])
    return tuple(stamps)


@cache
def _base_of(path: Path, _mtime: int) -> Path | None:
    """The file a rulebook ``extends`` (None if none, or if that cannot be told: reading it says why)."""
    from evalnb import safeyaml  # lazy: finding a rulebook's file imports no pydantic

    try:
        base = safeyaml.load(safeyaml.read_bytes(path)).get("extends")
        return rulebook_path(base) if isinstance(base, str) and base else None
    except Exception:                # noqa: BLE001  any failure is reported by the full read
        return None


@cache
def _validated(path: Path, stamps: tuple[int, ...]) -> Rulebook:
    raw, digest = _source(path, stamps)
    return Rulebook(path.stem, path, digest, validate(raw, path))


@cache
def _source(path: Path, _stamps: tuple[int, ...]) -> tuple[dict, str]:
    """The rulebook's mapping with its bases merged in, and the digest of the files it came from."""
    import yaml

    from evalnb import safeyaml  # lazy: finding a rulebook's file imports no pydantic

    try:
        raw_bytes = safeyaml.read_bytes(path)
        raw = safeyaml.load(raw_bytes)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise RulebookError(f"评分规则 {path}：不是有效的 YAML 文件：{exc}") from exc
    if not isinstance(raw, dict):
        raise RulebookError(f"评分规则 {path}：顶层应为键值映射")
    raw, chain = extended(raw, path)
    return raw, hashlib.sha256(raw_bytes + b"".join(safeyaml.read_bytes(p) for p in chain)).hexdigest()


MAX_EXTENDS = 8


def extended(raw: dict, path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict, tuple[Path, ...]]:
    """A rulebook that ``extends`` another: the other's keys, this one's on top (a ``tree`` given replaces the
    whole tree), then ``rename`` applied to the tree ({旧名: 新名}, every node of that name). Returns the merged
    mapping and the files it was built from (the bases, nearest first)."""
    from evalnb import safeyaml

    raw = dict(raw)
    base_name, rename = raw.pop("extends", None), raw.pop("rename", None)
    if base_name is None:
        if rename is not None:
            raise RulebookError(f"评分规则 {path}：rename 只用于 extends 另一规则时")
        return raw, ()
    if not isinstance(base_name, str) or not base_name:
        raise RulebookError(f"评分规则 {path}：extends 应为另一规则的名称，如 sichuan-dept")
    base_path = rulebook_path(base_name)
    if base_path.resolve() in {p.resolve() for p in (*seen, path)} or len(seen) >= MAX_EXTENDS:
        raise RulebookError(f"评分规则 {path}：extends 成环或层数过多（{base_name}）")
    base = safeyaml.load(safeyaml.read_bytes(base_path))
    if not isinstance(base, dict):
        raise RulebookError(f"评分规则 {base_path}：顶层应为键值映射")
    base, chain = extended(base, base_path, (*seen, path))
    merged = {**base, **raw}
    if rename is not None:
        merged["tree"] = _renamed(merged.get("tree"), rename, path)
    return merged, (base_path, *chain)


def _renamed(tree: object, rename: object, path: Path) -> object:
    """The tree with nodes renamed; each old name must name at least one node."""
    if not isinstance(rename, dict) or not all(isinstance(k, str) and isinstance(v, str) and v
                                               for k, v in rename.items()):
        raise RulebookError(f"评分规则 {path}：rename 应为“旧名: 新名”的映射")
    found: set[str] = set()

    def walk(nodes: object) -> object:
        if not isinstance(nodes, list):
            return nodes
        out = []
        for node in nodes:
            if isinstance(node, dict):
                node = dict(node)
                if node.get("name") in rename:
                    found.add(node["name"])
                    node["name"] = rename[node["name"]]
                if "children" in node:
                    node["children"] = walk(node["children"])
                if isinstance(node.get("not_applicable"), dict) and node["not_applicable"].get("to") in rename:
                    node["not_applicable"] = {**node["not_applicable"], "to": rename[node["not_applicable"]["to"]]}
            out.append(node)
        return out

    renamed = walk(tree)
    if missing := [k for k in rename if k not in found]:
        raise RulebookError(f"评分规则 {path}：rename 中的节点在所继承的规则中不存在：{'、'.join(missing)}")
    return renamed


MAX_TREE_NODES = 500     # the largest published tree has a few dozen nodes; validating 10,000 took half a minute


def _tree_nodes(raw: dict) -> int:
    count, pending = 0, [raw.get("tree")]
    while pending:
        nodes = pending.pop()
        if isinstance(nodes, list):
            count += len(nodes)
            pending.extend(n.get("children") for n in nodes if isinstance(n, dict))
    return count


def validate(raw: dict, path: Path | str) -> model.Rulebook:
    """The validated tree, or a RulebookError listing every problem by key path ("tree.产出指标.weight")."""
    from pydantic import ValidationError

    from evalnb.rules import model  # lazy: finding a rulebook's file imports no pydantic

    if (nodes := _tree_nodes(raw)) > MAX_TREE_NODES:
        raise RulebookError(f"评分规则 {path}：tree 共有 {nodes} 个节点，超过上限 {MAX_TREE_NODES}：不像是一份评分规则")
    try:
        return model.Rulebook.model_validate(raw)
    except ValidationError as exc:
        lines = [f"键 {key_path(raw, e['loc'])}: {_message(e)}" for e in exc.errors()]
        raise RulebookError(f"评分规则 {path}：发现 {len(lines)} 处问题\n  " + "\n  ".join(lines)) from None


def key_path(raw: object, loc: tuple) -> str:
    """A pydantic error location as the user's keys: list items by their ``name`` (tree.产出指标.weight), the
    union's tag dropped (it is the node's own ``method``)."""
    parts: list[str] = []
    node = raw
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            name = node.get("name") if isinstance(node, dict) else None
            parts.append(str(name) if isinstance(name, str) and name else f"[{part}]")
            continue
        if isinstance(node, dict) and part in node:
            node = node[part]
            parts.append(str(part))
        elif isinstance(node, dict) and str(part) in ("group", "slot", *METHOD_NAMES):
            continue                      # the discriminator's tag
        else:
            parts.append(str(part))
            node = None
    return ".".join(parts).replace(".[", "[") or "（顶层）"


METHOD_NAMES = ("ratio", "bands", "deduction", "measure", "declared")
_MESSAGES = {
    "missing": "缺少此键", "extra_forbidden": "不认识的键（拼写错误？）", "literal_error": "取值应为 {expected}",
    "greater_than_equal": "应为不小于 {ge} 的数", "less_than_equal": "应为不大于 {le} 的数",
    "greater_than": "应为大于 {gt} 的数", "decimal_parsing": "应为数字", "decimal_type": "应为数字",
    "int_parsing": "应为整数", "int_type": "应为整数", "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字", "tuple_type": "应为列表", "dict_type": "应为键值映射", "model_type": "应为键值映射",
    "too_short": "至少需要 {min_length} 项", "string_too_short": "不能为空", "string_too_long": "过长",
}


def _message(error: dict) -> str:
    template = _MESSAGES.get(error["type"])
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    got = f"（实际为 {error['input']!r}）" if error["type"] not in ("missing",) and not isinstance(
        error.get("input"), dict | list) else ""
    if template is None:
        return error["msg"] + got
    context = {k: str(v).replace(" or ", " 或 ") for k, v in (error.get("ctx") or {}).items()}
    return template.format(**context) + got
