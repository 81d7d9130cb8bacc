"""Hostile input, streams and locales: every run gets a clear answer within bounded resources.

Each case runs ``duty`` as a real process (``python -m dutycli``), the way a user
or a script meets it, under kernel limits on its CPU time and address space
(tests/bounded.py), and asserts what every case must keep: no traceback, no
内部错误, an exit status in {0, 1, 2, 141}, not stopped by the CPU limit, and a
peak resident memory of duty's own process within the bound. The bounds are
guards against the 55 s / 3.4 GB failures these inputs used to cause, not
benchmarks (those are in benchmarks/bench.py). Each case also states the answer
it must get.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from .bounded import CPU_SECONDS, Run, assert_sound, run_bounded
from .conftest import DATA, EXAMPLES, SOURCE

_HAN = re.sub(r"[^\u4e00-\u9fff]", "", SOURCE.read_text(encoding="utf-8"))
TASKS = "督促物业公司做好考评打分工作\r\n开展全民反诈宣传进社区活动\r\n"
GBK_WEIJIAN = "卫健委".encode("gbk")


class Case(NamedTuple):
    args: list[str | bytes] | Callable[[], list[str | bytes]]  # a callable makes its files
    code: int | set[int]  # the exit status the answer deserves
    stdin: bytes | Path = b""
    env: dict[str, str] | None = None
    stdout: str = "file"
    stderr: str = "file"
    out: str | None = None  # in stdout
    err: str | None = None  # in stderr
    check: Callable[[Run], bool] | None = None
    cpu: int = CPU_SECONDS  # CPU seconds before the kernel stops the run
    slow: bool = False  # several CPU seconds: left out of ``pytest -m "not slow"``


def _write(name: str, text: str) -> str:
    path = Path(tempfile.gettempdir()) / f"dutycli-hostile-{os.getpid()}-{name}"
    path.write_text(text, encoding="utf-8")
    return str(path)


MINIMAL = (EXAMPLES / "good" / "minimal.yaml").read_text(encoding="utf-8")


def _big_lists() -> list[str | bytes]:
    """Two versions of a list of 1,252 items: the second renumbered and renamed."""
    from dutycli.lists.load import load
    from dutycli.lists.model import replace
    from dutycli.lists.serialize import dump_yaml

    base = load(DATA)
    old, new = [], []
    for k in range(1252):
        item = base.items[k % len(base.items)]
        name = f"{item.name}（第{k // len(base.items) + 1}批）"
        old.append(replace(item, id=k + 1, name=name))
        new.append(replace(item, id=k + 8, name=name.replace("工作", "事务") + "等"))
    paths = []
    for label, items in (("old", old), ("new", new)):
        paths.append(_write(f"diff-{label}.yaml", dump_yaml(replace(base, items=tuple(items)))))
    return ["diff", *paths, "-o", "json"]


def _list_of(megabytes: float) -> Path:
    """A valid list of about ``megabytes`` MB (never over): the real items again and again,
    each with its own id and name."""
    path = Path(tempfile.gettempdir()) / f"dutycli-hostile-{os.getpid()}-{megabytes}mb.yaml"
    if path.exists():
        return path
    text = DATA.read_text(encoding="utf-8")
    head, _, items = text.partition("\nitems:\n")
    blocks = [b for b in re.split(r"(?m)^(?=- id: )", items) if b.startswith("- id: ")]
    size, n = len((head + "\nitems:\n").encode()), 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(head + "\nitems:\n")
        while True:
            for block in blocks:
                piece = re.sub(r"^- id: \d+", f"- id: {n + 1}", block, count=1)
                piece = piece.replace("\n  name: ", f"\n  name: 第{n + 1}号", 1)
                if size + len(piece.encode()) > megabytes * 1024 * 1024:
                    return path
                n += 1
                size += len(piece.encode())
                out.write(piece)


def _one_step_text(characters: int, start: int = 0) -> str:
    """``characters`` characters of real list text, in sentences."""
    return "".join(
        _HAN[(start + i * 13) % 19000 :][:40] + "。" for i in range(characters // 41 + 1)
    )[:characters]


def _one_step_of(characters: int) -> Path:
    """The minimal list with one step of ``characters`` characters of real list text."""
    step = "- 受理低保申请并入户调查。"
    list_text = MINIMAL.replace(step, "- " + _one_step_text(characters), 1)
    return Path(_write(f"step-{characters}.yaml", list_text))


_TOO_BIG = "一份清单文件最多 4 MB"
_TOO_LONG = "超过了一段文字最多 20,000 个字的上限"


def _reworded_step() -> list[str | bytes]:
    """Two versions of a list whose one step of 20,000 characters is reworded throughout."""
    sentences = [_HAN[i * 40 : i * 40 + 39] + "。" for i in range(500)]
    reworded = [s.replace(s[3], "改", 1) if i % 3 == 0 else s for i, s in enumerate(sentences)]
    step = "- 受理低保申请并入户调查。"
    old = _write("step-old.yaml", MINIMAL.replace(step, "- " + "".join(sentences), 1))
    new = _write("step-new.yaml", MINIMAL.replace(step, "- " + "".join(reworded), 1))
    return ["diff", old, new, "-o", "json"]


def _reworded_whole(run: Run) -> bool:
    """The fragments spell the old step and the new, and only changed sentences are marked."""
    [change] = json.loads(run.stdout)["changed"]
    [step] = change["steps"]
    old = "".join(text for op, text in step["diff"] if op in "=-")
    new = "".join(text for op, text in step["diff"] if op in "=+")
    marked = sum(len(text) for op, text in step["diff"] if op != "=")
    return old == step["old"] and new == step["new"] and 0 < marked < len(old) // 4


def _many_reworded_steps(steps: list[str], change: Callable[[str], str]) -> list[str | bytes]:
    """Two versions of a list whose one block holds ``steps``, each changed by ``change``."""
    marker = "    - 受理低保申请并入户调查。"
    old = MINIMAL.replace(marker, "\n".join(f"    - {s}" for s in steps), 1)
    new = MINIMAL.replace(marker, "\n".join(f"    - {change(s)}" for s in steps), 1)
    n = len(steps)
    return [
        "diff",
        _write(f"many-{n}-old.yaml", old),
        _write(f"many-{n}-new.yaml", new),
        "-o",
        "json",
    ]


def _every_step_spelled(run: Run) -> bool:
    """Every changed step is reworded, and its fragments spell the old step and the new."""
    [change] = json.loads(run.stdout)["changed"]
    return all(
        step["kind"] == "reworded"
        and "".join(t for op, t in step["diff"] if op in "=-") == step["old"]
        and "".join(t for op, t in step["diff"] if op in "=+") == step["new"]
        for step in change["steps"]
    )


def _with_id(value: str) -> str:
    return MINIMAL.replace("- id: 1\n", f"- id: {value}\n", 1)


CASES: dict[str, Case] = {
    # -- undecodable bytes in arguments and paths --------------------------------
    "by-dept-ff-fe": Case(["by-dept", b"\xff\xfe"], 2, err="\\xff\\xfe"),
    "by-dept-gbk": Case(["by-dept", GBK_WEIJIAN], 2, err="UTF-8"),
    "by-category-gbk": Case(["by-category", "民生".encode("gbk")], 2, err="UTF-8"),
    "guarantees-gbk": Case(["guarantees", GBK_WEIJIAN], 2, err="UTF-8"),
    "cite-dept-gbk": Case(["cite", "4", "--dept", GBK_WEIJIAN], 2, err="UTF-8"),
    "search-gbk": Case(["search", "低保".encode("gbk")], 2, err="UTF-8"),
    "check-gbk": Case(["check", "考评".encode("gbk")], 2, err="UTF-8"),
    "data-path-bytes": Case(["--data", b"/tmp/\xff\xfe.yaml", "list"], 2, err="\\xff\\xfe"),
    "data-env-bytes": Case(["list"], 2, env={"DUTY_DATA": "/tmp/\udcff.yaml"}, err="\\xff"),
    # -- task files in the encodings office machines write ---------------------
    **{
        f"check-stdin-{name}": Case(
            ["check", "-"],
            1,
            stdin=data,
            out="督促物业公司做好考评打分工作\t清单内\t59",
            # The first task starts the output: no byte order mark, no mojibake.
            check=lambda r: (
                r.stdout.startswith("督促物业公司做好考评打分工作\t")
                and r.stdout.splitlines()[1].startswith("开展全民反诈宣传进社区活动\t清单外")
            ),
        )
        for name, data in {
            "utf8": TASKS.encode("utf-8"),
            "utf8-bom": b"\xef\xbb\xbf" + TASKS.encode("utf-8"),
            "gbk": TASKS.encode("gbk"),
            "gb18030": TASKS.encode("gb18030"),
            "utf16-bom": TASKS.encode("utf-16"),
            "utf16le": TASKS.encode("utf-16-le"),
            "utf16be": TASKS.encode("utf-16-be"),
        }.items()
    },
    **{
        f"check-stdin-one-line-{codec}": Case(
            ["check", "-"],
            0,
            stdin="督促物业公司做好考评打分工作".encode(codec),
            check=lambda r: r.stdout.startswith("督促物业公司做好考评打分工作\t清单内\t59"),
        )
        for codec in ("utf-16-le", "utf-16-be", "gbk")
    },
    "check-stdin-binary": Case(["check", "-"], 2, stdin=bytes(range(128, 256)) * 4, err="UTF-8"),
    # Bytes that decode as UTF-16 (a byte order mark, or zero bytes) into no text: refused,
    # not checked as a task of Glagolitic and CJK extension A characters.
    "check-stdin-utf16-bom-garbage": Case(
        ["check", "-"], 2, stdin=b"\xff\xfe" + b"NA,^n," * 60, err="解出来不像文字"
    ),
    "check-stdin-utf16-zero-garbage": Case(
        ["check", "-"], 2, stdin=b"A\x00NA,," * 60, err="解出来不像文字"
    ),
    "check-stdin-empty": Case(["check", "-"], 2, err="没有任务"),
    "check-stdin-dev-zero": Case(["check", "-"], 2, stdin=Path("/dev/zero"), err="超过 10 MB"),
    "check-stdin-dev-urandom": Case(
        ["check", "-"], 2, stdin=Path("/dev/urandom"), err="超过 10 MB"
    ),
    "check-empty-task": Case(["check", ""], 2, err="任务描述是空的"),
    "check-blank-task": Case(["check", "  "], 2, err="任务描述是空的"),
    "search-empty-query": Case(["search", ""], 2, err="请给出要找的词"),
    "search-blank-query": Case(["search", " ", "  "], 2, err="请给出要找的词"),
    # Options of --record without it: the user could not tell whether anything was kept.
    "check-decision-without-record": Case(
        ["check", "征兵", "--decision", "承接"], 2, err="请加上 --record"
    ),
    "check-from-without-record": Case(
        ["check", "征兵", "--from", "民政局", "--note", "x"], 2, err="--from、--note"
    ),
    # -- long input: bounded time and memory -----------------------------------
    "search-20000-chars": Case(["search", _HAN[:20000]], {0, 1}, err="只用了前 64 个字"),
    "search-500-words": Case(
        ["search", *[_HAN[i * 8 : i * 8 + 8] for i in range(500)]], {0, 1}, err="查询太长"
    ),
    "search-500-short-words": Case(
        ["search", *[_HAN[i * 3 + 7 : i * 3 + 10] for i in range(500)]], {0, 1}
    ),
    "search-homophones": Case(["search", "残急人" * 2000], {0, 1}),
    "search-latin": Case(["search", "canji" * 4000], {0, 1}),
    "check-20000-chars": Case(["check", _HAN[:20000]], {0, 1}, err="只用了前 500 个字"),
    "check-stdin-5000-long-tasks": Case(
        ["check", "-"],
        {0, 1},
        stdin="\n".join(_HAN[(i * 37) % 20000 :][:500] for i in range(5000)).encode("utf-8"),
        err="只核对了前 40 项",
        slow=True,
    ),
    "check-stdin-5000-short-tasks": Case(
        ["check", "-"],
        {0, 1},
        stdin="\n".join(_HAN[(i * 7) % 20000 :][:12] for i in range(5000)).encode("utf-8"),
        err="只核对了前 1000 项",
        slow=True,
    ),
    "check-stdin-long-lines": Case(
        ["check", "-"], {0, 1}, stdin=("\n".join([_HAN[:5000]] * 20)).encode("utf-8")
    ),
    "diff-1252-renumbered-and-renamed": Case(
        _big_lists,
        1,
        check=lambda r: len(json.loads(r.stdout)["changed"]) >= 1200,
        slow=True,
    ),
    # 80 s before (SequenceMatcher over 20,000 characters by 20,000): now by sentence.
    "diff-reworded-20000-character-step": Case(
        _reworded_step, 1, check=_reworded_whole, cpu=5, slow=True
    ),
    # 300 reworded steps of 300 characters (a 300 KB list): 36 s when every removed
    # step was compared in full with every new one.
    "diff-300-reworded-steps": Case(
        lambda: _many_reworded_steps(
            [_HAN[(i * 17) % 19000 :][:300] for i in range(300)],
            lambda s: s.replace(s[5], "改", 1),
        ),
        1,
        check=_every_step_spelled,
        cpu=5,
    ),
    # Steps of one character repeated: SequenceMatcher's worst case (minutes before).
    "diff-steps-of-one-character-repeated": Case(
        lambda: _many_reworded_steps(
            [ch * 1999 for ch in "啊哦呃咦呜吁嗯哈嘿呵嘻哟"],
            lambda s: s[:1000] + "改" + s[1001:],
        ),
        1,
        check=_every_step_spelled,
        cpu=5,
    ),
    "diff-a-step-of-20000-full-stops": Case(
        lambda: _many_reworded_steps(["。" * 20_000], lambda s: s[:10_000] + "改" + s[10_001:]),
        1,
        check=_every_step_spelled,
        cpu=5,
    ),
    # A diff over a step longer than any list may hold: refused with the bound, not compared.
    "diff-step-over-the-bound": Case(
        lambda: ["diff", str(_one_step_of(20_001)), str(_one_step_of(20_000))],
        2,
        err=_TOO_LONG,
        check=lambda r: "20,001 个字" in r.stderr and "step-20001.yaml:25:" in r.stderr,
        cpu=5,
    ),
    # -- lists past the bounds: refused by size, with the numbers, before any work --
    # 51 s and 669 MB on the first search before (the old loader took 23 s and
    # 878 MB to validate it); now refused by its size before a byte is read.
    "validate-50-megabytes": Case(
        lambda: ["validate", str(_list_of(50))], 2, err=_TOO_BIG, cpu=5, slow=True
    ),
    "search-50-megabytes": Case(
        lambda: ["--data", str(_list_of(50)), "search", "低保"],
        2,
        err=_TOO_BIG,
        check=lambda r: "文件太大（50 MB）" in r.stderr,
        cpu=5,
        slow=True,
    ),
    # The largest list allowed: its first search is compiled and answered within the bounds.
    "search-list-at-the-bound": Case(
        lambda: ["--data", str(_list_of(4)), "search", "低保"],
        0,
        out="低保业务的新增",
        cpu=15,
        slow=True,
    ),
    # One 10 MB step: 13.5 s before; the file is refused by its size.
    "search-10-megabyte-step": Case(
        lambda: ["--data", str(_one_step_of(3_500_000)), "search", "低保"],
        2,
        err=_TOO_BIG,
        cpu=5,
    ),
    # One step of 1,000,000 characters in a file under the size bound: refused by its length.
    **{
        f"{command}-one-step-of-a-million-characters": Case(
            lambda command=command: (
                ["validate", str(_one_step_of(1_000_000))]
                if command == "validate"
                else ["--data", str(_one_step_of(1_000_000)), "search", "低保"]
            ),
            2,
            err=_TOO_LONG,
            check=lambda r: "1,000,000 个字" in r.stderr and "step-1000000.yaml:25:" in r.stderr,
            cpu=5,
        )
        for command in ("validate", "search")
    },
    # 64 steps of 20,000 characters in one item (3.7 MB): `show -o table` took 11 s of
    # CPU to lay it out; now the item is refused by its length, with its line.
    "show-an-item-of-64-long-steps": Case(
        lambda: [
            "--data",
            _write(
                "heavy.yaml",
                MINIMAL.replace(
                    "    - 受理低保申请并入户调查。",
                    "\n".join("    - " + _one_step_text(20_000, i * 101) for i in range(64)),
                    1,
                ),
            ),
            "show",
            "1",
            "-o",
            "table",
        ],
        2,
        err="这一项的文字共有 1,280,",
        check=lambda r: "heavy.yaml:11:" in r.stderr and "最多 100,000 个字" in r.stderr,
        cpu=5,
    ),
    # The longest step allowed is read and searched.
    "search-step-at-the-bound": Case(
        lambda: ["--data", str(_one_step_of(20_000)), "search", "入户调查"], 0, out="低保业务"
    ),
    # -- streams ----------------------------------------------------------------
    "stdout-closed": Case(["search", "低保"], 2, stdout="closed", err="无法写入标准输出"),
    "stdout-full": Case(["search", "低保"], 2, stdout="full", err="无法写入标准输出：磁盘已满"),
    "help-stdout-full": Case(["--help"], 2, stdout="full", err="无法写入标准输出"),
    "export-closed-pipe": Case(["export"], 141, stdout="closed-pipe"),
    "help-closed-pipe": Case(["--help"], 141, stdout="closed-pipe"),
    "stderr-closed-found": Case(["search", "低保"], 0, stderr="closed", out="低保"),
    "stderr-full-found": Case(["search", "低保"], 0, stderr="full", out="低保"),
    "stderr-full-nothing": Case(["search", "没有这种事项"], 1, stderr="full"),
    "stdin-closed-check": Case(["check", "-"], 2, err="没有任务"),
    # -- locales: a pipe always gets UTF-8 -----------------------------------------
    **{
        f"locale-{name}": Case(
            ["search", "低保"],
            0,
            env=env,
            check=lambda r: r.stdout.startswith("6\t低保业务的新增"),
        )
        for name, env in {
            "c": {"LC_ALL": "C", "LANG": "C"},
            "posix-no-utf8-mode": {"LC_ALL": "POSIX", "PYTHONUTF8": "0"},
            "gb18030": {"LC_ALL": "zh_CN.GB18030", "LANG": "zh_CN.GB18030"},
            "pythonioencoding-gbk": {"PYTHONIOENCODING": "gbk"},
            "pythonioencoding-ascii": {"PYTHONIOENCODING": "ascii"},
        }.items()
    },
    "locale-posix-chinese-file-name": Case(
        ["--data", _write("低保清单.yaml", MINIMAL), "list"],
        0,
        env={"LC_ALL": "POSIX", "PYTHONUTF8": "0"},
        out="1\t低保业务",
    ),
    # -- terminals of any width -------------------------------------------------
    **{
        f"show-6-columns-{width}": Case(
            ["show", "6", "-o", "table"],
            0,
            env={"COLUMNS": width},
            check=lambda r: _all_text_of_item_6(r.stdout),
        )
        for width in ("0", "1", "10", "30", "40", "-5", "abc", "99999999999")
    },
    # -- data the loader must locate, not crash on -------------------------------
    **{
        f"id-{name}": Case(
            ["validate", _write(f"id-{name}.yaml", _with_id(value))],
            2,
            err=f"dutycli-hostile-{os.getpid()}-id-{name}.yaml:",
            check=lambda r: "应为十进制整数" in r.stderr,
        )
        for name, value in {
            "octal": "010",
            "sexagesimal": "1:30",
            "tagged": "!!int abc",
            "5000-digits": "9" * 5000,
        }.items()
    },
    "by-category-superscript": Case(["by-category", "²"], 2, err="没有类别“²”"),
    "by-category-circled": Case(["by-category", "①"], 2, err="没有类别“①”"),
    "by-category-huge": Case(["by-category", "9" * 5000], 2, err="类别编号"),
    "show-huge-id": Case(["show", "9" * 5000], 2, err="应为整数"),
    "control-character": Case(
        ["validate", _write("control.yaml", MINIMAL.replace("低保业务", "低保\x01业务", 1))],
        2,
        err=":12:",
        check=lambda r: "U+0001" in r.stderr and "position" not in r.stderr,
    ),
    "next-line-character": Case(
        [
            "validate",
            _write(
                "nel.yaml",
                MINIMAL.replace("  kind:", "  note: '甲\x85乙'\n  kind:", 1) + "bogus: 1\n",
            ),
        ],
        2,
        check=lambda r: f":{MINIMAL.count(chr(10)) + 2}:1:" in r.stderr,
    ),
    "yaml-syntax": Case(
        ["validate", _write("syntax.yaml", "schema: 1\nlist: [a\n")],
        2,
        check=lambda r: (
            "YAML 语法错误" in r.stderr and not re.search(r"[a-z]{4,} [a-z]{4,}", r.stderr)
        ),
    ),
    # -- answers people asked for -------------------------------------------------
    "show-found-and-missing": Case(["show", "5", "999"], 2, out="第5项：", err="没有第 999 项"),
    "show-written-as-list-does": Case(["show", "第17项"], 0, out="流浪乞讨人员救助管理工作"),
    "data-after-command": Case(["list", "--data", str(EXAMPLES / "good" / "minimal.yaml")], 0),
}


def _all_text_of_item_6(stdout: str) -> bool:
    from dutycli.lists.load import load
    from dutycli.lists.views import as_text, street_lines, upper_lines

    item = next(i for i in load(DATA).items if i.id == 6)
    flat = re.sub(r"[\s│┌┐└┘├┤┬┴┼─]", "", stdout)
    wanted = as_text(upper_lines(item)) + as_text(street_lines(item)) + item.name
    return all(ch in flat for ch in re.sub(r"\s", "", wanted)) and _in_order(
        re.sub(r"\s", "", as_text(street_lines(item))), flat
    )


def _in_order(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


@pytest.fixture(scope="module", autouse=True)
def _remove_written_files() -> Iterator[None]:
    yield
    for path in Path(tempfile.gettempdir()).glob(f"dutycli-hostile-{os.getpid()}-*"):
        path.unlink()


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=[pytest.mark.slow] if c.slow else []) for n, c in CASES.items()],
)
def test_hostile(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    args = case.args() if callable(case.args) else case.args
    result = run_bounded(
        args, case.stdin, case.env, case.stdout, case.stderr, tmp_path / "cache", case.cpu
    )
    assert_sound(result, case.code if isinstance(case.code, set) else {case.code})
    if case.out is not None:
        assert case.out in result.stdout, result
    if case.err is not None:
        assert case.err in result.stderr, result
    if case.check is not None:
        assert case.check(result), result
