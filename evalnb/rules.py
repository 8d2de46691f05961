"""Rulebooks: the scoring rules of a region, as YAML data files.

A rulebook is named by its file stem (``national-2020``) and looked up in ``$EVALNB_RULES_DIR``
(os.pathsep-separated folders) and then in ``evalnb/rules/``; a value ending in ``.yaml``/``.yml`` is a
path (relative to the project root). A malformed file raises :class:`RulebookError` naming the key.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from evalnb import safeyaml
from evalnb.errors import RulebookError
from evalnb.paths import project_root
from evalnb.workbook import QUALITATIVE_GRADES

DEFAULT_RULES = "national-2020"
PACKAGE_RULES_DIR = Path(__file__).with_name("rules")
REVERSE_FORMULAS = ("ratio", "linear")
PENALTIES = ("none", "deviation")


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    default: float


@dataclass(frozen=True)
class Grade:
    min: float
    label: str


@dataclass(frozen=True)
class Rulebook:
    name: str
    title: str
    path: Path
    sha256: str
    execution_weight: float
    low_execution_threshold: float
    weight_sets: tuple[dict[str, float], ...]
    any_level1: bool
    indicator_total: float
    reverse_formula: str
    over_threshold: float
    over_penalty: str
    qualitative: dict[str, Band]
    rounding: int
    grades: tuple[Grade, ...]

    @property
    def level1_names(self) -> list[str]:
        """Allowed 一级指标 names in rulebook order; empty when any name is allowed."""
        names: list[str] = []
        for weights in self.weight_sets:
            names += [n for n in weights if n not in names]
        return [] if self.any_level1 else names

    def grade(self, total: float) -> str:
        for g in self.grades:
            if total >= g.min:
                return g.label
        return self.grades[-1].label


def available() -> list[str]:
    names = {p.stem for folder in _search_dirs() for p in folder.glob("*.yaml")}
    return sorted(names)


def _search_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("EVALNB_RULES_DIR", "").split(os.pathsep) if p]
    return [*extra, PACKAGE_RULES_DIR]


def rulebook_path(name: str) -> Path:
    if name.endswith((".yaml", ".yml")):
        path = Path(name)
        path = path if path.is_absolute() else project_root() / path
        if path.is_file():
            return path
        raise RulebookError(f"找不到评分规则文件 {name}")
    for folder in _search_dirs():
        path = folder / f"{name}.yaml"
        if path.is_file():
            return path
    raise RulebookError(f"未知的评分规则 {name!r}；可用的有：{'、'.join(available())}")


def load_rulebook(name: str = DEFAULT_RULES) -> Rulebook:
    path = rulebook_path(name or DEFAULT_RULES)
    return _load(path, path.stat().st_mtime_ns)


@cache
def _load(path: Path, _mtime: int) -> Rulebook:
    try:
        raw_bytes = safeyaml.read_bytes(path)
        raw = safeyaml.load(raw_bytes)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise RulebookError(f"评分规则 {path}：不是有效的 YAML 文件：{exc}") from exc
    if not isinstance(raw, dict):
        raise RulebookError(f"评分规则 {path}：顶层应为键值映射")
    return _build(path, raw, hashlib.sha256(raw_bytes).hexdigest())


def _build(path: Path, raw: dict, sha256: str) -> Rulebook:
    get = _Getter(path, raw)
    level1 = get.mapping("level1")
    sets = get.sub(level1, "level1").list("weight_sets")
    weight_sets = tuple(
        {str(k): get.number_value(v, f"level1.weight_sets[{i}].{k}") for k, v in _as_mapping(
            path, s, f"level1.weight_sets[{i}]").items()}
        for i, s in enumerate(sets))
    any_level1 = get.sub(level1, "level1").boolean("any")
    if not weight_sets and not any_level1:
        raise RulebookError(f"评分规则 {path}：键 level1.weight_sets is empty while level1.any is false")
    over = get.sub(get.mapping("over_achievement"), "over_achievement")
    qual_raw = get.mapping("qualitative")
    qualitative = {}
    for grade in QUALITATIVE_GRADES:
        band = get.sub(_as_mapping(path, qual_raw.get(grade), f"qualitative.{grade}"), f"qualitative.{grade}")
        qualitative[grade] = Band(band.fraction("low"), band.fraction("high"), band.fraction("default"))
        if not qualitative[grade].low <= qualitative[grade].default <= qualitative[grade].high:
            raise RulebookError(f"评分规则 {path}：键 qualitative.{grade}: expected low ≤ default ≤ high")
    grades = tuple(
        Grade(get.number_value(_as_mapping(path, g, f"grades[{i}]").get("min"), f"grades[{i}].min"),
              str(_as_mapping(path, g, f"grades[{i}]").get("label") or ""))
        for i, g in enumerate(get.list("grades")))
    if not grades or any(not g.label for g in grades) or list(grades) != sorted(grades, key=lambda g: -g.min):
        raise RulebookError(f"评分规则 {path}：键 grades: expected a list of {{min, label}} from the highest min down")
    return Rulebook(
        name=path.stem, title=str(raw.get("title") or path.stem), path=path, sha256=sha256,
        execution_weight=get.number("execution_weight"),
        low_execution_threshold=get.fraction("low_execution_threshold"),
        weight_sets=weight_sets, any_level1=any_level1,
        indicator_total=get.number("indicator_total"),
        reverse_formula=get.choice("reverse_formula", REVERSE_FORMULAS),
        over_threshold=over.number("threshold"), over_penalty=over.choice("penalty", PENALTIES),
        qualitative=qualitative, rounding=int(get.number("rounding")), grades=grades,
    )


def _as_mapping(path: Path, value: object, key: str) -> dict:
    if not isinstance(value, dict):
        raise RulebookError(f"评分规则 {path}：键 {key}: expected a mapping, got {value!r}")
    return value


class _Getter:
    """Reads typed keys from one mapping of a rulebook, naming the full key on error."""

    def __init__(self, path: Path, raw: dict, prefix: str = ""):
        self.path, self.raw, self.prefix = path, raw, prefix

    def sub(self, raw: dict, key: str) -> _Getter:
        return _Getter(self.path, raw, f"{key}.")

    def _fail(self, key: str, expected: str) -> RulebookError:
        got = self.raw.get(key, "<missing>")
        return RulebookError(f"评分规则 {self.path}：键 {self.prefix}{key}: expected {expected}, got {got!r}")

    def number_value(self, value: object, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise RulebookError(f"评分规则 {self.path}：键 {key}: expected a number ≥ 0, got {value!r}")
        return float(value)

    def number(self, key: str) -> float:
        value = self.raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self._fail(key, "a number ≥ 0")
        return float(value)

    def fraction(self, key: str) -> float:
        value = self.number(key)
        if value > 1:
            raise self._fail(key, "a fraction between 0 and 1")
        return value

    def boolean(self, key: str) -> bool:
        value = self.raw.get(key)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.raw.get(key)
        if value not in choices:
            raise self._fail(key, " or ".join(choices))
        return value

    def mapping(self, key: str) -> dict:
        value = self.raw.get(key)
        if not isinstance(value, dict):
            raise self._fail(key, "a mapping")
        return value

    def list(self, key: str) -> list:
        value = self.raw.get(key)
        if not isinstance(value, list):
            raise self._fail(key, "a list")
        return value
