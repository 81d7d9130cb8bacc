"""The loader on folders of good and bad list files.

Each bad case is ``NAME.yaml`` beside ``NAME.expect``: the expect file's first
line is the location the message must name (``:line:column:``), the other lines
are fragments the message must contain.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dutycli.errors import DataError
from dutycli.lists.load import load

from .conftest import DATA, EXAMPLES, Duty

BAD = sorted((EXAMPLES / "bad").glob("*.yaml"))
GOOD = sorted((EXAMPLES / "good").glob("*.yaml"))


def test_the_folders_hold_the_cases_the_issue_names() -> None:
    names = {p.stem for p in BAD}
    assert {
        "syntax-error",
        "missing-field",
        "wrong-type",
        "duplicate-id",
        "unknown-department",
        "unknown-category",
        "unknown-key",
        "gbk-encoding",
        "empty",
        "alias-bomb",
        "not-a-mapping",
    } <= names


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_file_is_reported_with_its_location(path: Path, duty: Duty) -> None:
    location, *fragments = path.with_suffix(".expect").read_text(encoding="utf-8").splitlines()
    for argv in (["validate", str(path)], ["--data", str(path), "list"]):
        result = duty(*argv)
        assert result.exception is None, "a traceback would reach the user"
        assert result.exit_code == 2, argv
        assert "Traceback" not in result.output
        assert f"{path}{location}" in result.stderr
        for fragment in fragments:
            assert fragment in result.stderr


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_good_file_validates(path: Path, duty: Duty) -> None:
    result = duty("validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert "有效" in result.stdout


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = DATA.read_text(encoding="utf-8")
    broken = (
        text.replace("  category: 党的建设", "  category: 党建", 1)
        .replace("- id: 2\n", "- id: 1\n", 1)
        .replace("  name: 垃圾分类工作", "  nmae: 垃圾分类工作", 1)
    )
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(path)
    messages = [str(p) for p in caught.value.problems]
    assert any("类别“党建”" in m for m in messages)
    assert any("编号 1 重复" in m for m in messages)
    assert any("“nmae”" in m and "第 62 项" in m for m in messages)
    assert all(m.startswith(f"{path}:") for m in messages)


def test_alias_bomb_fails_fast(tmp_path: Path) -> None:
    # Nine levels of nine-fold aliases expand to 387 million strings; refusing
    # anchors up front means the loader never expands them.
    with pytest.raises(DataError, match="锚点"):
        load(EXAMPLES / "bad" / "alias-bomb.yaml")


def test_missing_and_directory_paths(tmp_path: Path, duty: Duty) -> None:
    result = duty("--data", str(tmp_path / "nope.yaml"), "info")
    assert result.exit_code == 2 and "找不到这个文件" in result.stderr
    result = duty("--data", str(tmp_path), "info")
    assert result.exit_code == 2 and "目录" in result.stderr


def test_data_option_and_environment(tmp_path: Path, duty: Duty) -> None:
    other = tmp_path / "other.yaml"
    shutil.copy(EXAMPLES / "good" / "minimal.yaml", other)
    for result in (
        duty("--data", str(other), "info"),
        duty("info", env={"DUTY_DATA": str(other)}),
    ):
        assert result.exit_code == 0
        assert f"数据文件：{other}" in result.stdout
        assert "事项：1 项" in result.stdout
    # --data wins over the environment.
    result = duty("--data", str(other), "info", env={"DUTY_DATA": str(tmp_path / "nope")})
    assert result.exit_code == 0 and "测试街道" in result.stdout


def test_info_of_the_shipped_list(duty: Duty) -> None:
    result = duty("info")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == [
        "清单：青山路街道配合履职事项清单",
        "街道：青山路街道",
        "类型：配合履职事项",
        "说明：根据清单工作整体部署将适时对清单内容进行修订。",
        "事项：67 项",
        "类别：6 个（党的建设 3、民生服务 29、平安法治 24、城乡建设 6、生态环保 3、文化旅游 2）",
        "部门：28 个",
    ]
