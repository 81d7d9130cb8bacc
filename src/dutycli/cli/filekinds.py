"""Which kind of file a user names: an ``--output`` the format can be, an input duty can read.

``--output 清单.xls`` with plain text inside, or ``duty diff 清单.docx …``
told to save the file as UTF-8, are answered here before anything is read or
written: the message names what to use instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dutycli.errors import UsageError
from dutycli.render import BINARY, Format

# --output without --format: the file name's extension says which format.
EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".tsv": "tsv", ".json": "json"}
EXTENSIONS |= {".jsonl": "jsonl", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown"}
# The file name a format's file would have, to suggest one.
_SUFFIX = {fmt: ext for ext, fmt in reversed(EXTENSIONS.items())} | {
    "plain": ".txt",
    "table": ".txt",
}

_WORKBOOK = "duty 写出的 Excel 工作簿是 .xlsx：请用 -o xlsx --output {stem}.xlsx"
_DOCUMENT = (
    "duty 不写 Word、WPS 文字或 PDF 文件：请用 -o xlsx --output {stem}.xlsx 写 Excel 工作簿"
    "（版式同公布的清单，可直接打印），或 -o markdown --output {stem}.md"
)
_PAGE = (
    "网页请用 duty html --output {stem}.html 生成；查询结果请用 -o xlsx --output {stem}.xlsx"
    " 或 -o markdown --output {stem}.md"
)
# Extensions of files no format of ours is.
FOREIGN = {ext: _WORKBOOK for ext in (".xls", ".xlsm", ".xlsb", ".et", ".ods")}
FOREIGN |= {ext: _DOCUMENT for ext in (".docx", ".doc", ".wps", ".odt", ".rtf", ".pdf")}
FOREIGN |= {ext: _PAGE for ext in (".html", ".htm", ".mht", ".mhtml")}


def output_format(output: Path, fmt: Format | None) -> Format:
    """The format written to ``output``: --format, else its extension's; a mismatch is refused."""
    ext = output.suffix.lower()
    if ext in FOREIGN:
        stem = output.stem or "结果"
        raise UsageError(f"不能写成 {output.name}：{FOREIGN[ext].format(stem=stem)}")
    wanted = EXTENSIONS.get(ext)
    if fmt is None:
        return Format(wanted or "plain")
    if wanted is not None and wanted != fmt.value:
        raise UsageError(
            f"--output {output.name} 的扩展名 {ext} 是 {wanted} 格式，与 -o {fmt.value} 不符："
            f"请用 -o {wanted}，或把文件名改为 {output.stem}{_SUFFIX[fmt.value]}"
        )
    if fmt in BINARY and ext != _SUFFIX[fmt.value]:
        raise UsageError(
            f"{fmt.value} 是二进制文件格式，文件名应以 {_SUFFIX[fmt.value]} 结尾："
            f"请用 --output {output.stem or '结果'}{_SUFFIX[fmt.value]}"
        )
    return fmt


def page_output(output: Path) -> None:
    """``duty html --output``: a web page's name ends in .html (or .htm)."""
    ext = output.suffix.lower()
    if ext not in ("", ".html", ".htm"):
        raise UsageError(
            f"duty html 写出的是网页，文件名应以 .html 结尾，而不是 {output.name}："
            f"请用 --output {output.stem or '清单'}.html；"
            "Excel 工作簿请用 duty export -o xlsx --output 清单.xlsx"
        )


def list_output(output: Path) -> None:
    """``duty import --output``: a list file is YAML."""
    if output.suffix.lower() not in ("", ".yaml", ".yml"):
        raise UsageError(
            f"duty import 写出的是 YAML 清单文件，文件名应以 .yaml 结尾，而不是 {output.name}："
            f"请用 --output {output.stem or '清单'}.yaml"
        )


# The first bytes of a published file (not a list file): a zip (.docx, .xlsx,
# .wps of today), an OLE compound file (.doc, .xls, old .wps, .et).
_MAGIC = ((b"PK\x03\x04", "Word/Excel"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word/Excel"))
_PUBLISHED = {".docx": "Word", ".doc": "Word", ".wps": "WPS 文字", ".xlsx": "Excel"}
_PUBLISHED |= {".xls": "Excel", ".et": "WPS 表格", ".html": "网页", ".htm": "网页", ".pdf": "PDF"}


def path_is(test: Callable[[], bool]) -> bool:
    """``Path.is_file``/``is_dir`` that answers False instead of raising: a path too long
    or under an unsearchable directory is neither, and reading it then says why."""
    try:
        return test()
    except OSError:
        return False


def refuse_published(path: Path, command: str) -> None:
    """A published Word/Excel/web file given where a list file is read: point to ``duty import``."""
    kind = _PUBLISHED.get(path.suffix.lower())
    if kind is None:
        if not path_is(path.is_file):  # a regular file only: a FIFO would block
            return
        try:
            with path.open("rb") as f:
                head = f.read(8)
        except OSError:
            return
        kind = next((name for magic, name in _MAGIC if head.startswith(magic)), None)
    if kind is None:
        return
    hint = (
        "PDF 不能导入：请找公布时的 Word、Excel 或网页原件"
        if kind == "PDF"
        else f"请先转换：duty import {path} --output {path.stem}.yaml，"
        f"再对 {path.stem}.yaml 运行 duty {command}"
    )
    raise UsageError(f"{path} 是{kind}文件，不是 duty 的清单数据文件（YAML）。{hint}")
