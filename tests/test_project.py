"""Project files that promise to agree with each other do."""

import re
import tomllib

import yaml

from tests.conftest import ROOT


def names(requirements):
    return {re.split(r"[<>=\[ ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = names(project["dependencies"]) | names(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert names(p for p in pip if not p.startswith("-e")) == wanted


def test_readme_first_screen_gives_the_two_commands():
    first_screen = (ROOT / "README.md").read_text(encoding="utf-8").split("---")[0]
    commands = re.findall(r"^make \w+", first_screen, re.M)
    assert commands == ["make report", "make test"]
