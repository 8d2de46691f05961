"""The licence: a LICENSE file (Apache-2.0) that the wheel's metadata names and carries, and a build that leaves the
checkout as it was (`pip wheel .` writes build/, which git ignores, as it does dist/ and wheelhouse/)."""

from __future__ import annotations

import email
import subprocess
import sys
import tomllib
import zipfile

from tests.helpers import ROOT, clone_checkout, git


def test_licence_file_is_apache_2_and_the_metadata_says_so():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text and "END OF TERMS AND CONDITIONS" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0 AND OFL-1.1"       # the code, and the bundled font subset
    assert project["license-files"] == ["LICENSE", "evalnb/sections/fonts/OFL.txt"]


def test_pip_wheel_carries_the_licence_and_leaves_git_clean(tmp_path):
    clone = clone_checkout(tmp_path / "clone")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
                           "-w", "dist", "."], cwd=clone, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (clone / "build").is_dir() and git("status", "--porcelain", "--ignored=no", cwd=clone) == ""
    wheel = next((clone / "dist").glob("evalnb-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        info = next(n.split("/")[0] for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(z.read(f"{info}/METADATA"))
        assert metadata["License-Expression"] == "Apache-2.0 AND OFL-1.1"
        assert sorted(metadata.get_all("License-File")) == ["LICENSE", "evalnb/sections/fonts/OFL.txt"]
        assert z.read(f"{info}/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
