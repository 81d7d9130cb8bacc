"""Text that people pipe in (task lists from Excel or Notepad): find its encoding.

Office machines write GBK (Windows' Chinese default), UTF-16 with or without a
byte order mark (Notepad's "Unicode"), or UTF-8 with a BOM. Text is decoded
when its encoding is clear; otherwise it is refused with a message naming what
was seen, never judged as garbage.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from dutycli.errors import UsageError

MAX_INPUT_BYTES = 10 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


class Decoded(NamedTuple):
    text: str
    encoding: str  # as people call it: UTF-8, UTF-16, GBK/GB18030


def _refuse(what: str) -> UsageError:
    return UsageError(
        f"{what}；请把文件另存为 UTF-8 编码后再试"
        "（记事本：另存为 → 编码选 UTF-8；或 iconv -f 原编码 -t UTF-8）。"
    )


def decode_input(raw: bytes, what: str = "标准输入") -> Decoded:
    if len(raw) > MAX_INPUT_BYTES:
        raise UsageError(f"{what}超过 {MAX_INPUT_BYTES // 1024 // 1024} MB，不像一份任务清单。")
    marked = _by_bom(raw, what)
    if marked is not None:
        return marked
    if b"\x00" in raw:
        # UTF-16 without a BOM: ASCII and newlines leave a zero byte in every other place.
        even, odd = raw[0::2].count(0), raw[1::2].count(0)
        codec = "utf-16-be" if even > odd else "utf-16-le"
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            raise _refuse(f"{what}含有零字节，像 UTF-16 但不能按 UTF-16 解码") from None
        if not _reads_as_text(text):
            raise _refuse(f"{what}含有零字节，像 UTF-16，但按 UTF-16 解出来不像文字")
        return Decoded(text, "UTF-16")
    try:
        return Decoded(raw.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    if len(raw) % 2 == 0:
        # UTF-16 without a BOM and without a newline has no zero byte to tell it.
        # GBK read as UTF-16 gives Hangul, surrogates and private-use characters,
        # never common Chinese: text that reads as Chinese is taken as UTF-16.
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            if text and all(_gb2312(ch) and not ch.isascii() for ch in text):
                return Decoded(text, "UTF-16")
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise _refuse(f"{what}不是 UTF-8、UTF-16 或 GBK/GB18030 编码") from None
    # Any byte soup with high bits may decode as GB18030: accept it only if it
    # reads as text, nearly every character one of the common GB2312 ones.
    common = sum(1 for ch in text if ch.isascii() or _gb2312(ch))
    if common < 0.95 * len(text):
        raise _refuse(f"{what}不是 UTF-8，按 GBK/GB18030 解码又不像中文文字")
    return Decoded(text, "GBK/GB18030")


def _by_bom(raw: bytes, what: str) -> Decoded | None:
    """The text a byte order mark announces (None: no mark); refused if it does not decode, or
    decodes (UTF-16, UTF-32) to what does not read as text."""
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise _refuse(f"{what}以 {name} 的字节顺序标记开头，但不能按 {name} 解码") from None
            if name != "UTF-8" and not _reads_as_text(text):
                raise _refuse(f"{what}以 {name} 的字节顺序标记开头，但按 {name} 解出来不像文字")
            return Decoded(text, name)
    return None


def _reads_as_text(text: str) -> bool:
    """Nearly every character (90 %) is one text uses: ASCII, the CJK block, CJK and full-width
    punctuation, Mongolian script. Bytes that happen to decode as UTF-16 spread over the whole
    plane (Hangul, Glagolitic, the rare CJK extension A): a third of them land in the CJK block."""
    usual = sum(
        1
        for ch in text
        if ch.isascii()
        or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or "\u2000" <= ch <= "\u206f"
        or "\u1800" <= ch <= "\u18af"
        or ch.isspace()
    )
    return usual >= 0.9 * len(text)


def _gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
