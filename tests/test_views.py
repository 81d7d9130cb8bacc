"""The side-by-side views: exact golden output, nothing cut off, nothing too wide."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from dutycli.lists.load import load
from dutycli.lists.model import GUARANTEES_LABEL, Item

from .conftest import DATA, EXAMPLES, Duty

LIST = load(DATA)
GOLDEN = EXAMPLES / "golden"
NUMBER = re.compile(r"^(?:\d+\.|（\d+）)")


def columns(output: str) -> list[tuple[str, str]]:
    """(left, right) text of each two-column table body in ``output``, without borders."""
    tables: list[tuple[list[str], list[str]]] = []
    body = False
    for line in output.splitlines():
        if line.startswith("┌"):
            tables.append(([], []))
            body = False
        elif line.startswith("├"):
            body = True
        elif line.startswith("│") and body:
            _, left, right, _ = line.split("│")
            tables[-1][0].append(NUMBER.sub("", left.strip()))
            tables[-1][1].append(NUMBER.sub("", right.strip()))
    return [("".join(left), "".join(right)) for left, right in tables]


def expected_upper(item: Item, department: str | None = None) -> str:
    text = "".join(
        (b.heading or "") + "".join(b.steps)
        for b in item.upper_duties
        if department is None or department in b.departments
    )
    if item.guarantees:
        text += GUARANTEES_LABEL + "".join(item.guarantees)
    return re.sub(r"\s+", "", text)


def expected_street(item: Item) -> str:
    return re.sub(
        r"\s+", "", "".join((s.heading or "") + "".join(s.steps) for s in item.street_duties)
    )


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(
    ("argv", "golden"),
    [(("show", "17"), "show-17"), (("by-dept", "区教育局"), "by-dept-jiaoyu")],
)
def test_golden_table(duty: Duty, width: int, argv: tuple[str, ...], golden: str) -> None:
    result = duty(*argv, "--format", "table", env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / f"{golden}-w{width}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [60, 80, 120, 200])
@pytest.mark.parametrize("item_id", [1, 17, 23, 36, 40, 52])
def test_show_keeps_every_character_within_the_width(duty: Duty, width: int, item_id: int) -> None:
    result = duty("show", str(item_id), "-o", "table", env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    assert "…" not in result.stdout
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= width
    item = LIST.by_id[item_id]
    [(left, right)] = columns(result.stdout)
    assert left == expected_upper(item)
    assert right == expected_street(item)


@pytest.mark.parametrize("width", [80, 120])
def test_by_dept_shows_only_that_departments_blocks(duty: Duty, width: int) -> None:
    dept = "青山区卫生健康委员会"
    result = duty("by-dept", "卫健委", "-o", "table", env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= width
    items = [i for i in LIST.items if dept in i.departments]
    tables = columns(result.stdout)
    assert len(tables) == len(items)
    for item, (left, right) in zip(items, tables, strict=False):
        assert left == expected_upper(item, dept)
        assert right == expected_street(item)
        others = {d for b in item.upper_duties for d in b.departments} - {dept}
        for other in others:
            assert f"{other}职责：" not in left


def test_no_line_starts_with_closing_punctuation(duty: Duty) -> None:
    for width in (50, 80, 120):
        out = duty(
            "show", *map(str, range(1, 68)), "-o", "table", env={"COLUMNS": str(width)}
        ).stdout
        for line in out.splitlines():
            for cell in line.split("│")[1:-1]:
                assert cell.strip()[:1] not in set("。，、；：？！）》”"), (width, line)
