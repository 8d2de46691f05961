"""Rulebooks are data: trees of weighted nodes, checked by a model whose errors name the key path."""

import warnings

import pytest
import yaml

from evalnb.errors import RulebookError
from evalnb.rules import PACKAGE_RULES_DIR, available, load_rulebook, validate
from evalnb.rules.model import Rulebook as Spec
from evalnb.rules.tree import PlacementError, place, settle, walk

SHIPPED = ("national-2020", "sichuan-project", "sichuan-dept", "sichuan-dept-province", "chongqing-dept", "dept-53",
           "shijiazhuang-dept", "project-2021")


def raw_of(name: str) -> dict:
    return yaml.safe_load((PACKAGE_RULES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_rulebook_adds_up_and_names_its_source(name):
    book = load_rulebook(name)
    assert sum(n.weight for n in book.spec.tree) == book.spec.total == 100
    assert book.spec.source and book.path.read_text(encoding="utf-8").startswith("#")     # a comment names it
    assert set(SHIPPED) <= set(available())


def test_national_is_titled_as_10_hao_not_as_a_national_default():
    assert "10号" in load_rulebook("national-2020").title and "全国通用" not in load_rulebook("national-2020").title


def test_old_names_still_load_with_a_deprecation_note():
    with pytest.warns(DeprecationWarning, match="sichuan-project"):
        assert load_rulebook("sichuan").name == "sichuan-project"
    with pytest.warns(DeprecationWarning, match="chongqing-dept"):
        assert load_rulebook("chongqing").name == "chongqing-dept"


def test_user_rulebook_from_a_folder(tmp_path, monkeypatch):
    raw = raw_of("national-2020")
    raw["grades"] = [{"min": 85, "label": "优秀"}, {"min": 0, "label": "一般"}]
    (tmp_path / "guangxi.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("EVALNB_RULES_DIR", str(tmp_path))
    book = load_rulebook("guangxi")
    assert (book.grade(85), book.grade(84.99)) == ("优秀", "一般")
    assert "guangxi" in available()


def _set(raw: dict, path: list, value) -> None:
    node = raw
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@pytest.mark.parametrize(("path", "value", "key"), [
    (["tree", 1, "weight"], "high", "tree.产出指标.weight"),
    (["quantitative", "reverse"], "harsh", "quantitative.reverse"),
    (["grades", 0, "min"], -1, "grades[0].min"),
    (["tree", 2, "indicatorz"], "workbook", "tree.效益指标.indicatorz"),
    (["tree", 0, "measure"], "幸福指数", "tree.预算执行率.measure"),
    (["form", "columns"], ["level1", "colour"], "form.columns[1].key"),
])
def test_a_broken_key_is_named_by_its_path(tmp_path, path, value, key):
    raw = raw_of("national-2020")
    _set(raw, path, value)
    file = tmp_path / "broken.yaml"
    file.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulebookError) as exc:
        load_rulebook(str(file))
    assert f"键 {key}" in str(exc.value)


def test_weights_that_do_not_add_up_are_an_error_in_the_rulebook_too():
    raw = raw_of("dept-53")
    raw["tree"][0]["children"][1]["children"][0]["weight"] = 6          # 预算配置: 6 + 5 + 5 ≠ 15
    with pytest.raises(RulebookError) as exc:
        validate(raw, "x.yaml")
    assert "tree.投入.children.预算配置" in str(exc.value) and "合计 16" in str(exc.value)


def test_every_problem_is_listed_at_once():
    raw = raw_of("national-2020")
    raw["tree"][1]["weight"] = "x"
    raw["rounding"] = 9
    raw["grades"] = [{"min": 0, "label": "差"}, {"min": 90, "label": "优"}]
    message = str(pytest.raises(RulebookError, validate, raw, "x.yaml").value)
    assert "3 处问题" in message and "rounding" in message and "grades" in message


def moving_satisfaction() -> dict:
    """10号's tree with 满意度指标 optional, its 10 points moving to 产出指标 when 不适用 (the move mechanism; the
    shipped sichuan-project no longer needs it: its units set the 90 points themselves)."""
    raw = raw_of("national-2020")
    raw["tree"][3].update(optional=True, not_applicable={"to": "产出指标"})
    return raw


def test_a_weight_move_must_name_a_sibling():
    raw = moving_satisfaction()
    raw["tree"][3]["not_applicable"] = {"to": "效果指标"}
    assert "not_applicable.to" in str(pytest.raises(RulebookError, validate, raw, "x.yaml").value)


def test_bands_must_cover_the_weight_from_the_top_down():
    raw = raw_of("national-2020")
    raw["qualitative"] = {"bands": [{"grade": "好", "low": 0.8, "high": 1, "default": 1},
                                    {"grade": "差", "low": 0, "high": 0.7, "default": 0.3}]}     # gap 0.7–0.8
    assert "相邻档次首尾相接" in str(pytest.raises(RulebookError, validate, raw, "x.yaml").value)


def test_the_json_schema_is_there_for_editors():
    schema = Spec.model_json_schema()
    assert {"tree", "grades", "form"} <= set(schema["properties"])


def test_unknown_rulebook_lists_the_available():
    with pytest.raises(RulebookError) as exc:
        load_rulebook("atlantis")
    assert "national-2020" in str(exc.value)


def test_rows_find_their_place_or_are_told_the_allowed_names():
    tree = load_rulebook("dept-53").spec.tree
    assert place(tree, "投入", "预算配置", "在职人员控制率").path == ("投入", "预算配置", "在职人员控制率")
    assert place(tree, "产出", "职责履行", "重点工作办结率").open                         # the department's own
    with pytest.raises(PlacementError) as exc:
        place(tree, "投入", "预算配置", "人员控制率")
    assert exc.value.column == "name" and "在职人员控制率" in str(exc.value)
    with pytest.raises(PlacementError) as exc:
        place(tree, "产出指标", "数量指标", "x")
    assert exc.value.column == "level1" and "投入、过程、产出、效果" in str(exc.value)
    anything = load_rulebook("chongqing-dept").spec.tree
    assert place(anything, "核心指标", "数量", "x").open                                 # match: any


def test_not_applicable_moves_weight_to_the_named_sibling_or_rescales():
    moving = validate(moving_satisfaction(), "moving.yaml").tree
    moved = settle(moving, {("满意度指标",)})
    assert moved.weights[("产出指标",)] == 60 and not moved.rescaled
    national = load_rulebook("national-2020").spec.tree
    assert settle(national, {("满意度指标",)}).rescaled


def test_alias_bomb_and_huge_rulebooks_are_refused_at_once(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f'{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]'
              for i in range(20)]
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RulebookError, match="别名"):
        load_rulebook(str(bomb))
    huge = tmp_path / "huge.yaml"
    huge.write_text("title: x\n" + "# padding\n" * 200_000, encoding="utf-8")
    with pytest.raises(RulebookError, match="过大"):
        load_rulebook(str(huge))
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(RulebookError, match="找不到"):
        load_rulebook(str(tmp_path / "folder.yaml"))


def test_loading_a_shipped_rulebook_warns_of_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in SHIPPED:
            load_rulebook(name)


def test_the_readme_example_rulebook_is_valid_and_scores_a_department(tmp_path, monkeypatch):
    """The README's "How to write a rulebook" example, as printed, checks and scores a workbook."""
    from pathlib import Path

    from evalnb.intake.blank import write_workbook
    from evalnb.intake.ingest import ingest
    from evalnb.rules import scoring
    from evalnb.store import data

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### How to write a rulebook"):]
    example = section[section.index("```yaml") + 7:section.index("```", section.index("```yaml") + 7)]
    (tmp_path / "my-city.yaml").write_text(example, encoding="utf-8")
    monkeypatch.setenv("EVALNB_RULES_DIR", str(tmp_path))
    book = load_rulebook("my-city")
    assert [n.name for n in book.spec.tree] == ["预算执行率", "预算管理", "履职效果"]
    content = {
        "基本信息": [{"字段": "部门名称", "内容": "某局"}, {"字段": "年度", "内容": 2024},
                 {"字段": "评分规则", "内容": "my-city"}],
        "文字材料": [{"章节": "主要职能", "内容": "负责某项工作。"}],
        "项目支出": [{"项目名称": "甲", "项目类别": "业务", "资金来源": "本级", "年初预算数（万元）": 100,
                  "全年预算数（万元）": 108, "全年执行数（万元）": 108}],
        "绩效指标": [{"一级指标": "履职效果", "二级指标": "产出", "三级指标": "办结件数", "指标性质": "定量", "指标方向": "≥",
                  "年度指标值": 100, "实际完成值": 80, "计量单位": "件", "分值": 50},
                 {"一级指标": "履职效果", "二级指标": "社会评价", "三级指标": "社会评价", "实际完成值": "不适用"}],
        "评价工作组": [{"姓名": "张三", "工作单位": "某局", "组内分工": "组长"}],
        "部门情况": [{"项目": "编制人数", "实际数": 20}, {"项目": "在职人数", "实际数": 21}],
        "扣分事项": [{"一级指标": "预算管理", "二级指标": "预算编制", "三级指标": "资金使用合规性", "扣分项": "违规支出",
                  "次数": 2, "原因": "2笔支出超范围"}],
    }
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([write_workbook(tmp_path / "某局_2024.xlsx", content)], url)
    card = scoring.score(data.load("某局", 2024, url))
    by = {i.name: i.score for i in card.items}
    # 执行率 100% → 10; 在职 105% → 10 − 5 × 1 = 5; 调整率 8% → 6; 违规 2 × 2 → 6; 办结 80 ÷ 100 × 50 = 40;
    # 社会评价 不适用: (10 + 5 + 6 + 6 + 40) ÷ 90 × 100 = 74.44…
    assert (card.execution_score, by["在职人员控制率"], by["预算调整率"], by["资金使用合规性"], by["办结件数"]) == \
        (10, 5, 6, 6, 40)
    assert card.total == 74.44 and card.grade == "中"


def test_a_workbook_that_does_not_fit_its_rulebook_is_told_where_and_what_is_allowed(tmp_path):
    """Unknown names, a 扣分项 the leaf lacks, 不适用 where the rulebook does not allow it, a 自评 row without a
    score: each an error naming the sheet, row and column, with the allowed names."""
    from evalnb.errors import WorkbookError
    from evalnb.intake.blank import write_workbook
    from evalnb.intake.read import read_workbook

    rows = [{"一级指标": "投入", "二级指标": "预算配置", "三级指标": "人员控制率", "实际完成值": "100%"},
            {"一级指标": "过程", "二级指标": "预算执行", "三级指标": "资金结余", "实际完成值": "无结余"},
            {"一级指标": "过程", "二级指标": "预算管理", "三级指标": "基础信息完善性", "实际完成值": "不适用"},
            {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "x", "指标性质": "定量", "指标方向": "≥",
             "年度指标值": 1, "实际完成值": 1, "计量单位": "个", "分值": 20}]
    content = {
        "基本信息": [{"字段": "部门名称", "内容": "某局"}, {"字段": "年度", "内容": 2024},
                 {"字段": "评分规则", "内容": "dept-53"}],
        "文字材料": [{"章节": "主要职能", "内容": "负责某项工作。"}],
        "项目支出": [{"项目名称": "甲", "项目类别": "业务", "资金来源": "本级", "年初预算数（万元）": 100,
                  "全年预算数（万元）": 100, "全年执行数（万元）": 100}],
        "绩效指标": rows,
        "评价工作组": [{"姓名": "张三", "工作单位": "某局", "组内分工": "组长"}],
        "扣分事项": [{"一级指标": "过程", "二级指标": "预算执行", "三级指标": "支付进度", "扣分项": "迟报",
                  "次数": 1, "原因": "晚了"}],
    }
    with pytest.raises(WorkbookError) as exc:
        read_workbook(write_workbook(tmp_path / "某局_2024.xlsx", content))
    message = str(exc.value)
    assert "第2行，列“三级指标”" in message and "在职人员控制率、“三公经费”变动率、重点支出安排率" in message
    assert "第3行，列“自评得分”" in message and "必填自评得分" in message
    assert "第5行，列“一级指标”" in message and "投入、过程、产出、效果" in message
    assert "工作表“扣分事项”，第2行，列“扣分项”" in message and "专项未按进度下达" in message


def test_not_applicable_only_where_the_rulebook_allows_it(tmp_path):
    from evalnb.errors import WorkbookError
    from tests.helpers import row, workbook

    fixed = [{"一级指标": l1, "二级指标": l2, "三级指标": l3, "自评得分": 1, "实际完成值": "依据。"}
             for l1, l2, l3 in (("投入", "预算配置", "重点支出安排率"), ("过程", "预算执行", "资金结余"),
                                ("过程", "预算管理", "预决算信息公开性"), ("过程", "资产管理", "固定资产利用率"))]
    fixed.append({"一级指标": "过程", "二级指标": "预算管理", "三级指标": "基础信息完善性", "实际完成值": "不适用"})
    own = [row("产出", "职责履行", "办结率", "定量", "≥95%", "96%", 18, "%"),
           row("效果", "履职效益", "满意度", "定量", "≥90%", "93%", 18, "%")]
    with pytest.raises(WorkbookError) as exc:
        from evalnb.intake.read import read_workbook
        read_workbook(workbook(tmp_path, "dept-53", 100, 100, fixed + own))
    assert "第6行，列“实际完成值”" in str(exc.value) and "未允许此指标标为不适用" in str(exc.value)


def test_a_template_for_a_rulebook_lists_its_indicators_and_ingests_once_filled(tmp_path):
    """`evalnb template --rules dept-53`: 评分规则 filled in, one 绩效指标 row per fixed leaf; filling the 自评 rows'
    score and basis and the department's own 产出/效果 rows is all that is left for 绩效指标."""
    import openpyxl

    from evalnb.intake.ingest import ingest
    from evalnb.rules import scoring
    from evalnb.store import data
    from tests.helpers import evalnb

    path = tmp_path / "某局_2024.xlsx"
    done = evalnb("template", str(path), "--rules", "dept-53")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(path)
    ws = book["绩效指标"]
    listed = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    leaves = [p for p, n in walk(load_rulebook("dept-53").spec.tree) if getattr(n, "method", None)]
    assert [(r[0], r[1], r[2]) for r in listed] == [p for p in leaves]
    for r in ws.iter_rows(min_row=2):
        if r[3].value == "自评":
            r[6].value, r[9].value = "经自查，符合评价标准。", r[8].value
    ws.append(["产出", "职责履行", "重点工作办结率", "定量", "≥", 95, 96, "%", 18])
    ws.append(["效果", "履职效益", "服务对象满意度", "定量", "≥", 90, 93, "%", 18])
    profile = book["基本信息"]
    for r in profile.iter_rows(min_row=2):
        r[1].value = {"部门名称": "某局", "年度": 2024}.get(r[0].value, r[1].value)
    book["文字材料"].append(["主要职能", "负责某项工作。"])
    book["项目支出"].append(["甲", "业务", "本级", 100, 100, 100])
    book["评价工作组"].append(["张三", "某局", None, None, "组长"])
    book.save(path)
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    ingest([path], url)
    card = scoring.score(data.load("某局", 2024, url))
    assert len(card.items) == len(leaves) + 2 and card.rules == "dept-53"


def test_show_describes_the_tree_weights_and_methods():
    """`evalnb rules show` (rules/show.py): the title, the source, every node with its weight and how it is
    scored, in the order of the tree."""
    from evalnb.rules.show import describe

    book = load_rulebook("national-2020")
    lines = describe(book)
    assert lines[0] == f"{book.title}（national-2020）" and lines[1] == "地区：全国"
    assert lines[2] == "评分依据（报告引用）：《项目支出绩效评价管理办法》（财预〔2020〕10号）"
    assert lines[3].startswith("出处：财政部《项目支出绩效评价管理办法》")
    assert "90 分（含）以上 优" in lines[4] and lines[5] == "评价等级的写法：优、良、中、差（照表上印出的写法）"
    tree = [line for line in lines if line.startswith(("├─", "└─"))]
    assert [line.split()[1:3] for line in tree] == [["预算执行率", "10"], ["产出指标", "50"], ["效益指标", "30"],
                                                    ["满意度指标", "10"]]
    assert "min(比率, 100%) × 分值" in tree[0] and "分值合计须为 50" in tree[1]


def test_a_first_level_cost_indicator_ingests_under_the_2021_rulebook_not_under_national_2020(tmp_path):
    """Issue 23, item 4: 2021+ forms print 一级 产出 / 成本 / 效益 / 满意度; national-2020 refuses a 一级 成本指标 row
    (its 一级 are 10号's), project-2021 takes it and scores 100 when every target is met."""
    from evalnb.intake.ingest import ingest
    from evalnb.rules import scoring
    from evalnb.store import data
    from tests.helpers import row, workbook
    rows = [row("产出指标", "数量指标", "培训人次", "定量", 100, 100, 40, "人次", "≥"),
            row("成本指标", "经济成本指标", "人均培训成本", "定量", 500, 480, 20, "元", "≤"),
            row("效益指标", "社会效益指标", "技能提升", "定性", "提升", "达成年度指标", 20),
            row("满意度指标", "服务对象满意度指标", "学员满意度", "定量", 90, 95, 10, "%", "≥")]
    with pytest.raises(Exception, match="成本指标"):
        ingest([workbook(tmp_path, "national-2020", 10, 10, rows, name="甲局")], f"sqlite:///{tmp_path / 'a.sqlite'}")
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    ingest([workbook(tmp_path, "project-2021", 10, 10, rows, name="乙局")], url)
    card = scoring.score(data.load("乙局", 2022, url))
    assert card.total == 100 and card.subtotals["成本指标"] == {"weight": 20.0, "score": 20.0}
    assert load_rulebook("project-2021").grades == load_rulebook("national-2020").grades
