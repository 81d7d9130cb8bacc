"""The fast way in (quick) against Typer: the same command, called with the same values.

For any arguments ``quick.parse`` takes, a Typer application built from the
same declarations, with every command replaced by a recorder, must call the
same command with the same values; where Typer refuses the arguments, quick
must have declined them. And the plain queries people type must not fall
through to Typer (or every query pays ~40 ms of import again).
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutycli.cli import commands as cli
from dutycli.cli import declare, quick
from dutycli.cli.app import build

from .conftest import DATA, WITHOUT_QUICK, run_main

Recorded = tuple[str, dict[str, Any], dict[str, Any]]


def _recorder(name: str, fn: Callable[..., Any], calls: list[Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def record(**kwargs: Any) -> int:
        kwargs = {k: v for k, v in kwargs.items() if not hasattr(v, "find_root")}
        calls.append((name, kwargs))
        return 0

    return record


CALLS: list[Any] = []
RECORDING = build(
    {name: _recorder(name, fn, CALLS) for name, fn in declare.COMMANDS.items()},
    _recorder("", cli.group_options, CALLS),
)


def typer_call(argv: list[str]) -> Recorded | None:
    """What the Typer application calls for ``argv``: (command, group values, values), or None."""
    CALLS.clear()
    code = RECORDING(args=argv, prog_name="duty", standalone_mode=False)
    if code != 0 or len(CALLS) != 2:
        return None
    (_, group), (name, values) = CALLS
    return name, group, values


def with_defaults(fn: Callable[..., Any], given: dict[str, Any]) -> dict[str, Any]:
    params = inspect.signature(fn).parameters.values()
    values = {p.name: p.default for p in params if p.annotation is not declare.Context}
    values.update(given)
    return values


def quick_call(argv: list[str]) -> Recorded | None:
    call = quick.parse(argv)
    if call is None:
        return None
    return (
        call.command,
        with_defaults(cli.group_options, call.group),
        with_defaults(declare.COMMANDS[call.command], call.values),
    )


PLAIN = [
    ["search", "低保"],
    ["search", "残疾人", "补贴", "--limit", "0"],
    ["search", "canji", "-n", "5", "--in", "name", "--in", "street", "-o", "json"],
    ["--data", str(DATA), "search", "低保"],
    ["--data=" + str(DATA), "--no-pager", "show", "17", "18"],
    ["show", "第17项", "--format", "TABLE"],
    ["show", "17", "--data", str(DATA)],
    ["by-dept", "民政局", "--count", "-s", "青山路", "--kind", "配合"],
    ["by-dept", "区卫健委", "--limit=20", "--no-pager"],
    ["by-category", "民生"],
    ["check", "督促物业公司做好考评打分工作"],
    ["check", "-"],
    ["check", "-s", "青山路街道", "为辖区美容美发场所核发卫生许可证", "-o", "jsonl"],
    ["cite", "4"],
    ["list", "-o", "csv"],
    ["lists"],
    ["depts"],
    ["categories"],
    ["export"],
    ["info"],
    ["guarantees"],
    ["search", "--", "-低保"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_plain_queries_take_the_fast_way(argv: list[str]) -> None:
    fast = quick_call(argv)
    assert fast is not None, "fell through to Typer"
    assert fast == typer_call(argv)


UNSURE = [
    [],
    ["--help"],
    ["search", "--help"],
    ["search", "-h"],
    ["--version"],
    ["serach", "低保"],
    ["search"],
    ["search", "低保", "--limit", "-1"],
    ["search", "低保", "--limit", "x"],
    ["search", "低保", "-n5"],
    ["search", "低保", "-o", "nonsense"],
    ["show", "17", "-o", "json", "-o", "csv"],
    ["show", "17", "--data"],
    ["by-dept", "民政局", "--count=yes"],
    ["by-dept"],
    ["by-dept", "民政局", "卫健委"],
    ["--data", "--no-pager", "list"],
    ["--", "search", "低保"],
    ["search", "低保", "--nonsense"],
]


@pytest.mark.parametrize("argv", UNSURE, ids=" ".join)
def test_anything_unsure_is_left_to_typer(argv: list[str]) -> None:
    assert quick.parse(argv) is None


def test_shell_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_DUTY_COMPLETE", "complete_bash")
    assert quick.parse(["search", "低保"]) is None


def _options(fn: Callable[..., Any]) -> dict[str, Any]:
    """Each option spelling of ``fn`` and its declared type."""
    spelled = {}
    for hint in fn.__annotations__.values():
        for meta in getattr(hint, "__metadata__", ()):
            if isinstance(meta, declare.Opt):
                spelled.update(dict.fromkeys(meta.decls, hint.__origin__))
    return spelled


def _values(hint: Any) -> tuple[list[str], list[str]]:
    """Values of this type that Click takes, and some it may not."""
    text = str(hint)
    if "bool" in text:
        return [], []
    if "int" in text:
        return ["0", "3", "+2", " 4", "1_0"], ["-1", "x", ""]
    if "Format" in text:
        return ["json", "JSON", "Csv", "table"], ["nonsense", "xlsx", "-"]
    if "Path" in text:
        return [str(DATA), "/", "/nonexistent/x.yaml"], ["-", ""]
    return ["低保", "基本", "配合", "name", "street", "青山路", ""], ["-", "--x"]


WORDS = ["低保", "17", "第17项", "-", "民政局"]
NOISE = ["--", "x", "", "-1", "--help", "-h", "--version", "-n5", "--nonsense"]
GROUP = ["--data", str(DATA), "--no-pager", "--data=" + str(DATA), "--version", "-h"]


@st.composite
def arguments(draw: st.DrawFn) -> list[str]:
    """Arguments for one command: mostly its own options with values of their type, some noise."""
    argv = draw(st.lists(st.sampled_from(GROUP), max_size=2))
    name = draw(st.sampled_from(sorted(declare.COMMANDS)))
    argv.append(name)
    options = {**_options(declare.COMMANDS[name]), "--data": Path, "--no-pager": bool}
    for _ in range(draw(st.integers(0, 6))):
        choice = draw(st.integers(0, 19))
        if choice < 10:
            spelled = draw(st.sampled_from(sorted(options)))
            good, bad = _values(options[spelled])
            if not good:
                argv.append(spelled)
                continue
            value = draw(st.sampled_from(bad if choice == 9 else good))
            argv += [f"{spelled}={value}"] if choice < 2 else [spelled, value]
        elif choice < 18:
            argv.append(draw(st.sampled_from(WORDS)))
        else:
            argv.append(draw(st.sampled_from(NOISE + sorted(declare.COMMANDS) + GROUP)))
    return argv


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arguments())
def test_whatever_quick_takes_typer_calls_alike(argv: list[str]) -> None:
    fast = quick_call(argv)
    if fast is not None:
        assert fast == typer_call(argv)
        TAKEN.append(argv)


TAKEN: list[list[str]] = []


def test_the_generated_arguments_were_often_taken() -> None:
    """The comparison above is not empty: quick took a good share of what it was given."""
    if not TAKEN:
        test_whatever_quick_takes_typer_calls_alike()
    assert len(TAKEN) >= 120


def test_an_unreadable_data_path_is_left_to_typer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("x", encoding="utf-8")
    readable = os.access
    # (chmod 0 would not do: CI runs as root, who reads every file)
    monkeypatch.setattr(os, "access", lambda p, mode: str(p) != str(locked) and readable(p, mode))
    argv = ["--data", str(locked), "search", "低保"]
    assert quick.parse(argv) is None
    assert typer_call(argv) is None
    assert quick_call(["--data", str(tmp_path), "search", "低保"]) == typer_call(
        ["--data", str(tmp_path), "search", "低保"]
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "低保"],
        ["show", "17", "-o", "json"],
        ["by-dept", "民政局", "--count"],
        ["show", "999"],
        ["by-dept", "不存在的部门"],
        ["check", "督促物业公司做好考评打分工作"],
        ["search", "qqqqzzzz"],
        ["--data", "/nonexistent/x.yaml", "list"],
    ],
    ids=" ".join,
)
def test_a_real_run_answers_alike_both_ways(argv: list[str]) -> None:
    """``duty`` as installed, against the same run with the fast way switched off."""
    fast = run_main(argv)
    assert fast == run_main(argv, WITHOUT_QUICK)
    assert fast[1] or fast[2]
