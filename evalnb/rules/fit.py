"""How a workbook's 绩效指标 and 扣分事项 fit the rulebook's tree, checked at intake.

Each row is placed in the tree by its 一级/二级/三级指标 (unknown names are errors listing the allowed
ones); a fixed leaf fixes the row's 指标性质 and 分值; open nodes take the department's own indicators,
whose 分值 must add up to the node's (after 不适用 is settled) — an error, never a silent rescale.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evalnb.rules.exact import num
from evalnb.rules.model import BandsLeaf, DeclaredLeaf, DeductionLeaf, MeasureLeaf, RatioLeaf, Slot
from evalnb.rules.tree import Layout, Place, PlacementError, Row, ends, lay_out, place
from evalnb.text.numbers import normalize_text
from evalnb.workbook import DEDUCTIONS, INDICATORS, NATURES, NOT_APPLICABLE, QUALITATIVE_ANSWERS
from evalnb.workbook import FIXED_NATURES as FIXED_WORDS

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
        return row.choice("nature", open_natures(placed), required=not not_applicable(row))
    fixed = LEAF_NATURES[type(placed.node)]
    typed = row.choice("nature", ALL_NATURES, required=False)
    if typed and typed != fixed:
        row.problem("nature", f"评分规则规定此指标按“{fixed}”计分")
        return None
    return fixed


def open_natures(placed: Place | None) -> tuple[str, ...]:
    """The 指标性质 a department's own row may take: 定量/定性, and 自评 where the open node lets the evaluator
    score rows by their own 评价标准."""
    declared = placed is not None and placed.open and placed.node.declared
    return (*NATURES, FIXED_NATURES[DeclaredLeaf]) if declared else NATURES


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
        return record["actual_text"] is not None        # the cap (the settled weight) is checked with the tree
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


@dataclass(frozen=True)
class Issue:
    """Where a workbook does not fit its rulebook: sheet, Excel row (None: the sheet as a whole), column key."""
    sheet: str
    row: int | None
    column: str | None
    message: str


def check(rulebook: Rulebook, indicators: list[dict[str, Any]], deductions: list[dict[str, Any]]) -> list[Issue]:
    """The rows as a whole against the tree: each row placed, each fixed leaf once and scored its way, required
    leaves present, 不适用 only where allowed, each open node's 分值 adding up to the node's once 不适用 is
    settled, 自评得分 within the settled weight, 扣分事项 on 扣分 leaves that apply. Run at intake and again when
    scoring under another rulebook (``--rules``)."""
    tree, issues = rulebook.spec.tree, []
    rows = []
    for ind in indicators:
        names = (ind["level1"], ind["level2"], ind["name"])
        try:
            place(tree, *names)
        except PlacementError as exc:
            issues.append(Issue(INDICATORS.name, ind["row"], exc.column, f"评分规则“{rulebook.title}”中没有这一指标。{exc}"))
            continue
        rows.append(Row(ind["row"], names, ind["actual_text"] == NOT_APPLICABLE, ind["weight"] or Decimal(0)))
    if issues:
        return issues
    layout = lay_out(tree, rows)
    by_row = {ind["row"]: ind for ind in indicators}
    issues += _each_row(rulebook, layout, by_row)
    issues += _required(rulebook, layout)
    issues += _open_nodes(rulebook, layout, by_row)
    issues += _deductions(rulebook, layout, deductions)
    return issues


def _each_row(rulebook: Rulebook, layout: Layout, by_row: dict[int, dict[str, Any]]) -> list[Issue]:
    issues, taken = [], {}
    for number, where in layout.places.items():
        ind, say = by_row[number], (lambda column, message, n=number: Issue(INDICATORS.name, n, column, message))
        marked = ind["actual_text"] == NOT_APPLICABLE
        if not where.open:
            if where.path in taken:
                issues.append(say("name", f"评分规则中的同一指标已在第{taken[where.path]}行填写"))
            taken.setdefault(where.path, number)
            if marked and not where.node.optional:
                issues.append(say("actual", "评分规则未允许此指标标为不适用"))
        if marked:
            continue
        fixed = None if where.open else LEAF_NATURES[type(where.node)]
        if fixed and ind["nature"] != fixed:
            issues.append(say("nature", f"评分规则规定此指标按“{fixed}”计分（工作簿中为“{ind['nature']}”）"))
        elif where.open and ind["nature"] not in open_natures(where):
            issues.append(say("nature", f"部门自设指标的指标性质应为 {' 或 '.join(open_natures(where))}"))
        elif ind["nature"] == "定性" and ind["actual_text"] not in set(answers(rulebook, where).values()):
            grades = "、".join(dict.fromkeys(answers(rulebook, where).values()))
            issues.append(say("actual", f"评分规则的定性档次为：{grades}（工作簿中为“{ind['actual_text']}”）"))
        elif ind["nature"] == "自评" and ind["declared_score"] is not None and \
                ind["declared_score"] > layout.weight(number, ind["weight"]):
            issues.append(say("declared_score", f"自评得分不能超过分值 {num(layout.weight(number, ind['weight']))}"))
    return issues


def _required(rulebook: Rulebook, layout: Layout) -> list[Issue]:
    taken = {w.path for w in layout.places.values()}
    needed = (RatioLeaf, BandsLeaf, DeclaredLeaf)
    missing = [" › ".join(p) for p, n in ends(rulebook.spec.tree) if isinstance(n, needed) and p not in taken]
    if not missing:
        return []
    return [Issue(INDICATORS.name, None, None, f"缺少评分规则“{rulebook.title}”中的指标：{'；'.join(missing)}")]


def _open_nodes(rulebook: Rulebook, layout: Layout, by_row: dict[int, dict[str, Any]]) -> list[Issue]:
    issues = []
    for path, node in ends(rulebook.spec.tree):
        if not isinstance(node, Slot) or path in layout.not_applicable:
            continue
        mine = [by_row[n] for n, w in layout.places.items() if w.open and w.path == path]
        if not mine:
            issues.append(Issue(INDICATORS.name, None, "level1", f"评分规则要求“{' › '.join(path)}”下至少有一个指标"
                                                                 f"（分值 {num(node.weight)}）"))
            continue
        total, wanted = sum((i["weight"] for i in mine), Decimal(0)), layout.settled.weights[path]
        if total != wanted:
            moved = "（含不适用指标并入的分值）" if wanted != node.weight else ""
            where = "、".join(str(i["row"]) for i in mine)
            issues.append(Issue(INDICATORS.name, mine[0]["row"], "weight",
                                f"“{' › '.join(path)}”下各指标（第{where}行）分值合计 {num(total)}，评分规则“{rulebook.title}”"
                                f"要求 {num(wanted)}{moved}；分值不相符不会自动折算，请修改分值"))
    return issues


def _deductions(rulebook: Rulebook, layout: Layout, deductions: list[dict[str, Any]]) -> list[Issue]:
    issues = []
    for d in deductions:
        def say(column: str, message: str, n: int = d["row"]) -> Issue:
            return Issue(DEDUCTIONS.name, n, column, message)
        try:
            where = place(rulebook.spec.tree, d["level1"], d["level2"], d["name"])
        except PlacementError as exc:
            issues.append(say(exc.column, f"评分规则“{rulebook.title}”中没有这一指标。{exc}"))
            continue
        if not isinstance(where.node, DeductionLeaf):
            issues.append(say("name", "评分规则中此指标不按扣分计分，不能填写扣分事项"))
        elif d["item"] not in (items := [i.name for i in where.node.items]):
            issues.append(say("item", f"应为此指标的扣分项之一：{'、'.join(items)}"))
        elif where.path in layout.not_applicable:
            issues.append(say("name", "此指标在绩效指标中标为不适用，不能再填写扣分事项"))
    return issues
