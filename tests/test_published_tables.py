"""Each shipped rulebook against a real published table of its region, transcribed cell by cell.

The tables come from stored copies of public pages (found with the `search` tool; only the opening
≈2,000 characters of a page are stored, so several tables are cut off). Every figure below is as printed;
nothing is filled in. Where the published table breaks its own rules, the test says which cell and why,
and asserts what the rules give instead.
"""

import tempfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml

from evalnb.intake.ingest import ingest
from evalnb.rules import PACKAGE_RULES_DIR, load_rulebook, scoring
from evalnb.rules.methods import Inputs, measured
from evalnb.rules.tree import walk
from evalnb.store import data
from tests.helpers import HUOQIU, YONGDE, row, workbook


def read_workbook_of(path):
    from evalnb.intake.read import read_workbook
    return read_workbook(path)


def scored(tmp_path, path, name="测试局"):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    ingest([path], url)
    return scoring.score(data.load(name, 2022, url))


# ---------------------------------------------------------------- national-2020 (财预〔2020〕10号)
def test_national_2020_scores_huoqiu_science_bureau_2022_to_its_published_100(tmp_path):
    """霍邱县科学技术局 2022 项目支出绩效自评表, 科技特派员创业行动经费
    (https://www.wjbhcs.com/public/6600241/36762723.html, "来源:霍邱县科技局"): 25/25/25 万元, 执行率 100% → 10.00;
    every row full; 总分 100. Left out: the 生态效益指标 row, which prints a single unreadable "0"."""
    rows = HUOQIU
    card = scored(tmp_path, workbook(tmp_path, "national-2020", 25, 25, rows))
    published = [10, 20, 10, 10, 10, 10, 10, 10]
    assert [i.score for i in card.indicators] == published
    assert (card.execution_score, card.total, card.grade) == (10.0, 100.0, "优")


def test_national_2020_on_yongde_mingliang_school_2022_documents_where_the_table_breaks_10_hao(tmp_path):
    """永德县明朗中学 2022 项目支出绩效自评表, 义务教育营养改善计划 (https://www.yongde.gov.cn/info/3003/116104.htm),
    published 总分 96. The table breaks 10号 in three cells:
    - its 一级 weights are 产出 40 / 效益 30 / 满意度 20, not 10号's 50 / 30 / 10: national-2020 refuses the workbook;
    - 资金到位及时率 met its target (≥100%, actual 100%) but is scored 7, not 10;
    - 政策知晓率 (=100%, actual 98%) is scored 9, where a ÷ t × w gives 98 ÷ 100 × 10 = 9.8.
    Scored under the page's own weights (a copy of national-2020 with 40/30/20), every other cell agrees, and
    the total is 99.8 = 96 + (10 − 7) + (9.8 − 9). Amounts: 387664.62 元 = 38.766462 万元 (年初预算数 is not
    printed; the form needs one, so 全年预算数 stands in — scoring never reads it)."""
    rows = YONGDE
    path = workbook(tmp_path, "national-2020", 38.766462, 38.766462, rows)
    with pytest.raises(Exception, match="要求 50"):
        ingest([path], f"sqlite:///{tmp_path / 'refused.sqlite'}")
    raw = yaml.safe_load((PACKAGE_RULES_DIR / "national-2020.yaml").read_text(encoding="utf-8"))
    for node, weight in zip(raw["tree"][1:], (40, 30, 20), strict=True):
        node["weight"] = weight
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "yongde.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVALNB_RULES_DIR", str(tmp_path / "rules"))
        card = scored(tmp_path, workbook(tmp_path, "yongde", 38.766462, 38.766462, rows))
    published = [10, 10, 7, 10, 10, 9, 10, 10, 10]
    ours = [i.score for i in card.indicators]
    differs = {card.indicators[i].name: (published[i], ours[i]) for i in range(len(rows)) if published[i] != ours[i]}
    assert differs == {"资金到位及时率": (7, 10.0), "政策知晓率": (9, 9.8)}
    assert card.execution_score == 10 and card.total == 99.8 == 96 + (10 - 7) + 0.8


# ---------------------------------------------------------------- chongqing-dept
CHONGQING_ROWS = [   # 2021 部门整体绩效自评表, 西部(重庆)科学城融媒体中心 (https://m.yzwku.com/doc/98587.html), rows 1–19
    # (name, unit, direction, 年初指标值, 全年完成值, 权重, published 得分, 是否核心指标); ≤ for the control/adjustment/
    # carry-over rates
    ("财政供养人员控制率", "%", "≤", 100, 92, 2, 2, "否"), ("基础信息完善", "%", "≥", 100, 100, 1, 1, "否"),
    ("预算完成率", "%", "≥", 70, 76, 2, 2, "是"), ("预算调整率", "%", "≤", 3, 0, 2, 2, "否"),
    ("结转结余率", "%", "≤", 2, 0, 2, 2, "是"), ("公用经费控制率", "%", "≤", 100, 97, 2, 2, "是"),
    ("政府采购执行率", "%", "≥", 100, 72.74, 2, 2, "是"), ("管理制度健全性", None, None, "高", "高", 3, 3, "否"),
    ("资金使用合规性", None, None, "好", "好", 5, 5, "否"), ("预决算信息公开性", None, None, "高", "高", 1, 1, "否"),
    ("资产管理安全", None, None, "好", "好", 2, 2, "否"), ("固定资产利用率", "%", "≥", 90, 100, 2, 2, "否"),
    ("播发稿件数量", "篇", "≥", 2200, 2859, 10, 10, "是"), ("业务保障能力提升", "%", "≥", 90, 95, 10, 10, "否"),
]
# the published form's header row, as printed
CHONGQING_FORM = ["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数（%）",
                  "指标权重（分）", "指标得分（分）", "是否核心指标"]


def test_chongqing_dept_on_the_2021_kexuecheng_media_centre_table():
    """执行率 76% × 10 = 7.6 as printed. Rows with readable values score as printed, except 政府采购执行率
    (target 100%, actual 72.74%, printed 得分系数 100%): the rules give 72.74 ÷ 100 × 2 = 1.45 — the table
    breaks its own 得分系数 × 权重 rule there. Not checkable from the stored copy: rows 2 and 8 (no values),
    rows 15–17 (targets garbled: "26次", "到0次", "第O份"), the rows after 19 (cut off; 20 of the 90 points), the
    budget amounts (unreadable) — so the printed 97.6 = 7.6 + 90 cannot be recomputed here."""
    book = load_rulebook("chongqing-dept")
    rate_score, _ = scoring.execution_score(Decimal("0.76"), Decimal(1), 10)       # the printed rate, as a ratio
    assert rate_score == 7.6
    differs = {}
    for name, unit, direction, target, actual, weight, published, _ in CHONGQING_ROWS:
        nature = "定量" if direction else "定性"
        ind = pd.Series({"row": 2, "level1": "绩效指标", "level2": "-", "name": name, "nature": nature,
                         "direction": direction, "target": target if direction else None,
                         "actual": actual if direction else None, "unit": unit, "weight": weight,
                         "declared_score": float("nan"), "actual_text": None if direction else "达成年度指标"})
        got = scoring.score_indicator(ind, book).score
        if got != published:
            differs[name] = (published, got)
    assert differs == {"政府采购执行率": (2, 1.45)}
    # through the workbook: the rows take their places under 绩效指标 (any 一级), and the readable rows' points
    # (46 here; 70 with the unreadable rows; the cut-off rest unknown) are refused against 90 — missing rows are
    # not scored as zero
    rows = chongqing_rows()
    from evalnb.errors import WorkbookError
    readable = sum(r["分值"] for r in rows)
    with pytest.raises(WorkbookError, match=f"分值合计 {readable}，评分规则“重庆市部门整体绩效自评”要求 90"):
        read_workbook_of(workbook(Path(tempfile.mkdtemp()), "chongqing-dept", 1, 1, rows))


def chongqing_rows():
    return [{**row("绩效指标", "-", n, "定量" if d else "定性", t, a, w, u, d), "是否核心指标": core}
            for n, u, d, t, a, w, _, core in CHONGQING_ROWS]


def test_chongqing_dept_lays_out_the_appendix_form_as_published(tmp_path, monkeypatch):
    """The same page's 自评表: its columns in its order and words, each row's 是否核心指标 as printed, 调整指标值
    blank on every row as printed (no target was adjusted). The rows' 46 readable points are scored on
    chongqing-dept with 绩效指标 set to 46 (total 56), so the published rows can go through the workbook as they
    are; nothing else of the rulebook changes."""
    from evalnb.sections import form
    spec = yaml.safe_load((PACKAGE_RULES_DIR / "chongqing-dept.yaml").read_text(encoding="utf-8"))
    spec["total"] = 56
    next(n for n in spec["tree"] if n["name"] == "绩效指标")["weight"] = 46
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "chongqing-readable.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    monkeypatch.setenv("EVALNB_RULES_DIR", str(tmp_path / "rules"))
    card = scored(tmp_path, workbook(tmp_path, "chongqing-readable", 1, 1, chongqing_rows()))
    dy, book = data.load("测试局", 2022, f"sqlite:///{tmp_path / 'store.sqlite'}"), load_rulebook("chongqing-readable")
    assert form.headers(book) == CHONGQING_FORM
    shown = {r[0]: r for r in form.rows(card, dy, book)}
    for name, unit, _, _, _, weight, published, core in CHONGQING_ROWS:
        printed = "1.45" if name == "政府采购执行率" else str(published)          # the one cell off its rules
        assert (shown[name][1], shown[name][4], shown[name][7:]) == (unit or "", "", (str(weight), printed, core)), name
    assert shown["播发稿件数量"][1:6] == ("篇", "定量", "≥2200篇", "", "2859篇")
    # 得分系数 by the rules (printed 100%: see above): the rounded 1.45 ÷ 2, so that 系数 × 权重 = 得分 as printed
    assert shown["政府采购执行率"][6:9] == ("72.5%", "2", "1.45")


# ---------------------------------------------------------------- sichuan-dept
DAZHOU_TREE = {   # http://nyj.dazhou.gov.cn/xxgk-show-16453.html (达州, blank form: weights only)
    "部门决策": 25, "目标任务": 15, "相关性": 5, "明确性": 5, "合理性": 5, "预算编制": 10, "测算依据": 5, "目标管理": 5,
    "综合管理": 30, "专项资金分配时限": 2, "市级财力专项预算分配时限": 1, "中央专款分配合规率": 1, "中期评估": 2,
    "执行中期评估": 2, "绩效监控": 5, "预算执行进度监控": 2, "绩效目标动态监控": 3, "非税收入执收情况": 2,
    "非税收入征收情况": 1, "非税收入上缴情况": 1, "资产管理": 6, "资产管理信息化情况": 2, "行政事业单位资产报告情况": 2,
    "资产管理与预算管理相结合": 2, "内控制度管理": 2, "内部控制度健全完整": 2, "信息公开": 6, "预算公开": 2,
    "决算公开": 2, "绩效信息公开": 2, "绩效评价": 5, "绩效评价开展": 2, "评价结果应用": 3, "部门绩效情况": 45,
    "履职成效": 20, "可持续发展能力": 15, "重点改革（重点工作）完成情况": 5, "科技（制度、方法、机制等）创新": 5,
    "人才培养": 5, "满意度": 10, "协作部门满意度": 3, "管理对象满意度": 3, "社会公众满意度": 4,
}


def test_sichuan_dept_is_the_dazhou_tree_and_cannot_score_the_partly_published_2017_table(tmp_path):
    """The tree is 达州's, node by node. The only scored copy of this form found (a 2017 部门整体支出绩效评价得分表,
    https://wanglu.net/thread/t12-491155-4.html, a re-host; the page says 自评得分 90 分) prints 相关性 5, 明确性 5,
    合理性 5, 测算依据 2, 目标管理 4, 省级财力专项预算分配时限 1 and is then cut off. The form has no 评分标准 (the
    rows are the evaluator's scores), so there is no rule to recompute them by; what the engine can do is take
    those rows as typed and refuse to score the rest until it is filled — the published total is not checkable."""
    book = load_rulebook("sichuan-dept")
    assert {path[-1]: int(node.weight) for path, node in walk(book.spec.tree)} == DAZHOU_TREE
    assert book.execution is None                                         # no 预算执行率 row in this form
    published = [("目标任务", "相关性", 5), ("目标任务", "明确性", 5), ("目标任务", "合理性", 5),
                 ("预算编制", "测算依据", 2), ("预算编制", "目标管理", 4)]
    rows = [{"一级指标": "部门决策", "二级指标": l2, "三级指标": l3, "自评得分": s, "实际完成值": "（见所引页面）"}
            for l2, l3, s in published]
    rows.append({"一级指标": "综合管理", "二级指标": "专项资金分配时限", "三级指标": "市级财力专项预算分配时限",
                 "自评得分": 1, "实际完成值": "（见所引页面：省级财力专项预算分配时限）"})
    with pytest.raises(Exception) as exc:
        scored(tmp_path, workbook(tmp_path, "sichuan-dept", 1, 1, rows))
    assert "缺少评分规则" in str(exc.value) and "中央专款分配合规率" in str(exc.value)
    assert "相关性" not in str(exc.value).split("缺少")[1]               # the published rows were taken


# ---------------------------------------------------------------- dept-53
def test_dept_53_takes_yueyang_weights_and_scores_a_2018_table_from_its_base_data():
    """Weights: 岳阳's published 53号-style table (https://glj.yueyang.gov.cn/6173/6181/content_1705915.html):
    预算配置 15 = 财政供养人员控制率 5 + “三公经费”变动率 5 + 重点支出安排率 5; 预算执行 = 预算调整率 3 + 支付进度 3 +
    资金结余 3 + “三公经费”控制率 6. Scores: a 2018 report with its base data (https://wanglu.net/thread/t4-462766-0.html,
    a re-host), on its 8-point variant of the same rules:
    - 在职人员控制率 136 ÷ 143 = 95.10% ≤ 100% → 8 (printed 8);
    - “三公经费”变动率 (63.46 − 32) ÷ 32 = 98.31%, 0.8 per point beyond 0 → 扣完为止 → 0 (printed 0). The 32 is the
      2017 预算 the page's 指标说明 uses; its base-data table only prints the 2017 决算 29.08 (the page's own mismatch);
    - 预算完成率 2690.62 ÷ 2710.42 = 99.27%, "100%计满分，每低于5%扣2分" (whole steps) → 8 (printed 8)."""
    book = load_rulebook("dept-53")
    weights = {path[-1]: node.weight for path, node in walk(book.spec.tree)}
    assert [weights[n] for n in ("预算配置", "在职人员控制率", "“三公经费”变动率", "重点支出安排率")] == [15, 5, 5, 5]
    assert [weights[n] for n in ("预算调整率", "支付进度", "资金结余", "“三公经费”控制率")] == [3, 3, 3, 6]
    leaf = {path[-1]: node for path, node in walk(book.spec.tree)}
    staff = leaf["在职人员控制率"].model_copy(update={"weight": Decimal(8)})
    three = leaf["“三公经费”变动率"].model_copy(update={"weight": Decimal(8), "per_point": leaf["“三公经费”变动率"]
                                                 .per_point.model_copy(update={"points": Decimal("0.8")})})
    from evalnb.rules.model import MeasureLeaf, PerPoint
    from evalnb.store.measures import Measure
    completion = MeasureLeaf(name="预算完成率", weight=Decimal(8), method="measure", measure="预算执行率",
                             scale="per_point", per_point=PerPoint(limit=Decimal(100), side="below", per=Decimal(5),
                                                                   points=Decimal(2)))
    found = {
        "在职人员控制率": Measure("在职人员控制率", "在职人数 ÷ 编制人数 × 100%", Decimal(136) / 143 * 100),
        "“三公经费”预算变动率": Measure("“三公经费”预算变动率", "（本年 − 上年）÷ 上年 × 100%",
                                  (Decimal("63.46") - 32) / 32 * 100),
        "预算执行率": Measure("预算执行率", "全年执行数 ÷ 全年预算数 × 100%", Decimal("2690.62") / Decimal("2710.42") * 100),
    }
    got = [measured(rule, Inputs(rule.weight, 2, measures=found)).score for rule in (staff, three, completion)]
    assert got == [8, 0, 8]


def test_dept_53_scores_a_department_from_its_workbook_with_deductions_and_measures(tmp_path):
    """A whole dept-53 workbook: fixed leaves from 部门情况/收支总表 (计算), 扣分事项 (扣分), 自评 rows, and the
    department's own 产出/效果 indicators. Expected scores computed here from the inputs and the printed rules."""
    fixed = [{"一级指标": l1, "二级指标": l2, "三级指标": l3, "自评得分": s, "实际完成值": "依据：年度自查记录。"}
             for l1, l2, l3, s in (("投入", "预算配置", "重点支出安排率", 4), ("过程", "预算执行", "资金结余", 3),
                                   ("过程", "预算管理", "预决算信息公开性", 3), ("过程", "预算管理", "基础信息完善性", 2),
                                   ("过程", "资产管理", "固定资产利用率", 3))]
    own = [row("产出", "职责履行", "重点工作办结率", "定量", "≥95%", "90%", 18, "%"),
           row("效果", "履职效益", "服务对象满意度", "定量", "≥90%", "93%", 18, "%")]
    sheets = {
        "部门情况": [{"项目": "编制人数", "实际数": 40}, {"项目": "在职人数", "实际数": 42},
                 {"项目": "公务接待费", "预算数": 10, "实际数": 10.5, "上年预算数": 10},
                 {"项目": "政府采购", "预算数": 100, "实际数": 80}],
        "收支总表": [{"科目": "公用经费", "全年预算数（万元）": 50, "决算数（万元）": 49}],
        "扣分事项": [{"一级指标": "过程", "二级指标": "预算执行", "三级指标": "支付进度", "扣分项": "专项未按进度下达",
                  "次数": 3, "原因": "3个专项未在6月底前下达"},
                 {"一级指标": "投入", "二级指标": "目标设定", "三级指标": "绩效指标明确性",
                  "扣分项": "与部门预算资金不匹配", "次数": 1, "原因": "绩效目标未与预算金额对应"}],
    }
    path = workbook(tmp_path, "dept-53", 100, 98, fixed + own, sheets=sheets)
    card = scored(tmp_path, path)
    by = {i.name: i.score for i in card.items}
    assert by["在职人员控制率"] == 5 - 5 * 0.5           # 42 ÷ 40 = 105%: 5 points over 100, 0.5 each
    assert by["“三公经费”变动率"] == 5                    # 预算 10 → 10: 0%, not above the 0% limit
    assert by["支付进度"] == 3 - 3 * 0.5 and by["绩效指标明确性"] == 3 - 1
    assert by["预算调整率"] == 3                          # 年初 = 全年: 0%
    assert by["“三公经费”控制率"] == 6 - 5 * 1            # 10.5 ÷ 10 = 105%
    assert by["政府采购执行率"] == 1.6 and by["公用经费控制率"] == 2
    assert by["重点工作办结率"] == round(90 / 95 * 18, 2) and by["服务对象满意度"] == 18
    assert by["预算完成率"] == 1.96                      # 98 ÷ 100 × 2 (issue 23: computed, not declared)
    assert by["结转结余率"] == 0                          # no 收支总表 年末结转结余: cannot be computed, said so
    assert "无法计算结转结余率" in next(i.basis for i in card.items if i.name == "结转结余率")
    assert card.execution_weight == 0 and card.max_points == 100
    assert card.total == pytest.approx(sum(by.values()), abs=1e-9)


# ---------------------------------------------------------------- sichuan-project
def test_sichuan_project_on_qingshen_and_daying_tables(tmp_path):
    """四川 部门预算项目支出绩效自评表 (报表编号 510000_0013zp):
    - 青神县发展和改革局 2023, 工资性支出 (https://www.scqs.gov.cn/info/13206/211004.htm): 238.93 / 251.89 / 251.89,
      权重 执行率 10 + 发放(缴纳)覆盖率 (产出) 60 + 足额保障率 (效益) 30, no 满意度. The 60/30 split fits
      sichuan-project (满意度 不适用 → its 10 to 产出) and not national-2020. The page prints every 完成值 and
      得分 empty (the form published unfilled): the rules give the 执行率 row 10, and the workbook is refused with
      the empty cells named — nothing to score.
    - 大英县司法局 2023 (https://dyxrmt.cn/article-157795-21.html): 安可替代补助 3.36 / 3.36 → 10 (printed 10); the
      preceding project puts all 90 points on one 产出 indicator. Before issue 23 the rulebook imposed 10号's
      50/30(/10) and refused it ("效益指标" had none); the form fixes only the 90, and now it fits."""
    from evalnb.errors import WorkbookError
    from evalnb.intake.read import read_workbook
    from evalnb.rules import fit

    assert scoring.execution_score(251.89, 251.89, 10)[0] == 10 and scoring.execution_score(3.36, 3.36, 10)[0] == 10
    qingshen = [{"row": 2, "level1": "产出指标", "level2": "数量指标", "name": "发放(缴纳)覆盖率", "nature": "定量",
                 "weight": Decimal(60), "actual_text": None, "declared_score": None},
                {"row": 3, "level1": "效益指标", "level2": "社会效益指标", "name": "足额保障率(参保率)", "nature": "定量",
                 "weight": Decimal(30), "actual_text": None, "declared_score": None}]
    assert fit.check(load_rulebook("sichuan-project"), qingshen, []) == []
    national = fit.check(load_rulebook("national-2020"), qingshen, [])
    assert {(i.row, i.column) for i in national} == {(None, "level1"), (2, "weight")}
    assert any("满意度指标" in i.message for i in national) and any("要求 50" in i.message for i in national)
    daying = [{"row": 2, "level1": "产出指标", "level2": "经济成本指标", "name": "成本控制数", "nature": "定量",
               "weight": Decimal(90), "actual_text": None, "declared_score": None}]
    assert fit.check(load_rulebook("sichuan-project"), daying, []) == []

    unfilled = [row("产出指标", "数量指标", "发放(缴纳)覆盖率", "定量", 100, None, 60, "%", "="),
                row("效益指标", "社会效益指标", "足额保障率(参保率)", "定量", 100, None, 30, "%", "=")]
    with pytest.raises(WorkbookError) as exc:
        read_workbook(workbook(tmp_path, "sichuan-project", 251.89, 251.89, unfilled, name="青神县发展和改革局"))
    message = str(exc.value)
    assert "第2行，列“实际完成值”" in message and "第3行，列“实际完成值”" in message


SICHUAN_SHAPES = {
    # 大英县司法局 2023 (https://dyxrmt.cn/article-157795-21.html): all 90 on one 产出 row
    "ninety": [("产出指标", "经济成本指标", "成本控制数", 90)],
    # 青神县发展和改革局 2023 (https://www.scqs.gov.cn/info/13206/211004.htm): 60 / 30
    "sixty-thirty": [("产出指标", "数量指标", "发放(缴纳)覆盖率", 60), ("效益指标", "社会效益指标", "足额保障率(参保率)", 30)],
    # https://dyrmt.com/article-132779-22.html: four rows of 22.5 — 产出 67.5 / 效益 22.5 (printed: 足额保障率=100%,
    # 科目调整次数≤10次, 按时发放率=100%, 结余率≤5%; 合计 100)
    "quarters": [("产出指标", "数量指标", "足额保障率", 22.5), ("产出指标", "数量指标", "科目调整次数", 22.5),
                 ("产出指标", "时效指标", "按时发放率", 22.5), ("效益指标", "经济效益指标", "结余率", 22.5)],
}


@pytest.mark.parametrize("shape", list(SICHUAN_SHAPES))
def test_sichuan_project_forms_with_the_units_own_weights_ingest_and_score_100(tmp_path, shape):
    """Issue 23, item 2: workbooks shaped like the published 510000_0013zp forms (their rows, 一级/二级 names and
    权重 as printed) ingest under sichuan-project and score 100 when every target is met. The pages print no
    完成值 (the 大英 row's target is not in the stored copy either): the targets and actuals here are the test's
    own, each met exactly, so the 100 is the rules' and not a published figure."""
    rows = []
    for level1, level2, name, weight in SICHUAN_SHAPES[shape]:
        reverse = name in ("科目调整次数", "结余率")
        target = {"科目调整次数": 10, "结余率": 5}.get(name, 100)
        unit = "次" if name == "科目调整次数" else "%"
        rows.append(row(level1, level2, name, "定量", target, target, weight, unit, "≤" if reverse else "="))
    card = scored(tmp_path, workbook(tmp_path, "sichuan-project", 251.89, 251.89, rows))
    assert card.total == 100 and card.execution_score == 10
    assert sum(s["weight"] for s in card.subtotals.values()) == 90
    if shape == "quarters":
        assert card.subtotals["产出指标"]["weight"] == 67.5 and card.subtotals["效益指标"]["weight"] == 22.5


def test_sichuan_project_still_refuses_rows_that_do_not_add_up_to_90_or_name_another_level1(tmp_path):
    from evalnb.rules import fit
    book = load_rulebook("sichuan-project")
    short = [{"row": 2, "level1": "产出指标", "level2": "数量指标", "name": "甲", "nature": "定量", "weight": Decimal(80),
              "actual_text": None, "declared_score": None}]
    assert any("要求 90" in i.message for i in fit.check(book, short, []))
    other = [{**short[0], "level1": "过程指标", "weight": Decimal(90)}]
    issues = fit.check(book, other, [])
    assert issues and issues[0].column == "level1" and "产出指标、效益指标、满意度指标" in issues[0].message


def test_the_provincial_wording_of_the_sichuan_dept_form_ingests_through_a_renaming_rulebook(tmp_path):
    """Issue 23, item 3: the 2017 得分表 (https://wanglu.net/thread/t12-491155-4.html) prints "省级财力专项预算分配时限
    (1 分)" where 达州's form writes 市级…; sichuan-dept refuses that row. sichuan-dept-province extends it and
    renames the one leaf — a few lines, not a copy — and the printed rows are taken (the rest of the page is cut
    off, so the workbook is still refused for the leaves it lacks, never for the 省级 row)."""
    from evalnb.rules import PACKAGE_RULES_DIR
    text = (PACKAGE_RULES_DIR / "sichuan-dept-province.yaml").read_text(encoding="utf-8")
    assert "extends: sichuan-dept" in text and len([ln for ln in text.splitlines() if not ln.startswith("#")]) <= 8
    province, city = load_rulebook("sichuan-dept-province"), load_rulebook("sichuan-dept")
    names = [p[-1] for p, _ in walk(province.spec.tree)]
    assert "省级财力专项预算分配时限" in names and "市级财力专项预算分配时限" not in names
    assert len(names) == len(list(walk(city.spec.tree))) and province.spec.grades == city.spec.grades
    from evalnb.rules.tree import place
    leaf = place(province.spec.tree, "综合管理", "专项资金分配时限", "省级财力专项预算分配时限")
    assert leaf.path[-1] == "省级财力专项预算分配时限"
    rows = [{"一级指标": "部门决策", "二级指标": l2, "三级指标": l3, "自评得分": s, "实际完成值": "（见所引页面）"}
            for l2, l3, s in (("目标任务", "相关性", 5), ("目标任务", "明确性", 5), ("目标任务", "合理性", 5),
                              ("预算编制", "测算依据", 2), ("预算编制", "目标管理", 4))]
    rows.append({"一级指标": "综合管理", "二级指标": "专项资金分配时限", "三级指标": "省级财力专项预算分配时限",
                 "自评得分": 1, "实际完成值": "（见所引页面）"})
    for rules, refused_row in (("sichuan-dept", True), ("sichuan-dept-province", False)):
        with pytest.raises(Exception) as exc:
            read_workbook_of(workbook(tmp_path, rules, 1, 1, rows, name=f"局{rules}"))
        assert ("第7行" in str(exc.value)) is refused_row, str(exc.value)
        assert "缺少评分规则" in str(exc.value) or refused_row


def test_a_rulebook_that_extends_another_is_checked_like_any_other(tmp_path, monkeypatch):
    from evalnb.errors import RulebookError
    folder = tmp_path / "rules"
    folder.mkdir()
    monkeypatch.setenv("EVALNB_RULES_DIR", str(folder))
    (folder / "typo.yaml").write_text("extends: sichuan-dept\nrename: {县级财力: 省级财力}\n", encoding="utf-8")
    with pytest.raises(RulebookError, match="县级财力"):
        load_rulebook("typo")
    (folder / "loop.yaml").write_text("extends: loop\n", encoding="utf-8")
    with pytest.raises(RulebookError, match="成环"):
        load_rulebook("loop")
    (folder / "heavier.yaml").write_text("extends: national-2020\ntitle: 变体\ntotal: 90\n", encoding="utf-8")
    with pytest.raises(RulebookError, match="应等于 90"):
        load_rulebook("heavier")


def test_editing_a_base_rulebook_reaches_the_rulebooks_that_extend_it_in_a_running_process(tmp_path, monkeypatch):
    """Issue 23 (left open last stop): the cache of a rulebook was keyed on its own file's time only, so a process that
    had loaded `child` kept the old `base` after the base was edited, and the report's fingerprint (the file's own
    sha256) called the old report current."""
    import os

    from evalnb.rules import rulebook_path, source_digest
    folder = tmp_path / "rules"
    folder.mkdir()
    monkeypatch.setenv("EVALNB_RULES_DIR", str(folder))
    base = yaml.safe_load((PACKAGE_RULES_DIR / "national-2020.yaml").read_text(encoding="utf-8"))
    (folder / "base.yaml").write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    (folder / "child.yaml").write_text("extends: base\ntitle: 子规则\n", encoding="utf-8")
    before, digest = load_rulebook("child"), source_digest(rulebook_path("child"))
    base["grades"][0]["label"] = "优秀"
    (folder / "base.yaml").write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    os.utime(folder / "base.yaml", ns=(1, os.stat(folder / "base.yaml").st_mtime_ns + 10**9))   # a later time, surely
    after = load_rulebook("child")
    assert (before.spec.grades[0].label, after.spec.grades[0].label) == ("优", "优秀")
    assert source_digest(rulebook_path("child")) != digest and after.sha256 != before.sha256 == digest


# ---------------------------------------------------------------- shijiazhuang-dept
PINGSHAN = ("http://www.sjzps.gov.cn/columns/283ad9b0-ce80-47e9-ac13-206fe0ea9907/202405/11/"
            "58d58ab0-d7fe-4cdd-80c4-400bc194f762.html")
PINGSHAN_ROW = {   # 平山县行政审批局 2023 部门整体支出绩效自评表, 二、工作整体完成情况, first row, as printed
    "一级指标": "投入", "二级指标": "绩效目标指标管理", "三级指标": "绩效目标科学性", "指标性质": "自评",
    "指标内容": "总体绩效目标、分项绩效目标和预算项目目标是否完整、指向精准、客观公正、数量适当、可行性。",
    "评价标准": "全部符合得满分;总体绩效和分项目标不合格各扣2分;每个项目目标扣0.5分,扣完为止。",
    "分值": 9, "自评得分": 5, "实际完成值": "（见所引页面）",
}


def test_shijiazhuang_dept_is_listed_with_its_source_and_says_what_the_published_page_lacks():
    """Issue 23, item 1: the seed's own framework. `rules list` and `rules show` name the city, the document and
    the page; the rulebook says which parts of the tree are not published (the stored copy of the 平山 page
    stops after the first row: "绩效指标科…")."""
    from tests.helpers import evalnb
    listed = evalnb("rules", "list")
    line = next(ln for ln in listed.stdout.splitlines() if ln.startswith("shijiazhuang-dept"))
    assert "石家庄" in line and "石发﹝2019﹞8号" in line
    book = load_rulebook("shijiazhuang-dept")
    assert book.region == "河北省石家庄市" and book.document == "《关于全面落实预算绩效管理的实施意见》（石发﹝2019﹞8号）"
    assert "绩效目标科学性" in book.spec.published and "未取得" in book.spec.published
    assert [n.name for n in book.spec.tree] == ["投入", "过程、产出、效果"] and book.spec.tree[0].weight == 30
    assert book.execution is None                       # the funds block carries no points
    from evalnb.rules.show import describe
    shown = "\n".join(describe(book))
    assert "未公开（或未能取得）的内容" in shown and "石发﹝2019﹞8号" in shown and "资金情况只列预算数" in shown


def test_shijiazhuang_dept_reproduces_the_pingshan_2023_table_as_far_as_it_is_published(tmp_path, monkeypatch):
    """平山县行政审批局 2023 (PINGSHAN): header 填报单位 平山县行政审批局 / 单位:万元; funds 预算数 95, 执行数 82.65,
    预算执行率 87% (82.65 ÷ 95 = 0.87 exactly), no 分值/得分; first row 投入(30) › 绩效目标指标管理(15) ›
    绩效目标科学性, its 指标内容 and 评价标准 as printed, 分值 9, 自评得分 5.
    The page lacks every row after it (cut off at "绩效指标科"): the 投入 rows add up to 9 of 30, so the workbook is
    refused against shijiazhuang-dept with the shortfall named — nothing is scored as zero or filled in. The
    printed row is then laid out through a rulebook that extends shijiazhuang-dept with only that row's 9 points
    (total 9), so the form can be compared cell by cell."""
    from evalnb.errors import WorkbookError
    from evalnb.sections import form
    with pytest.raises(WorkbookError, match="分值合计 9，评分规则“石家庄市部门整体支出绩效自评（投入/过程/产出/效果）”要求 30"):
        read_workbook_of(workbook(tmp_path, "shijiazhuang-dept", 95, 82.65, [PINGSHAN_ROW], name="平山县行政审批局"))
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "pingshan-first-row.yaml").write_text(
        "extends: shijiazhuang-dept\ntotal: 9\ntree:\n  - {name: 投入, weight: 9, indicators: workbook, declared: true}\n",
        encoding="utf-8")
    monkeypatch.setenv("EVALNB_RULES_DIR", str(folder))
    path = workbook(tmp_path, "pingshan-first-row", 95, 82.65, [PINGSHAN_ROW], name="平山县行政审批局")
    card = scored(tmp_path, path, name="平山县行政审批局")
    dy = data.load("平山县行政审批局", 2022, f"sqlite:///{tmp_path / 'store.sqlite'}")
    book = load_rulebook("pingshan-first-row")
    assert (card.budget, card.executed, round(card.execution_rate, 4)) == (95, 82.65, 0.87)
    assert card.execution_weight == 0 and not form.funds_points(book)
    assert form.header(card, dy, book) == [("填报单位", "平山县行政审批局"), ("单位：万元", "")]
    assert form.headers(book) == ["一级指标", "二级指标", "三级指标", "指标内容", "评价标准", "分值", "自评得分"]
    (printed,) = form.rows(card, dy, book)
    assert printed == ("投入", "绩效目标指标管理", "绩效目标科学性", PINGSHAN_ROW["指标内容"], PINGSHAN_ROW["评价标准"],
                       "9", "5")


def test_dept_53_scores_budget_completion_and_carry_over_from_the_data(tmp_path):
    """Issue 23, item 5: 53号 lists 预算完成率 and 结转结余率 under 预算执行; dept-53 had neither, so a department
    at 60% execution lost nothing it did not declare. Now both are computed from the workbook: 60 ÷ 100 → 0.6 × 2
    = 1.2; 结转结余 40 of a 100 全年预算 → 40%, 30 points over 10%, 0.2 each → 扣完为止, 0."""
    fixed = [{"一级指标": l1, "二级指标": l2, "三级指标": l3, "自评得分": s, "实际完成值": "依据：年度自查记录。"}
             for l1, l2, l3, s in (("投入", "预算配置", "重点支出安排率", 5), ("过程", "预算执行", "资金结余", 3),
                                   ("过程", "预算管理", "预决算信息公开性", 3), ("过程", "预算管理", "基础信息完善性", 2),
                                   ("过程", "资产管理", "固定资产利用率", 3))]
    own = [row("产出", "职责履行", "重点工作办结率", "定量", "≥95%", "95%", 18, "%"),
           row("效果", "履职效益", "服务对象满意度", "定量", "≥90%", "93%", 18, "%")]
    sheets = {"收支总表": [{"科目": "人员经费", "全年预算数（万元）": 0, "决算数（万元）": 0},
                        {"科目": "公用经费", "全年预算数（万元）": 0, "决算数（万元）": 0},
                        {"科目": "项目支出", "全年预算数（万元）": 100, "决算数（万元）": 60},
                        {"科目": "年末结转结余", "决算数（万元）": 40}]}
    card = scored(tmp_path, workbook(tmp_path, "dept-53", 100, 60, fixed + own, sheets=sheets))
    by = {i.name: i for i in card.items}
    assert by["预算完成率"].score == 1.2 and "60 ÷ 100 × 2" in by["预算完成率"].basis
    assert by["结转结余率"].score == 0 and by["结转结余率"].measured == 40
    weights = {p[-1]: n.weight for p, n in walk(load_rulebook("dept-53").spec.tree)}
    assert (weights["预算执行"], weights["产出"], weights["效果"]) == (19, 18, 18)


def test_dept_53_checks_a_declared_fund_balance_against_the_accounts(tmp_path):
    """Issue 23, item 5: 资金结余 is 自评 under 53号 ("无结余，3分；有结余，但不超过上年结转，2分；结余超过上年结转，
    不得分"), and any declared score was taken as it came, although the 收支总表 computes the standard. dept-53 now
    checks it: 3 declared with 40 of 年末结转结余 against 20 of 上年结转 is an error naming the data's 0; 2 declared
    with 10 against 20 agrees. The score stays the declared one; the finding sends the report back."""
    from evalnb.review.checks import run_checks

    def declared_balance(points, balance, carried_in, name):
        fixed = [{"一级指标": l1, "二级指标": l2, "三级指标": l3, "自评得分": s, "实际完成值": "依据：年度决算。"}
                 for l1, l2, l3, s in (("投入", "预算配置", "重点支出安排率", 5), ("过程", "预算执行", "资金结余", points),
                                       ("过程", "预算管理", "预决算信息公开性", 3), ("过程", "预算管理", "基础信息完善性", 2),
                                       ("过程", "资产管理", "固定资产利用率", 3))]
        own = [row("产出", "职责履行", "重点工作办结率", "定量", "≥95%", "95%", 18, "%"),
               row("效果", "履职效益", "服务对象满意度", "定量", "≥90%", "93%", 18, "%")]
        sheets = {"收支总表": [{"科目": "上年结转", "决算数（万元）": carried_in},
                            {"科目": "项目支出", "全年预算数（万元）": 100, "决算数（万元）": 100 - balance},
                            {"科目": "年末结转结余", "决算数（万元）": balance}]}
        folder = tmp_path / name
        folder.mkdir()
        url = f"sqlite:///{folder / 'store.sqlite'}"
        ingest([workbook(folder, "dept-53", 100, 100 - balance, fixed + own, sheets=sheets)], url)
        dy = data.load("测试局", 2022, url)
        card = scoring.score(dy)
        return next(i for i in card.items if i.name == "资金结余"), run_checks(dy, card=card)

    item, found = declared_balance(3, 40, 20, "over")
    assert item.score == 3 and item.checked[0] == 0 and "结余与上年结转比 200%" in item.checked[1]
    (finding,) = [f for f in found if "declared-against-data" in f.codes]
    assert finding.severity == "error" and "“资金结余”自评得分3分" in finding.message and "按数据应为0分" in finding.message
    item, found = declared_balance(2, 10, 20, "within")
    assert item.checked[0] == 2 and not [f for f in found if "declared-against-data" in f.codes]
    item, found = declared_balance(3, 0, 20, "none")
    assert item.checked[0] == 3 and not [f for f in found if "declared-against-data" in f.codes]
    item, _ = declared_balance(3, 10, 0, "no-carry-in")      # 10 ÷ 0: the standard cannot be computed, nothing said
    assert item.checked is None


def test_the_form_follows_the_tree_and_prints_the_regions_header_and_closing_rows(tmp_path):
    """Issue 23, item 10: rows followed the workbook, so a 质量 row typed between two 数量 rows sat between them on
    the form; and the form had none of the header and closing rows the region prints. 青神县发展和改革局 2023
    (https://www.scqs.gov.cn/info/13206/211004.htm) prints 项目名称 / 主管部门 / 实施单位（盖章） above, 评价结论 /
    存在问题 / 改进措施 and 项目负责人 / 财务负责人 below; sichuan-project lays the appendix out so."""
    from evalnb.sections import form
    rows = [row("产出指标", "数量指标", "甲", "定量", 10, 10, 30, "个", "≥"),
            row("产出指标", "质量指标", "乙", "定量", 100, 100, 30, "%", "≥"),
            row("产出指标", "数量指标", "丙", "定量", 5, 5, 10, "个", "≥"),
            row("效益指标", "社会效益指标", "丁", "定量", 90, 95, 20, "%", "≥")]
    card = scored(tmp_path, workbook(tmp_path, "sichuan-project", 10, 10, rows))
    dy, book = data.load("测试局", 2022, f"sqlite:///{tmp_path / 'store.sqlite'}"), load_rulebook("sichuan-project")
    assert [r[2] for r in form.rows(card, dy, book)] == ["甲", "丙", "乙", "丁"]
    assert [f for f, _ in form.header(card, dy, book)] == ["项目名称", "主管部门", "实施单位（盖章）"]
    assert dict(form.header(card, dy, book))["实施单位（盖章）"] == "测试局"
    closing = dict(form.closing(card, dy, book))
    assert list(closing) == ["评价结论", "存在问题", "改进措施"] and closing["评价结论"].startswith("自评总分100分")
    assert book.spec.form.signatures == ("项目负责人", "财务负责人")
