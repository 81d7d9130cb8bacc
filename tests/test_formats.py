"""Every output format, the JSON contract, exit codes, pipes and encodings."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dutycli.lists.load import load, parse
from dutycli.lists.serialize import item_to_dict
from dutycli.render import BINARY, Format

from .conftest import DATA, Duty

LIST = load(DATA)
ITEM_KEYS = ["id", "name", "category", "departments", "upper_duties", "guarantees", "street_duties"]
COMMANDS = [
    ("search", "低保"),
    ("by-dept", "民政局"),
    ("by-category", "二"),
    ("show", "17", "1"),
    ("list",),
]


def test_json_contract(duty: Duty) -> None:
    records = json.loads(duty("show", "17", "40", "-o", "json").stdout)
    assert [r["id"] for r in records] == [17, 40]
    for record in records:
        assert list(record) == ITEM_KEYS
        assert record == item_to_dict(LIST.by_id[record["id"]])
        for block in record["upper_duties"]:
            assert list(block) == ["departments", "heading", "steps"]
        for section in record["street_duties"]:
            assert list(section) == ["heading", "steps"]


def test_search_json_adds_score_and_matched_and_removes_nothing(duty: Duty) -> None:
    records = json.loads(duty("search", "低保", "-o", "json").stdout)
    for record in records:
        assert list(record) == [*ITEM_KEYS, "score", "matched"]
        assert {k: record[k] for k in ITEM_KEYS} == item_to_dict(LIST.by_id[record["id"]])
        assert isinstance(record["score"], float)
        for match in record["matched"]:
            assert set(match) == {
                "word",
                "via",
                "field",
                "column",
                "department",
                "step",
                "text",
                "start",
                "end",
            }


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_jsonl_matches_json(duty: Duty, argv: tuple[str, ...]) -> None:
    array = json.loads(duty(*argv, "-o", "json").stdout)
    lines = [json.loads(line) for line in duty(*argv, "-o", "jsonl").stdout.splitlines()]
    assert lines == array


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_csv_reads_back(duty: Duty, argv: tuple[str, ...]) -> None:
    out = duty(*argv, "-o", "csv").stdout
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out[1:], newline="")))
    header, body = rows[0], rows[1:]
    assert header[:7] == [
        "编号",
        "事项名称",
        "类别",
        "对应上级部门",
        "上级部门职责",
        "履职保障",
        "街道配合职责",
    ]
    records = json.loads(duty(*argv, "-o", "json").stdout)
    assert [int(r[0]) for r in body] == [r["id"] for r in records]
    for row, record in zip(body, records, strict=False):
        item = LIST.by_id[record["id"]]
        assert row[3] == "、".join(item.departments)
        street = [s for sec in item.street_duties for s in sec.steps]
        assert len(row[6].split("\n")) >= len(street)
        assert street[-1].split("\n")[-1] in row[6]


def test_tsv_is_one_record_a_line(duty: Duty) -> None:
    lines = duty("by-dept", "应急局", "-o", "tsv").stdout.splitlines()
    widths = {len(line.split("\t")) for line in lines}
    assert widths == {7}
    assert len(lines) == 1 + sum(1 for i in LIST.items if "青山区应急管理局" in i.departments)
    assert "\\n" in lines[1]


def test_markdown_table(duty: Duty) -> None:
    lines = duty("by-category", "城乡", "-o", "markdown").stdout.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert table[0].startswith("| 编号 | 事项名称 |")
    assert table[1].startswith("|---|")
    assert len(table) == 2 + sum(1 for i in LIST.items if i.category == "城乡建设")
    assert all(line.count(" | ") == 6 for line in table[2:])


def test_yaml_loads_back_as_a_list(duty: Duty, tmp_path: Path) -> None:
    out = duty("by-dept", "民政局", "-o", "yaml").stdout
    part = parse(out, "mz.yaml")
    expected = [i for i in LIST.items if "青山区民政局" in i.departments]
    assert list(part.items) == expected
    assert {d.name for d in part.departments} == {n for i in expected for n in i.departments}
    (tmp_path / "mz.yaml").write_text(out, encoding="utf-8")
    listed = duty("--data", str(tmp_path / "mz.yaml"), "list")
    assert [int(x.split("\t")[0]) for x in listed.stdout.splitlines()] == [i.id for i in expected]


def test_export_yaml_is_the_data_file(duty: Duty) -> None:
    assert parse(duty("export", "-o", "yaml").stdout, "export.yaml") == LIST


def test_export_defaults_to_json(duty: Duty) -> None:
    records = json.loads(duty("export").stdout)
    assert records == [item_to_dict(i) for i in LIST.items]


def test_plain_when_piped(duty: Duty) -> None:
    out = duty("by-category", "民生").stdout
    for line in out.splitlines():
        fields = line.split("\t")
        assert len(fields) == 4
        item = LIST.by_id[int(fields[0])]
        assert fields[1:] == [item.name, item.category, "、".join(item.departments)]
    assert not set("┌│└─") & set(out)
    assert "\x1b" not in out


@pytest.mark.parametrize("fmt", [f.value for f in Format])
def test_every_format_for_departments_and_categories(duty: Duty, fmt: str, tmp_path: Path) -> None:
    for command in ("depts", "categories"):
        if fmt in BINARY:  # a workbook: written to a file and read back
            target = tmp_path / f"{command}.{fmt}"
            result = duty(command, "-o", fmt, "--output", str(target))
            text = workbook_text(target)
        else:
            result = duty(command, "-o", fmt)
            text = result.stdout
        assert result.exit_code == 0, result.stderr
        assert "青山区民政局" in text or "民生服务" in text


def workbook_text(path: Path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return "\n".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row)


def test_exit_codes(duty: Duty) -> None:
    assert duty("search", "低保").exit_code == 0
    nothing = duty("search", "火箭发射")
    assert nothing.exit_code == 1 and nothing.stdout == ""
    assert duty("search").exit_code == 2
    assert duty("search", "低保", "--format", "xml").exit_code == 2
    assert duty("nonsense").exit_code == 2
    assert duty("--data", "/nonexistent/list.yaml", "list").exit_code == 2


def test_help_states_the_exit_codes(duty: Duty) -> None:
    assert "0 找到结果，1 没有结果，2 用法或数据错误" in duty("--help").stdout


def test_ctrl_c_exits_130(duty: Duty, monkeypatch: pytest.MonkeyPatch) -> None:
    import dutycli.query.search

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(dutycli.query.search, "search", interrupted)
    result = duty("search", "低保")
    assert result.exit_code == 130
    assert result.exception is None


def _run(
    args: list[str], env: dict[str, str] | None = None, **kw: object
) -> subprocess.CompletedProcess[bytes]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIO"))}
    return subprocess.run(
        [sys.executable, "-m", "dutycli", *args],
        env={**base, **(env or {})},
        capture_output=True,
        timeout=60,
        **kw,  # type: ignore[call-overload]
    )


def test_closed_pipe_ends_quietly() -> None:
    for args in (["export"], ["show", "17", "-o", "table"], ["list"]):
        read, write = os.pipe()
        os.close(read)  # the reader is gone before the first byte
        try:
            base = {k: v for k, v in os.environ.items()}
            proc = subprocess.run(
                [sys.executable, "-m", "dutycli", *args],
                stdout=write,
                stderr=subprocess.PIPE,
                env=base,
                timeout=60,
            )
        finally:
            os.close(write)
        assert proc.stderr == b"", proc.stderr.decode()
        assert proc.returncode == 128 + signal.SIGPIPE


@pytest.mark.parametrize(
    "env",
    [{"LANG": "C", "LC_ALL": "C"}, {"PYTHONIOENCODING": "latin-1"}, {"LANG": "zh_CN.GB18030"}],
)
def test_piped_output_is_utf8_whatever_the_locale(env: dict[str, str]) -> None:
    proc = _run(["search", "低保"], env)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert proc.stdout.decode("utf-8").startswith("6\t低保业务")
    error = _run(["by-dept", "青山区"], env)
    assert error.returncode == 2
    assert "可以指" in error.stderr.decode("utf-8")


def test_no_color_and_no_box_escape_codes_when_asked(duty: Duty) -> None:
    out = duty("show", "4", "-o", "table", env={"NO_COLOR": "1"}).stdout
    assert "\x1b[3" not in out


def test_an_unexpected_error_is_one_line_not_a_traceback(
    duty: Duty, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dutycli.query.search

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(dutycli.query.search, "search", broken)
    result = duty("search", "低保", env={"DUTY_DEBUG": ""})
    assert result.exit_code == 2
    assert result.exception is None
    assert "内部错误（RuntimeError: boom）" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "department"), [(("show", "17", "40"), None), (("by-dept", "民政局"), "青山区民政局")]
)
def test_piped_split_carries_every_duty(
    duty: Duty, args: tuple[str, ...], department: str | None
) -> None:
    # show and by-dept into a pipe or file: the whole split as plain text, not a summary line.
    out = duty(*args).stdout
    assert not set("┌│└─") & set(out) and "\x1b" not in out
    items = [
        i for i in LIST.items if (department in i.departments if department else i.id in (17, 40))
    ]
    assert items
    for item in items:
        assert f"第{item.id}项：{item.name}" in out
        blocks = [b for b in item.upper_duties if department is None or department in b.departments]
        for text in [s for b in blocks for s in b.steps] + [
            s for sec in item.street_duties for s in sec.steps
        ]:
            for part in text.split("\n"):
                assert part in out, part
