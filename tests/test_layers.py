"""The stages as the folders show them: no import reaches up a stage, and no module cycle.

Every module of ``src/dutycli`` is parsed with ``ast``; every import counts,
wherever it is written: at the top, inside a function (a lazy import), or
under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "dutycli"

# errors (the base) < lists < store < text < query < render = page < cli.
STAGES = {
    "dutycli": 0,  # __init__: the version
    "dutycli.errors": 0,
    "dutycli.lists": 1,
    "dutycli.store": 2,
    "dutycli.text": 3,
    "dutycli.query": 4,
    "dutycli.render": 5,
    "dutycli.page": 5,
    "dutycli.cli": 6,
    "dutycli.__main__": 6,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage(module: str) -> int:
    for prefix in sorted(STAGES, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return STAGES[prefix]
    raise AssertionError(f"{module}: in no stage")


def is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def imports(module: str) -> set[str]:
    """The modules of dutycli that ``module`` imports, anywhere in its text."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if is_package(module) else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from dutycli.cli import streams` imports the module dutycli.cli.streams.
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] == "dutycli")
    return {name for name in found if name in MODULES} - {module}


GRAPH = {module: imports(module) for module in MODULES}


def test_every_module_is_in_a_stage() -> None:
    assert len(MODULES) > 50
    for module in MODULES:
        stage(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_reaches_up_a_stage(module: str) -> None:
    upward = sorted(name for name in GRAPH[module] if stage(name) > stage(module))
    assert not upward, f"{module} (stage {stage(module)}) imports {upward}"


def _cycle() -> list[str] | None:
    """One cycle of imports between modules, if there is any."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for name in sorted(GRAPH[module]):
            if state.get(name) == 1:
                return [*path[path.index(name) :], name]
            if name not in state:
                found = visit(name)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_no_cycle_between_modules() -> None:
    assert _cycle() is None, " → ".join(_cycle() or [])


def test_the_checks_see_what_they_must() -> None:
    """The reader finds lazy and type-checking imports: a check that saw nothing would pass."""
    assert "dutycli.query.search" in GRAPH["dutycli.cli.query_commands"]  # inside a command
    assert "dutycli.store" in GRAPH["dutycli.cli.options"]  # under TYPE_CHECKING, and lazily
    assert stage("dutycli.query.resolve") > stage("dutycli.store.library")
