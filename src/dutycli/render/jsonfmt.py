"""JSON (one array) and JSON Lines (one object a line), UTF-8 without escapes."""

from __future__ import annotations

import json
from typing import TextIO

from dutycli.query.results import Result
from dutycli.render import Format


def render(result: Result, fmt: Format, out: TextIO) -> None:
    if fmt is Format.jsonl:
        for record in result.records():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        out.write(json.dumps(result.json_value(), ensure_ascii=False, indent=2) + "\n")
