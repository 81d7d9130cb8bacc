"""Writing a file the user names (``--output``): atomically, never over an input.

Every command that writes a file goes through ``write_atomic``: the bytes go to
a temporary file in the target's directory, are flushed to disk, and the
temporary file is renamed over the target, so a reader (or a crash) sees the old
file or the new one, never half of one. A target that is one of the command's
own inputs is refused before anything is written: ``duty import a.txt
--departments items.yaml --output items.yaml`` must not read a file it has
already emptied.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dutycli.errors import UsageError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def check_target(target: Path, inputs: Iterable[Path] = (), overwrite: bool = True) -> None:
    """Refuse a target that is an input, a directory, or (without ``overwrite``) exists."""
    for source in inputs:
        if _same_file(target, source):
            raise UsageError(f"不能把结果写到输入文件 {target} 上：请换一个输出文件名")
    if target.is_dir():
        raise UsageError(f"{target} 是一个目录：--output 应为文件名")
    if not overwrite and target.exists():
        raise UsageError(f"{target} 已存在：如确需覆盖，请先删除或换一个文件名")


def write_atomic(
    target: str | Path, data: bytes, inputs: Iterable[Path] = (), overwrite: bool = True
) -> None:
    """Write ``data`` to ``target`` in one step; a failure leaves the old file as it was."""
    path = Path(target)
    check_target(path, inputs, overwrite)
    from dutycli.lists.source import replace_file

    try:
        replace_file(path, data)
    except OSError as e:
        raise UsageError(f"无法写入 {path}：{e.strerror or e}") from None
