"""Control characters in lists and tasks (issue 22, cause 6): refused by validate, shown not run.

A list can carry ``ESC ] 0 ; … BEL`` (which sets a terminal's window title) as a
YAML escape or in a cell of a published file; a task from another office can
carry anything. ``validate`` and ``import`` refuse them in a list with the
place; at a terminal, control characters in any text are shown as ``\\x1b``;
``-o xlsx`` writes them as Excel's own ``_x001B_`` instead of crashing.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from .conftest import EXAMPLES, Duty
from .test_terminal import at_terminal

MINIMAL = (EXAMPLES / "good" / "minimal.yaml").read_text(encoding="utf-8")
TITLE = "\\e]0;pwned\\a"  # a YAML escape: the loaded text holds ESC and BEL


@pytest.mark.parametrize(
    ("where", "old", "new", "line"),
    [
        (
            "title",
            "title: 测试街道配合履职事项清单",
            f'title: "测试街道配合履职事项清单{TITLE}"',
            3,
        ),
        ("name", "name: 低保业务", 'name: "低保\\e[2J业务"', 12),
        ("step", "- 受理低保申请并入户调查。", '- "受理低保申请\\x9b并入户调查。"', 25),
        ("category", "categories: [民生服务]", 'categories: ["民生服务", "其他\\x07"]', 6),
        ("department", "- name: 测试区民政局", '- name: "测试区民政局\\x1b"', 8),
    ],
)
def test_validate_refuses_control_characters(
    duty: Duty, tmp_path: Path, where: str, old: str, new: str, line: int
) -> None:
    path = tmp_path / f"{where}.yaml"
    assert old in MINIMAL
    path.write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")
    r = duty("validate", str(path))
    assert r.exit_code == 2, r.output
    assert f"{path}:{line}:" in r.stderr and "含有控制字符 U+00" in r.stderr, r.stderr
    assert r.stdout == ""


def test_import_refuses_a_control_character_in_a_cell(duty: Duty, tmp_path: Path) -> None:
    source = tmp_path / "table.txt"
    source.write_text(
        "# 测试街道配合履职事项清单\n\n"
        "序号\t事项名称\t对应上级部门\t上级部门职责\t苏木乡镇（街道）配合职责\n"
        "<b>一、民生服务</b>\t\t\t\t\n"
        "1\t低保\x1b]0;x\x07业务\t测试区民政局\t测试区民政局职责： 审核。\t配合。\n",
        encoding="utf-8",
    )
    depts = tmp_path / "departments.yaml"
    depts.write_text("departments:\n- {name: 测试区民政局}\n", encoding="utf-8")
    r = duty("import", str(source), "--departments", str(depts))
    assert r.exit_code == 2 and r.stdout == ""
    assert f"{source}:5: 第 1 项：含有控制字符 U+001B" in r.stderr, r.stderr


def test_a_terminal_shows_control_characters_of_a_task(tmp_path: Path) -> None:
    shown, _ = at_terminal("check", "督促物业\x1b]0;pwned\x07公司做好考评打分工作", tmp=tmp_path)
    assert "\x1b]" not in shown and "\x07" not in shown
    assert "\\x1b]0;pwned" in shown  # (Rich drops the BEL itself)


def test_a_pipe_shows_control_characters_and_json_keeps_them(duty: Duty) -> None:
    # A pipe often ends in a terminal (| less, | cat): plain lines show a task's control
    # characters as \x1b and keep one record a line (a carriage return too); TSV escapes
    # them as it escapes tabs; JSON holds the exact text for scripts.
    import json

    task = "督促物业\x1b]0;pwned\x07公司\r做好考评打分\\x工作"
    plain = duty("check", task)
    assert plain.exit_code == 0 and "\x1b" not in plain.stdout and "\r" not in plain.stdout
    assert plain.stdout.count("\n") == 1
    assert plain.stdout.startswith("督促物业\\x1b]0;pwned\\x07公司 做好考评打分\\x工作\t")
    tsv = duty("check", task, "-o", "tsv").stdout.splitlines()[1]
    assert tsv.startswith("督促物业\\x1b]0;pwned\\x07公司\\r做好考评打分\\\\x工作\t")
    assert json.loads(duty("check", task, "-o", "json").stdout)["task"] == task


def test_xlsx_holds_a_control_character_of_a_task(duty: Duty, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "check.xlsx"
    r = duty("check", "督促物业\x01公司做好考评打分工作", "-o", "xlsx", "--output", str(out))
    assert r.exception is None and r.exit_code in (0, 1), r.output
    cells = [
        c.value
        for ws in openpyxl.load_workbook(io.BytesIO(out.read_bytes())).worksheets
        for row in ws.iter_rows()
        for c in row
    ]
    # Excel's escape for a character XML cannot hold; Excel shows the character again.
    assert (
        "督促物业_x0001_公司做好考评打分工作" in cells
        or "督促物业\x01公司做好考评打分工作" in cells
    )


def test_visible_keeps_colours_and_line_breaks() -> None:
    from dutycli.cli.streams import visible

    assert visible("\x1b[1m低保\x1b[0m\n\t") == "\x1b[1m低保\x1b[0m\n\t"
    assert visible("a\x1b]0;t\x07b\x1b[2Jc\x85") == "a\\x1b]0;t\\x07b\\x1b[2Jc\\x85"


def test_a_long_step_is_cut_into_rows_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """-o xlsx cuts a step longer than a row into rows: wrapping the whole rest of the step
    again after every cut made a 20,000-character step quadratic (a list of such steps
    took 7.8 s of CPU). The characters wrapped are counted, not timed."""
    from dutycli.render import xlsx_rows

    step = "".join(f"第{n}句受理低保申请并入户调查，核实家庭收入和财产状况。" for n in range(700))
    assert len(step) > 20_000
    reference = xlsx_rows.chunks(step, 30.5)
    wrapped = 0
    line_pieces = xlsx_rows.line_pieces

    def counting(line: str, width: float) -> list[str]:
        nonlocal wrapped
        wrapped += len(line)
        return line_pieces(line, width)

    monkeypatch.setattr(xlsx_rows, "line_pieces", counting)
    pieces = xlsx_rows.chunks(step, 30.5)
    assert pieces == reference and len(pieces) > 20
    assert "".join(text for text, _ in pieces) == step
    assert all(lines <= xlsx_rows.MAX_LINES for _, lines in pieces)
    assert wrapped <= 5 * len(step), wrapped  # (about 3 times each; 33 before)
