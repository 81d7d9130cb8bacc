"""The importer: the shipped list is exactly what it makes; a new table comes in the same way."""

from __future__ import annotations

from pathlib import Path

from .conftest import DATA, SOURCE, Duty

HEADER = "序号\t事项名称\t对应上级部门\t上级部门职责\t苏木乡镇（街道）配合职责"


def test_reimport_gives_the_data_file_exactly(duty: Duty) -> None:
    result = duty("import", str(SOURCE), "--departments", str(DATA))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == DATA.read_text(encoding="utf-8")


def table(*rows: str, title: str = "# 测试街道配合履职事项清单") -> str:
    return "\n".join([title, "", HEADER, *rows, "", "注：仅供测试。", ""])


def departments(tmp_path: Path) -> Path:
    path = tmp_path / "departments.yaml"
    path.write_text(
        "departments:\n"
        "- {name: 测试区民政局, aliases: [区民政局]}\n"
        "- {name: 包头市公安局测试分局, aliases: [派出所]}\n"
        "- {name: 其他行业主管部门}\n",
        encoding="utf-8",
    )
    return path


def run_import(duty: Duty, tmp_path: Path, text: str) -> tuple[int, str, str]:
    source = tmp_path / "table.txt"
    source.write_text(text, encoding="utf-8")
    result = duty("import", str(source), "--departments", str(departments(tmp_path)))
    assert result.exception is None
    return result.exit_code, result.stdout, result.stderr


def test_a_new_table_with_every_trap(duty: Duty, tmp_path: Path) -> None:
    text = table(
        "<b>一、民生服务</b>\t\t\t\t",
        "1\t低保业务\t测试区民政局 包头市公安局 测试分局 及其他行业主管部门\t"
        '<p>测试区民政局职责：</p> <ol style="x"> <li>1.审核材料。</li> <li>2.发放资金。</li> </ol>'
        " <p>包头市公安局测试分局职责： 核实户籍。</p>"
        " <p>其他行业主管部门按照职责开展检查。 履职保障：业务培训及指导。</p>\t"
        "<p>联动：</p> <p>1.受理申请。</p> <p>2.检查：（1）是否公示。 （2）是否存档。</p>",
        "----\t--\t--\t--\t--",
        "#### 二、城乡建设",
        "",
        "2\t垃圾分类\t测试区民政局\t"
        "测试区民政局职责： 统筹推进。 履职保障： 1.业务指导。 2.配备桶。\t做好宣传。",
    )
    code, out, err = run_import(duty, tmp_path, text)
    assert code == 0, err
    path = tmp_path / "out.yaml"
    path.write_text(out, encoding="utf-8")
    shown = duty("--data", str(path), "show", "1", "2", "-o", "json")
    import json

    first, second = json.loads(shown.stdout)
    assert first["category"] == "民生服务" and second["category"] == "城乡建设"
    assert first["departments"] == ["测试区民政局", "包头市公安局测试分局", "其他行业主管部门"]
    assert first["upper_duties"] == [
        {
            "departments": ["测试区民政局"],
            "heading": "测试区民政局职责：",
            "steps": ["审核材料。", "发放资金。"],
        },
        {
            "departments": ["包头市公安局测试分局"],
            "heading": "包头市公安局测试分局职责：",
            "steps": ["核实户籍。"],
        },
        {
            "departments": ["其他行业主管部门"],
            "heading": None,
            "steps": ["其他行业主管部门按照职责开展检查。"],
        },
    ]
    assert first["guarantees"] == ["业务培训及指导。"]
    assert first["street_duties"] == [
        {"heading": "联动：", "steps": ["受理申请。", "检查：\n是否公示。\n是否存档。"]}
    ]
    assert second["guarantees"] == ["业务指导。", "配备桶。"]
    info = duty("--data", str(path), "info").stdout
    assert "街道：测试街道" in info and "说明：仅供测试。" in info


def test_unknown_department_is_reported_not_guessed(duty: Duty, tmp_path: Path) -> None:
    code, out, err = run_import(
        duty,
        tmp_path,
        table(
            "<b>一、民生服务</b>\t\t\t\t",
            "7\t低保\t测试区财政局\t测试区财政局职责： 拨款。\t配合。",
        ),
    )
    assert code == 2 and out == ""
    assert "table.txt:5: 第 7 项：未知的部门“测试区财政局”" in err


def test_unreadable_rows_are_reported_with_their_line(duty: Duty, tmp_path: Path) -> None:
    code, out, err = run_import(
        duty,
        tmp_path,
        table("<b>一、民生服务</b>\t\t\t\t", "3\t只有三列\t测试区民政局", "这一行不是表格"),
    )
    assert code == 2 and out == ""
    assert "table.txt:5: 第 3 项：事项行应有 5 列" in err
    assert "table.txt:6: 无法识别的行" in err
