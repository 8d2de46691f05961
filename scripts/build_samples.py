"""Build the sample workbooks in data/sample/ (run: python scripts/build_samples.py).

科学技术局 2024 carries every fact of the seed report (shared/seeds/000_165481655092ecb7.txt); the
other department-years are synthetic (数据性质 = 示例). Amounts are spread over projects with a fixed
random seed and the last line is adjusted so the totals are exact to the 万元 5th decimal.
"""

from __future__ import annotations

import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from evalnb.intake.blank import write_workbook  # noqa: E402

HERE = Path(__file__).resolve().parents[1] / "data" / "sample"
Q5 = Decimal("0.00001")

# ---------------------------------------------------------------- 科学技术局
KJJ = "科学技术局"
KJJ_PROJECTS = [  # name, category, sources
    ("高新技术企业培育奖励资金", "企业培育", ("区本级财政",)),
    ("科技型中小企业培育资金", "企业培育", ("区本级财政",)),
    ("研发投入后补助资金（省市专项）", "企业培育", ("上级转移支付",)),
    ("企业研发投入后补助区级配套", "企业培育", ("区本级财政",)),
    ("市级技术创新中心建设补助", "创新平台建设", ("区本级财政", "上级转移支付")),
    ("产业技术研究院建设补助", "创新平台建设", ("区本级财政",)),
    ("重点实验室建设补助", "创新平台建设", ("区本级财政",)),
    ("全国重点实验室配套支持", "创新平台建设", ("区本级财政",)),
    ("省市科技计划项目配套资金", "科技项目", ("区本级财政", "上级转移支付")),
    ("科技企业孵化器运营补贴", "创新创业生态", ("区本级财政",)),
    ("众创空间运营补贴", "创新创业生态", ("区本级财政",)),
    ("科技企业加速器扶持资金", "创新创业生态", ("区本级财政",)),
    ("技术合同登记及技术市场服务", "成果转化", ("区本级财政",)),
    ("技术转移示范机构奖励", "成果转化", ("区本级财政",)),
    ("京津科技成果转化落地补助", "成果转化", ("区本级财政", "上级转移支付")),
    ("引进国外智力项目资助", "成果转化", ("上级转移支付",)),
    ("科技人才团队引育资金", "创新创业生态", ("区本级财政",)),
    ("企业上市挂牌奖励", "科技金融", ("区本级财政",)),
    ("上市后备企业培育服务", "科技金融", ("区本级财政",)),
    ("创新积分信息平台运维", "科技金融", ("区本级财政",)),
    ("首贷续贷服务中心运营", "科技金融", ("区本级财政",)),
    ("银企对接活动经费", "科技金融", ("区本级财政",)),
    ("科技金融服务中心运营", "科技金融", ("区本级财政", "上级转移支付")),
    ("科技保险保费补贴", "科技金融", ("区本级财政",)),
    ("科技贷款贴息", "科技金融", ("区本级财政",)),
    ("防范和处置非法集资宣传经费", "金融风险防范", ("区本级财政",)),
    ("地方金融组织监管及风险排查", "金融风险防范", ("区本级财政",)),
    ("存量金融风险案件处置经费", "金融风险防范", ("区本级财政",)),
    ("科协对接工作经费", "运转保障", ("区本级财政",)),
    ("科技统计与高新区综合评价", "运转保障", ("区本级财政",)),
    ("科技政策宣传培训", "运转保障", ("区本级财政",)),
    ("机关运转保障经费", "运转保障", ("区本级财政",)),
]

# level1, level2, name, nature, direction, unit, weight, target, actual, prior, scope, base, note
Q, L = "定量", "定性"
KJJ_INDICATORS = [
    ("产出指标", "数量指标", "认定高新技术企业数量", Q, "≥", "家", 3, 300, 336, 312, "全市", "27%", None),
    ("产出指标", "数量指标", "认定科技型中小企业数量", Q, "≥", "家", 3, 1800, 1881, 1706, "全市", "14%", None),
    ("产出指标", "数量指标", "其中国家级科技型中小企业数量", Q, "≥", "家", 2, 850, 898, 815, "全市", "21.6%", None),
    ("产出指标", "数量指标", "争取研发投入后补助省市专项资金", Q, "≥", "万元", 2, 2500, "2,786.974", 2516.3,
     None, None, None),
    ("产出指标", "数量指标", "研发投入后补助惠及企业数量", Q, "≥", "家", 2, 400, "443家", 405, None, None, None),
    ("产出指标", "质量指标", "研发投入强度全国高新区综合评价单项排名", Q, "≤", "位", 2, 20, 17, 19, None, None, None),
    ("产出指标", "数量指标", "新建市级技术创新中心数量", Q, "≥", "家", 1, 2, 2, 3, None, None, None),
    ("产出指标", "数量指标", "新建产业技术研究院数量", Q, "≥", "家", 1, 3, 3, 2, None, None, None),
    ("产出指标", "数量指标", "新建重点实验室数量", Q, "≥", "家", 1, 2, 2, 2, None, None, None),
    ("产出指标", "数量指标", "市级以上各类创新平台数量", Q, "≥", "家", 2, 300, 318, 296, None, None, None),
    ("产出指标", "数量指标", "其中国家级创新平台数量", Q, "≥", "家", 2, 20, 21, 19, None, None, None),
    ("产出指标", "数量指标", "其中全国重点实验室数量", Q, "≥", "家", 2, 5, 5, 5, "全市", "100%", None),
    ("产出指标", "数量指标", "获批省、市科技项目数量", Q, "≥", "项", 2, 80, 88, 81, None, None, None),
    ("产出指标", "数量指标", "争取科技项目专项资金", Q, "≥", "万元", 2, 4000, 4351, 4012, None, None, None),
    ("产出指标", "数量指标", "引进、转化高校科研院所及外地技术成果数量", Q, "≥", "项", 2, 60, 62, 57, None, None, None),
    ("产出指标", "数量指标", "获市级引进国外智力项目立项数量", Q, "≥", "项", 2, 15, 16, 14, None, None, None),
    ("产出指标", "数量指标", "新上市企业数量", Q, "≥", "家", 2, 1, 1, 1, None, None, None),
    ("产出指标", "数量指标", "累计上市企业数量", Q, "≥", "家", 2, 10, 11, 10, "全市；全省", "33%；11%", None),
    ("产出指标", "质量指标", "累计上市企业数量全省区县排名", Q, "≤", "位", 1, 3, 1, 2, None, None, None),
    ("产出指标", "数量指标", "创新积分精准画像科技型企业数量", Q, "≥", "家", 2, 2500, "2700余", 2300, None, None, None),
    ("产出指标", "数量指标", "银企对接活动场次", Q, "≥", "场", 2, 50, 61, 48, None, None, None),
    ("产出指标", "数量指标", "科技金融服务中心累计服务企业数量", Q, "≥", "家", 2, 8000, "9000余", 7600, None, None, None),
    ("产出指标", "数量指标", "防范非法集资宣传活动场次", Q, "≥", "场", 2, 180, 202, 176, None, None, None),
    ("产出指标", "数量指标", "存量案件取得重大进展数量", Q, "≥", "起", 1, 3, 3, 2, None, None, None),
    ("产出指标", "数量指标", "注销融资担保公司数量", Q, "≥", "家", 1, 1, 1, 0, None, None, None),
    ("产出指标", "数量指标", "注销典当行数量", Q, "≥", "家", 1, 1, 1, 0, None, None, None),
    ("产出指标", "数量指标", "吊销融资担保公司经营许可数量", Q, "≥", "家", 1, 1, 1, 0, None, None, None),
    ("产出指标", "时效指标", "科技扶持资金拨付及时率", Q, "≥", "%", 2, 95, "98%", 97, None, None, None),
    ("效益指标", "经济效益指标", "技术合同成交额", Q, "≥", "亿元", 8, 60, "66.71亿元", 58.2, "全市", "24.58%", None),
    ("效益指标", "经济效益指标", "企业通过创新积分获得授信金额", Q, "≥", "亿元", 6, 10, "超10", 8.6, None, None, None),
    ("效益指标", "经济效益指标", "银企对接融资金额", Q, "≥", "亿元", 6, 5, 5.88, 5.1, None, None, None),
    ("效益指标", "社会效益指标", "区域性系统性金融风险", L, None, None, 5, "不发生区域性系统性金融风险",
     "达成年度指标", None, None, None, None),
    ("效益指标", "可持续影响指标", "创新创业生态持续优化", L, None, None, 5, "创新体系进一步完善、创新环境进一步优化",
     "达成年度指标", None, None, None, None),
    ("满意度指标", "服务对象满意度指标", "科技企业满意度", Q, "≥", "%", 10, 90, 95.6, 94.2, None, None, None),
]

KJJ_TEAM = [  # placeholder names, seed roles
    ("张伟", "科技局", "局长", "", "组长"),
    ("王芳", "科技局", "副局长", "", "副组长"),
    ("刘洋", "科技局", "副局长", "", "副组长"),
    ("陈静", "科技局", "副局长", "", "副组长"),
    ("李娜", "科技局", "科技创新科科长", "", "成员"),
    ("杨磊", "科技局", "办公室主任", "", "成员"),
    ("黄敏", "科技局", "金融监管科科长", "", "成员"),
    ("周杰", "科技局", "科技金融科副科长", "", "成员"),
]

# The seed's own words, sentence by sentence (its leading group with the placeholder names of KJJ_TEAM).
KJJ_TEXTS = [
    ("评价依据", "贯彻落实市委市政府《关于全面落实预算绩效管理的实施意见》（石发﹝2019﹞8号）文件精神，遵循“科学性、规范性、"
              "客观性和公正性”的原则，对科学技术局2024年整体支出情况实施了财政支出绩效自评价，形成本评价报告。"),
    ("主要职能", "我单位主要负责组织开展辖区内高新技术企业、科技型中小企业、科技创新平台、科技计划项目、科技成果转化、科技金融创新、"
              "组织协调防范和处置化解地方金融风险的工作。"),
    ("项目安排依据", "项目主要根据高新区制定的相关扶持政策进行安排。"),
    ("资金用途", "项目主要用于培育壮大科技企业、促进科技和金融创新、完善创新创业生态体系等。"),
    ("年度总体目标", "2024年提高了技术市场管理水平，技术市场环境得到不断改善。高新技术企业和科技型中小企业培育，创新体系进一步完善，"
                "创新能力进一步提高，创新环境进一步优化，人才团队进一步壮大，创新创业服务机构对产业技术创新的支撑和服务能力进一步增强，"
                "园区产业聚集和示范作用进一步提升。科技金融创新，拓宽企业融资渠道，帮助企业解决融资问题，金融行业服务质量都有所提升，"
                "全区范围内开展非法集资宣传。保障科协对接工作顺利完成，各类科技工作综合管理谋划到位、开展有序，助推科技事业发展能力提升，"
                "保障机关工作正常运转。"),
    ("自评组织", "按照《石家庄高新区科技局关于印发预算绩效管理细则的通知》（石高科[2019]49号）和《石家庄高新区科技局预算绩效管理细则》"
              "（2021修订版）要求，我局成立了以张伟局长为组长，王芳、刘洋、陈静副局长为副组长，各处室负责人为成员的科技局绩效评价"
              "工作领导小组，统筹推进绩效自评工作的有序开展。"),
    ("自评方法与过程", "评价过程中，评价小组各成员团结合作、相互配合、分工明确，掌握基础资料，了解项目整个实施环节和过程，"
                 "对资料认真核查，对现场深入核实。"),
    ("自评方法与过程", "自评采用业务处室填报，小组审核，小组组长审批的方式开展。由业务处室分别对各项指标进行打分，最终评价按综合得分计算。"),
    ("总体目标实现情况", "提高了技术市场管理水平，继续完善了技术合同认定、登记和备案工作，加强业务及政策培训。推进科技型中小企业和高新技术"
                  "企业发展，数量持续增长，创新能力增强。创新体系进一步完善，政策环境进一步优化，创新平台对产业技术创新的支撑和服务能力"
                  "进一步增强；认真落实对科技企业孵化器、加速器、众创空间及创新型孵化器的扶持政策，促进孵化器健康发展。培养和储备一批上市"
                  "后备企业，增强企业利用资本市场融资能力，创新发展多种科技金融产品，拓宽企业融资渠道，有效缓解区内企业融资难题。加强各类"
                  "金融风险的防范和处置，有效防范系统性和区域性金融风险发生。保障科协对接工作顺利完成。各类科技管理工作谋划到位、开展有序，"
                  "助推科技事业发展能力提升。"),
    ("分项目标实现情况", "2024年认定高新技术企业336家，占全市27%；认定科技型中小企业1881家（占全市14%）；其中，国家级898家（占全市21.6%）；"
                  "积极落实研发投入后补助政策，争取省、市专项资金2786.974万元，惠及企业443家；研发投入强度在2024年度全国高新区综合评价"
                  "单项排名第17位。"),
    ("分项目标实现情况", "新建市级技术创新中心2家、产业技术研究院3家、重点实验室2家；市级以上各类创新平台达到318家，其中国家级21家"
                  "（含全国重点实验室5家，占全市的100%）。"),
    ("分项目标实现情况", "围绕生物医药、电子信息、化工新材料等主导产业，鼓励各类创新主体承担或参与科技项目，协同攻克关键技术难题。2024年度"
                  "获批省、市科技项目88项，争取项目专项资金4351万元，有力促进了企业创新发展。"),
    ("分项目标实现情况", "实现技术合同成交额达66.71亿元，占全市24.58%；引进、转化高校科研院所及京津等外地技术、成果62项。获市级引进国外"
                  "智力项目立项16项。"),
    ("分项目标实现情况", "2024年，搭建的“一站式企业上市中介服务平台”入选省委深改办服务企业典型案例，无线传媒成功在创业板上市，成为年度内"
                  "全市唯一新上市企业；轩竹生物在港交所递交上市申请；九易庄宸在河北证监局申请辅导。全区累计上市企业11家，全市占比33%、"
                  "全省占比11%，居全省区县第一。优化“石家庄高新区企业创新积分信息平台”，为全区2700余家科技型企业绘制创新积分“精准画像”，"
                  "区内企业已通过积分获得授信超10亿元；依托首贷续贷服务中心，打造“融易汇”银企对接品牌，常态化开展“1+2+N”银企对接活动，"
                  "举办对接活动61场，对接融资5.88亿元；强化科技金融服务中心运营，获批科技部全国“科技金融创新服务中心培育机构”，采用"
                  "“线上+线下”服务模式，累计服务企业9000余家。"),
    ("分项目标实现情况", "建立“网格+警格+金融”三格预警监测体系，完成了覆盖全区的风险排查；全年开展宣传活动202场，其中防非短视频荣获省"
                  "三等奖；3起存量案件均取得重大进展；开展地方金融组织规范整治专项行动，注销融资担保公司、典当行各1家，吊销融资担保公司"
                  "1家，做到地方金融组织的提质减量。"),
    ("存在问题", "无问题存在。"),
    ("改进措施", "在今后的工作中，我局将严格按照新《中华人民共和国预算法》的要求，加大绩效管理工作力度，加强预算编制的科学性、合理性，"
              "以实现绩效目标为核心，严格项目执行进度，加大过程监控，提高财政资金的使用效益，保障财政资金发挥效用和安全。"),
]


def _spread(total: Decimal, n: int, rng: random.Random, low: float = 0.3, high: float = 3.0) -> list[Decimal]:
    """n positive amounts summing exactly to total (5 decimals)."""
    weights = [rng.uniform(low, high) for _ in range(n)]
    scale = sum(weights)
    parts = [(total * Decimal(w / scale)).quantize(Q5, ROUND_HALF_UP) for w in weights]
    biggest = parts.index(max(parts))
    parts[biggest] += total - sum(parts)
    return parts


def _budget_rows(projects: list, budget_total: str, executed_total: str, seed: int,
                 low_rates: dict[str, tuple[float, str]] | None = None, min_rate: str = "0.95") -> list[dict]:
    """Budget lines whose 全年预算数 and 全年执行数 sum exactly to the given totals."""
    rng = random.Random(seed)
    lines = [(name, cat, src) for name, cat, sources in projects for src in sources]
    budgets = _spread(Decimal(budget_total), len(lines), rng)
    low_rates = low_rates or {}
    rates = [Decimal(str(low_rates[n][0])) if n in low_rates else Decimal(str(rng.choice([1, 1, 1, 0.995, 0.985, 0.97])))
             for n, _, _ in lines]
    executed = [(b * r).quantize(Q5, ROUND_HALF_UP) for b, r in zip(budgets, rates, strict=True)]
    gap = Decimal(executed_total) - sum(executed)
    order = sorted(range(len(lines)), key=lambda i: -budgets[i])
    for i in order:  # absorb the gap in the largest lines, keeping each within min_rate-100% of its budget
        if lines[i][0] in low_rates:
            continue
        floor = (budgets[i] * Decimal(min_rate)).quantize(Q5, ROUND_HALF_UP)
        step = max(min(gap, budgets[i] - executed[i]), floor - executed[i])
        executed[i] += step
        gap -= step
        if gap == 0:
            break
    assert gap == 0, "cannot reach the executed total"
    rows = []
    for (name, cat, src), b, e in zip(lines, budgets, executed, strict=True):
        adjust = Decimal(str(rng.choice([0, 0, 0, 0.05, -0.03, 0.1])))
        initial = (b / (1 + adjust)).quantize(Q5, ROUND_HALF_UP)
        note = low_rates[name][1] if name in low_rates else None
        rows.append({"项目名称": name, "项目类别": cat, "资金来源": src, "年初预算数（万元）": initial,
                     "全年预算数（万元）": b, "全年执行数（万元）": e, "备注": note})
    return rows


def _indicator_rows(specs: list, year_offset: int = 0, declared_full: bool = True, priors: bool = True) -> list[dict]:
    rows = []
    for level1, level2, name, nature, direction, unit, weight, target, actual, prior, scope, base, note in specs:
        if year_offset == -1:  # the prior year: last year's actuals, no prior of its own
            actual, prior = (prior if nature == Q else actual), None
        rows.append({
            "一级指标": level1, "二级指标": level2, "三级指标": name, "指标性质": nature, "指标方向": direction,
            "年度指标值": target, "实际完成值": actual, "计量单位": unit, "分值": weight,
            "自评得分": weight if declared_full else None, "比较范围": scope if year_offset == 0 else None,
            "比较基数": base if year_offset == 0 else None, "上年完成值": prior if priors else None, "偏差原因分析及改进措施": note,
        })
    return rows


def _profile(dept: str, year: int, nature: str, parent: str, rules: str = "national-2020",
             declared_total: object = None, declared_grade: str | None = None, attachment: str | None = None) -> list[dict]:
    fields = {"部门名称": dept, "年度": year, "上级主管部门": parent, "评分规则": rules, "数据性质": nature,
              "自评总分": declared_total, "评价等级": declared_grade, "附件编号": attachment}
    return [{"字段": k, "内容": v} for k, v in fields.items() if v is not None]


def _team(members: list) -> list[dict]:
    return [dict(zip(("姓名", "工作单位", "职务", "职称", "组内分工"), m, strict=True)) for m in members]


def _texts(pairs: list) -> list[dict]:
    return [{"章节": s, "内容": c} for s, c in pairs]


def kjj(year: int) -> dict:
    if year == 2024:
        budget = _budget_rows(KJJ_PROJECTS, "20094.62746", "19837.71876", seed=2024)
        # The seed opens with "附件4"; it states no date, so 报告日期 stays empty (the ingest date is shown).
        return {"基本信息": _profile(KJJ, 2024, "正式", "高新区管委会", declared_total=100, declared_grade="优秀",
                                    attachment="附件4"),
                "文字材料": _texts(KJJ_TEXTS), "项目支出": budget,
                "绩效指标": _indicator_rows(KJJ_INDICATORS, priors=False), "评价工作组": _team(KJJ_TEAM)}
    budget = _budget_rows(KJJ_PROJECTS[:-2], "18236.40512", "17655.31204", seed=2023,
                          low_rates={"科技贷款贴息": (0.62, "部分企业贷款延期至次年发放，贴息资金相应结转。")})
    texts = [(s, c.replace("2024年", "2023年")) for s, c in KJJ_TEXTS if s not in ("分项目标实现情况", "存在问题", "改进措施")]
    texts += [("存在问题", "个别项目资金支付进度偏慢，科技贷款贴息执行率偏低。"),
              ("改进措施", "加强项目执行进度跟踪，按月调度资金支付情况。")]
    return {"基本信息": _profile(KJJ, 2023, "示例", "高新区管委会", declared_total=98.5, declared_grade="优"),
            "文字材料": _texts(texts), "项目支出": budget,
            "绩效指标": _indicator_rows(KJJ_INDICATORS, year_offset=-1, declared_full=False),
            "评价工作组": _team(KJJ_TEAM)}


# ---------------------------------------------------------------- synthetic departments
JYJ = "教育局"
JYJ_PROJECTS = [
    ("义务教育学校公用经费补助", "教育保障", ("区本级财政", "上级转移支付")),
    ("学前教育普惠性幼儿园补助", "教育保障", ("区本级财政",)),
    ("校舍维修改造工程", "基础设施", ("区本级财政",)),
    ("教师培训及继续教育", "队伍建设", ("区本级财政",)),
    ("学生资助资金", "教育保障", ("上级转移支付",)),
    ("智慧校园建设", "基础设施", ("区本级财政",)),
    ("课后服务补助", "教育保障", ("区本级财政",)),
    ("机关运转保障经费", "运转保障", ("区本级财政",)),
]
JYJ_INDICATORS = [
    ("产出指标", "数量指标", "资助家庭经济困难学生人数", Q, "≥", "人", 10, 2000, 2180, 2050, None, None, None),
    ("产出指标", "数量指标", "完成校舍维修改造面积", Q, "≥", "平方米", 10, 30000, 24500, 28800, None, None, None),
    ("产出指标", "数量指标", "教师培训人次", Q, "≥", "人次", 10, 3000, 4200, 3100, None, None, None),
    ("产出指标", "质量指标", "校舍维修工程验收合格率", Q, "=", "%", 10, 100, 100, 100, None, None, None),
    ("产出指标", "时效指标", "学生资助资金发放及时率", Q, "≥", "%", 10, 98, 99.2, 98.5, None, None, None),
    ("效益指标", "社会效益指标", "普惠性幼儿园覆盖率", Q, "≥", "%", 10, 85, 88.6, 84.1, "全市", "90", None),
    ("效益指标", "社会效益指标", "义务教育巩固率", Q, "≥", "%", 10, 99, 99.5, 99.3, None, None, None),
    ("效益指标", "可持续影响指标", "教育信息化水平", L, None, None, 10, "智慧校园覆盖全部学校",
     "部分达成年度指标并具有一定效果", None, None, None, None),
    ("满意度指标", "服务对象满意度指标", "家长满意度", Q, "≥", "%", 10, 90, 91.3, 90.8, None, None, None),
]
JTJ = "交通运输局"
JTJ_PROJECTS = [
    ("农村公路养护工程", "公路养护", ("区本级财政", "上级转移支付")),
    ("城市公交运营补贴", "公共交通", ("区本级财政",)),
    ("公路安全生命防护工程", "安全保障", ("上级转移支付",)),
    ("交通执法装备购置", "执法监管", ("区本级财政",)),
    ("危桥改造工程", "公路建设", ("区本级财政",)),
    ("机关运转保障经费", "运转保障", ("区本级财政",)),
]
JTJ_INDICATORS = [
    ("产出指标", "数量指标", "农村公路养护里程", Q, "≥", "公里", 15, 320, 335, 318, None, None, None),
    ("产出指标", "数量指标", "完成危桥改造数量", Q, "≥", "座", 10, 6, 4, 5, None, None,
     "两座危桥因汛期停工顺延至次年一季度完工，已调整施工组织。"),
    ("产出指标", "质量指标", "公路优良路率", Q, "≥", "%", 15, 85, 78, 85.6, None, None, None),
    ("产出指标", "成本指标", "公交运营每车公里补贴", Q, "≤", "元", 10, 3.2, 3.5, 3.1, None, None, None),
    ("效益指标", "社会效益指标", "道路交通事故死亡人数", Q, "≤", "人", 15, 12, 9, 13, None, None, None),
    ("效益指标", "经济效益指标", "公交日均客运量", Q, "≥", "万人次", 15, 18, 14, 17.5, None, None, None),
    ("满意度指标", "服务对象满意度指标", "群众出行满意度", Q, "≥", "%", 10, 90, 82, 88, None, None, None),
]


def synthetic(dept: str, year: int, projects: list, indicators: list, totals: dict[int, tuple[str, str]],
              low_rates: dict | None, declared: dict[int, tuple[object, str]], team_org: str) -> dict:
    budget_total, executed_total = totals[year]
    budget = _budget_rows(projects, budget_total, executed_total, seed=year + len(dept),
                          low_rates=low_rates if year == 2024 else None, min_rate="0.6")
    total, grade = declared[year]
    return {"基本信息": _profile(dept, year, "示例", "区人民政府", declared_total=total, declared_grade=grade),
            "文字材料": _texts(_synthetic_texts(dept)), "项目支出": budget,
            "绩效指标": _indicator_rows(indicators, year_offset=0 if year == 2024 else -1, declared_full=False),
            "评价工作组": _synthetic_team(dept, team_org)}


def _synthetic_team(dept: str, org: str) -> list[dict]:
    return _team([("赵某", org, "局长", "", "组长"), ("钱某", org, "副局长", "", "副组长"),
                  ("孙某", org, "财务科科长", "会计师", "成员"), ("李某", org, "业务科科长", "", "成员")])


def _synthetic_texts(dept: str) -> list[tuple[str, str]]:
    return [("主要职能", f"{dept}负责辖区内相关行业的规划、管理与公共服务工作。"),
             ("项目安排依据", "项目根据区级年度工作计划和上级有关政策安排。"),
             ("资金用途", "项目资金主要用于保障重点民生任务和机关正常运转。"),
             ("年度总体目标", "全面完成年度重点任务，提升公共服务水平，保障资金安全高效使用。"),
             ("自评组织", "按照区财政局关于开展部门整体支出绩效自评工作的通知要求开展自评。"),
             ("自评方法与过程", "采取资料审核与现场核查相结合的方式，对照年度绩效目标逐项评价。"),
             ("总体目标实现情况", "年度重点任务总体完成，个别指标未达预期。"),
             ("存在问题", "部分项目执行进度偏慢，个别绩效指标未完成。"),
             ("改进措施", "加强预算执行监控，科学设定绩效目标，强化结果应用。")]


# ---------------------------------------------------------------- a department with its whole budget
# 农业农村局 fills every sheet of contract v2: 基本支出 lines beside projects, 资金性质, a 收支总表 (上年结转
# pays for spending above the 全年预算 in 2024), 部门情况 (staffing, procurement, "三公经费") and two 共性
# indicators typed in 绩效指标 that agree with what the data gives. All figures are made up (示例).
NYJ = "农业农村局"
PERSONNEL, OFFICE, PROJECT = "基本支出-人员经费", "基本支出-公用经费", "项目支出"
NYJ_LINES = {  # name, category, source, type, nature: (initial, budget, executed) per year
    ("人员经费", "运转保障", "区本级财政", PERSONNEL, "当年财政拨款"):
        {2023: ("1780", "1802.3", "1802.3"), 2024: ("1850", "1886.4", "1886.4")},
    ("公用经费", "运转保障", "区本级财政", OFFICE, "当年财政拨款"):
        {2023: ("300", "300", "296.4"), 2024: ("320", "310", "301.25")},
    ("高标准农田建设", "农业基础设施", "上级转移支付", PROJECT, "当年财政拨款"):
        {2023: ("2400", "2400", "2400"), 2024: ("2600", "2800", "2800")},
    ("农机购置补贴", "农业生产", "上级转移支付", PROJECT, "当年财政拨款"):
        {2023: ("500", "500", "480"), 2024: ("500", "520", "595.6")},
    ("种业振兴行动", "农业生产", "区本级财政", PROJECT, "当年财政拨款"):
        {2023: ("280", "280", "260"), 2024: ("300", "300", "276.3")},
    ("农村人居环境整治", "乡村建设", "区本级财政", PROJECT, "当年财政拨款"):
        {2023: ("720", "720", "700.8"), 2024: ("800", "760", "742.18")},
    ("动物疫病防控", "农业生产", "上级转移支付", PROJECT, "当年财政拨款"):
        {2023: ("120", "120", "110"), 2024: ("150", "150", "150")},
}
NYJ_ACCOUNTS = {  # 科目: (全年预算数, 决算数) per year; 上年决算数 is last year's 决算数
    "上年结转": {2023: (None, "95"), 2024: (None, "180.5")},
    "财政拨款收入": {2023: (None, "6100"), 2024: (None, "6580")},
    "其他收入": {2023: (None, "35"), 2024: (None, "40")},
    "人员经费": {2023: ("1802.3", "1802.3"), 2024: ("1886.4", "1886.4")},
    "公用经费": {2023: ("300", "296.4"), 2024: ("310", "301.25")},
    "项目支出": {2023: ("4020", "3950.8"), 2024: ("4530", "4564.08")},
    "年末结转结余": {2023: (None, "180.5"), 2024: (None, "48.77")},
}
NYJ_FACTS = {  # 项目: (预算数, 实际数) per year
    "内设机构": {2023: (None, 9), 2024: (None, 9)},
    "编制人数": {2023: (None, 86), 2024: (None, 86)},
    "在职人数": {2023: (None, 80), 2024: (None, 82)},
    "离退休人数": {2023: (None, 33), 2024: (None, 35)},
    "政府采购": {2023: ("1000", "962.4"), 2024: ("1200", "1150.6")},
    "因公出国（境）费": {2023: ("0", "0"), 2024: ("0", "0")},
    "公务接待费": {2023: ("13", "11.8"), 2024: ("12", "10.5")},
    "公务用车购置及运行费": {2023: ("30", "27.5"), 2024: ("28", "26.2")},
}
NYJ_INDICATORS = [  # level1, level2, name, unit, direction, weight, target, actual {year}, project
    ("产出指标", "数量指标", "新建高标准农田面积", "万亩", "≥", 10, 2, {2023: 1.8, 2024: 2.1}, "高标准农田建设"),
    ("产出指标", "数量指标", "农机购置补贴受益农户", "户", "≥", 10, 1200, {2023: 1180, 2024: 1315}, "农机购置补贴"),
    ("产出指标", "质量指标", "动物疫病免疫密度", "%", "≥", 10, 90, {2023: 95.8, 2024: 96.5}, None),
    ("产出指标", "时效指标", "补贴资金兑付及时率", "%", "≥", 5, 95, {2023: 96, 2024: 98}, None),
    # 共性 indicators: 48.77 ÷ 6726.4 = 0.73%; 36.7 ÷ 40 = 91.75% (2023: 180.5 ÷ 6122.3 = 2.95%; 39.3 ÷ 43 = 91.4%)
    ("产出指标", "成本指标", "结转结余率", "%", "≤", 5, 5, {2023: 2.95, 2024: 0.73}, None),
    ("产出指标", "成本指标", "“三公经费”控制率", "%", "≤", 10, 100, {2023: 91.4, 2024: 91.75}, None),
    ("效益指标", "经济效益指标", "粮食总产量", "万吨", "≥", 15, 15, {2023: 15.2, 2024: 15.6}, None),
    ("效益指标", "社会效益指标", "农村卫生厕所普及率", "%", "≥", 15, 90, {2023: 90.1, 2024: 92.4}, None),
    ("满意度指标", "服务对象满意度指标", "农户满意度", "%", "≥", 10, 90, {2023: 92, 2024: 93.2}, None),
]


# Issue 25: three of 农业农村局's projects file a 项目支出绩效自评表 in 2024 (项目情况 and their own 绩效指标 rows,
# 10号's 50/30/10); the others are draft forms from their funds. Made up (示例), like the rest of this sample.
NYJ_PROJECT_INFO = [
    {"项目名称": "种业振兴行动", "实施单位": "区农业技术推广中心", "项目负责人": "李示例", "财务负责人": "王示例",
     "年度目标": "建设良种繁育基地2个，推广主导品种10个，良种覆盖率达到96%以上。",
     "年度目标完成情况": "建成良种繁育基地2个，推广主导品种11个，良种覆盖率96.5%。",
     "存在问题": "个别繁育基地配套设施建设进度偏慢。", "改进措施": "按月调度基地配套设施建设进度。"},
    {"项目名称": "农村人居环境整治", "实施单位": "区农业农村局", "项目负责人": "赵示例", "财务负责人": "王示例",
     "年度目标": "完成农村户厕改造3000户，生活垃圾收运处置体系覆盖全部行政村。",
     "年度目标完成情况": "完成户厕改造2850户，生活垃圾收运处置体系覆盖全部行政村。",
     "原因": "年中按整治任务调整，调减预算40万元用于其他急需项目；户厕改造部分村组因施工季节顺延。",
     "存在问题": "户厕改造未完成年度目标，部分村组施工组织不够有力。", "改进措施": "顺延任务于次年一季度完成，加强施工组织。",
     "自评总分": 98},
    {"项目名称": "动物疫病防控", "实施单位": "区动物疫病预防控制中心", "项目负责人": "孙示例", "财务负责人": "王示例",
     "年度目标": "重大动物疫病强制免疫应免尽免，不发生区域性重大动物疫情。",
     "年度目标完成情况": "强制免疫密度96.5%，全年未发生区域性重大动物疫情。",
     "存在问题": "疫苗采购量目标低于上年实际。", "改进措施": "下一年度按上年实际科学设定采购量目标。"},
]
NYJ_PROJECT_INDICATORS = [  # project, level1, level2, name, nature, unit, direction, weight, target, actual, prior
    ("种业振兴行动", "产出指标", "数量指标", "良种繁育基地建设数量", "定量", "个", "≥", 20, 2, 2, None),
    ("种业振兴行动", "产出指标", "数量指标", "推广主导品种数量", "定量", "个", "≥", 15, 10, 11, None),
    ("种业振兴行动", "产出指标", "成本指标", "繁育基地建设成本控制率", "定量", "%", "≤", 15, 100, 92.1, None),
    ("种业振兴行动", "效益指标", "经济效益指标", "良种覆盖率", "定量", "%", "≥", 30, 96, 96.5, None),
    ("种业振兴行动", "满意度指标", "服务对象满意度指标", "种植户满意度", "定量", "%", "≥", 10, 90, 94, None),
    ("农村人居环境整治", "产出指标", "数量指标", "户厕改造数量", "定量", "户", "≥", 30, 3000, 2850, None),
    ("农村人居环境整治", "产出指标", "质量指标", "改厕验收合格率", "定量", "%", "≥", 10, 95, 97, None),
    ("农村人居环境整治", "产出指标", "成本指标", "户均改厕补助", "定量", "元", "≤", 10, 2000, 2000, None),
    ("农村人居环境整治", "效益指标", "社会效益指标", "村庄环境明显改善", "定性", None, None, 30, "明显改善", "达成年度指标", None),
    ("农村人居环境整治", "满意度指标", "服务对象满意度指标", "村民满意度", "定量", "%", "≥", 10, 90, 92, None),
    ("动物疫病防控", "产出指标", "数量指标", "强制免疫疫苗采购量", "定量", "万毫升", "≥", 25, 100, 112, 110),
    ("动物疫病防控", "产出指标", "质量指标", "强制免疫密度", "定量", "%", "≥", 15, 90, 96.5, None),
    ("动物疫病防控", "产出指标", "时效指标", "疫苗按季度到位率", "定量", "%", "≥", 10, 100, 100, None),
    ("动物疫病防控", "效益指标", "社会效益指标", "区域性重大动物疫情发生次数", "定量", "次", "≤", 30, 0, 0, None),
    ("动物疫病防控", "满意度指标", "服务对象满意度指标", "养殖户满意度", "定量", "%", "≥", 10, 90, 93, None),
]


def _nyj_projects() -> tuple[list[dict], list[dict]]:
    """项目情况 and the project forms' 绩效指标 rows (2024)."""
    rows = [{"一级指标": l1, "二级指标": l2, "三级指标": name, "指标性质": nature, "指标方向": direction,
             "年度指标值": target, "实际完成值": actual, "计量单位": unit, "分值": weight, "上年完成值": prior,
             "项目名称": project}
            for project, l1, l2, name, nature, unit, direction, weight, target, actual, prior in NYJ_PROJECT_INDICATORS]
    return NYJ_PROJECT_INFO, rows


def nyj(year: int) -> dict:
    lines = [{"项目名称": name, "项目类别": cat, "资金来源": src, "支出类型": kind, "资金性质": nature,
              "年初预算数（万元）": Decimal(v[year][0]), "全年预算数（万元）": Decimal(v[year][1]),
              "全年执行数（万元）": Decimal(v[year][2])} for (name, cat, src, kind, nature), v in NYJ_LINES.items()]
    for line in lines:
        if line["项目名称"] == "农机购置补贴" and year == 2024:
            line["备注"] = "使用上年结转资金75.6万元兑付上年已申报的补贴。"

    def prior(table: dict, item: str, column: int) -> object:
        return table[item].get(year - 1, (None, None))[column]

    accounts = [{"科目": item, "全年预算数（万元）": v[year][0], "决算数（万元）": v[year][1],
                 "上年决算数（万元）": prior(NYJ_ACCOUNTS, item, 1)} for item, v in NYJ_ACCOUNTS.items()]
    facts = [{"项目": item, "预算数": v[year][0], "实际数": v[year][1], "上年预算数": prior(NYJ_FACTS, item, 0),
              "上年实际数": prior(NYJ_FACTS, item, 1)} for item, v in NYJ_FACTS.items()]
    indicators = [{"一级指标": l1, "二级指标": l2, "三级指标": name, "指标性质": Q, "指标方向": direction,
                   "年度指标值": target, "实际完成值": actual[year], "计量单位": unit, "分值": weight,
                   "上年完成值": actual.get(year - 1), "项目名称": project}
                  for l1, l2, name, unit, direction, weight, target, actual, project in NYJ_INDICATORS]
    texts = [(s, c) for s, c in _synthetic_texts(NYJ) if s not in ("存在问题", "改进措施")]
    texts += [("存在问题", "部分项目年中调整预算，预算编制的精准性有待提高；个别项目支付进度偏慢。"),
              ("改进措施", "提高预算编制的精准性，加强项目支付进度的月度调度。")]
    info, project_rows = _nyj_projects() if year == 2024 else ([], [])
    return {"基本信息": _profile(NYJ, year, "示例", "区人民政府"), "文字材料": _texts(texts), "项目支出": lines,
            "绩效指标": indicators + project_rows, "评价工作组": _synthetic_team(NYJ, NYJ), "收支总表": accounts,
            "部门情况": facts, "项目情况": info}


def all_samples() -> dict[str, dict]:
    return {
        "科学技术局_2024.xlsx": kjj(2024),
        "科学技术局_2023.xlsx": kjj(2023),
        "教育局_2023.xlsx": synthetic(JYJ, 2023, JYJ_PROJECTS, JYJ_INDICATORS,
                                     {2023: ("35210.18300", "33866.92150"), 2024: ("38642.50820", "35018.77310")},
                                     None, {2023: (95, "优"), 2024: (96, "优")}, "教育局"),
        "教育局_2024.xlsx": synthetic(JYJ, 2024, JYJ_PROJECTS, JYJ_INDICATORS,
                                     {2023: ("35210.18300", "33866.92150"), 2024: ("38642.50820", "35018.77310")},
                                     {"校舍维修改造工程": (0.55, None)}, {2023: (95, "优"), 2024: (96, "优")}, "教育局"),
        "交通运输局_2023.xlsx": synthetic(JTJ, 2023, JTJ_PROJECTS, JTJ_INDICATORS,
                                       {2023: ("12480.66000", "11902.35410"), 2024: ("13305.24100", "11620.35180")},
                                       None, {2023: (92, "优"), 2024: (None, None)}, "交通运输局"),
        "农业农村局_2023.xlsx": nyj(2023),
        "农业农村局_2024.xlsx": nyj(2024),
        "交通运输局_2024.xlsx": synthetic(JTJ, 2024, JTJ_PROJECTS, JTJ_INDICATORS,
                                       {2023: ("12480.66000", "11902.35410"), 2024: ("13305.24100", "11620.35180")},
                                       {"危桥改造工程": (0.6, "两座危桥因汛期停工，工程款顺延至次年支付。")},
                                       {2023: (92, "优"), 2024: (None, None)}, "交通运输局"),
    }


def main() -> None:
    for name, content in all_samples().items():
        write_workbook(HERE / name, content)
        print(f"wrote data/sample/{name}")


if __name__ == "__main__":
    main()
