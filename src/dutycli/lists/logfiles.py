"""Where the decision logs are (``lists/ledger.py``), without loading the log's code.

``check`` asks on every run whether the subdistrict has a log; answering must
cost a ``stat``, not the import of the CSV reader and the records.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ENV_VAR = "DUTY_LOG_DIR"
PREFIX, SUFFIX = "决定记录-", ".csv"


def user_directory() -> Path:
    """The user's data directory (not the cache): the log of the shipped list lives here."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "dutycli"


def log_directory(target: Path, shipped: Path | None) -> Path:
    """Where the logs of the lists ``target`` names live.

    ``$DUTY_LOG_DIR`` wins; else beside the lists: the directory ``--data``
    names, or the directory of the list file. The list shipped with the program
    (``shipped``) may sit in a read-only installation: its log is in the user's
    data directory.
    """
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return Path(explicit)
    if target.is_dir():
        return target
    if shipped is not None and _same(target, shipped):
        return user_directory()
    return target.parent if str(target.parent) else Path(".")


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def log_path(directory: Path, subdistrict: str) -> Path:
    """The log file of one subdistrict."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", subdistrict).strip(" .") or "街道"
    return directory / f"{PREFIX}{safe}{SUFFIX}"


def is_log(path: Path) -> bool:
    return path.name.startswith(PREFIX) and path.suffix.lower() == SUFFIX
