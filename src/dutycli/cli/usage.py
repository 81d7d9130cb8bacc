"""Click's usage messages in Chinese: one table, keyed on the templates Click formats them from.

Typer (through the Click it carries) reports a usage error in English, built
from a handful of f-string templates. Each template is written here as Click
writes it, with a Chinese template beside it; a template's fields become a
pattern, so a message is matched against the templates in order (the most
specific first) and said again in Chinese with the same values. A message
that matches none is shown as Click wrote it: a new Click message is never
lost, only untranslated (``tests/test_usage.py`` runs every entry).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# (Click's template, ours), for the messages our commands can get: each entry
# but the last (any other bad value) is reached by a real run in
# tests/test_usage.py. ``{x!r}`` stands for a
# quoted value, ``{x}`` for a bare one; a field keeps its name on both sides.
MESSAGES: tuple[tuple[str, str], ...] = (
    # NoSuchOption, with the options Click finds close.
    (
        "No such option: {option} (Possible options: {close})",
        "没有这个选项：{option}（是不是 {close}？）",
    ),
    ("No such option: {option}", "没有这个选项：{option}"),
    # Group.resolve_command; Typer's suggestion.
    ("No such command {name!r}. Did you mean {close}?", "没有这个命令：{name}（是不是 {close}？）"),
    ("No such command {name!r}.", "没有这个命令：{name}"),
    ("Missing command.", "缺少命令（如 search、show、list）"),
    # MissingParameter.
    ("Missing argument {param}.", "缺少参数 {param}"),
    # The option parser.
    ("Option {option!r} requires an argument.", "选项 {option} 需要一个值"),
    ("Option {option!r} does not take a value.", "选项 {option} 不带值（写 {option} 即可）"),
    ("Got unexpected extra argument(s) ({args})", "多余的参数：{args}"),
    # BadParameter: "Invalid value for {hint}: " and the message of the type.
    (
        "Invalid value for {hint}: {value!r} is not one of {choices}.",
        "{hint} 的值“{value}”无效，可选：{choices}",
    ),
    (
        "Invalid value for {hint}: {value!r} is not a valid int.",
        "{hint} 应为整数，而不是“{value}”",
    ),
    (
        "Invalid value for {hint}: {value!r} is not a valid int range.",
        "{hint} 应为整数，而不是“{value}”",
    ),
    (
        "Invalid value for {hint}: {value} is not in the range {range}.",
        "{hint} 的值 {value} 超出范围：应{range}",
    ),
    ("Invalid value for {hint}: {message}", "{hint} 的值无效：{message}"),
)


def _first_spelling(hint: str) -> str:
    """Click's hint names every spelling ('--limit' / '-n'): the first one names it."""
    return hint.split(" / ")[0].strip("'")


def _choices(text: str) -> str:
    return "、".join(c.strip(" '") for c in text.split(","))


def _range(text: str) -> str:
    """Click's ranges (x>=0, 1<=x<=5) in words."""
    return (
        text.replace("<=x<=", " 到 ")
        .replace("x>=", "不小于 ")
        .replace("x<=", "不大于 ")
        .replace("x>", "大于 ")
        .replace("x<", "小于 ")
    )


# How a field's value is said, where it is not said as it is.
_FIELDS: dict[str, Callable[[str], str]] = {
    "hint": _first_spelling,
    "param": _first_spelling,
    "choices": _choices,
    "range": _range,
    "close": lambda text: text.replace("'", ""),
}


def _pattern(template: str) -> re.Pattern[str]:
    """A template as a pattern: its text literally, each field as a named group."""
    out = []
    for text, field in re.findall(r"([^{]*)(?:\{(\w+(?:!r)?)\})?", template):
        out.append(re.escape(text))
        if field:
            name, _, conversion = field.partition("!")
            out.append(f"'(?P<{name}>.*?)'" if conversion == "r" else f"(?P<{name}>.*?)")
    return re.compile("".join(out), re.DOTALL)


_table: list[tuple[re.Pattern[str], str]] = []  # compiled on the first usage error, not every run


def translate(message: str) -> str:
    """Click's ``message`` in Chinese, or as it is when no template matches it."""
    message = message.strip()
    if not _table:
        _table.extend((_pattern(click), ours) for click, ours in MESSAGES)
    for pattern, ours in _table:
        m = pattern.fullmatch(message)
        if m:
            values = {k: _FIELDS.get(k, str)(v) for k, v in m.groupdict().items()}
            return ours.format(**values)
    return message
