from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutycli.cli.app import app

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "items.yaml"
SOURCE = REPO / "data" / "source" / "qingshanlu.txt"
EXAMPLES = Path(__file__).resolve().parent / "data"
# Labelled tasks and queries, by role (data/labelled/MANIFEST.tsv).
LABELLED = REPO / "data" / "labelled"

# Fixed width, no colour: views are compared character for character.
# DUTY_DEBUG lets an unexpected exception through, so that a bug fails its test
# instead of hiding behind the one-line message users get.
TERMINAL = {"NO_COLOR": "1", "COLUMNS": "100", "LINES": "50", "TERM": "dumb", "DUTY_DEBUG": "1"}


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str, exception: BaseException | None):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.exception = exception

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


Duty = Callable[..., Result]


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    # One cache for the session: the store is keyed on each list's path and
    # stat, so tests share it safely (tests of the store itself use their own).
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _isolated(shared_cache: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every test reads the repository's list unless it says otherwise, and
    # keeps its cache away from the user's.
    monkeypatch.delenv("DUTY_DATA", raising=False)
    monkeypatch.delenv("DUTY_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", shared_cache)


@pytest.fixture
def duty() -> Duty:
    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(
            app, list(args), input=input, env={**TERMINAL, **(env or {})}, color=False
        )
        # An exception other than SystemExit means a traceback would have reached the user.
        exception = result.exception if not isinstance(result.exception, SystemExit) else None
        return Result(result.exit_code, result.stdout, result.stderr, exception)

    return run


@pytest.fixture
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache of the test's own, for tests that look at the store's files."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("own-cache")))


def run_main(argv: list[str], before: str = "") -> tuple[int, str, str]:
    """``duty`` as installed (``cli.main``) after the statements ``before``: exit, out, err."""
    env = {**os.environ, **TERMINAL}
    env.pop("DUTY_DEBUG", None)
    code = f"import sys; sys.argv[0] = 'duty'; {before}import dutycli.cli.main as m; m.main()"
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env
    )
    return proc.returncode, proc.stdout, proc.stderr
