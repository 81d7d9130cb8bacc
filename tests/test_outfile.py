from __future__ import annotations

from pathlib import Path

import pytest

from dutycli.cli.outfile import write_atomic
from dutycli.errors import UsageError


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    write_atomic(target, b"one")
    write_atomic(target, "二".encode())
    assert target.read_text(encoding="utf-8") == "二"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]  # no temporary left


def test_refuses_an_input_and_leaves_it_whole(tmp_path: Path) -> None:
    source = tmp_path / "items.yaml"
    source.write_text("原文", encoding="utf-8")
    with pytest.raises(UsageError, match="输入文件"):
        write_atomic(tmp_path / "." / "items.yaml", b"", inputs=[source])
    assert source.read_text(encoding="utf-8") == "原文"


def test_refuses_existing_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "a"
    target.write_bytes(b"keep")
    with pytest.raises(UsageError, match="已存在"):
        write_atomic(target, b"new", overwrite=False)
    assert target.read_bytes() == b"keep"


def test_unwritable_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="无法写入"):
        write_atomic(tmp_path / "missing" / "x", b"data")
