"""Where a workbook's 绩效指标 row sits in a rulebook's tree, and what each node weighs once 不适用 is settled.

A row names its place by 一级/二级/三级指标. It is either a fixed leaf of the tree (matched by its path of
names) or a new leaf under an open node (``indicators: workbook``), which takes rows by 一级指标 name or, with
``match: any``, every row no other node takes. Unknown names are errors that list the allowed names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from evalnb.exact import num
from evalnb.rules.model import Group, MoveTo, Node, Slot


@dataclass(frozen=True)
class Place:
    path: tuple[str, ...]          # the leaf's (or open node's) path of names in the tree
    node: Node

    @property
    def open(self) -> bool:
        return isinstance(self.node, Slot)


class PlacementError(ValueError):
    """Raised when a row names no place in the tree; ``column`` is the 绩效指标 column to blame."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


def walk(nodes: Sequence[Node], path: tuple[str, ...] = ()) -> Iterable[tuple[tuple[str, ...], Node]]:
    """Every node with its path, parents before children, in tree order."""
    for node in nodes:
        here = (*path, node.name)
        yield here, node
        if isinstance(node, Group):
            yield from walk(node.children, here)


def ends(tree: Sequence[Node]) -> list[tuple[tuple[str, ...], Node]]:
    """The leaves and open nodes (the places rows can take), in tree order."""
    return [(p, n) for p, n in walk(tree) if not isinstance(n, Group)]


def _matches(path: tuple[str, ...], names: tuple[str, ...]) -> bool:
    level1, level2, level3 = names
    if len(path) == 1:
        return level1 == path[0] and not level2 and not level3
    if len(path) == 2:
        return level1 == path[0] and (level3 == path[1] or (level2 == path[1] and not level3))
    return path[0] == level1 and path[-1] == level3 and level2 in path[1:-1]


def place(tree: Sequence[Node], level1: str, level2: str, level3: str) -> Place:
    """The place of a row named (一级, 二级, 三级); PlacementError naming the column and the allowed names."""
    names = (level1, level2 or "", level3 or "")
    found = [(p, n) for p, n in ends(tree) if not isinstance(n, Slot) and _matches(p, names)]
    if found:
        return Place(*found[0])
    for path, node in ends(tree):
        if isinstance(node, Slot) and node.match == "name" and _slot_takes(path, names):
            if node.level2 and level2 not in node.level2:
                raise PlacementError("level2", f"“{level1}”下的二级指标应为：{'、'.join(node.level2)}")
            return Place(path, node)
    anywhere = next(((p, n) for p, n in ends(tree) if isinstance(n, Slot) and n.match == "any"), None)
    top = [n.name for n in tree]
    if anywhere and level1 not in top:
        return Place(*anywhere)
    if level1 not in top:
        raise PlacementError("level1", f"评分规则中的一级指标为：{'、'.join(_rowable(tree))}")
    below = sorted({p[1] for p, _ in ends(tree) if p[0] == level1 and len(p) > 1})
    if level2 not in below and not any(len(p) == 2 and p[0] == level1 and p[1] == level3 for p, _ in ends(tree)):
        raise PlacementError("level2", f"“{level1}”下的二级指标为：{'、'.join(below)}")
    leaves = [p[-1] for p, _ in ends(tree) if p[0] == level1 and level2 in p[1:-1]]
    raise PlacementError("name", f"“{level1} › {level2}”下的三级指标为：{'、'.join(leaves)}")


def _slot_takes(path: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """An open node at depth 1 takes rows by 一级指标; at depth 2 by 一级 and 二级."""
    return names[0] == path[0] and (len(path) == 1 or names[1] == path[1])


def _rowable(tree: Sequence[Node]) -> list[str]:
    """The 一级指标 names a row may use (not the 预算执行率 row, which the data computes)."""
    return [n.name for n in tree if not (getattr(n, "method", None) == "measure" and n.name == "预算执行率")]


@dataclass(frozen=True)
class Settled:
    """Each node's weight once 不适用 is settled, and what that took."""
    weights: dict[tuple[str, ...], Decimal]        # path → points it is scored out of
    not_applicable: tuple[tuple[str, ...], ...]    # paths marked 不适用 (their weight is not scored)
    rescaled: bool                                 # some weight went nowhere: the total is rescaled
    notes: tuple[str, ...]                         # what happened, in words for the report


def settle(tree: Sequence[Node], not_applicable: set[tuple[str, ...]]) -> Settled:
    """Move each 不适用 node's weight as its rulebook says: to a named sibling, or nowhere (rescale)."""
    weights = {p: n.weight for p, n in walk(tree)}
    notes: list[str] = []
    rescaled = False
    for path, node in walk(tree):
        if path not in not_applicable:
            continue
        if isinstance(node.not_applicable, MoveTo):
            target = (*path[:-1], node.not_applicable.to)
            weights[target] += weights[path]
            notes.append(f"“{node.name}”不适用，其分值 {num(weights[path])} 分并入“{node.not_applicable.to}”")
        else:
            rescaled = True
            notes.append(f"“{node.name}”不适用，其分值 {num(weights[path])} 分不计，总分按适用分值折算为百分制")
    return Settled(weights, tuple(sorted(not_applicable)), rescaled, tuple(notes))
