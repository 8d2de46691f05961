"""No report, memo, draft, finding or summary sentence is built in Python: Chinese text lives in the wording
templates (evalnb/templates/prose/*.j2), the workbook contract (evalnb/workbook.py, intake/) and the console
(cli/, console, errors, settings, limits, and the messages of raised errors). Any other string literal holding
Chinese must be listed in tests/data/cjk_allowlist.txt (what is left to move, and workbook vocabulary the code
matches against); a new one fails here.

Regenerate the list after moving wording out (never to admit a new sentence):
    .venv/bin/python -m tests.test_wording_in_templates > tests/data/cjk_allowlist.txt
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "evalnb"
ALLOWLIST = ROOT / "tests" / "data" / "cjk_allowlist.txt"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# The workbook and rulebook contracts and the console: their Chinese is what users type into a workbook or a
# rulebook, or read on the terminal (`evalnb rules show`, intake's located errors, progress).
CONTRACT_AND_CONSOLE = ("workbook.py", "intake/", "cli/", "console.py", "settings.py", "limits.py", "errors.py",
                        "sections/fonts/", "rules/__init__.py", "rules/model.py", "rules/fit.py", "rules/tree.py",
                        "rules/show.py", "deliver/addresses.py")


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def _raised(tree: ast.AST) -> set[int]:
    return {id(part) for node in ast.walk(tree) if isinstance(node, ast.Raise) and node.exc is not None
            for part in ast.walk(node.exc)}


def chinese_literals(package: Path = PACKAGE) -> list[str]:
    """``module<TAB>literal`` for every string literal with Chinese outside the allowed homes, sorted."""
    found = set()
    for path in sorted(package.rglob("*.py")):
        module = path.relative_to(package).as_posix()
        if module.startswith(CONTRACT_AND_CONSOLE) or "/migrations/" in f"/{module}":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree) | _raised(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                    and HAN.search(node.value):
                found.add(f"{module}\t{node.value!r}")
    return sorted(found)


def test_no_new_chinese_in_python():
    allowed = set(ALLOWLIST.read_text(encoding="utf-8").splitlines())
    new = [line for line in chinese_literals() if line not in allowed]
    assert not new, ("Chinese text built in Python; put it in evalnb/templates/prose/*.j2 (or, for workbook "
                     "vocabulary, in evalnb/workbook.py):\n" + "\n".join(new))


def test_the_allowlist_only_shrinks():
    """An entry whose literal is gone is taken off the list, so the list says what is left to move."""
    stale = set(ALLOWLIST.read_text(encoding="utf-8").splitlines()) - set(chinese_literals())
    assert not stale, "remove from tests/data/cjk_allowlist.txt:\n" + "\n".join(sorted(stale))


def test_the_scan_sees_a_sentence(tmp_path):
    """The scan is not blind: a sentence in a review module is found; the console's own messages are not."""
    (tmp_path / "review").mkdir()
    (tmp_path / "review" / "probe.py").write_text('MESSAGE = "预算执行率偏低，请说明原因"\n'
                                                  'def f():\n    raise ValueError("文件不存在")\n', encoding="utf-8")
    (tmp_path / "console.py").write_text('SAID = "已导入"\n', encoding="utf-8")
    assert chinese_literals(tmp_path) == ["review/probe.py\t'预算执行率偏低，请说明原因'"]


if __name__ == "__main__":
    print("\n".join(chinese_literals()))
