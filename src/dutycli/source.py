"""Which list file to read, and reading it."""

from __future__ import annotations

import os
from pathlib import Path

from dutycli.errors import DataError, Problem
from dutycli.index import Compiled
from dutycli.model import DutyList

ENV_VAR = "DUTY_DATA"


def default_data_path() -> Path:
    """The list shipped with the package, or data/items.yaml of a source checkout."""
    from importlib.resources import files

    packaged = Path(str(files("dutycli"))) / "data" / "items.yaml"
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


def open_list(path: str | Path | None) -> DutyList:
    from dutycli.load import load

    return load(resolve(path))


def open_compiled(path: str | Path | None) -> Compiled:
    """The list in the form queries use."""
    from dutycli.index import compile_in_memory

    return compile_in_memory(open_list(path))
