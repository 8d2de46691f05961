"""YAML from users (rulebooks, params files): a safe loader with a size cap and no aliases, so an alias
bomb or a huge file is refused at once instead of exhausting memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000


class NoAliasLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses anchors and aliases (``&a`` / ``*a``): our files never need them."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "不允许使用 YAML 别名（*引用）", event.start_mark)
        return super().compose_node(parent, index)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refused if it is not a regular file or is larger than MAX_BYTES."""
    if not path.is_file():
        raise ValueError("不是普通文件")
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"文件过大（超过 {MAX_BYTES // 1000} KB）")
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"文件过大（超过 {MAX_BYTES // 1000} KB）")
    return data


def load(data: bytes | str) -> Any:
    """Parse one YAML document; raises yaml.YAMLError (aliases included) on anything malformed."""
    return yaml.load(data, Loader=NoAliasLoader)  # noqa: S506  NoAliasLoader is a SafeLoader
