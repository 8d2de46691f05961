"""Rulebooks are data: a region adds one without code, and a broken one names the broken key."""

import pytest
import yaml

from evalnb.errors import RulebookError
from evalnb.rules import PACKAGE_RULES_DIR, available, load_rulebook


def national_raw():
    return yaml.safe_load((PACKAGE_RULES_DIR / "national-2020.yaml").read_text(encoding="utf-8"))


def test_shipped_rulebooks():
    assert {"national-2020", "sichuan", "chongqing"} <= set(available())
    sichuan = load_rulebook("sichuan")
    assert {"产出指标": 60, "效益指标": 30} in sichuan.weight_sets
    assert load_rulebook("chongqing").level1_names == []          # free 一级指标


def test_user_rulebook_from_a_folder(tmp_path, monkeypatch):
    raw = national_raw()
    raw["grades"] = [{"min": 85, "label": "优秀"}, {"min": 0, "label": "一般"}]
    (tmp_path / "guangxi.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("EVALNB_RULES_DIR", str(tmp_path))
    book = load_rulebook("guangxi")
    assert (book.grade(85), book.grade(84.99)) == ("优秀", "一般")
    assert "guangxi" in available()


@pytest.mark.parametrize(("mutate", "key"), [
    (lambda r: r.pop("execution_weight"), "execution_weight"),
    (lambda r: r.update(reverse_formula="harsh"), "reverse_formula"),
    (lambda r: r["over_achievement"].update(threshold="high"), "over_achievement.threshold"),
    (lambda r: r["qualitative"]["达成年度指标"].update(low=0.9, default=0.5), "qualitative.达成年度指标"),
    (lambda r: r.update(grades=[{"min": 0, "label": "差"}, {"min": 90, "label": "优"}]), "grades"),
    (lambda r: r["level1"].update(any="yes"), "level1.any"),
])
def test_malformed_rulebook_names_the_key(tmp_path, mutate, key):
    raw = national_raw()
    mutate(raw)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulebookError) as exc:
        load_rulebook(str(path))
    assert f"键 {key}" in str(exc.value)


def test_unknown_rulebook_lists_the_available():
    with pytest.raises(RulebookError) as exc:
        load_rulebook("atlantis")
    assert "national-2020" in str(exc.value)


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
