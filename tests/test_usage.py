"""Click's usage messages through the one table of ``cli.usage``: every entry, and real runs."""

from __future__ import annotations

import re
import string

import pytest

from dutycli.cli.usage import MESSAGES, translate

from .conftest import Duty

# A value for each field, as Click would put it in its message.
SAMPLES = {
    "option": "--lmit",
    "close": "--limit",
    "name": "serch",
    "param": "'QUERY...'",
    "args": "x y",
    "hint": "'--limit' / '-n'",
    "value": "abc",
    "choices": "'table', 'plain'",
    "range": "x>=0",
    "message": "奇怪的值",
}
SAID = {
    **SAMPLES,
    "hint": "--limit",
    "param": "QUERY...",
    "choices": "table、plain",
    "range": "不小于 0",
}


def _fields(template: str) -> list[tuple[str, str | None]]:
    return [(f, c) for _, f, _, c in string.Formatter().parse(template) if f]


def _click_message(template: str) -> str:
    values = {f: repr(SAMPLES[f]) if c == "r" else SAMPLES[f] for f, c in _fields(template)}
    return template.replace("!r}", "}").format(**values)


@pytest.mark.parametrize(("click", "ours"), MESSAGES, ids=[c for c, _ in MESSAGES])
def test_each_template_is_said_in_chinese_with_its_values(click: str, ours: str) -> None:
    """Also catches an entry shadowed by a looser one before it: the order matters."""
    said = translate(_click_message(click))
    assert said == ours.format(**{f: SAID[f] for f, _ in _fields(ours)})
    assert not re.search(r"\b(?:is|not|for|such|Missing|Invalid)\b", said), said


def test_every_field_of_ours_comes_from_clicks() -> None:
    for click, ours in MESSAGES:
        assert {f for f, _ in _fields(ours)} <= {f for f, _ in _fields(click)}, click


def test_a_message_no_template_knows_is_shown_as_click_wrote_it() -> None:
    assert translate("  Something new in Click.\n") == "Something new in Click."


def test_ranges_and_spellings_in_words() -> None:
    said = translate("Invalid value for '--limit' / '-n': 9 is not in the range 1<=x<=5.")
    assert said == "--limit 的值 9 超出范围：应1 到 5"


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("search", "低保", "--limit", "-1"), "错误：--limit 的值 -1 超出范围：应不小于 0"),
        (("search", "低保", "--limit", "abc"), "错误：--limit 应为整数，而不是“abc”"),
        (("search", "--lmit", "3", "低保"), "错误：没有这个选项：--lmit（是不是 --in, --limit？）"),
        (("serch", "低保"), "错误：没有这个命令：serch（是不是 search？）"),
        (("search",), "错误：缺少参数 QUERY..."),
        (("list", "-o"), "错误：选项 -o 需要一个值"),
        (("check", "--explain=yes", "征兵"), "错误：选项 --explain 不带值（写 --explain 即可）"),
        (("list", "extra"), "错误：多余的参数：extra"),
        (("import", "a.docx", "--table", "二"), "错误：--table 应为整数，而不是“二”"),
        (("--data", "x.yaml"), "错误：缺少命令（如 search、show、list）"),
    ],
)
def test_real_usage_errors_go_through_the_table(
    duty: Duty, args: tuple[str, ...], wanted: str
) -> None:
    result = duty(*args)
    assert result.exit_code == 2
    assert wanted in result.stderr.splitlines(), result.stderr
    assert result.stderr.splitlines()[0].strip(), result.stderr  # no empty usage line
