"""Issue 20, options: one set of output options on every command that writes results.

--output on cite, guarantees and diff (they told the user to use it), --format on
info, --limit where a command lists, an --output whose extension does not match
the format refused, and Word/Excel files given to diff/validate sent to import.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from .conftest import Duty

ROOT = Path(__file__).parent
MINIMAL = ROOT / "data" / "good" / "minimal.yaml"
REVISED = ROOT / "data" / "diff" / "minimal-revised.yaml"
PUBLISHED = ROOT / "data" / "published"

WRITERS = [
    ("search", "低保"),
    ("by-dept", "民政局"),
    ("by-category", "民生服务"),
    ("show", "4"),
    ("check", "督促物业公司做好考评打分工作"),
    ("cite", "4"),
    ("guarantees",),
    ("list",),
    ("lists",),
    ("depts",),
    ("categories",),
    ("export",),
    ("info",),
    ("diff", str(MINIMAL), str(REVISED)),
]


@pytest.mark.parametrize("args", WRITERS, ids=[a[0] for a in WRITERS])
def test_every_command_writes_its_result_to_output(
    duty: Duty, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """The file holds what stdout gets in the same format, for each command the same way."""
    target = tmp_path / "结果.json"
    written = duty(*args, "--output", str(target))
    assert written.exit_code in (0, 1), written.stderr
    assert written.stdout == ""
    shown = duty(*args, "-o", "json")
    assert target.read_text(encoding="utf-8") == shown.stdout
    json.loads(shown.stdout)  # json, chosen by the extension


def test_info_has_format(duty: Duty) -> None:
    body = json.loads(duty("info", "-o", "json").stdout)
    fields = {row["name"]: row["value"] for row in body}
    plain = duty("info").stdout
    assert fields["清单"] in plain and fields["事项"] in plain
    assert fields["事项"] == f"{len(json.loads(duty('list', '-o', 'json').stdout))} 项"
    tsv = duty("info", "-o", "tsv").stdout.splitlines()
    assert tsv[0] == "项目\t内容" and len(tsv) == len(body) + 1


@pytest.mark.parametrize(
    ("name", "fmt", "advice"),
    [
        ("清单.xls", None, "-o xlsx --output 清单.xlsx"),
        ("清单.xls", "plain", "-o xlsx --output 清单.xlsx"),
        ("清单.docx", None, "-o xlsx"),
        ("清单.doc", "csv", "-o xlsx"),
        ("清单.html", None, "duty html --output 清单.html"),
        ("清单.htm", "plain", "duty html"),
        ("清单.csv", "json", "-o csv"),
        ("清单.json", "plain", "-o json"),
        ("清单.md", "table", "-o markdown"),
        ("清单.txt", "xlsx", "--output 清单.xlsx"),
    ],
)
@pytest.mark.parametrize("args", [("list",), ("search", "低保"), ("cite", "4"), ("info",)])
def test_an_output_extension_that_is_not_the_format_is_refused(
    duty: Duty, tmp_path: Path, args: tuple[str, ...], name: str, fmt: str | None, advice: str
) -> None:
    target = tmp_path / name
    result = duty(*args, "--output", str(target), *(("-o", fmt) if fmt else ()))
    assert result.exit_code == 2 and result.exception is None
    assert advice in result.stderr
    assert not target.exists() and not list(tmp_path.iterdir())


def test_matching_extensions_are_written(duty: Duty, tmp_path: Path) -> None:
    for name, fmt in [("a.csv", "csv"), ("a.txt", "plain"), ("a.txt", "tsv"), ("a", "json")]:
        result = duty("list", "-o", fmt, "--output", str(tmp_path / name))
        assert result.exit_code == 0, (name, fmt, result.stderr)


def test_export_picks_its_format_from_output(duty: Duty, tmp_path: Path) -> None:
    book = tmp_path / "清单.xlsx"
    assert duty("export", "--output", str(book)).exit_code == 0
    assert zipfile.is_zipfile(book)
    assert json.loads(duty("export").stdout)  # json by default, as before


def test_html_and_import_refuse_a_file_name_of_another_kind(duty: Duty, tmp_path: Path) -> None:
    page = duty("html", "--output", str(tmp_path / "清单.xlsx"))
    assert page.exit_code == 2 and "清单.html" in page.stderr
    source = ROOT.parent / "data" / "source" / "qingshanlu.txt"
    imported = duty("import", str(source), "--output", str(tmp_path / "清单.docx"))
    assert imported.exit_code == 2 and "清单.yaml" in imported.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("name", ["qingshanlu.docx", "qingshanlu.xlsx", "qingshanlu.xls"])
def test_diff_and_validate_of_a_published_file_point_to_import(duty: Duty, name: str) -> None:
    path = PUBLISHED / name
    for args in (("diff", str(path), str(MINIMAL)), ("diff", str(MINIMAL), str(path))):
        result = duty(*args)
        assert result.exit_code == 2 and f"duty import {path}" in result.stderr
        assert "UTF-8" not in result.stderr
    result = duty("validate", str(path))
    assert result.exit_code == 2 and f"duty import {path}" in result.stderr


def test_a_published_file_renamed_to_yaml_is_known_by_its_bytes(duty: Duty, tmp_path: Path) -> None:
    renamed = tmp_path / "清单.yaml"
    renamed.write_bytes((PUBLISHED / "qingshanlu.docx").read_bytes())
    result = duty("validate", str(renamed))
    assert result.exit_code == 2 and "duty import" in result.stderr


@pytest.mark.parametrize("args", [("list",), ("by-category", "民生服务")])
@pytest.mark.parametrize("fmt", ["plain", "json", "csv"])
def test_limit_where_a_command_lists(duty: Duty, args: tuple[str, ...], fmt: str) -> None:
    everything = json.loads(duty(*args, "-o", "json").stdout)
    assert len(everything) > 2
    cut = duty(*args, "-n", "2", "-o", fmt)
    assert cut.exit_code == 0
    assert f"显示 2 / {len(everything)} 项" in cut.stderr
    if fmt == "json":
        assert json.loads(cut.stdout) == everything[:2]
    whole = duty(*args, "--limit", "0", "-o", fmt)
    assert whole.stderr == "" and whole.stdout == duty(*args, "-o", fmt).stdout
