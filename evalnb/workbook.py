"""The department-year workbook: sheet names, column headers and allowed values.

This module is the public contract that the README documents; the template writer and the intake
validator both read it, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    paragraph: bool = False     # prose: a longer text limit (limits.paragraph_chars) than short fields


@dataclass(frozen=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
    optional: bool = False      # a workbook without it is complete (contract v1); what needs it says so

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


PROFILE_FIELDS: dict[str, str] = {
    "部门名称": "必填。部门（单位）全称，如 科学技术局。",
    "年度": "必填。评价年度，四位整数，如 2024。",
    "上级主管部门": "选填。",
    "评分规则": "选填，默认 national-2020（财预〔2020〕10号）。可选 shijiazhuang-dept、sichuan-project、sichuan-dept、"
            "chongqing-dept、dept-53 "
            "或自行添加的规则名称（evalnb rules list 可查看）。",
    "数据性质": "选填，正式 或 示例，默认 正式。示例数据在报告中醒目标注。",
    "自评总分": "选填。部门自行申报的总分，与计算得分并列展示，不会被覆盖。",
    "评价等级": "选填。部门自行申报的等级（优/良/中/差 或 优秀 等）。",
    "报告日期": "选填。报告落款日期，如 2025-03-10 或 2025年3月10日；不填则用数据导入的日期。",
    "附件编号": "选填。报告标题上方的附件编号，如 附件4（报告作为文件附件报送时填写）。",
    "项目评分规则": "选填，默认 national-2020（财预〔2020〕10号项目支出绩效自评表）。项目支出绩效自评表的评分规则，"
              "与部门整体的评分规则分开选择：可选 sichuan-project（四川 510000_0013zp）、project-2021。",
}
REQUIRED_PROFILE_FIELDS = ("部门名称", "年度")
SAMPLE_NATURE = "示例"              # data that is not a department's own: marked in every report
DATA_NATURES = ("正式", SAMPLE_NATURE)

TEXT_SECTIONS: dict[str, str] = {
    "评价依据": "报告开头的政策依据段落（如 石发﹝2019﹞8号）。",
    "主要职能": "一（一）部门主要职能。",
    "项目安排依据": "一（一）项目安排的依据。",
    "资金用途": "一（一）项目资金主要用途。",
    "年度总体目标": "一（三）部门整体支出绩效目标。",
    "预算执行说明": "执行率低于90%或年中调整预算时的原因说明。",
    "自评组织": "二（一）自评的组织工作（政策依据等，领导小组由“评价工作组”表生成）。",
    "自评方法与过程": "二（二）自评的方法和过程。",
    "总体目标实现情况": "三（一）总体绩效目标实现情况。",
    "分项目标实现情况": "三（二）分项绩效目标实现情况的补充叙述（指标数字由系统生成）。",
    "存在问题": "五（一）存在的主要问题。",
    "改进措施": "五（二）改进措施。",
}

QUALITATIVE_GRADES = ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差")
# What real forms write for the three grades (any other answer is refused with the list).
QUALITATIVE_ANSWERS: dict[str, str] = {
    **{g: g for g in QUALITATIVE_GRADES},
    **dict.fromkeys(("达成", "全部达成", "达成预期指标", "达成预期目标", "完成", "效果明显", "高", "好", "优"),
                    QUALITATIVE_GRADES[0]),
    **dict.fromkeys(("部分达成", "基本达成", "部分达成年度指标", "部分完成", "较好", "一般", "中"), QUALITATIVE_GRADES[1]),
    **dict.fromkeys(("未达成", "未达成年度指标", "未完成", "效果较差", "较差", "差"), QUALITATIVE_GRADES[2]),
}
NATURES = ("定量", "定性")
# 指标性质 of indicators whose method the rulebook fixes: computed from the data, scored by deduction, or by the evaluator
FIXED_NATURES = ("计算", "扣分", "自评")
NOT_APPLICABLE = "不适用"
# An approximate figure as the source writes it: 超10 / 超过10 / 逾10 (more than), 2700余 / 2700多 (a little more)
APPROXIMATE_BEFORE = ("超过", "超", "逾")
APPROXIMATE_AFTER = ("余", "多")
DIRECTIONS = {"≥": "≥", ">=": "≥", "≧": "≥", "≤": "≤", "<=": "≤", "≦": "≤", "=": "=", "＝": "="}
TEAM_ROLES = ("组长", "副组长", "成员")
CORE_ANSWERS = ("是", "否")
# 二级指标 in the order 10号's form prints them (产出: 数量/质量/时效/成本; 效益: 经济/社会/生态/可持续; 满意度): a
# department's own rows are laid out in this order under their node, the rest in the order first typed
LEVEL2_ORDER = ("数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标",
                "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标", "满意度指标")

PROFILE = Sheet("基本信息", "部门与年度的基本信息，每行一个字段。", (
    Column("字段", "field", "字段名，见下方字段说明。", True, tuple(PROFILE_FIELDS)),
    Column("内容", "value", "字段的值。"),
))
DRAFTED = "草拟"
TEXT_ORIGINS = (DRAFTED,)
TEXTS = Sheet("文字材料", "报告中的文字段落，每行一段，按先后顺序排列。", (
    Column("章节", "section", "段落所属章节。", True, tuple(TEXT_SECTIONS)),
    Column("内容", "content", "段落全文。其中出现的数字须能在数据表中找到。", True, paragraph=True),
    Column("来源", "origin", "留空表示部门自己撰写；“草拟”表示由 evalnb draft 根据数据草拟、尚待部门修改确认"
                             "（确认后请清空此格，或删除不用的段落）。含草拟段落的报告只能生成草稿。", False, TEXT_ORIGINS),
))
PROJECT = "项目支出"
PERSONNEL, OFFICE = "基本支出-人员经费", "基本支出-公用经费"
EXPENSE_TYPES = (PROJECT, PERSONNEL, OFFICE)
FUND_NATURES_10 = ("当年财政拨款", "上年结转资金", "其他资金")      # the rows of the 10号 funds block
FUND_NATURES_SICHUAN = ("财政资金", "财政专户管理资金", "单位资金", "其他资金")   # the rows of 四川's 510000_0013zp
FUND_NATURES = (*FUND_NATURES_10, *(n for n in FUND_NATURES_SICHUAN if n not in FUND_NATURES_10))
BUDGET = Sheet("项目支出", "每个项目 × 资金来源一行（两个资金来源的项目占两行）；基本支出（人员经费、公用经费）也可各占一行，"
                        "以“支出类型”区分，不计入项目个数。金额单位万元。", (
    Column("项目名称", "name", "项目全称；基本支出行填 人员经费、公用经费 等。", True),
    Column("项目类别", "category", "如 企业培育、平台建设、运转保障。", True),
    Column("资金来源", "source", "如 区本级财政、上级转移支付。", True),
    Column("年初预算数（万元）", "initial", "年初批复的预算数。", True),
    Column("全年预算数（万元）", "budget", "调整后预算数，执行率的分母。", True),
    Column("全年执行数（万元）", "executed", "全年实际支出数。", True),
    Column("备注", "note", "选填。执行率偏低或预算调整的原因写在此处。", paragraph=True),
    Column("支出类型", "expense_type", f"选填，默认 {PROJECT}。{PERSONNEL}、{OFFICE} 两类为基本支出，不计入项目个数。",
           False, EXPENSE_TYPES),
    Column("资金性质", "fund_nature", "选填。" + "、".join(FUND_NATURES_10) + "（10号自评表资金情况的分行），四川的表填 "
           + "、".join(FUND_NATURES_SICHUAN) + "；"
           "上年结转资金可使全年执行数超过全年预算数。", False, FUND_NATURES),
))
INDICATORS = Sheet("绩效指标", "每个三级指标一行。", (
    Column("一级指标", "level1", "由评分规则限定（evalnb rules show 规则名 可查看），national-2020 为 产出指标 / 效益指标 / "
                               "满意度指标。", True),
    Column("二级指标", "level2", "如 数量指标、质量指标、时效指标、成本指标、社会效益指标；评分规则列出的指标按规则填写。", True),
    Column("三级指标", "name", "指标名称，如 认定高新技术企业数量；评分规则列出的指标（如 在职人员控制率）"
                             "按规则中的名称填写。", True),
    Column("指标性质", "nature", "部门自设的指标填 定量 或 定性；评分规则已规定计分方法的指标（计算、扣分、自评）可不填。",
           True, (*NATURES, *FIXED_NATURES)),
    Column("指标方向", "direction", "定量指标必填：≥（越大越好）、≤（越小越好）或 =。", False, ("≥", "≤", "=")),
    Column("年度指标值", "target", "目标值。定量填数字（可带计量单位），定性填目标描述。", True),
    Column("实际完成值", "actual",
           "定量填数字；来源只给约数的照写，如 超10、2700余（按 10、2700 计分，报告照原样写“超10亿元”“2700余家”，"
           "只用于 ≥ 指标）；定性填 达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差"
           "（也可写 达成预期指标、效果明显、好、基本达成、一般、未达成 等常见写法）；评分规则中由评价人打分（自评）的指标"
           "填评分依据；评分规则允许时填“不适用”。", True),
    Column("计量单位", "unit", "如 家、项、个、万元、亿元、%。定量指标必填。"),
    Column("分值", "weight", "该指标的权重（分）；各一级指标下的分值合计须与评分规则一致。评分规则已定分值的指标可不填。", True),
    Column("自评得分", "declared_score", "选填。部门自评的得分，与计算得分并列展示；由评价人打分（自评）的指标必填。"),
    Column("比较范围", "scope", "选填。占比的范围，如 全市、全省。"),
    Column("比较基数", "base", "选填。比较范围内的总数，如 1244（336 ÷ 1244 = 27%）；只知道占比时直接填占比，如 27%，"
                             "报告照原样写“占全市27%”。"),
    Column("上年完成值", "prior", "选填。上年实际完成值，用于同比。"),
    Column("偏差原因分析及改进措施", "deviation_note", "未完成或大幅超额完成时必填。", paragraph=True),
    Column("项目名称", "project", "选填。留空为部门整体指标；填写项目支出表中的项目名称则为该项目的指标。"),
    Column("调整指标值", "adjusted", "选填。年度中按规定程序调整后的指标值，写法同年度指标值（方向、计量单位不变）；"
                               "填写后按调整后的指标值计分，年度指标值作为年初指标值列示。未调整的留空；"
                               "标为不适用的指标和评分规则计分的指标（计算、扣分、自评）不填。"),
    Column("是否核心指标", "core", "选填，是 或 否。自评表列示“是否核心指标”的地区（如重庆）填写，原样列入报告附件的自评表。",
           False, CORE_ANSWERS),
    Column("指标内容", "content", "选填。自评表列示“指标内容”的地区（如石家庄）照表填写；评分规则已写明的指标不填。",
           paragraph=True),
    Column("评价标准", "standard", "选填。自评表列示“评价标准”的地区照表填写，如“全部符合得满分；…每个项目目标扣0.5分，"
                               "扣完为止”；评价人按此打分的指标（指标性质 自评）填自评得分。", paragraph=True),
))
TEAM = Sheet("评价工作组", "评价工作组成员，每人一行。", (
    Column("姓名", "name", "", True),
    Column("工作单位", "org", "", True),
    Column("职务", "title", ""),
    Column("职称", "rank", ""),
    Column("组内分工", "role", "组长、副组长 或 成员。", True, TEAM_ROLES),
))

# 收支总表: the department's whole budget (决算 summary). Each 科目 once; amounts in 万元.
INCOME_ITEMS = ("财政拨款收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
CARRIED_IN, CARRIED_OUT = "上年结转", "年末结转结余"
EXPENSE_ITEMS = ("人员经费", "公用经费", "项目支出")
ACCOUNT_ITEMS: dict[str, str] = {
    CARRIED_IN: "上年结转结余资金（年初结转和结余）。",
    **{item: "本年收入。" for item in INCOME_ITEMS},
    "人员经费": "本年支出：基本支出中的人员经费。",
    "公用经费": "本年支出：基本支出中的公用经费。",
    "项目支出": "本年支出：项目支出。",
    CARRIED_OUT: "年末结转和结余资金。",
}
ACCOUNT_KINDS = {CARRIED_IN: "结转", CARRIED_OUT: "结转", **{i: "收入" for i in INCOME_ITEMS},
                 **{i: "支出" for i in EXPENSE_ITEMS}}
ACCOUNTS = Sheet("收支总表", "选填。部门全部收入、支出和结转结余（不只项目支出），每个科目一行，金额单位万元；"
                          "收入合计、支出合计由系统计算，不必填写。", (
    Column("科目", "item", "、".join(ACCOUNT_ITEMS) + "。", True, tuple(ACCOUNT_ITEMS)),
    Column("年初预算数（万元）", "initial", "选填。年初批复数。"),
    Column("全年预算数（万元）", "budget", "选填。调整后预算数。"),
    Column("决算数（万元）", "final", "本年决算（实际）数。", True),
    Column("上年决算数（万元）", "prior_final", "选填。用于同比；不填则取库中上一年度的决算数。"),
), optional=True)

# 部门情况: staffing, procurement and "三公经费", with the prior year (共性 indicators of 部门整体 frameworks).
THREE_PUBLIC = ("因公出国（境）费", "公务接待费", "公务用车购置及运行费")
FACT_ITEMS: dict[str, str] = {
    "内设机构": "个。内设机构数，填在“实际数”。",
    "编制人数": "人。核定编制数，填在“实际数”。",
    "在职人数": "人。年末实有在职人员，填在“实际数”。",
    "离退休人数": "人。年末离退休人员，填在“实际数”。",
    "政府采购": "万元。政府采购预算数与实际采购数。",
    **{item: "万元。“三公经费”之一，预算数与决算（实际）数。" for item in THREE_PUBLIC},
}
FACT_UNITS = {item: help.split("。")[0] for item, help in FACT_ITEMS.items()}
FACTS = Sheet("部门情况", "选填。机构人员、政府采购和“三公经费”，每项一行，可同时填上年数。", (
    Column("项目", "item", "、".join(FACT_ITEMS) + "。", True, tuple(FACT_ITEMS)),
    Column("预算数", "budget", "选填。万元；人数、机构数不填。"),
    Column("实际数", "actual", "本年决算数或年末实有数。", True),
    Column("上年预算数", "prior_budget", "选填。"),
    Column("上年实际数", "prior_actual", "选填。用于同比和变动率。"),
), optional=True)

# 扣分事项: what a 扣分 (deduction) indicator of the rulebook found, one row per deduction item with its reason.
DEDUCTIONS = Sheet("扣分事项", "选填。评分规则中按扣分计分的指标（如“每发现一处…扣0.5分，扣完为止”）发现的问题，"
                            "每个扣分项一行；没有扣分的指标不必填写（得满分）。", (
    Column("一级指标", "level1", "评分规则中该指标的一级指标。", True),
    Column("二级指标", "level2", "评分规则中该指标的二级指标。", True),
    Column("三级指标", "name", "评分规则中的扣分指标名称。", True),
    Column("扣分项", "item", "评分规则为该指标列出的扣分项（evalnb rules show 可查看）。", True),
    Column("次数", "count", "发生次数（正整数）；按项扣分的填 1。", True),
    Column("原因", "reason", "发现的问题，如 2项绩效目标未细化量化。", True, paragraph=True),
), optional=True)

# 项目情况: what each 项目支出绩效自评表 asks beyond the funds (项目支出) and indicators (绩效指标 rows carrying its
# 项目名称). A project listed here has its own form: its indicators are scored on it (项目评分规则), not in the
# department's tree. Projects of 项目支出 not listed get a draft form that says what is missing.
PROJECT_INFO = Sheet("项目情况", "选填。每个项目一行，填写项目支出绩效自评表所需的信息；资金取自“项目支出”表，"
                             "指标取自“绩效指标”表中项目名称为该项目的行"
                             "（这些行按项目评分规则计入该项目的自评表，不再计入部门整体）。", (
    Column("项目名称", "name", "与“项目支出”表中的项目名称一致。", True),
    Column("主管部门", "parent", "选填。不填则用基本信息中的上级主管部门。"),
    Column("实施单位", "unit", "选填。不填则为本部门。"),
    Column("项目负责人", "manager", "选填。"),
    Column("财务负责人", "finance", "选填。"),
    Column("年度目标", "goal", "项目年度目标（预期目标）。四川的表限100字。", paragraph=True),
    Column("年度目标完成情况", "outcome", "实际完成情况。四川的表限100字。", paragraph=True),
    Column("项目实施内容及过程概述", "summary", "选填。地区表格有此栏时填写（如四川）。", paragraph=True),
    Column("原因", "reason", "执行率低于90%或年度中追加、调减预算（含年初预算为0的项目）时必填，说明原因（四川限100字）。",
           paragraph=True),
    Column("评价结论", "conclusion", "选填。不填则按得分和等级生成。", paragraph=True),
    Column("存在问题", "problems", "项目存在的问题。", paragraph=True),
    Column("改进措施", "measures", "改进措施。", paragraph=True),
    Column("自评总分", "declared_total", "选填。项目自评表申报的总分，与计算得分在复核意见中比较。"),
), optional=True)

SHEETS: tuple[Sheet, ...] = (PROFILE, TEXTS, BUDGET, INDICATORS, TEAM, ACCOUNTS, FACTS, DEDUCTIONS, PROJECT_INFO)
# A project's 项目情况 as the 文字材料 sections its form reads (年度目标 → the goals block, 原因 → 预算执行说明 …)
PROJECT_TEXTS = {"goal": "年度总体目标", "outcome": "总体目标实现情况", "reason": "预算执行说明", "problems": "存在问题",
                 "measures": "改进措施", "summary": "项目实施内容及过程概述", "conclusion": "评价结论"}
# The form's signature lines → the 项目情况 column naming who signs
SIGNERS = {"项目负责人": "manager", "财务负责人": "finance"}

# Measures added with issue 23 (regional variants), named as rulebooks name them: (name, formula, numerator,
# denominator, why not computable). 湖南's gross 预算控制率; an 执行率 with 上年结转 in its base (10号's 全年预算数
# includes it where the lines leave it out).
GROSS_CONTROL = ("预算控制率", "本年追加预算数 ÷ 年初预算数 × 100%", "本年追加预算数", "年初预算数",
                 "未提供项目支出，无法计算预算控制率")
WITH_CARRY_IN = ("含结转预算执行率", f"全年执行数 ÷（全年预算数 + {CARRIED_IN}）× 100%", "全年执行数",
                 f"全年预算数 + {CARRIED_IN}", f"收支总表未填“{CARRIED_IN}”，无法计算含结转预算执行率")
# 53号's 资金结余 ("无结余，3分；有结余，但不超过上年结转，2分；结余超过上年结转，不得分"): the year-end balance against
# what was carried in, from the 收支总表, so that a rulebook can check a declared 资金结余 against the data.
BALANCE_TO_CARRY_IN = ("结余与上年结转比", f"{CARRIED_OUT} ÷ {CARRIED_IN} × 100%", CARRIED_OUT, CARRIED_IN,
                       f"收支总表未填“{CARRIED_OUT}”或“{CARRIED_IN}”，无法计算结余与上年结转比")
