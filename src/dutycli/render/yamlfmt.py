"""YAML in the data file's schema: items come out as a list file that loads back."""

from __future__ import annotations

from typing import TextIO

from dutycli.render import Format
from dutycli.results import Items, Result
from dutycli.serialize import dump_yaml


def render(result: Result, fmt: Format, out: TextIO) -> None:
    if isinstance(result, Items):
        out.write(dump_yaml(result.as_list()))
        return
    import yaml

    out.write(yaml.safe_dump(result.yaml_value, allow_unicode=True, sort_keys=False, width=1 << 30))
