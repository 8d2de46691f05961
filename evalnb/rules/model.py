"""The rulebook as validated data: a tree of nodes with weights, leaves with a scoring method.

One pydantic model per node kind; a leaf's kind is its ``method`` (``ratio``, ``bands``, ``deduction``,
``measure``, ``declared``), a group has ``children``, an open slot takes its indicators from the workbook
(``indicators: workbook``). Validation errors carry key paths, which :mod:`evalnb.rules` turns into
"tree.产出指标.weight: …". ``Rulebook.model_json_schema()`` gives editors completion for users' files.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationInfo, field_validator, model_validator

from evalnb.rules.exact import num
from evalnb.store.measures import MEASURE_NAMES
from evalnb.workbook import QUALITATIVE_ANSWERS, QUALITATIVE_GRADES

Points = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Fraction = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False)]
Name = Annotated[str, Field(min_length=1, max_length=60)]
Text = Annotated[str, Field(max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- method options
class Ratio(Strict):
    """定量: 正向 a ÷ t × w when missed; 反向 by ``reverse``; 等于 within ``equal_tolerance``."""
    reverse: Literal["ratio", "linear"] = Field("ratio", description="反向（≤）未达成：ratio = t ÷ a × w；"
                                                "linear = (1 − (a − t) ÷ t) × w，超过一倍得 0")
    equal_tolerance: Fraction = Field(Decimal(0), description="等于（=）目标的容差，占目标值的比例")
    equal_overshoot: Literal["full", "miss"] = Field("full", description="等于（=）目标超出容差：full 得满分并提示；"
                                                     "miss 按 t ÷ a × w 计")
    over_threshold: Annotated[Decimal, Field(ge=1)] = Field(Decimal("1.3"), description="完成率达到此倍数须说明原因")
    over_penalty: Literal["none", "deviation"] = Field("none", description="超额完成：none 得满分；deviation 超过阈值"
                                                       "的部分按偏离程度扣分，最低为 over_floor × w")
    over_floor: Fraction = Field(Decimal("0.8"), description="deviation 扣分的下限（占分值的比例），默认为“达成”档的下限")


class Band(Strict):
    grade: Name
    low: Fraction
    high: Fraction
    default: Fraction
    words: tuple[Name, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if not self.low <= self.default <= self.high:
            raise ValueError("应满足 low ≤ default ≤ high")
        return self


def _bands_10() -> tuple[Band, ...]:
    edges = {QUALITATIVE_GRADES[0]: ("0.8", "1", "1"), QUALITATIVE_GRADES[1]: ("0.6", "0.8", "0.7"),
             QUALITATIVE_GRADES[2]: ("0", "0.6", "0.3")}
    return tuple(Band(grade=g, low=Decimal(lo), high=Decimal(hi), default=Decimal(d),
                      words=tuple(w for w, to in QUALITATIVE_ANSWERS.items() if to == g and w != g))
                 for g, (lo, hi, d) in edges.items())


class Bands(Strict):
    """定性: grades from the top; 10号's edges: the top band includes both ends, the others their low end."""
    bands: tuple[Band, ...] = Field(default_factory=_bands_10, min_length=2)
    above_band: Literal["edge", "keep"] = Field(
        "edge", description="自评得分高于所选档次：edge 按本档次的上限计（如“部分达成”档 80% × 分值，表中印出的分数）；"
                            "keep 按自评计。两者均列为复核问题")

    @model_validator(mode="after")
    def _contiguous(self) -> Bands:
        b = self.bands
        if b[0].high != 1 or b[-1].low != 0 or any(b[i].low != b[i + 1].high for i in range(len(b) - 1)):
            raise ValueError("档次应从最高档（high 为 1）排到最低档（low 为 0），且相邻档次首尾相接")
        return self

    def answers(self) -> dict[str, str]:
        """Every accepted answer word → its grade."""
        return {w: band.grade for band in self.bands for w in (band.grade, *band.words)}

    def band(self, grade: str) -> Band:
        return next(b for b in self.bands if b.grade == grade)


class DeductionItem(Strict):
    name: Name
    points: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]
    per: Literal["次", "项"] = Field("次", description="次：每发生一次扣一次；项：发生即扣一次")


class Step(Strict):
    """One row of a step table ("0-10%（含），计2分"): the measure (in percent) within the bounds earns ``points``.
    ``min``/``max`` include the bound, ``above``/``below`` exclude it; a bound left out is open."""
    min: Decimal | None = None
    above: Decimal | None = None
    max: Decimal | None = None
    below: Decimal | None = None
    points: Points

    def text(self) -> str:
        """The band as a form prints it: ≥90%, >0%且≤10%."""
        low = f"≥{num(self.min)}%" if self.min is not None else f">{num(self.above)}%" if self.above is not None else ""
        high = f"≤{num(self.max)}%" if self.max is not None else f"<{num(self.below)}%" if self.below is not None else ""
        return "且".join(t for t in (low, high) if t) or "其他"

    def holds(self, value: Decimal) -> bool:
        return ((self.min is None or value >= self.min) and (self.above is None or value > self.above)
                and (self.max is None or value <= self.max) and (self.below is None or value < self.below))


class PerPoint(Strict):
    """"以100%为标准，≤100% 计满分；每超过一个百分点扣0.5分，扣完为止": full marks on the good side of ``limit``,
    ``points`` off for every ``per`` percentage points beyond it (whole steps unless ``whole`` is false)."""
    limit: Decimal
    side: Literal["above", "below"] = Field("above", description="above：超过 limit 扣分；below：低于 limit 扣分")
    per: Annotated[Decimal, Field(gt=0)] = Decimal(1)
    points: Annotated[Decimal, Field(gt=0)]
    whole: bool = Field(True, description="true：按完整的步数扣分（每满 per 个百分点）；false：按比例扣分")


# ---------------------------------------------------------------- nodes
class NodeBase(Strict):
    name: Name
    weight: Points
    content: Text = Field("", description="指标内容（指标解释），进入自评表")
    standard: Text = Field("", description="评价标准（评分标准），进入自评表")
    optional: bool = Field(False, description="可标为不适用（工作簿中实际完成值填“不适用”，开放节点无指标时亦然）")
    not_applicable: Literal["rescale"] | MoveTo = Field("rescale", description="不适用时分值的去向：rescale 总分按"
                                                        "适用分值折算为百分制；{to: 同级节点} 并入该节点")


class MoveTo(Strict):
    to: Name


class RatioLeaf(NodeBase, Ratio):
    method: Literal["ratio"]


class BandsLeaf(NodeBase, Bands):
    method: Literal["bands"]


class DeductionLeaf(NodeBase):
    method: Literal["deduction"]
    items: tuple[DeductionItem, ...] = Field(min_length=1)


# Measures scored in proportion (min(比率, 100%) × w): the rates where more is better, up to 100%.
LINEAR_MEASURES = ("预算执行率", "年初预算执行率", "含结转预算执行率", "政府采购执行率")


class MeasureScale(Strict):
    """A 共性 measure computed from the budget data and how it turns into points."""
    measure: Literal[MEASURE_NAMES]                      # type: ignore[valid-type]
    scale: Literal["linear", "steps", "per_point"] = Field(
        "linear", description="linear：min(比率, 100%) × w；steps：按 steps 分档；per_point：按 per_point 每超过（低于）"
                              "若干百分点扣分")
    steps: tuple[Step, ...] = ()
    per_point: PerPoint | None = None

    @model_validator(mode="after")
    def _scale_given(self) -> MeasureScale:
        if self.scale == "steps" and not self.steps:
            raise ValueError("scale 为 steps 时须给出 steps")
        if self.scale == "per_point" and self.per_point is None:
            raise ValueError("scale 为 per_point 时须给出 per_point")
        if self.scale == "linear" and self.measure not in LINEAR_MEASURES:
            raise ValueError(f"scale: linear（按比例）只适用于 {'、'.join(LINEAR_MEASURES)}；{self.measure} 请用 steps 或 "
                             "per_point 写出评分标准")
        return self


def _steps_within(weight: Decimal, scale: MeasureScale) -> None:
    if any(step.points > weight for step in scale.steps):
        raise ValueError(f"steps 中的 points 不能超过分值 {weight}")


class MeasureLeaf(NodeBase, MeasureScale):
    method: Literal["measure"]

    @model_validator(mode="after")
    def _within_weight(self) -> MeasureLeaf:
        _steps_within(self.weight, self)
        return self


class DeclaredLeaf(NodeBase):
    method: Literal["declared"]
    check: MeasureScale | None = Field(
        None, description="评价标准可由数据计算时（如 资金结余）：按此计算的得分，与评价人的自评得分不一致即为复核发现；"
                          "得分仍取自评得分")

    @model_validator(mode="after")
    def _check_within_weight(self) -> DeclaredLeaf:
        if self.check is not None:
            _steps_within(self.weight, self.check)
        return self


class Slot(NodeBase):
    """An open node: its 三级指标 come from the workbook's 绩效指标 (10号's 产出指标 and the like)."""
    indicators: Literal["workbook"]
    match: Literal["name", "any"] = Field("name", description="name：一级指标名与本节点同名的行；any：其余所有行")
    level1: tuple[Name, ...] = Field((), description="match: any 时允许的一级指标名（表上印出的，如 产出指标、效益指标、"
                                                     "满意度指标），分值由单位在各行自定，合计须为本节点分值；留空不限")
    level2: tuple[Name, ...] = Field((), description="允许的二级指标名；留空不限")
    declared: bool = Field(False, description="true：此处的行也可由评价人按行中的“评价标准”打分（指标性质填 自评，"
                                              "必填自评得分），如石家庄的表")
    quantitative: Ratio | None = None
    qualitative: Bands | None = None


class Group(NodeBase):
    children: tuple[Node, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _adds_up(self) -> Group:
        if self.optional or self.not_applicable != "rescale":
            raise ValueError("分组节点不能标为可不适用（optional / not_applicable 只用于叶节点和开放节点）")
        _check_children(self.children, self.weight)
        return self


def _kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "group" if "children" in value else "slot" if "indicators" in value else value.get("method")
    return "group" if isinstance(value, Group) else "slot" if isinstance(value, Slot) else getattr(value, "method", None)


Leaf = RatioLeaf | BandsLeaf | DeductionLeaf | MeasureLeaf | DeclaredLeaf
Node = Annotated[
    Annotated[Group, Tag("group")] | Annotated[Slot, Tag("slot")] | Annotated[RatioLeaf, Tag("ratio")]
    | Annotated[BandsLeaf, Tag("bands")] | Annotated[DeductionLeaf, Tag("deduction")]
    | Annotated[MeasureLeaf, Tag("measure")] | Annotated[DeclaredLeaf, Tag("declared")],
    Discriminator(_kind, custom_error_type="node_kind",
                  custom_error_message="节点应有 children（分组）、indicators: workbook（开放节点）或 method（"
                                       "ratio/bands/deduction/measure/declared）")]


def _check_children(children: tuple[Any, ...], weight: Decimal) -> None:
    names = [c.name for c in children]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"同级节点重名：{'、'.join(twice)}")
    total = sum((c.weight for c in children), Decimal(0))
    if total != weight:
        raise ValueError(f"下级分值合计 {total}，应等于 {weight}（分值不相符是错误，不会自动折算）")
    by_name = {c.name: c for c in children}
    for c in children:
        if isinstance(c.not_applicable, MoveTo):
            target = by_name.get(c.not_applicable.to)
            if target is None or target is c:
                raise ValueError(f"{c.name} 的 not_applicable.to 应为同级的其他节点：{'、'.join(names)}")
            if isinstance(target, Group):
                raise ValueError(f"{c.name} 的 not_applicable.to 不能是分组节点“{target.name}”（其下级分值不会随之增加）；"
                                 "请指向叶节点或开放节点")
            if not c.optional:
                raise ValueError(f"{c.name} 给出了 not_applicable.to，应同时设 optional: true")
            seen = [c.name]
            while isinstance(target.not_applicable, MoveTo):
                if target.name in seen:
                    raise ValueError(f"not_applicable.to 成环：{' → '.join([*seen, target.name])}")
                seen.append(target.name)
                target = by_name[target.not_applicable.to]


def _all(nodes: tuple[Any, ...], depth: int = 1) -> list[Any]:
    found = []
    for node in nodes:
        found.append(node)
        if isinstance(node, Group):
            found += _all(node.children, depth + 1)
    return found


def _check_open_nodes(tree: tuple[Any, ...]) -> None:
    """The department's own indicators are written with three name columns: an open node sits at depth 1
    or 2, and one node at most takes any 一级 name (it must sit at the top)."""
    def depth_of(nodes: tuple[Any, ...], depth: int) -> list[tuple[Any, int]]:
        found = []
        for node in nodes:
            found += depth_of(node.children, depth + 1) if isinstance(node, Group) else [(node, depth)]
        return found
    slots = [(n, d) for n, d in depth_of(tree, 1) if isinstance(n, Slot)]
    deep = [n.name for n, d in slots if d > 2]
    if deep:
        raise ValueError(f"开放节点（indicators: workbook）只能在第一或第二层（部门自设指标要用一级/二级/三级指标三列填写）："
                         f"{'、'.join(deep)}")
    anywhere = [(n, d) for n, d in slots if n.match == "any"]
    if len(anywhere) > 1 or any(d > 1 for _, d in anywhere):
        raise ValueError("match: any 的开放节点至多一个，且须在第一层")


# ---------------------------------------------------------------- the rulebook
class Grade(Strict):
    min: Points
    label: Name


FORM_COLUMNS = ("level1", "level2", "name", "content", "standard", "nature", "unit", "target", "initial_target",
                "adjusted_target", "actual", "weight", "coefficient", "score", "basis", "deviation_note", "core")


class FormColumn(Strict):
    key: Literal[FORM_COLUMNS]                           # type: ignore[valid-type]
    header: Name | None = Field(None, description="表头；留空用模板中的默认写法")


def _column(value: Any) -> Any:
    return {"key": value} if isinstance(value, str) else value


# A form's header fields as printed → what fills them (department, parent, unit, total, date; "" by hand)
HEADER_FIELDS = {"填报单位": "department", "填报单位（盖章）": "department", "实施单位（盖章）": "implementer",
                 "实施单位": "implementer", "单位：万元": "unit", "自评总分": "total", "联系人": "", "联系电话": "",
                 "项目名称": "project",
                 "主管部门": "parent", "填报日期": "date"}
# A form's closing rows as printed → the 文字材料 section that fills them (None: the score and grade)
CLOSING_FIELDS = {"评价结论": None, "存在问题": "存在问题", "改进措施": "改进措施"}


class Form(Strict):
    """The appendix's 自评表 as the region prints it: header rows, the funds block, the indicator columns in
    order, closing rows and signature lines."""
    columns: tuple[FormColumn, ...] = Field(min_length=1)
    header: tuple[Literal[tuple(HEADER_FIELDS)], ...] = Field(  # type: ignore[valid-type]
        (), description="表头各栏（按表上印出的顺序）：" + "、".join(HEADER_FIELDS))
    project_header: tuple[Literal[tuple(HEADER_FIELDS)], ...] = Field(  # type: ignore[valid-type]
        (), description="项目支出绩效自评表的表头各栏，与部门整体的表头不同时填写（财预〔2020〕10号附件的表：项目名称、"
                        "主管部门、实施单位）；留空则同 header")
    funds_points: bool = Field(True, description="资金情况是否带分值、得分两栏（石家庄的表只列预算数、执行数、执行率）")
    closing: tuple[Literal[tuple(CLOSING_FIELDS)], ...] = Field(  # type: ignore[valid-type]
        (), description="表尾各行：" + "、".join(CLOSING_FIELDS) + "（取自文字材料）")
    signatures: tuple[Name, ...] = Field((), description="表尾签字栏，如 项目负责人、财务负责人")
    text_chars: int | None = Field(None, ge=1, description="项目年度目标、完成情况和原因的字数上限（四川的表：100）")
    funds_rows: tuple[Name, ...] = Field((), description="项目自评表资金情况的分行（按资金性质），如 财政资金、单位资金；"
                                                       "不写则按工作簿中的资金性质或资金来源分行")

    @model_validator(mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("columns"), list):
            return {**value, "columns": [_column(c) for c in value["columns"]]}
        return value


DEFAULT_FORM = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation_note")


class Rulebook(Strict):
    title: Name
    region: Name = Field("全国", description="适用地区（省、市）")
    source: Text = Field("", description="出处：文件名称与文号、发布页面")
    published: Text = Field("", description="已公开的表中本规则未能取得的内容（如只公开了部分行），如实写明")
    document: Text = Field("", description="报告中引用的评分依据：《文件名称》（文号），如《项目支出绩效评价管理办法》"
                                           "（财预〔2020〕10号）；不填则引用规则名称")
    total: Points = Decimal(100)
    rounding: Annotated[int, Field(ge=0, le=4)] = 2
    low_execution_threshold: Fraction = Field(Decimal("0.9"), description="预算执行率低于此值须说明原因")
    quantitative: Ratio = Ratio()
    qualitative: Bands = Bands()
    grades: tuple[Grade, ...] = Field(min_length=1)
    form: Form = Form(columns=tuple(FormColumn(key=k) for k in DEFAULT_FORM))
    tree: tuple[Node, ...] = Field(min_length=1)

    @field_validator("grades")
    @classmethod
    def _from_the_top(cls, grades: tuple[Grade, ...]) -> tuple[Grade, ...]:
        mins = [g.min for g in grades]
        if mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise ValueError("应从最高的 min 排到 min 为 0 的一档")
        return grades

    @field_validator("tree")
    @classmethod
    def _adds_up(cls, tree: tuple[Node, ...], info: ValidationInfo) -> tuple[Node, ...]:
        _check_children(tree, info.data.get("total", Decimal(100)))
        _check_open_nodes(tree)
        digits = info.data.get("rounding", 2)
        for node in _all(tree):
            for step in getattr(node, "steps", ()):
                if step.points != step.points.quantize(Decimal(1).scaleb(-digits)):
                    raise ValueError(f"{node.name} 的 steps 中 points {step.points} 的小数位多于 rounding（{digits} 位）")
        return tree


for _model in (NodeBase, Group, Rulebook):
    _model.model_rebuild()
