"""Rulebooks are data: trees of weighted nodes, checked by a model whose errors name the key path."""

import warnings

import pytest
import yaml

from evalnb.errors import RulebookError
from evalnb.rules import PACKAGE_RULES_DIR, available, load_rulebook, validate
from evalnb.rules.model import Rulebook as Spec
from evalnb.rules.tree import PlacementError, place, settle

SHIPPED = ("national-2020", "sichuan-project", "sichuan-dept", "chongqing-dept", "dept-53")


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


def test_a_weight_move_must_name_a_sibling():
    raw = raw_of("sichuan-project")
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
    sichuan = load_rulebook("sichuan-project").spec.tree
    moved = settle(sichuan, {("满意度指标",)})
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
