"""Project files that promise to agree with each other do."""

import re
import tomllib

import yaml

from tests.helpers import ROOT


def names(requirements):
    return {re.split(r"[<>=\[ ]", r, maxsplit=1)[0].lower() for r in requirements}


def project_table():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_environment_yml_mirrors_pyproject():
    project = project_table()
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    wanted = (names(project["dependencies"]) | names(extras)) - {"evalnb"}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert names(p for p in pip if not p.startswith("-e")) == wanted


def test_readme_first_screen_gives_the_two_commands():
    first_screen = (ROOT / "README.md").read_text(encoding="utf-8").split("---")[0]
    commands = re.findall(r"^make \w+", first_screen, re.M)
    assert commands == ["make report", "make test"]


def locked(path):
    """Package name -> pinned version, and whether every pin carries hashes."""
    text = (ROOT / path).read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^ ;\\\n]+)", text, re.M))
    entries = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n", 2)[2])
    return {k.lower().replace("_", "-"): v for k, v in pins.items()}, all("--hash=sha256:" in e for e in entries)


def test_lock_files_pin_everything_with_hashes_and_agree():
    project = project_table()
    runtime, hashed = locked("requirements.lock")
    dev, dev_hashed = locked("requirements-dev.lock")
    assert hashed and dev_hashed
    assert {n.replace("_", "-") for n in names(project["dependencies"])} <= set(runtime)
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    assert {n.replace("_", "-") for n in names(extras)} - {"evalnb"} <= set(dev)
    assert all(dev[name] == version for name, version in runtime.items() if name in dev)   # same pins in both
    for dev_only in ("pytest", "playwright", "ruff", "hypothesis", "psycopg", "distributed"):
        assert dev_only not in runtime, dev_only
