"""Renderers: one per output format, chosen by the Format enum that also feeds --format.

Each renderer module is imported only when its format is asked for, so that
plain or JSON output never pays for Rich.
"""

from __future__ import annotations

import importlib
from enum import Enum
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from dutycli.query.results import Result


class Format(str, Enum):
    table = "table"
    plain = "plain"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"
    markdown = "markdown"
    xlsx = "xlsx"


# format -> module in dutycli.render that holds its ``render(result, out)``
_RENDERERS = {
    Format.table: "table",
    Format.plain: "plain",
    Format.tsv: "delimited",
    Format.csv: "delimited",
    Format.json: "jsonfmt",
    Format.jsonl: "jsonfmt",
    Format.yaml: "yamlfmt",
    Format.markdown: "markdown",
    Format.xlsx: "xlsx",
}


class Formulas:
    """``--raw`` sets ``raw``: csv/tsv cells are written exactly, formulas not neutralised."""

    raw = False


# Formats whose output is bytes, never text for a terminal.
BINARY = frozenset({Format.xlsx})


def controls_shown(value: str) -> str:
    """``value`` with its control characters written as ``\\x1b``, which a terminal at the end
    of a pipe shows rather than runs (plain lines, TSV). A list holds none (lists.validate
    refuses them): only what the user typed, echoed (the task of check), has them."""
    if value.isprintable():  # the common case costs no regex
        return value
    import re

    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", value)


def default_format(out: TextIO) -> Format:
    """A table for a person at a terminal, plain lines for a pipe."""
    try:
        return Format.table if out.isatty() else Format.plain
    except (AttributeError, ValueError):
        return Format.plain


def render(result: Result, fmt: Format, out: TextIO) -> None:
    module = importlib.import_module(f"dutycli.render.{_RENDERERS[fmt]}")
    module.render(result, fmt, out)


def render_bytes(result: Result, fmt: Format) -> bytes:
    """The output as bytes, for ``--output``: text formats in UTF-8."""
    module = importlib.import_module(f"dutycli.render.{_RENDERERS[fmt]}")
    if fmt in BINARY:
        data: bytes = module.render_bytes(result)
        return data
    import io

    buffer = io.StringIO()
    module.render(result, fmt, buffer)
    return buffer.getvalue().encode("utf-8")
