"""What people see at a terminal: pager, notices, layouts at any width, messages in Chinese."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dutycli.lists.load import load

from .conftest import DATA, EXAMPLES, Duty

LIST = load(DATA)
BORDERS = set("┌┐└┘├┤┬┴┼─│")


def at_terminal(
    *args: str, env: dict[str, str] | None = None, tmp: Path, lines: int = 20
) -> tuple[str, str]:
    """Run duty with stdout on a pseudo-terminal; (what the terminal showed, stderr)."""
    master, slave = pty.openpty()
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DUTY_DATA", "PAGER", "LESS")},
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "COLUMNS": "100",
        "LINES": str(lines),
        "NO_COLOR": "1",
        "TERM": "dumb",
        **(env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "dutycli", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=environment,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed: the process is done with it
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.stderr is not None
    stderr = process.stderr.read().decode("utf-8")
    process.wait(timeout=30)
    os.close(master)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), stderr


# -- pager ---------------------------------------------------------------------

MARK_LINES = "sed s/^/PAGED:/"  # a pager that shows it was used


def test_long_table_goes_through_the_pager(tmp_path: Path) -> None:
    shown, _ = at_terminal("list", env={"PAGER": MARK_LINES}, tmp=tmp_path)
    lines = [line for line in shown.splitlines() if line.strip()]
    assert len(lines) > 20 and all(line.startswith("PAGED:") for line in lines)


def test_no_pager_option_before_or_after_the_command(tmp_path: Path) -> None:
    for args in (("--no-pager", "list"), ("list", "--no-pager")):
        shown, _ = at_terminal(*args, env={"PAGER": MARK_LINES}, tmp=tmp_path)
        assert "PAGED:" not in shown and "开展联动监督、办案" in shown


def test_short_output_and_pipes_never_page(tmp_path: Path) -> None:
    shown, _ = at_terminal("show", "4", env={"PAGER": MARK_LINES}, tmp=tmp_path, lines=80)
    assert "PAGED:" not in shown and "负责报名资格审核工作" in shown
    piped = subprocess.run(
        [sys.executable, "-m", "dutycli", "list", "-o", "table"],
        capture_output=True,
        env={**os.environ, "PAGER": MARK_LINES, "XDG_CACHE_HOME": str(tmp_path / "c")},
        check=True,
    )
    assert b"PAGED:" not in piped.stdout


def test_default_pager_is_less_with_frx(tmp_path: Path) -> None:
    # The pager sees LESS=FRX as git sets it; a stand-in pager prints it.
    shown, _ = at_terminal("list", env={"PAGER": "sh -c 'echo LESS=$LESS; cat'"}, tmp=tmp_path)
    assert shown.startswith("LESS=FRX")


# -- notices ---------------------------------------------------------------------


def test_search_says_how_many_were_left_out_at_a_terminal(tmp_path: Path) -> None:
    _, stderr = at_terminal("--no-pager", "search", "社区", tmp=tmp_path)
    total = len(
        subprocess.run(
            [sys.executable, "-m", "dutycli", "search", "社区", "--limit", "0"],
            capture_output=True,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "c")},
            check=True,
        ).stdout.splitlines()
    )
    assert total > 20
    assert f"显示 20 / {total} 项，用 --limit 0 查看全部。" in stderr


def test_no_notice_in_a_pipe_or_when_all_fit(duty: Duty, tmp_path: Path) -> None:
    assert "显示" not in duty("search", "社区").stderr
    _, stderr = at_terminal("--no-pager", "search", "社区", "--limit", "0", tmp=tmp_path)
    assert "显示" not in stderr


# -- layouts -------------------------------------------------------------------------


def test_cite_at_a_terminal_is_one_paragraph(tmp_path: Path) -> None:
    shown, _ = at_terminal("cite", "4", tmp=tmp_path, env={"COLUMNS": "40"})
    text = shown.strip("\n")
    assert "\n" not in text and text.startswith("依据《") and text.endswith("签字盖章。")


def test_diff_markers_survive_without_colour(duty: Duty) -> None:
    old, new = EXAMPLES / "good" / "minimal.yaml", EXAMPLES / "diff" / "minimal-revised.yaml"
    table = duty("diff", str(old), str(new), "-o", "table").stdout
    assert "{+申请+}" in table and "{+对违规领取低保金的人员进行追缴。+}" in table


@pytest.mark.parametrize("width", ["80", "120"])
def test_list_table_is_one_line_an_item_with_whole_department_names(duty: Duty, width: str) -> None:
    out = duty("list", "-o", "table", env={"COLUMNS": width}).stdout
    lines = out.splitlines()
    header = next(line for line in lines if "编号" in line)
    assert "编号" in header  # not 编 and 号 on two lines
    rules = [line for line in lines if line.startswith("├")]
    assert len(rules) == 1  # under the header only: no rule between rows
    cells = [line.split("│")[4].strip() for line in lines if line.startswith("│")]
    from dutycli.render.cells import cell_width

    column = len(header.split("│")[4]) - 2  # without its padding
    names = {d.name for d in LIST.departments}
    too_wide = [n for n in names if sum(map(cell_width, n)) > column]
    # A department name is whole in its line unless it is wider than the column.
    for cell in {c for c in cells if c and c != "对应上级部门"} - names:
        assert any(cell in name for name in too_wide), cell
    assert all(not line.startswith(" ") for line in lines)


def test_no_wrapped_line_starts_with_a_space() -> None:
    from rich.console import Console

    from dutycli.render.cells import wrap
    from dutycli.render.table import FoldedText

    text = "低保 审核 通过 的人员 发放 低保 确认 通知书 abc defgh ij"
    for width in range(4, 20):
        lines = FoldedText(text).wrap(Console(width=width), width)
        assert [line.plain for line in lines if line.plain.startswith(" ")] == []
        assert "".join(line.plain for line in lines).replace(" ", "") == text.replace(" ", "")
        assert not [line for line in wrap(text, width) if line.startswith(" ")]


def test_snippets_grow_with_the_terminal(duty: Duty) -> None:
    def snippet_length(width: str) -> int:
        out = duty("search", "低保", "--limit", "1", "--format", "json").stdout
        assert out
        table = duty("search", "低保", "--limit", "1", "-o", "table", env={"COLUMNS": width}).stdout
        cells = "".join(
            line.split("│")[3].strip() for line in table.splitlines() if line.startswith("│")
        )
        return len(cells)

    assert snippet_length("160") > snippet_length("80")


def test_every_occurrence_in_a_snippet_is_highlighted() -> None:
    from rich.console import Console

    from dutycli.query.results import ItemRow
    from dutycli.query.search import Match
    from dutycli.render.table import _matches

    item = LIST.by_id[6]
    text = "对低保审核通过的人员发放低保确认通知书"
    row = ItemRow(item, 1.0, (Match("低保", "exact", "street", "街道配合职责", text, 1, 3),))
    rendered = _matches(row, 30)
    styled = [rendered.plain[s.start : s.end] for s in rendered.spans if "reverse" in str(s.style)]
    assert styled == ["低保", "低保"]
    with open(os.devnull, "w") as devnull:
        Console(file=devnull, width=60).print(rendered)


@pytest.mark.parametrize("width", ["20", "35", "59"])
def test_narrow_terminals_stack_and_lose_nothing(duty: Duty, width: str) -> None:
    for args, wanted in (
        (("show", "17"), [s for b in LIST.by_id[17].upper_duties for s in b.steps]),
        (("list",), [i.name for i in LIST.items]),
        (("depts",), [d.name for d in LIST.departments]),
    ):
        out = duty(*args, "-o", "table", env={"COLUMNS": width}).stdout
        flat = re.sub(r"\s", "", out)
        assert not BORDERS & set(out)
        for text in wanted:
            assert re.sub(r"\s", "", text) in re.sub(r"[│┌┐└┘├┤┬┴┼─]", "", flat), text


# -- words ------------------------------------------------------------------------------


def test_version(duty: Duty) -> None:
    from dutycli import __version__

    result = duty("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"duty {__version__}"


def test_help_groups_commands_queries_first_with_examples(duty: Duty) -> None:
    out = duty("--help").stdout
    headings = [line for line in out.splitlines() if line.endswith("：") and not line[0].isspace()]
    assert headings[-4:] == ["查询命令：", "列出、比较与导出：", "管理命令：", "例子："]
    assert out.index("  search") < out.index("  list") < out.index("  validate")
    assert "duty search 低保" in out.split("例子：")[1]


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("search", "低保", "--limit", "-1"), "--limit 的值 -1 超出范围：应不小于 0"),
        (("search", "低保", "--limit", "abc"), "--limit 应为整数，而不是“abc”"),
        (("list", "-o", "xls"), "--format 的值“xls”无效，可选：table、plain、tsv"),
        (("search", "低保", "--limit"), "运行 duty search --help 查看帮助"),
        (("show", "第十七项"), "事项编号应为整数"),
        (("--data", "x.yaml"), "缺少命令"),
        (("list", "--data"), "缺少命令"),
    ],
)
def test_usage_messages_are_chinese(duty: Duty, args: tuple[str, ...], wanted: str) -> None:
    result = duty(*args)
    assert result.exit_code == 2
    assert wanted in result.stderr
    error = next(line for line in result.stderr.splitlines() if line.startswith(("错误", "duty:")))
    assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", re.sub(r"duty [a-z-]+", "", error)), error


def test_data_after_the_command_is_accepted(duty: Duty) -> None:
    minimal = str(EXAMPLES / "good" / "minimal.yaml")
    before = duty("--data", minimal, "list")
    for args in (("list", "--data", minimal), ("list", f"--data={minimal}")):
        after = duty(*args)
        assert after.exit_code == 0 and after.stdout == before.stdout
    assert duty("search", "--", "--data").exit_code == 1  # after -- it is a word to find


def test_check_plain_separates_candidates_for_scripts(duty: Duty) -> None:
    line = duty("check", "开展辖区消防安全检查").stdout.rstrip("\n")
    _task, verdict, ids, names, _score = line.split("\t")
    assert verdict == "相近"
    numbers = [int(i) for i in ids.split(",")]
    assert names.split(" | ") == [LIST.by_id[i].name for i in numbers]
    assert any("、" in LIST.by_id[i].name for i in numbers)  # why 、 cannot separate them


def test_guarantees_join_sentences_without_a_stray_comma(duty: Duty) -> None:
    out = duty("guarantees", "民政局").stdout
    assert "。、" not in out
    assert "发放协理员补助资金。提供政策业务指导培训。" in out


def test_install_completion_reports_in_chinese(
    duty: Duty, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import typer._completion_shared as shared

    calls: list[str | None] = []

    def install(shell: str | None = None) -> tuple[str, Path]:
        calls.append(shell)
        return "bash", tmp_path / "duty.sh"

    monkeypatch.setattr(shared, "install", install)
    result = duty("--install-completion")
    assert result.exit_code == 0 and len(calls) == 1
    assert (
        result.stdout == f"已为 bash 安装命令补全：{tmp_path / 'duty.sh'}\n重新打开终端后生效。\n"
    )
