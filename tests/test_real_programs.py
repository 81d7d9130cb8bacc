"""Tests that need Chromium or LibreOffice Writer: skipped, saying why, outside CI; failed in CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, SLOW, in_ci, needs, soffice_with_writer


def fake_libreoffice(tmp_path: Path, with_writer: bool) -> Path:
    program = tmp_path / "lib" / "program"
    program.mkdir(parents=True)
    (program / "soffice").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    (program / "soffice").chmod(0o755)
    (program / "libcalclo.so").write_bytes(b"")
    if with_writer:
        (program / "libswlo.so").write_bytes(b"")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").symlink_to(program / "soffice")
    return bin_dir


@pytest.mark.parametrize("with_writer", [True, False])
def test_writer_is_found_beside_soffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_writer: bool
) -> None:
    """LibreOffice installed without Writer (Calc only) cannot convert a .doc: not found."""
    monkeypatch.setenv("PATH", str(fake_libreoffice(tmp_path, with_writer)))
    found = soffice_with_writer()
    assert (found is not None) == with_writer
    assert found is None or found.endswith("soffice")


def test_no_soffice_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert soffice_with_writer() is None


@pytest.mark.parametrize(("ci", "expected"), [("", False), ("false", False), ("true", True)])
def test_ci_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, ci: str, expected: bool
) -> None:
    monkeypatch.setenv("CI", ci)
    assert in_ci() is expected


def test_missing_program_skips_outside_ci_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed here"):
        needs(None, "LibreOffice Writer", "apt-get install libreoffice-writer-nogui")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run this test"):
        needs(None, "LibreOffice Writer", "apt-get install libreoffice-writer-nogui")
    needs("/usr/bin/soffice", "LibreOffice Writer", "")  # found: neither


def collected(*args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return [line for line in proc.stdout.splitlines() if "::" in line]


@pytest.mark.slow
def test_tests_that_drive_programs_are_marked_by_their_fixtures() -> None:
    files = ["tests/test_page.py", "tests/test_published.py"]
    browser = collected("-m", "browser", *files)
    office = collected("-m", "office", *files)
    assert browser and all(n.startswith("tests/test_page.py::") for n in browser)
    assert [n for n in office if "word_97" in n] == office and len(office) == 1
    assert collected("-m", "(browser or office) and not slow", *files) == []
    # The page's tests that need no browser stay in the quick loop.
    assert any("self_contained" in n for n in collected("-m", "not slow", "tests/test_page.py"))


@pytest.mark.slow
def test_the_slow_table_names_tests_that_exist() -> None:
    names = {(n.split("::")[0].split("/")[-1], n.split("::")[1].split("[")[0]) for n in collected()}
    files = {file for file, _ in names}
    for file, tests in SLOW.items():
        assert file in files, file
        for test in tests:
            assert (file, test) in names, f"{file}::{test}"
