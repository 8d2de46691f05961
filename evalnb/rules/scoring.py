"""Scores from the published rules: execution rate, every indicator, subtotals, total and grade.

Every score carries its basis in Chinese words (``templates/prose/bases.j2``), so a reader can redo the
arithmetic. Declared scores
(自评得分, 自评总分) are kept beside the computed ones and never overwritten.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

import pandas as pd

from evalnb.errors import RulebookError
from evalnb.rules import Rulebook, fit, load_rulebook
from evalnb.rules.exact import dec, num, recomputing, rounded
from evalnb.rules.methods import METHODS, Inputs, Scored, in_band
from evalnb.rules.model import Slot
from evalnb.rules.tree import Place, Row, ends, lay_out, place
from evalnb.store import measures
from evalnb.store.data import DepartmentYear
from evalnb.text.prose import say
from evalnb.workbook import LEVEL2_ORDER, NOT_APPLICABLE

__all__ = ["IndicatorScore", "Scorecard", "dec", "execution_score", "funds_only", "in_band", "num", "rounded", "score"]


@dataclass(frozen=True)
class IndicatorScore:
    row: int
    level1: str
    level2: str
    name: str
    nature: str
    weight: float
    score: float
    declared_score: float | None
    basis: str
    achievement: float | None = None     # actual ÷ target toward the indicator's direction (1 = met)
    met: bool = True
    band: tuple[float, float] | None = None  # qualitative: the grade's score band in points
    band_includes_top: bool = True            # 10号: only the top band includes its upper end
    method: str = "ratio"                     # the rulebook's scoring method (ratio, bands, deduction, …)
    path: tuple[str, ...] = ()                # its place in the rulebook's tree
    applicable: bool = True                   # False: marked 不适用 (its weight is not scored)
    content: str = ""                         # 指标内容 and 评价标准 of a fixed leaf, for the form
    standard: str = ""
    order: int = 0                            # position of its place in the rulebook's tree
    rank: tuple[int, ...] = ()                # under an open node: its 一级 and 二级 in the form's order
    reasons: tuple[str, ...] = ()             # 扣分: what was found (扣分事项 原因)
    measured: float | None = None             # 计算: the measure's value, in percent (None: not computable)
    optional: bool = False                    # the rulebook lets it be 不适用
    checked: tuple[float, str] | None = None  # 自评 with a computable 评价标准: the data's score and its basis

    @property
    def coefficient(self) -> float | None:
        """得分系数: score ÷ weight (Chongqing's form)."""
        return self.score / self.weight if self.weight and self.applicable else None


@dataclass(frozen=True)
class Scorecard:
    department: str
    year: int
    rules: str
    rules_title: str
    budget: float
    executed: float
    execution_rate: float
    execution_weight: float
    execution_score: float
    execution_basis: str
    indicators: list[IndicatorScore]          # one per 绩效指标 row, in row order
    subtotals: dict[str, dict[str, float]]
    max_points: float
    total: float
    total_basis: str
    grade: str
    declared_total: float | None
    declared_grade: str | None
    notes: list[str] = field(default_factory=list)
    leaves: list[IndicatorScore] = field(default_factory=list)   # fixed leaves scored without a row (计算, 扣分)
    execution_name: str = "预算执行率"       # the measure the 执行率 row scores (年初预算执行率 in some trees)

    @property
    def items(self) -> list[IndicatorScore]:
        """Every scored leaf in the rulebook's tree order; rows under one open node grouped by 一级 and 二级 in
        the form's order (数量 before 质量 …), in workbook order within a group."""
        return sorted([*self.indicators, *self.leaves], key=lambda item: (item.order, item.rank))

    def parts(self, execution_label: str = "预算执行率") -> list[tuple[str, float, float]]:
        """(name, points, score) of the 预算执行率 row (where the rulebook has one) and each 一级指标."""
        head = [(self.execution_name if execution_label == "预算执行率" else execution_label, self.execution_weight,
                 self.execution_score)] if self.execution_weight else []
        return head + [(name, s["weight"], s["score"]) for name, s in self.subtotals.items()]

    @property
    def methods(self) -> list[str]:
        """The scoring methods in use, in a fixed order (for the report's account of its rules)."""
        used = {i.method for i in self.items if i.applicable}
        return [m for m in ("ratio", "bands", "measure", "deduction", "declared") if m in used]

    def to_dict(self) -> dict:
        """Plain JSON-safe data (an infinite achievement, 0 actual on a ≤ target, becomes None)."""
        result = asdict(self)
        for item in [*result["indicators"], *result["leaves"]]:
            if item["achievement"] is not None and math.isinf(item["achievement"]):
                item["achievement"] = None
        return result


def execution_score(executed: float | Decimal, budget: float | Decimal, weight: float | Decimal,
                    digits: int = 2) -> tuple[float, str]:
    """min(全年执行数 ÷ 全年预算数, 1) × 分值, exactly; the basis shows the amounts at the report's two decimals
    where they still re-compute to the score, at more only where needed."""
    e, b, w = dec(executed), dec(budget), dec(weight)
    rate = e / b if b else Decimal(0)
    if rate >= 1:
        return float(rounded(w, digits)), say("bases", "execution", float(rate), w, None, e, b)
    score = rounded(e * w / b, digits)          # multiply first: one rounding (at 28 digits) instead of two
    e, b = recomputing((e, b), lambda top, bottom: top * w / bottom, score, digits)
    return float(score), say("bases", "execution", float(rate), w, score, e, b)




def score(dy: DepartmentYear, rules: Rulebook | str | None = None) -> Scorecard:
    """Score a department-year under ``rules`` (default: the workbook's 评分规则): each 绩效指标 row at its place
    in the rulebook's tree, then the tree's own leaves (计算 from the budget, 扣分 from 扣分事项). Data that does
    not fit the rulebook (scored under another one with ``--rules``) is refused with every misfit named."""
    book = rules if isinstance(rules, Rulebook) else _load(rules or dy.rules)
    tree, digits = book.spec.tree, book.rounding
    records = dy.indicators.to_dict("records")
    _fits(dy, book, records)
    layout = lay_out(tree, [Row(int(r["row"]), (r["level1"], r["level2"], r["name"]),
                                r["actual_text"] == NOT_APPLICABLE) for r in records])
    found = measures.compute(dy) if _needs_measures(book) else {}
    deductions = _deductions(dy, book)
    items = []
    for _, ind in dy.indicators.iterrows():
        number = int(ind["row"])
        where, path = layout.places[number], layout.leaves[number]
        rule = (where.node.quantitative or book.quantitative if ind["nature"] == "定量"
                else where.node if ind["nature"] == _NATURES["declared"]
                else where.node.qualitative or book.qualitative) if where.open else where.node
        given = Inputs(layout.weight(number, dec(ind["weight"])), digits, ind, deductions.get(path, []), found)
        items.append(_item(ind, path, where, rule, given, path in layout.not_applicable, ind["nature"], tree))
    items = _ranked(items, layout)
    taken = {w.path for w in layout.places.values()}
    leaves = [_item(None, path, Place(path, node), node,
                    Inputs(layout.settled.weights[path], digits, None, deductions.get(path, []), found),
                    path in layout.not_applicable, tree=tree)
              for path, node in ends(tree)
              if not isinstance(node, Slot) and path not in taken and node is not book.execution]
    return _card(dy, book, items, leaves, _execution(dy, book, found), list(layout.notes), layout.rescaled)


def funds_only(dy: DepartmentYear, book: Rulebook) -> Scorecard:
    """The 执行率 row alone, for a form whose indicators are still missing (a project's draft 自评表)."""
    return _card(dy, book, [], [], _execution(dy, book, measures.compute(dy) if _needs_measures(book) else {}), [],
                 False)


def _ranked(items: list[IndicatorScore], layout: object) -> list[IndicatorScore]:
    """Each row under an open node ranked by its 一级 (the node's ``level1`` order, else first typed) and 二级 (the
    node's ``level2``, else 10号's order, else first typed), so 质量 rows never interleave with 数量 rows."""
    firsts: dict[tuple, int] = {}
    ranked = []
    for item in items:
        where = layout.places.get(item.row)
        if where is None or not where.open:
            ranked.append(item)
            continue
        node, level1 = where.node, item.path[0] if where.node.match == "any" else ""
        key1 = (where.path, level1)
        r1 = node.level1.index(level1) if level1 in node.level1 else 100 + firsts.setdefault(key1, len(firsts))
        level2 = item.path[-2] if len(item.path) >= 3 else ""
        order2 = node.level2 or LEVEL2_ORDER
        r2 = order2.index(level2) if level2 in order2 else 100 + firsts.setdefault((*key1, level2), len(firsts))
        ranked.append(replace(item, rank=(r1, r2)))
    return ranked


def _fits(dy: DepartmentYear, book: Rulebook, records: list[dict]) -> None:
    """Refuse data that does not fit the rulebook, as intake would have (it did, under the workbook's own)."""
    indicators = [{**r, "weight": None if pd.isna(r["weight"]) else dec(r["weight"]),
                   "declared_score": None if pd.isna(r["declared_score"]) else dec(r["declared_score"])}
                  for r in records]
    issues = fit.check(book, indicators, dy.deductions.to_dict("records"))
    if issues:                # a console message: every misfit on its own line
        raise RulebookError(f"{dy.department} {dy.year} 的数据不符合评分规则“{book.title}”（{book.name}），无法按此规则评分：\n"
                            + "\n".join(f"  - {i.sheet}" + (f"第{i.row}行" if i.row else "") + f"：{i.message}"
                                        for i in issues))


def _needs_measures(book: Rulebook) -> bool:
    """Whether any leaf reads the computed measures (the 10号 执行率 row reads the budget lines directly)."""
    execution = book.execution
    return any((getattr(n, "method", None) == "measure" and n is not execution) or getattr(n, "check", None) is not None
               for _, n in ends(book.spec.tree)) or (
        execution is not None and (execution.measure, execution.scale) != ("预算执行率", "linear"))


def score_indicator(ind: pd.Series, rules: Rulebook) -> IndicatorScore:
    """One of the department's own indicators (a row under an open node) under the rulebook's default
    定量/定性 options."""
    method = "ratio" if ind["nature"] == "定量" else "bands"
    rule = rules.quantitative if method == "ratio" else rules.qualitative
    weight = dec(ind["weight"])
    scored = METHODS[method](rule, Inputs(weight, rules.rounding, ind))
    return _scored(ind, (ind["level1"], ind["level2"], ind["name"]), method, scored, weight, rules.rounding,
                   nature=ind["nature"])


def _load(name: str) -> Rulebook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)     # an old name stored with the data still scores
        return load_rulebook(name)


def _deductions(dy: DepartmentYear, book: Rulebook) -> dict[tuple[str, ...], list[dict]]:
    """The 扣分事项 of each leaf (fit.check has placed every one)."""
    found: dict[tuple[str, ...], list[dict]] = {}
    for record in dy.deductions.to_dict("records"):
        where = place(book.spec.tree, record["level1"], record["level2"], record["name"])
        found.setdefault(where.path, []).append(record)
    return found


def _item(ind: pd.Series | None, path: tuple[str, ...], where: Place, rule: object, given: Inputs,
          not_applicable: bool, nature: str | None = None, tree: tuple = ()) -> IndicatorScore:
    node = where.node
    method = _OPEN_METHODS.get(nature, "bands") if where.open else node.method
    order = [p for p, _ in ends(tree)].index(where.path) if tree else 0
    if not_applicable:
        scored = Scored(Decimal(0), say("bases", "not_applicable", given.weight), met=True)
    else:
        scored = METHODS[method](rule, given)
    fixed = not where.open
    content, standard = (node.content, node.standard) if fixed else (_text(ind, "content"), _text(ind, "standard"))
    return _scored(
        ind, path, method, scored, given.weight, given.digits, nature=nature or _NATURES[method],
        applicable=not not_applicable, content=content, standard=standard,
        order=order, reasons=tuple(d["reason"] for d in given.deductions),
        measured=_measured(node, given) if method == "measure" else None, optional=bool(node.optional),
        checked=None if not_applicable or where.open else _checked(node, given))


def _checked(node: object, given: Inputs) -> tuple[float, str] | None:
    """What a 自评 leaf whose 评价标准 the data can compute (its ``check``) would score, and how; None if it has no
    check or the data lacks what the check needs."""
    check = getattr(node, "check", None)
    found = given.measures.get(check.measure) if check is not None else None
    if found is None or found.value is None:
        return None
    scored = METHODS["measure"](check, given)
    return float(rounded(scored.score, given.digits)), scored.basis


def _scored(ind: pd.Series | None, path: tuple[str, ...], method: str, scored: Scored, weight: Decimal, digits: int,
            **details: object) -> IndicatorScore:
    """The score of one leaf, clamped to [0, weight] and rounded, with its basis and the row's declared score."""
    declared = None if ind is None or pd.isna(ind["declared_score"]) else float(ind["declared_score"])
    return IndicatorScore(
        row=int(ind["row"]) if ind is not None else 0, level1=path[0], level2=path[1] if len(path) > 2 else "",
        name=path[-1], weight=float(weight), score=float(rounded(min(max(scored.score, Decimal(0)), weight), digits)),
        declared_score=declared, basis=scored.basis, achievement=scored.achievement, met=scored.met,
        band=scored.band, band_includes_top=scored.band_includes_top, method=method, path=path, **details)


def _measured(node: object, given: Inputs) -> float | None:
    found = given.measures.get(node.measure)
    return None if found is None or found.value is None else float(found.value)


_NATURES = {"ratio": "定量", "bands": "定性", "deduction": "扣分", "measure": "计算", "declared": "自评"}
_OPEN_METHODS = {_NATURES["ratio"]: "ratio", _NATURES["declared"]: "declared"}   # a department's own row by 指标性质


def _text(ind: pd.Series | None, key: str) -> str:
    """A text cell of the row (指标内容, 评价标准) as typed; "" where blank or not stored."""
    value = None if ind is None else ind.get(key)
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class _Execution:
    weight: Decimal
    score: Decimal
    basis: str
    rate: float              # the rate the row scores (全年 or 年初), as a ratio
    name: str = "预算执行率"


def _execution(dy: DepartmentYear, book: Rulebook, found: dict) -> _Execution:
    """The 执行率 row (weight 0 where the tree has none)."""
    leaf = book.execution
    if leaf is None:
        return _Execution(Decimal(0), Decimal(0), say("bases", "no_execution_row"), dy.execution_rate)
    if leaf.measure == "预算执行率" and leaf.scale == "linear":
        value, basis = execution_score(_exact_total(dy, "executed"), _exact_total(dy, "budget"), leaf.weight,
                                       book.rounding)
        return _Execution(leaf.weight, dec(value), basis, dy.execution_rate)
    scored = METHODS["measure"](leaf, Inputs(leaf.weight, book.rounding, measures=found))
    rate = scored.achievement if scored.achievement is not None else 0.0
    return _Execution(leaf.weight, scored.score, scored.basis, rate, leaf.measure)


def _exact_total(dy: DepartmentYear, column: str) -> Decimal:
    return sum((dec(v) for v in dy.budget[column]), Decimal(0))


def _card(dy: DepartmentYear, book: Rulebook, items: list[IndicatorScore], leaves: list[IndicatorScore],
          execution: _Execution, notes: list[str], rescale: bool) -> Scorecard:
    exec_weight, exec_score, exec_basis = execution.weight, execution.score, execution.basis
    sums: dict[str, list[Decimal]] = {}
    for item in [*items, *leaves]:
        if item.applicable:
            sub = sums.setdefault(item.level1, [Decimal(0), Decimal(0)])
            sub[0] += dec(item.weight)
            sub[1] += dec(item.score)
    subtotals = {name: {"weight": float(w), "score": float(s)} for name, (w, s) in sums.items()}
    max_d = exec_weight + sum((w for w, _ in sums.values()), Decimal(0))
    raw_d = exec_score + sum((s for _, s in sums.values()), Decimal(0))
    if rescale and max_d > 0:
        total_d = rounded(raw_d * book.spec.total / max_d, book.rounding)
        total_basis = say("bases", "rescaled", raw_d, max_d, total_d, book.spec.total)
    else:
        total_d = raw_d
        total_basis = say("bases", "total", raw_d, bool(exec_weight))
    total = float(total_d)
    return Scorecard(
        department=dy.department, year=dy.year, rules=book.name, rules_title=book.title,
        budget=dy.total("budget"), executed=dy.total("executed"), execution_rate=execution.rate,
        execution_weight=float(exec_weight), execution_score=float(exec_score), execution_basis=exec_basis,
        indicators=items, subtotals=subtotals, max_points=float(max_d if not rescale else book.spec.total),
        total=total, total_basis=total_basis, grade=book.grade(total), declared_total=dy.declared_total,
        declared_grade=dy.declared_grade, notes=notes, leaves=leaves, execution_name=execution.name,
    )
