"""How a workbook's 绩效指标 and 扣分事项 fit the rulebook's tree, checked at intake.

Each row is placed in the tree by its 一级/二级/三级指标 (unknown names are errors listing the allowed
ones); a fixed leaf fixes the row's 指标性质 and 分值; open nodes take the department's own indicators,
whose 分值 must add up to the node's (after 不适用 is settled) — an error, never a silent rescale.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evalnb.errors import Problem
from evalnb.exact import num
from evalnb.numbers import normalize_text
from evalnb.rules.model import BandsLeaf, DeclaredLeaf, DeductionLeaf, MeasureLeaf, RatioLeaf, Slot
from evalnb.rules.tree import Place, PlacementError, ends, place, settle
from evalnb.workbook import FIXED_NATURES as FIXED_WORDS
from evalnb.workbook import INDICATORS, NATURES, NOT_APPLICABLE, QUALITATIVE_ANSWERS

if TYPE_CHECKING:
    from evalnb.rules import Rulebook

# 指标性质 of rows on fixed leaves whose method is neither 定量 nor 定性
FIXED_NATURES = dict(zip((MeasureLeaf, DeductionLeaf, DeclaredLeaf), FIXED_WORDS, strict=True))
LEAF_NATURES = {RatioLeaf: "定量", BandsLeaf: "定性", **FIXED_NATURES}
ALL_NATURES = (*NATURES, *FIXED_NATURES.values())


def place_row(row: Any, rulebook: Rulebook | None, level1: str | None, level2: str | None,
              name: str | None) -> Place | None:
    """The row's place in the tree, or None (a problem recorded on the column to blame)."""
    if rulebook is None or not (level1 and level2 and name):
        return None
    try:
        return place(rulebook.spec.tree, level1, level2, name)
    except PlacementError as exc:
        row.problem(exc.column, f"评分规则“{rulebook.title}”中没有这一指标。{exc}")
        return None


def nature(row: Any, placed: Place | None) -> str | None:
    """指标性质: typed for the department's own indicators; fixed by the rulebook's leaf otherwise."""
    if placed is None or placed.open:
        return row.choice("nature", NATURES, required=not not_applicable(row))
    fixed = LEAF_NATURES[type(placed.node)]
    typed = row.choice("nature", ALL_NATURES, required=False)
    if typed and typed != fixed:
        row.problem("nature", f"评分规则规定此指标按“{fixed}”计分")
        return None
    return fixed


def weight(row: Any, placed: Place | None) -> Decimal | None:
    """分值: typed for the department's own indicators; the rulebook's for a fixed leaf (typed, it must agree)."""
    if placed is None or placed.open:
        return row.score("weight", required=True)
    typed = row.score("weight")
    if typed is not None and typed != placed.node.weight:
        row.problem("weight", f"评分规则规定此指标分值为 {num(placed.node.weight)}")
        return None
    return placed.node.weight


def not_applicable(row: Any) -> bool:
    return normalize_text(row.cells.get("actual")) == NOT_APPLICABLE


def answers(rulebook: Rulebook | None, placed: Place | None) -> dict[str, str]:
    """The 定性 answer words the row's place accepts → grade."""
    if placed is not None and isinstance(placed.node, BandsLeaf):
        return placed.node.answers()
    if placed is not None and isinstance(placed.node, Slot) and placed.node.qualitative is not None:
        return placed.node.qualitative.answers()
    return rulebook.qualitative.answers() if rulebook is not None else QUALITATIVE_ANSWERS


def fixed_leaf(row: Any, record: dict[str, Any], placed: Place | None) -> bool:
    """A row on a 自评 (declared), 计算 (measure) or 扣分 (deduction) leaf."""
    record["target_text"] = row.text("target")
    if record["nature"] == "自评":
        record["actual_text"] = row.text("actual", required=True)
        if record["declared_score"] is None:
            row.problem("declared_score", "此指标由评价人打分：必填自评得分", show_value=False)
            return False
        if placed is not None and record["declared_score"] > placed.node.weight:
            row.problem("declared_score", f"自评得分不能超过分值 {num(placed.node.weight)}")
            return False
        return record["actual_text"] is not None
    if record["nature"] == "计算":
        record["unit"] = record["unit"] or "%"
        record["actual"] = row.number("actual", record["unit"], minimum=None)
    return True


def deduction_item(row: Any, rulebook: Rulebook | None, record: dict[str, Any]) -> bool:
    """A 扣分事项 row names a 扣分 leaf of the rulebook and one of its items."""
    placed = place_row(row, rulebook, record["level1"], record["level2"], record["name"])
    if placed is None:
        return rulebook is None
    if not isinstance(placed.node, DeductionLeaf):
        row.problem("name", "评分规则中此指标不按扣分计分，不能填写扣分事项")
        return False
    items = [i.name for i in placed.node.items]
    if record["item"] not in items:
        row.problem("item", f"应为此指标的扣分项之一：{'、'.join(items)}")
        return False
    return True


def check(file: str, rulebook: Rulebook, indicators: list[dict[str, Any]], rows: dict[int, Any]) -> list[Problem]:
    """The rows as a whole against the tree: each fixed leaf once, required leaves present, 不适用 only where
    the rulebook allows it, and each open node's 分值 adding up to the node's."""
    problems: list[Problem] = []
    tree = rulebook.spec.tree
    placed = {ind["row"]: place(tree, ind["level1"], ind["level2"], ind["name"]) for ind in indicators}
    taken: dict[tuple[str, ...], int] = {}
    na: set[tuple[str, ...]] = set()
    for ind in indicators:
        where = placed[ind["row"]]
        if not where.open:
            if where.path in taken:
                rows[ind["row"]].problem("name", f"评分规则中的同一指标已在第{taken[where.path]}行填写")
            taken.setdefault(where.path, ind["row"])
        if ind["actual_text"] == NOT_APPLICABLE:
            if not where.open and not where.node.optional:
                rows[ind["row"]].problem("actual", "评分规则未允许此指标标为不适用")
            na.add(where.path if not where.open else (*where.path, ind["level2"], ind["name"]))
    needed = (RatioLeaf, BandsLeaf, DeclaredLeaf)
    missing = [" › ".join(p) for p, n in ends(tree) if isinstance(n, needed) and p not in taken]
    if missing:
        problems.append(Problem(file, INDICATORS.name, None, None, None,
                                f"缺少评分规则“{rulebook.title}”中的指标：{'；'.join(missing)}"))
    slots = [(p, n) for p, n in ends(tree) if isinstance(n, Slot)]
    used = {placed[i["row"]].path for i in indicators if placed[i["row"]].open}
    na |= {p for p, n in slots if n.optional and p not in used}
    settled = settle(tree, na)
    for path, node in slots:
        mine = [i for i in indicators if placed[i["row"]].open and placed[i["row"]].path == path]
        if not mine and path not in na:
            problems.append(Problem(file, INDICATORS.name, None, "一级指标", None,
                                    f"评分规则要求“{' › '.join(path)}”下至少有一个指标（分值 {num(node.weight)}）"))
            continue
        total = sum((i["weight"] for i in mine), Decimal(0))
        if mine and total != settled.weights[path]:
            moved = "（含不适用指标并入的分值）" if settled.weights[path] != node.weight else ""
            where = "、".join(str(i["row"]) for i in mine)
            rows[mine[0]["row"]].problem("weight", f"“{' › '.join(path)}”下各指标（第{where}行）分值合计 {num(total)}，"
                                                   f"评分规则“{rulebook.title}”要求 {num(settled.weights[path])}{moved}；"
                                                   "分值不相符不会自动折算，请修改分值")
    return problems
