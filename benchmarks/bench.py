"""Startup and scale benchmark for duty (standard library only).

Each case runs as a whole process, interleaved with the others and with the
baseline ``python -c pass`` of the same interpreter, so that a noisy moment
hits every case alike. It prints, per case, the median wall time, its ratio
to the baseline median, the target ratio from issue 4 and the peak memory
(max RSS) of the process.

    python benchmarks/bench.py               # 21 rounds
    python benchmarks/bench.py --runs 41     # steadier figures
    python benchmarks/bench.py --scale 5000  # also a province-sized library (issue 9)
    python benchmarks/bench.py --only 低保    # only the cases whose name holds 低保
    python benchmarks/bench.py --before /tmp/old  # each duty case also from an older tree

``--before DIR`` (repeatable) times every duty case again from the source tree DIR
(an older checkout with its src/ and data/, e.g. ``git archive REV src data``
unpacked there), interleaved with this tree's runs and its own cache; both
trees then start through the same one-line launcher (``LAUNCH``) instead of the
installed script, so that only the code differs.

The scale cases use a list generated here: the real list repeated thirty
times with new ids (2,010 items, 3.2 MB: a list file may hold at most 4 MB,
lists.source.LIST_MAX_BYTES; it was a hundred times, 6,700 items and 11 MB,
before that bound). ``--scale N`` adds a library of N generated
list files of 67 items each (the real list, each for another subdistrict, in
folders of 100) plus the real list: its first build (time and peak memory),
the first query after one file changed, and warm queries against it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "items.yaml"


@dataclass
class Case:
    name: str
    argv: list[str]
    target: float | None
    env: dict[str, str] = field(default_factory=dict)
    before: object = None  # called before each run (to change the data file)
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds of the process
    peak_kib: int = 0


def decision_log(work: Path, entries: int) -> Path:
    """A directory holding a decision log of ``entries`` off-list tasks for the shipped list."""
    directory = work / "decisions"
    directory.mkdir(exist_ok=True)
    head = "编号,日期,部门,任务,判定,清单,事项编号,事项名称,职责部门,职责原文,决定,决定人,备注"
    rows = [
        f"{n},2026-12-01,青山区民政局,请街道统计辖区内第{n}类场所的情况,清单外,,,,,,退回,张三,"
        for n in range(1, entries + 1)
    ]
    text = "\ufeff" + "\r\n".join([head, *rows]) + "\r\n"
    (directory / "决定记录-青山路街道.csv").write_text(text, encoding="utf-8")
    return directory


# How --before starts each tree: what the installed ``duty`` script does.
LAUNCH = "import sys; sys.argv[0] = 'duty'; from dutycli.cli.main import main; main()"


def duty_command() -> list[str]:
    script = Path(sys.executable).with_name("duty")
    if script.exists():
        return [str(script)]
    found = shutil.which("duty")
    return [found] if found else [sys.executable, "-m", "dutycli"]


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """Wall time in seconds, peak RSS in KiB and CPU seconds of one process, its output piped.

    The CPU time (user + system) moves less than the wall time when other work
    shares the cores: it is printed beside it, as a ratio to the baseline's too.

    posix_spawn, not fork: a forked child starts out sharing the parent's pages,
    and its peak RSS would count the benchmark's memory as duty's.
    """
    read, write = os.pipe()
    actions = [
        (os.POSIX_SPAWN_DUP2, write, 1),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_CLOSE, read),
        (os.POSIX_SPAWN_CLOSE, write),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    os.close(write)
    with os.fdopen(read, "rb") as out:
        while out.read(1 << 16):
            pass
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed with exit code {code}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


_SCALE = """
import sys
from dutycli.lists.load import load
from dutycli.lists.model import replace
from dutycli.lists.serialize import dump_yaml

data, out, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
dl = load(data)
step = 10 ** len(str(max(i.id for i in dl.items)))
items = tuple(replace(i, id=k * step + i.id) for k in range(times) for i in dl.items)
open(out, "w", encoding="utf-8").write(dump_yaml(replace(dl, items=items)))
print(len(items))
"""


def scaled_list(path: Path, times: int = 30) -> int:
    """The real list repeated ``times`` times with new ids.

    Made in a child process: a parent that held it in memory would pass its
    size on to every child it forks, and the peak-memory figures would lie.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run(
        [sys.executable, "-c", _SCALE, str(DATA), str(path), str(times)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout)


_PUBLISHED = """
import sys
from dutycli.lists.model import replace
sys.path.insert(0, sys.argv[1])
import make_published as mp
dl = mp.real_list()
count = int(sys.argv[3])
items = [replace(dl.items[k % len(dl.items)], id=k + 1) for k in range(count)]
big = replace(dl, items=tuple(items))
columns = mp.coop_columns(dept_header="对应上级\\n部门")
open(sys.argv[2] + ".docx", "wb").write(mp.render_docx(mp.Layout(big, columns)))
open(sys.argv[2] + ".xlsx", "wb").write(mp.render_xlsx(mp.Layout(big, columns)))
"""


def published_lists(stem: Path, count: int = 340) -> None:
    """The real list repeated to ``count`` items, as a Word and an Excel file (for duty import)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    fixtures = str(REPO / "tests" / "fixtures")
    subprocess.run(
        [sys.executable, "-c", _PUBLISHED, fixtures, str(stem), str(count)], env=env, check=True
    )


# `duty import` of a 340-item list has an absolute bound (issue 11), not a ratio.
IMPORT_LIMIT_S = 3.0


def paragraph() -> str:
    """20,000 characters of the list's own text, as someone might paste them."""
    source = REPO / "data" / "source" / "qingshanlu.txt"
    text = "".join(ch for ch in source.read_text(encoding="utf-8") if "\u4e00" <= ch <= "\u9fff")
    return text[:20000]


def make_library(root: Path, files: int) -> int:
    """``files`` copies of the real list, each for another subdistrict, plus the real list."""
    text = DATA.read_text(encoding="utf-8")
    root.mkdir(parents=True)
    shutil.copy(DATA, root / "qingshanlu.yaml")
    for k in range(files):
        folder = root / f"d{k // 100:03d}"
        folder.mkdir(exist_ok=True)
        street = f"测试{k:05d}街道"
        (folder / f"s{k:05d}.yaml").write_text(text.replace("青山路街道", street), "utf-8")
    return (files + 1) * text.count("\n- id: ")


def library_cases(
    work: Path, files: int, env: dict[str, str], duty: list[str]
) -> tuple[list[Case], list[str]]:
    """The library cases of issue 9, and the one-shot figures (build, change) as text lines."""
    root = work / "library"
    items = make_library(root, files)
    lib_env = {**env, "DUTY_CACHE_DIR": str(work / "library-cache")}
    query = [*duty, "--data", str(root)]
    notes = []
    elapsed, peak, _ = run([*query, "search", "低保"], lib_env)
    notes.append(
        f"first build of {files + 1:,} lists ({items:,} items): {elapsed:.1f} s, "
        f"peak {peak / 1024:.0f} MiB (targets ≤ 180 s, ≤ 1024 MiB)"
    )
    changed = root / "d000" / "s00000.yaml"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("低保", "最低生活保障", 1), "utf-8"
    )
    elapsed, peak, _ = run([*query, "search", "低保"], lib_env)
    notes.append(
        f"first query after one file changed: {elapsed:.2f} s, peak {peak / 1024:.0f} MiB"
        " (target ≤ 3 s)"
    )
    size = sum(p.stat().st_size for p in (work / "library-cache").rglob("*.sqlite"))
    notes.append(f"store size: {size / 1048576:.0f} MiB")
    street = "测试00007街道"
    cases = [
        Case(f"library {items:,}: search 低保 (piped)", [*query, "search", "低保"], 7, lib_env),
        Case(
            f"library {items:,}: by-dept 民政局 --limit 20",
            [*query, "by-dept", "民政局", "--limit", "20"],
            7,
            lib_env,
        ),
        Case(
            f"library {items:,}: check -s <street> …",
            [*query, "check", "-s", street, "督促物业公司做好考评打分工作"],
            10,
            lib_env,
        ),
        Case(
            f"library {items:,}: show 17 -s <street>",
            [*query, "show", "17", "-s", street],
            7,
            lib_env,
        ),
    ]
    return cases, notes


def with_before(cases: list[Case], duty: list[str], before: list[Path], work: Path) -> list[Case]:
    """Each duty case from this tree and from each tree of ``before``, all through ``LAUNCH``."""
    for tree in before:
        if not (tree / "src" / "dutycli").is_dir():
            raise SystemExit(f"{tree}: no src/dutycli here")
    launch = [sys.executable, "-c", LAUNCH]
    out: list[Case] = []
    for case in cases:
        if case.argv[: len(duty)] != duty:
            out.append(case)
            continue
        rest = case.argv[len(duty) :]
        for n, tree in enumerate([REPO, *before]):
            env = {**case.env, "PYTHONPATH": str(tree / "src")}
            label = f"[{tree.name}] " if n else ""
            if n:  # its own store: the versions' stores may differ
                env["DUTY_CACHE_DIR"] = str(work / f"cache-before-{n}")
            target = None if n else case.target  # the exit status is this tree's
            out.append(Case(label + case.name, [*launch, *rest], target, env, case.before))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="rounds (at least 15)")
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        metavar="FILES",
        help="also measure a library of FILES generated lists of 67 items (5000: a province)",
    )
    parser.add_argument(
        "--only",
        metavar="TEXT",
        default="",
        help="only the cases whose name contains TEXT (and the baseline)",
    )
    parser.add_argument(
        "--before",
        metavar="DIR",
        type=Path,
        action="append",
        default=[],
        help="also run each duty case from the source tree DIR (src/ and data/), interleaved;"
        " may be given more than once",
    )
    args = parser.parse_args()
    runs = max(15, args.runs)
    notes: list[str] = []
    loads = os.getloadavg()

    work = Path(tempfile.mkdtemp(prefix="duty-bench-"))
    try:
        big = work / "big.yaml"
        count = scaled_list(big)
        changing = work / "changing.yaml"
        original = DATA.read_text(encoding="utf-8")
        counter = iter(range(10**9))

        def touch_data() -> None:
            changing.write_text(original + f"# run {next(counter)}\n", encoding="utf-8")

        touch_data()
        published = work / "published-340"
        published_lists(published)
        env = {
            **os.environ,
            "DUTY_CACHE_DIR": str(work / "cache"),
            "NO_COLOR": "1",
        }
        env.pop("DUTY_DATA", None)
        # Users' interpreters cache bytecode (pip also compiles it at install);
        # a session that forbids it would time the compiler, not duty.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        duty = duty_command()
        baseline = Case("python -c pass", [sys.executable, "-c", "pass"], None)
        cases = [
            baseline,
            # One parser (issue 21): Typer answers every run; its import is most of the cost.
            Case("duty search 低保 (piped)", [*duty, "search", "低保"], 7),
            Case(
                "duty show 17 --format table (120 columns)",
                [*duty, "show", "17", "--format", "table"],
                10,
                {"COLUMNS": "120"},
            ),
            Case("duty --help", [*duty, "--help"], 12),
            Case(
                f"duty search 低保 on {count:,} items, cache warm",
                [*duty, "--data", str(big), "search", "低保"],
                15,
            ),
            Case(
                "first run after the data file changed (cache build)",
                [*duty, "--data", str(changing), "search", "低保"],
                40,
                before=touch_data,
            ),
            Case("duty search canji (pinyin, piped)", [*duty, "search", "canji"], None),
            Case("duty search cjr (pinyin initials, piped)", [*duty, "search", "cjr"], None),
            Case("duty search 残急人 (homophone, piped)", [*duty, "search", "残急人"], None),
            Case(
                "duty search 残疾人补贴 (segmented, piped)", [*duty, "search", "残疾人补贴"], None
            ),
            Case("duty search 电瓶车 (thesaurus, piped)", [*duty, "search", "电瓶车"], None),
            Case(
                "duty check 对辖区小饭馆开展消防检查 (piped)",
                [*duty, "check", "对辖区小饭馆开展消防检查"],
                None,
            ),
            # The office's decision log (issue 19): check reads the subdistrict's log.
            Case(
                "duty check 对辖区小饭馆开展消防检查, decision log of 1,000 entries (piped)",
                [*duty, "check", "对辖区小饭馆开展消防检查"],
                None,
                {"DUTY_LOG_DIR": str(decision_log(work, 1000))},
            ),
            Case(
                f"duty export on {count:,} items (json)",
                [*duty, "--data", str(big), "export"],
                None,
            ),
            # Office outputs (issue 12); the page in a browser: benchmarks/bench_page.py.
            Case(
                "duty list -o xlsx --output FILE",
                [*duty, "list", "-o", "xlsx", "--output", str(work / "l.xlsx")],
                None,
            ),
            Case(
                "duty html --output FILE", [*duty, "html", "--output", str(work / "l.html")], None
            ),
            Case(
                "duty import of a 340-item .docx",
                [*duty, "import", f"{published}.docx", "--departments", str(DATA)],
                None,
            ),
            Case(
                "duty import of a 340-item .xlsx",
                [*duty, "import", f"{published}.xlsx", "--departments", str(DATA)],
                None,
            ),
            # Issue 17: the departments read from the list itself, aliases made by rule.
            Case(
                "duty import of a 340-item .docx (its own departments)",
                [*duty, "import", f"{published}.docx"],
                None,
            ),
            # Hostile input (issue 10): a pasted paragraph is cut to a query.
            Case(
                "duty search on a pasted paragraph (20,000 chars)",
                [*duty, "search", paragraph()],
                None,
            ),
            Case(f"duty validate on {count:,} items", [*duty, "validate", str(big)], None),
        ]
        if args.scale:
            more, notes = library_cases(work, args.scale, env, duty)
            cases += more
        cases = [c for c in cases if c is baseline or args.only in c.name]
        if args.before:
            cases = with_before(cases, duty, [tree.resolve() for tree in args.before], work)
        # Warm up: build every cache and the bytecode once, outside the figures.
        for case in cases:
            run(case.argv, {**env, **case.env})
        for _ in range(runs):
            for case in cases:
                if callable(case.before):
                    case.before()
                elapsed, peak, cpu = run(case.argv, {**env, **case.env})
                case.times.append(elapsed)
                case.cpu.append(cpu)
                case.peak_kib = max(case.peak_kib, peak)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(baseline.times)
    base_cpu = statistics.median(baseline.cpu) or 1e-3
    print(
        f"{runs} interleaved runs each; {sys.implementation.name} {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores; baseline python -c pass = {base * 1000:.1f} ms; "
        f"load average {loads[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end"
    )
    print(
        f"{'case':<52} {'median':>9} {'ratio':>7} {'target':>7} {'peak MiB':>9}"
        f" {'CPU':>8} {'ratio':>6}"
    )
    # (the library's peak is judged on its own line below, against 60 MiB)
    failed = 0
    for case in cases:
        median = statistics.median(case.times)
        ratio = median / base
        verdict = ""
        if case.target is not None:
            ok = ratio <= case.target
            failed += not ok
            verdict = f"≤{case.target:g}× {'ok' if ok else 'MISSED'}"
        cpu = statistics.median(case.cpu)
        print(
            f"{case.name:<52} {median * 1000:7.1f}ms {ratio:6.1f}× {verdict:>11} "
            f"{case.peak_kib / 1024:8.1f} {cpu * 1000:6.1f}ms {cpu / base_cpu:5.1f}×"
        )
    for case in cases:
        if case.name.startswith("duty import"):
            median = statistics.median(case.times)
            ok = median <= IMPORT_LIMIT_S
            failed += not ok
            verdict = "ok" if ok else "MISSED"
            print(f"{case.name}: {median:.2f} s (target ≤ {IMPORT_LIMIT_S:g} s) {verdict}")

    for note in notes:
        print(note)
    library_peak = max((c.peak_kib for c in cases if c.name.startswith("library")), default=0)
    if library_peak:
        ok = library_peak / 1024 <= 60
        failed += not ok
        verdict = "ok" if ok else "MISSED"
        print(f"peak memory of a library query: {library_peak / 1024:.1f} MiB (≤ 60 MiB) {verdict}")
    search_peak = (
        max(
            (c.peak_kib for c in cases if "search" in c.name and not c.name.startswith("library")),
            default=0,
        )
        / 1024
    )
    ok = search_peak <= 40
    failed += not ok
    verdict = "ok" if ok else "MISSED"
    print(f"peak memory of a search: {search_peak:.1f} MiB (target ≤ 40 MiB) {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
