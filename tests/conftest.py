from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from dutycli.cli.app import app

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "items.yaml"
SOURCE = REPO / "data" / "source" / "qingshanlu.txt"
EXAMPLES = Path(__file__).resolve().parent / "data"
# Labelled tasks and queries, by role (data/labelled/MANIFEST.tsv).
LABELLED = REPO / "data" / "labelled"

# The programs the tests start run duty as users do: from bytecode, compiled once
# by the first of them (pip compiles it at install; an editable install or a
# session that forbids writing bytecode would compile every module in every run).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

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
def _isolated(
    shared_cache: str, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Every test reads the repository's list unless it says otherwise, and
    # keeps its cache away from the user's, and its decision logs (the
    # shipped list's are in the user's data directory) to itself.
    monkeypatch.delenv("DUTY_DATA", raising=False)
    monkeypatch.delenv("DUTY_CACHE_DIR", raising=False)
    monkeypatch.delenv("DUTY_LOG_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", shared_cache)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))


# The application as Click runs it, built once: CliRunner.invoke would have Typer
# build the Click group of every command again on each call (two thirds of a
# quick test's time). A Click command holds no state between runs.
COMMAND = get_command(app)


@pytest.fixture
def duty() -> Duty:
    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        """``duty ARGS`` in this process, in CliRunner's isolation (streams, stdin, environment)."""
        runner = CliRunner()
        isolated = runner.isolation(input=input, env={**TERMINAL, **(env or {})}, color=False)
        # An exception other than SystemExit means a traceback would have reached the user.
        exception: BaseException | None = None
        with isolated as (out, err, _):
            try:
                COMMAND.main(args=list(args), prog_name="duty")
                code = 0
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
            except Exception as e:
                code, exception = 1, e
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            stdout, stderr = out.getvalue(), err.getvalue()
        decode = runner.charset
        return Result(
            code,
            stdout.decode(decode, "replace").replace("\r\n", "\n"),
            stderr.decode(decode, "replace").replace("\r\n", "\n"),
            exception,
        )

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


# -- tests that drive real programs --------------------------------------------------
#
# Markers (registered in pyproject.toml): ``browser`` (Chromium, through
# Playwright), ``office`` (LibreOffice Writer); both are also ``slow``, with
# the tests marked slow where they are written. ``pytest -m "not slow"`` is
# the quick loop while working.


def in_ci() -> bool:
    """Running in CI (``CI`` set, as CI services and .ci/run set it): nothing may skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def needs(found: object, what: str, install: str) -> None:
    """Skip, saying why, when ``found`` is missing outside CI; fail in CI, which installs it."""
    if found:
        return
    if in_ci():
        pytest.fail(f"CI must run this test: {what} is missing ({install}; .ci/run installs it)")
    pytest.skip(f"{what} is not installed here ({install})")


def soffice_with_writer() -> str | None:
    """LibreOffice's soffice, if its Writer is installed too (soffice alone cannot read .doc)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    program = Path(os.path.realpath(soffice)).parent
    # Writer's library: libswlo.so (Linux), libswlo.dylib (macOS), swlo.dll (Windows).
    writer = [p for p in program.glob("*swlo.*") if p.name.split(".")[0] in ("libswlo", "swlo")]
    return soffice if writer else None


@pytest.fixture
def soffice_writer() -> str:
    path = soffice_with_writer()
    needs(path, "LibreOffice Writer", "apt-get install libreoffice-writer-nogui")
    assert path is not None
    return path


# The tests of more than about a second each on this 2-core machine under load
# (`pytest --durations=0`), marked ``slow`` here: one place shows what the quick
# loop leaves out, without touching each file. A file with () is slow as a
# whole; otherwise the test functions named (every parametrization of each).
# tests/test_real_programs.py checks that every name here is a test.
SLOW: dict[str, tuple[str, ...]] = {
    "test_cache.py": (),
    "test_freshness.py": (),
    "test_hostile.py": (),
    "test_hostile_files.py": (),
    "test_hostile_library.py": (),
    "test_hostile_store.py": (),
    "test_quality.py": (),
    "test_roundtrip.py": (),
    "test_scale.py": (),
    "test_check_any_list.py": (
        # One check of ~400 tasks (the module's `verdicts`), and the labelled tasks twice.
        "test_a_task_holding_a_name_or_street_step_is_never_a_bare_off_list",
        "test_a_name_or_street_step_is_on_the_list_with_its_item",
        "test_framing_never_moves_a_verdict_off_the_list",
        "test_the_same_list_under_another_name_beside_it_gives_the_same_verdicts",
    ),
    "test_check.py": (
        "test_a_damaged_decided_tasks_part_changes_no_verdict",
        "test_labelled_verdicts_without_decided_tasks",
        "test_off_list_says_admission",
        "test_the_index_recalls_what_comparing_every_decided_task_gives",
        "test_the_shipped_lists_verdicts_on_the_labelled_cases",
    ),
    "test_diff.py": (
        "test_added_and_removed",
        "test_added_and_removed_steps",
        "test_changed_department",
        "test_renamed_item_keeps_its_id",
        "test_renumbered_items_are_matched_by_name",
        "test_reworded_step_marks_the_words",
    ),
    "test_formats.py": (
        "test_closed_pipe_ends_quietly",
        "test_export_yaml_is_the_data_file",
        "test_piped_output_is_utf8_whatever_the_locale",
        "test_yaml_loads_back_as_a_list",
    ),
    "test_variants.py": (
        # Every published variant exported to a workbook and imported again (~0.4 s each).
        "test_import_export_import_round_trip",
    ),
    "test_hostile_text.py": ("test_a_terminal_shows_control_characters_of_a_task",),
    "test_log.py": (
        "test_two_processes_adding_200_each_leave_400_valid_entries",
        "test_deleting_the_store_loses_no_decision",
    ),
    "test_library.py": (
        "test_check_on_the_basic_list_is_the_subdistricts_own_duty",
        "test_the_verdict_does_not_drift_with_other_streets_loaded",
    ),
    "test_load.py": ("test_data_option_and_environment",),
    "test_published.py": (
        "test_a_hostile_megabyte_is_refused_in_seconds",
        "test_a_real_word_97_file_imports_through_libreoffice",
        "test_basis_column_is_kept_and_makes_a_schema_2_list",
        "test_each_published_layout_gives_back_the_list",
        "test_table_option",
        "test_the_committed_fixtures_are_what_the_generator_makes",
    ),
    "test_page.py": (
        "test_a_library_page_agrees_with_duty_search",
        "test_page_agrees_with_duty_search_on_every_labelled_query",
        "test_page_breaks_ties_as_duty_search_does",
        "test_page_ranks_like_duty_search",
        "test_printing_an_open_item_prints_that_item",
    ),
    "test_search.py": (
        "test_equal_scores_keep_one_order_whatever_was_rebuilt",
        "test_fuzzy_cut_off_keeps_noise_out",
    ),
    "test_startup.py": ("test_a_real_run_says_what_the_full_group_says",),
    "test_store.py": (
        "test_a_foreign_database_is_rebuilt",
        "test_a_parallel_build_equals_a_serial_one",
        "test_a_store_copied_from_another_list_never_answers",
        "test_a_warm_query_reads_no_list_file",
        "test_added_and_removed_files",
        "test_concurrent_first_builds_of_a_library_agree",
        "test_fifo_is_refused_without_blocking",
        "test_no_home_uses_a_private_temp_directory_only",
        "test_one_changed_file_rebuilds_only_its_list",
        "test_search_ranked_in_sql_equals_search_ranked_in_python",
        "test_the_lists_record_follows_every_change",
        "test_unit_separator_in_a_name_is_refused",
    ),
    "test_terminal.py": (
        "test_cite_at_a_terminal_is_one_paragraph",
        "test_default_pager_is_less_with_frx",
        "test_long_table_goes_through_the_pager",
        "test_no_notice_when_all_fit",
        "test_no_pager_option_before_or_after_the_command",
        "test_search_says_how_many_were_left_out_at_a_terminal",
        "test_short_output_and_pipes_never_page",
    ),
    "test_text.py": (
        "test_an_offices_own_table_is_used",
        "test_explanation_does_not_cost_a_clear_winner",
    ),
    "test_views.py": ("test_no_line_starts_with_closing_punctuation",),
    "test_xlsx.py": (
        "test_a_pipe_gets_the_workbook",
        "test_a_workbook_or_page_is_never_written_to_a_terminal",
        "test_other_commands_never_import_the_office_outputs",
        "test_output_never_overwrites_the_list_it_reads",
        "test_a_long_list_round_trips_through_import",
        "test_round_trip_through_import_equals_the_list",
        "test_xlsx_and_html_import_what_they_need",
    ),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` as SLOW says; Chromium and LibreOffice tests by their fixtures, also slow."""
    for item in items:
        file = item.path.name
        name = getattr(item, "originalname", item.name)
        if file in SLOW and (not SLOW[file] or name in SLOW[file]):
            item.add_marker(pytest.mark.slow)
        fixtures = getattr(item, "fixturenames", ())
        if "browser" in fixtures or "open_page" in fixtures:
            item.add_marker(pytest.mark.browser)
        if "soffice_writer" in fixtures:
            item.add_marker(pytest.mark.office)
        if item.get_closest_marker("browser") or item.get_closest_marker("office"):
            item.add_marker(pytest.mark.slow)
