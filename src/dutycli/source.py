"""Which list file to read, and reading it."""

from __future__ import annotations

import os
from pathlib import Path
from pathlib import Path as FsPath

from dutycli.errors import DataError, Problem
from dutycli.index import Compiled

ENV_VAR = "DUTY_DATA"


def default_data_path() -> Path:
    """The list shipped with the package, or data/items.yaml of a source checkout."""
    # The wheel puts the list beside this module (pyproject: force-include).
    # Path(__file__) finds it as importlib.resources would for an installed
    # package, without the ~4 ms that importing importlib.resources costs.
    packaged = Path(__file__).resolve().parent / "data" / "items.yaml"
    if packaged.is_file():
        return packaged
    # An editable install or a run from the source tree reads the repository's file.
    checkout = Path(__file__).resolve().parent.parent.parent / "data" / "items.yaml"
    if checkout.is_file():
        return checkout
    raise DataError(
        [Problem(str(packaged), "找不到随程序安装的清单文件：请重新安装，或用 --data 指定")]
    )


def resolve(path: str | Path | None) -> Path:
    """--data wins, then $DUTY_DATA, then the shipped list."""
    if path:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return default_data_path()


def read_bytes(path: str | FsPath) -> bytes:
    """The file's bytes; a missing or unreadable file is a DataError."""
    file = str(path)
    try:
        return FsPath(path).read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(file, "找不到这个文件")]) from None
    except IsADirectoryError:
        raise DataError([Problem(file, "这是一个目录，不是数据文件")]) from None
    except OSError as e:
        raise DataError([Problem(file, f"无法读取：{e.strerror}")]) from None


def open_compiled(path: str | Path | None) -> Compiled:
    """The list in the form queries use, from the compiled cache when it is current."""
    from dutycli.cache import open_compiled as from_cache

    target = resolve(path)
    return from_cache(read_bytes(target), str(target))
