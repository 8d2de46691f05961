"""A rulebook in Chinese words for the console: its tree with weights and methods (``evalnb rules show``)."""

from __future__ import annotations

from collections.abc import Sequence

from evalnb.rules import Rulebook
from evalnb.rules.exact import num
from evalnb.rules.model import (
    Bands,
    BandsLeaf,
    DeclaredLeaf,
    DeductionLeaf,
    Form,
    Group,
    MeasureLeaf,
    MeasureScale,
    MoveTo,
    Node,
    Ratio,
    RatioLeaf,
    Slot,
)


def describe(book: Rulebook) -> list[str]:
    """Heading lines, then the tree drawn with ├─ └─, one node a line."""
    spec = book.spec
    grades = "，".join(f"{num(g.min)} 分（含）以上 {g.label}" if g.min else f"其余 {g.label}" for g in spec.grades)
    lines = [f"{spec.title}（{book.name}）", f"地区：{spec.region}"]
    if spec.document:
        lines.append(f"评分依据（报告引用）：{spec.document}")
    if spec.source:
        lines.append(f"出处：{spec.source}")
    if spec.published:
        lines.append(f"未公开（或未能取得）的内容：{spec.published}")
    lines += [f"总分 {num(spec.total)} 分；每项得分保留 {spec.rounding} 位小数（四舍五入）；{grades}",
              f"评价等级的写法：{'、'.join(g.label for g in spec.grades)}（照表上印出的写法）",
              f"部门自设的定量指标：{_ratio(spec.quantitative)}",
              f"部门自设的定性指标：{_bands(spec.qualitative)}", f"自评表：{_form(spec.form)}", ""]
    return lines + _tree(spec.tree, "")


def _form(form: Form) -> str:
    header = f"表头 {'、'.join(form.header)}；" if form.header else ""
    funds = "资金情况带分值、得分" if form.funds_points else "资金情况只列预算数、执行数、执行率（不计分）"
    closing = f"；表尾 {'、'.join(form.closing)}" if form.closing else ""
    signed = f"；签字 {'、'.join(form.signatures)}" if form.signatures else ""
    return f"{header}{funds}；指标按评分规则的顺序排列{closing}{signed}"


def _tree(nodes: Sequence[Node], indent: str) -> list[str]:
    lines = []
    for i, node in enumerate(nodes):
        last = i == len(nodes) - 1
        lines.append(f"{indent}{'└─' if last else '├─'} {node.name}  {num(node.weight)} 分  {_method(node)}{_na(node)}")
        if isinstance(node, Group):
            lines += _tree(node.children, indent + ("   " if last else "│  "))
    return lines


def _method(node: Node) -> str:
    if isinstance(node, Group):
        return ""
    if isinstance(node, Slot):
        where = "绩效指标表中其余一级指标的行" if node.match == "any" else "绩效指标表中填报于此的行"
        if node.level1:
            where = f"一级指标为 {'、'.join(node.level1)} 的行，各行分值由单位自定"
        declared = "；也可由评价人按该行的评价标准打分（指标性质 自评）" if node.declared else ""
        return f"部门自设指标（{where}，分值合计须为 {num(node.weight)}{declared}）"
    if isinstance(node, RatioLeaf):
        return "定量：" + _ratio(node)
    if isinstance(node, BandsLeaf):
        return "定性：" + _bands(node)
    if isinstance(node, DeductionLeaf):
        items = "；".join(f"{i.name}{'每次' if i.per == '次' else ''}扣 {num(i.points)} 分" for i in node.items)
        return f"扣分：{items}；扣完为止"
    if isinstance(node, MeasureLeaf):
        return f"计算：{node.measure}，{_scale(node)}"
    if isinstance(node, DeclaredLeaf):
        check = f"；按数据核对：{node.check.measure}，{_scale(node.check)}" if node.check else ""
        standard = f"：{node.standard.rstrip('。') if check else node.standard}" if node.standard else ""
        return "评价人打分（须写依据）" + standard + check
    return ""


def _scale(node: MeasureScale) -> str:
    if node.scale == "linear":
        return "按比例（min(比率, 100%) × 分值）"
    if node.scale == "steps":
        return "分档：" + "；".join(f"{s.text()} 得 {num(s.points)} 分" for s in node.steps)
    p = node.per_point
    side = "超过" if p.side == "above" else "低于"
    return f"以 {num(p.limit)}% 为标准，每{side} {num(p.per)} 个百分点扣 {num(p.points)} 分，扣完为止"


def _ratio(rule: Ratio) -> str:
    reverse = "t ÷ a × 分值" if rule.reverse == "ratio" else "(1 − (a − t) ÷ t) × 分值，超过一倍得 0"
    over = ("超额完成得满分" if rule.over_penalty == "none" else
            f"完成率超过 {num(rule.over_threshold * 100)}% 的部分扣分，最低 {num(rule.over_floor * 100)}% × 分值")
    return (f"正向未达成 a ÷ t × 分值；反向未达成 {reverse}；{over}；"
            f"完成率达 {num(rule.over_threshold * 100)}% 须说明原因")


def _bands(rule: Bands) -> str:
    above = ("自评得分高于所选档次的，按本档次上限计" if rule.above_band == "edge" else "自评得分高于所选档次的，按自评计")
    return "；".join(f"{b.grade} {num(b.low * 100)}%（含）–{num(b.high * 100)}%{'（含）' if i == 0 else '（不含）'}"
                    for i, b in enumerate(rule.bands)) + f"；{above}（列为复核问题）"


def _na(node: Node) -> str:
    if not node.optional:
        return ""
    if isinstance(node.not_applicable, MoveTo):
        return f"（可不适用，分值并入“{node.not_applicable.to}”）"
    return "（可不适用，总分按适用分值折算）"
