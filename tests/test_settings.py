"""Every EVALNB_* setting is declared once (evalnb/settings.py) and the README's table is generated from it."""

import ast
import re
from pathlib import Path

from evalnb import limits, settings

ROOT = Path(__file__).resolve().parents[1]


def test_readme_table_is_the_declarations():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- settings:start -->\n(.*?)<!-- settings:end -->", readme, re.S)
    assert shown, "README lacks the settings table markers"
    assert shown.group(1) == settings.markdown_table(), "regenerate: .venv/bin/python -m evalnb.settings"


def _string_literals(tree: ast.AST):
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


def test_no_module_spells_a_setting_name():
    """Settings are read through their declaration, so none is read under a misspelt or undeclared name."""
    spelt = []
    for path in sorted((ROOT / "evalnb").rglob("*.py")):
        if path.name == "settings.py" and path.parent.name == "evalnb":
            continue
        for node in _string_literals(ast.parse(path.read_text(encoding="utf-8"))):
            if "EVALNB_" in node.value:
                spelt.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]}")
    assert not spelt, "\n".join(spelt)


def test_limits_read_their_settings():
    for field, setting in limits.SETTINGS.items():
        assert setting.name in settings.SETTINGS
        assert limits.env_name(field) == setting.name
    got = limits.current({settings.MAX_ROWS.name: "10"})
    assert got.rows == 10 and got.columns == int(settings.MAX_COLUMNS.default)


def test_a_setting_set_to_blank_is_unset(monkeypatch):
    monkeypatch.setenv(settings.RULES_DIR.name, "  ")
    assert settings.RULES_DIR.get() is None and settings.RULES_DIR.paths() == []
    monkeypatch.setenv(settings.RULES_DIR.name, f"/a{__import__('os').pathsep}/b")
    assert settings.RULES_DIR.paths() == [Path("/a"), Path("/b")]
