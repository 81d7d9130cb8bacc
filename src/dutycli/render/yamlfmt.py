"""YAML in the data file's schema: items come out as a list file that loads back."""

from __future__ import annotations

from typing import TextIO

from dutycli.lists.serialize import dump_yaml
from dutycli.query.results import Items, Result, Table
from dutycli.render import Format


def render(result: Result, fmt: Format, out: TextIO) -> None:
    if isinstance(result, Items):
        out.write(dump_yaml(result.as_list()))
        return
    if not isinstance(result, Table) or result.yaml_value is None:
        from dutycli.errors import UsageError

        raise UsageError("这个命令的结果不是清单文件的一部分，不能输出为 yaml；可用 json。")
    import yaml

    out.write(yaml.safe_dump(result.yaml_value, allow_unicode=True, sort_keys=False, width=1 << 30))
