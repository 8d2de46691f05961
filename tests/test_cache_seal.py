"""The section cache trusts only seals made with its secret, kept outside outputs/ (hardening: a re-sealed
entry was served — another department's 总分, an altered text, a section emptied of its outputs)."""

from __future__ import annotations

import json
import stat

import pytest

from evalnb.report.cache import SectionCache, key_file
from evalnb.sections.outline import SECTIONS


def _notebook(tmp_path, outputs):
    path = tmp_path / "executed.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "s.show(x)", "outputs": outputs}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


SHOWN = [{"output_type": "display_data", "data": {"text/html": "<p>总分99.87分</p>"}, "metadata": {}}]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("EVALNB_CACHE_KEY", raising=False)
    outputs = tmp_path / "outputs"
    return SectionCache(outputs / ".cache" / "甲局" / "2024", outputs)


def test_the_secret_is_a_private_file_outside_outputs(cache, tmp_path):
    path = key_file(tmp_path / "outputs")
    assert path.is_file() and tmp_path / "outputs" not in path.parents
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(path.read_bytes()) == 32


def test_an_entry_sealed_with_the_secret_is_served(cache, tmp_path):
    section = SECTIONS[3]
    cache.put(section, "k" * 64, _notebook(tmp_path, SHOWN))
    assert cache.get(section, "k" * 64) == cache.path(section, "k" * 64)


@pytest.mark.parametrize("forge", ["edit-and-reseal", "empty", "error"])
def test_a_forged_entry_is_evicted(cache, tmp_path, forge, caplog):
    import hashlib
    import hmac

    section = SECTIONS[3]
    key = "k" * 64
    entry = cache.put(section, key, _notebook(tmp_path, SHOWN))
    seal_path = cache.seal_path(section, key)
    if forge == "edit-and-reseal":      # what anyone who can write outputs/ could do with an unkeyed seal
        entry.write_text(entry.read_text(encoding="utf-8").replace("99.87", "89.08"), encoding="utf-8")
        digest = hashlib.sha256(entry.read_bytes()).hexdigest()
        guess = hmac.new(b"", key.encode() + b"\0" + entry.read_bytes(), hashlib.sha256).hexdigest()
        seal_path.write_text(json.dumps({"key": key, "sha256": digest, "mac": guess}), encoding="utf-8")
        said = "被截断或替换"
    else:                               # sealed by the secret, but not fit to show
        outputs = [] if forge == "empty" else [{"output_type": "error", "ename": "E", "evalue": "x", "traceback": []}]
        cache.put(section, key, _notebook(tmp_path, outputs))
        said = "没有任何内容" if forge == "empty" else "含有错误输出"
    assert cache.get(section, key) is None and said in caplog.text
    assert not entry.exists() and not seal_path.exists()


def test_a_shared_key_can_be_named(tmp_path, monkeypatch):
    shared = tmp_path / "shared.key"
    monkeypatch.setenv("EVALNB_CACHE_KEY", str(shared))
    assert key_file(tmp_path / "outputs") == shared
    a = SectionCache(tmp_path / "a" / ".cache" / "甲局" / "2024", tmp_path / "a")
    b = SectionCache(tmp_path / "b" / ".cache" / "甲局" / "2024", tmp_path / "b")
    assert a.secret == b.secret == shared.read_bytes()
