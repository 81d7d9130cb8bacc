"""Reply drafts (``duty reply``): the wording from editable templates, written as a .docx.

The wording lives in ``data/reply_templates.yaml`` (or a file an office passes
with ``--template``): one text per part of the reply (标题, 称呼, 开头, one per
case of ``query.replies``, 结尾, 落款). Each line of a text is a paragraph;
``{名称}`` is replaced by the list's and the task's words (``FIELDS``); the two
block fields (``{上级部门职责}``, ``{街道职责}``) stand alone on a line and
become one paragraph a heading or step, as the list numbers them. A line whose
fields are all empty is left out. ``check_templates`` finds every problem of a
templates file, located by line (``duty validate`` prints them).

The .docx follows the usual 公文 layout (GB/T 9704): A4, margins 37/35/28/26 mm,
the title in 方正小标宋简体 二号 centred, the body in 仿宋_GB2312 三号 at a fixed
28.95 pt line (22 lines a page), paragraphs indented two characters, headings
of the split in 黑体, the subdistrict and the date at the right. Fonts are set
for East Asian text too (``w:eastAsia``), which Word and WPS use for Chinese.
"""

from __future__ import annotations

import datetime as dt
import io
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dutycli.errors import DataError, Problem
from dutycli.lists.views import street_lines, upper_lines
from dutycli.query.replies import CASES, ReplyCase

HEAD_KEYS = ("标题", "称呼", "开头")
TAIL_KEYS = ("结尾", "落款")
KEYS = (*HEAD_KEYS, *CASES, *TAIL_KEYS)
BLOCKS = ("上级部门职责", "街道职责")
FIELDS = (
    "街道",
    "部门",
    "任务",
    "日期",
    "清单",
    "事项清单",
    "事项编号",
    "事项名称",
    "职责部门",
    "职责原文",
    "收回部门",
    "工作方式",
    *BLOCKS,
)

TITLE_FONT, HEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312"
TITLE_SIZE, BODY_SIZE = 22, 16  # 二号, 三号 (points)
LINE = 28.95  # points: 22 lines on an A4 page with the 公文 margins


def shipped_templates() -> Path | None:
    from dutycli.lists.source import shipped

    return shipped("reply_templates.yaml")


def looks_like_templates(path: Path) -> bool:
    """A file holding the reply templates (by its keys), not a list: what ``validate`` asks."""
    from dutycli.lists.source import head_text

    head = head_text(path, 16_000)  # at least the first 4,000 characters
    if head is None:
        return False
    return all(f"\n{key}:" in "\n" + head or f"\n{key} :" in "\n" + head for key in HEAD_KEYS)


@dataclass(frozen=True, slots=True)
class Templates:
    path: str
    texts: dict[str, str]


def check_templates(path: Path) -> list[Problem]:
    """Every problem of a templates file (empty: valid)."""
    try:
        load_templates(path)
    except DataError as e:
        return list(e.problems)
    return []


def load_templates(path: Path | None = None) -> Templates:
    """The templates at ``path`` (default: the shipped ones); a DataError lists every problem."""
    import yaml

    from dutycli.lists.source import read_bytes

    if path is None:
        path = shipped_templates()
        if path is None:
            raise DataError([Problem("reply_templates.yaml", "找不到随程序安装的回复模板")])
    file = str(path)
    try:
        text = read_bytes(path).decode("utf-8-sig")
        root = yaml.compose(text)
    except UnicodeDecodeError:
        raise DataError([Problem(file, "不是 UTF-8 编码的文本")]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataError([Problem(file, "YAML 格式错误：缩进或引号有误", line)]) from None
    if not isinstance(root, yaml.MappingNode):
        raise DataError([Problem(file, f"应为“名称: 文字”的对照表，含 {'、'.join(KEYS)}")])
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    present = set()
    for key_node, value_node in root.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        present.add(key)
        if key not in KEYS:
            problems.append(Problem(file, f"未知的模板名“{key}”：应为 {'、'.join(KEYS)}", line))
            continue
        if not isinstance(value_node, yaml.ScalarNode) or value_node.tag.endswith(":null"):
            problems.append(Problem(file, f"{key}：应为一段文字", line))
            continue
        first = value_node.start_mark.line + (2 if value_node.style in ("|", ">") else 1)
        problems += _check_text(file, key, str(value_node.value), first)
        texts[key] = str(value_node.value)
    for key in KEYS:
        if key not in present:
            problems.append(Problem(file, f"缺少模板“{key}”"))
    if problems:
        raise DataError(problems)
    return Templates(file, texts)


def _check_text(file: str, key: str, text: str, first_line: int) -> list[Problem]:
    problems = []
    for n, line in enumerate(text.splitlines()):
        where = first_line + n
        try:
            parsed = list(string.Formatter().parse(line))
        except ValueError:
            problems.append(
                Problem(file, f"{key}：花括号不成对（文字里的花括号请写成 {{{{ 和 }}}}）", where)
            )
            continue
        for _, name, spec, conversion in parsed:
            if name is None:
                continue
            if name not in FIELDS or spec or conversion:
                problems.append(
                    Problem(file, f"{key}：未知的名称 {{{name}}}，可用：{'、'.join(FIELDS)}", where)
                )
            elif name in BLOCKS and (key not in CASES or line.strip() != f"{{{name}}}"):
                problems.append(
                    Problem(file, f"{key}：{{{name}}} 须单独占一行，且只能用在正文各段", where)
                )
    return problems


# -- the draft -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: str  # title | addressee | body | heading | step | signature | date


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _values(case: ReplyCase, day: dt.date) -> dict[str, str]:
    item = case.item
    return {
        "街道": case.subdistrict,
        "部门": case.department,
        "任务": case.task,
        "日期": chinese_date(day),
        "清单": "".join(f"《{t}》" for t in case.lists) or "本街道的履职事项清单",
        "事项清单": f"《{case.list_title}》" if case.list_title else "",
        "事项编号": str(item.id) if item else "",
        "事项名称": item.name if item else "",
        "职责部门": case.duty_department,
        "职责原文": case.duty_text,
        "收回部门": "、".join(item.departments) if item else "",
        "工作方式": (item.method or "") if item else "",
    }


def _block(case: ReplyCase, name: str) -> list[Paragraph]:
    if case.item is None:
        return []
    lines = (
        upper_lines(case.item, guarantees=False)
        if name == "上级部门职责"
        else street_lines(case.item)
    )
    return [Paragraph(ln.text, "heading" if ln.kind == "heading" else "step") for ln in lines]


def _fill(text: str, values: dict[str, str], case: ReplyCase, style: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        block = stripped[1:-1] if stripped.startswith("{") and stripped.endswith("}") else ""
        if block in BLOCKS:
            out += _block(case, block)
            continue
        names = [n for _, n, _, _ in string.Formatter().parse(stripped) if n is not None]
        if names and not any(values.get(n) for n in names):
            continue  # every field of the line is empty (no 工作方式, say)
        out.append(Paragraph(stripped.format_map(values), style))
    return out


def compose(case: ReplyCase, templates: Templates, day: dt.date) -> list[Paragraph]:
    """The reply's paragraphs, in order, with the role each plays in the layout."""
    values = _values(case, day)
    t = templates.texts
    return [
        *_fill(t["标题"], values, case, "title"),
        *_fill(t["称呼"], values, case, "addressee"),
        *_fill(t["开头"], values, case, "body"),
        *_fill(t[case.case], values, case, "body"),
        *_fill(t["结尾"], values, case, "body"),
        *_fill(t["落款"], values, case, "signature"),
        Paragraph(values["日期"], "date"),
    ]


def docx_bytes(paragraphs: list[Paragraph]) -> bytes:
    """The paragraphs as a .docx in the 公文 layout."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _font(normal.font, normal.element, BODY_FONT, BODY_SIZE)
    previous = ""
    for p in paragraphs:
        if p.style in ("addressee", "signature") and previous in ("title", "body", "step"):
            _blank(doc)  # a blank line before the addressee and before the signature
        para = doc.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE)
        fmt.space_before = fmt.space_after = Pt(0)
        run = para.add_run(p.text)
        if p.style == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.line_spacing = Pt(LINE * 1.2)
            _font(run.font, run._element, TITLE_FONT, TITLE_SIZE)
        elif p.style in ("signature", "date"):
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(BODY_SIZE * 4)
            _font(run.font, run._element, BODY_FONT, BODY_SIZE)
        else:
            if p.style != "addressee":
                fmt.first_line_indent = Pt(BODY_SIZE * 2)
            name = HEADING_FONT if p.style == "heading" else BODY_FONT
            _font(run.font, run._element, name, BODY_SIZE)
        previous = p.style
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _blank(doc: Any) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    fmt = doc.add_paragraph().paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE)


def _font(font: Any, element: Any, name: str, size: int) -> None:
    """A font for Latin and East Asian text alike (Word picks w:eastAsia for Chinese)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font.name = name
    font.size = Pt(size)
    r_pr = element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), name)
