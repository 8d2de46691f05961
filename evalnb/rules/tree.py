"""Where a workbook's 绩效指标 row sits in a rulebook's tree, and what each node weighs once 不适用 is settled.

A row names its place by 一级/二级/三级指标. It is either a fixed leaf of the tree (matched by its path of
names) or a new leaf under an open node (``indicators: workbook``), which takes rows by 一级指标 name or, with
``match: any``, every row no other node takes. Unknown names are errors that list the allowed names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from evalnb.rules.exact import num
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
        return level1 == path[0] and level2 in ("", path[0]) and level3 in ("", path[0])
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
    if anywhere and (level1 not in top or level1 == anywhere[0][0]):
        allowed = anywhere[1].level1
        if allowed and level1 not in allowed:
            others = [n for n in _rowable(tree) if n != anywhere[0][0]]
            raise PlacementError("level1", f"评分规则中的一级指标为：{'、'.join([*others, *allowed])}")
        return Place(*anywhere)
    if level1 not in top:
        raise PlacementError("level1", f"评分规则中的一级指标为：{'、'.join(_rowable(tree))}")
    below = sorted({p[1] for p, _ in ends(tree) if p[0] == level1 and len(p) > 1})
    if not below:
        raise PlacementError("level2", f"“{level1}”没有下级指标：二级指标、三级指标都填“{level1}”")
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
    """Move each 不适用 node's weight as its rulebook says: to a named sibling (following the sibling's own
    move if it is 不适用 too), or nowhere (rescale). The model refuses moves to a group and cycles."""
    nodes = dict(walk(tree))
    weights = {p: n.weight for p, n in nodes.items()}
    notes: list[str] = []
    rescaled = False
    for path, node in nodes.items():
        if path not in not_applicable:
            continue
        target = path
        while target in not_applicable and isinstance(nodes[target].not_applicable, MoveTo):
            target = (*path[:-1], nodes[target].not_applicable.to)
        if target in not_applicable:
            rescaled = True
            notes.append(f"“{node.name}”不适用，其分值 {num(node.weight)} 分不计，总分按适用分值折算为百分制")
        else:
            weights[target] += node.weight
            notes.append(f"“{node.name}”不适用，其分值 {num(node.weight)} 分并入“{target[-1]}”")
    return Settled(weights, tuple(sorted(not_applicable)), rescaled, tuple(notes))


@dataclass(frozen=True)
class Row:
    """What the tree needs of a 绩效指标 row: its number, names and whether it is marked 不适用."""
    number: int
    names: tuple[str, str, str]
    not_applicable: bool
    weight: Decimal = Decimal(0)


@dataclass(frozen=True)
class Layout:
    """Rows at their places, the leaves they score as, and the weights once 不适用 is settled."""
    places: dict[int, Place]                       # row number → its place (a fixed leaf or an open node)
    leaves: dict[int, tuple[str, ...]]             # row number → the path of the leaf it scores as
    not_applicable: frozenset[tuple[str, ...]]     # leaf and node paths that are 不适用
    settled: Settled
    rescaled: bool                                 # some 不适用 weight went nowhere: the total is rescaled
    notes: tuple[str, ...]                         # what 不适用 did, in words for the report

    def weight(self, row: int, typed: Decimal) -> Decimal:
        """The points a row is scored out of: a fixed leaf's settled weight, a department's own its typed one."""
        where = self.places[row]
        return typed if where.open else self.settled.weights[where.path]


def leaf_path(where: Place, names: tuple[str, str, str]) -> tuple[str, ...]:
    """A row's own leaf: a fixed leaf's path; under an open node, the node's path continued by the row's names
    (under ``match: any`` the row's own 一级 takes the node's place)."""
    if not where.open:
        return where.path
    return names if where.node.match == "any" else (*where.path, *names[len(where.path):])


def lay_out(tree: Sequence[Node], rows: Sequence[Row]) -> Layout:
    """Place every row (PlacementError for one that has no place) and settle 不适用: a row marked so, and an
    optional open node with no rows or only 不适用 rows."""
    places = {r.number: place(tree, *r.names) for r in rows}
    leaves = {r.number: leaf_path(places[r.number], r.names) for r in rows}
    marked = {r.number for r in rows if r.not_applicable}
    na = {places[n].path for n in marked if not places[n].open}
    rows_na = {leaves[n] for n in marked if places[n].open}
    for path, node in ends(tree):
        if isinstance(node, Slot) and node.optional:
            mine = [r.number for r in rows if places[r.number].open and places[r.number].path == path]
            if all(n in marked for n in mine):
                na.add(path)
    under_na_node = {leaves[n] for n in marked if places[n].open and places[n].path in na}
    settled = settle(tree, na)
    loose = [r for r in rows if r.number in marked and places[r.number].open and leaves[r.number] not in under_na_node]
    notes = [*settled.notes, *(f"“{r.names[2]}”不适用，其分值 {num(r.weight)} 分不计，总分按适用分值折算为百分制"
                               for r in loose)]
    return Layout(places, leaves, frozenset(na | rows_na), settled, settled.rescaled or bool(loose), tuple(notes))
