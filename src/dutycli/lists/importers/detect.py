"""Which format a file is in, from its content (the extension is only a hint for messages)."""

from __future__ import annotations

import io
import re
import zipfile

from dutycli.errors import DataError, Problem

DOCX, XLSX, XLS, DOC, HTML, TSV = "docx", "xlsx", "xls", "doc", "html", "tsv"

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
# Names of streams in an OLE2 (compound) file, as stored: UTF-16LE.
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_WORKBOOK = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|table|body|head)\b", re.IGNORECASE)
# A page may start with a long script or comment: a <table tag anywhere makes it a page.
_TABLE = re.compile(rb"<table\b", re.IGNORECASE)
# What a Word/Excel file may hold once unzipped. A 340-item list is about 3 MB;
# the readers hold every part in memory, and parsed XML takes several times its size.
MAX_UNZIPPED = 48 * 1024 * 1024


def detect(raw: bytes, file: str) -> str:
    """One of DOCX, XLSX, XLS, DOC, HTML, TSV; a file that is none of them is a DataError."""

    def fail(message: str) -> DataError:
        return DataError([Problem(file, message)])

    if not raw.strip():
        raise fail("文件是空的：应为公布的清单（Word、Excel、网页或制表符分隔的文本）")
    if raw.startswith(ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                names = set(z.namelist())
                # The sizes the zip declares: zipfile never yields more than
                # that (and fails on a part that holds more), so this bounds
                # what any reader can unpack, before anything is unpacked.
                unzipped = sum(info.file_size for info in z.infolist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise fail(
                "文件已损坏：它像是 Word/Excel（zip 格式）文件，却无法打开。"
                "请用 Word/Excel 打开后重新另存，或重新下载"
            ) from None
        if unzipped > MAX_UNZIPPED and ("word/document.xml" in names or "xl/workbook.xml" in names):
            raise fail(
                f"文件解压后过大（{unzipped / 1024 / 1024:,.0f} MB，"
                f"上限 {MAX_UNZIPPED // 1024 // 1024} MB）：公布的清单解压后只有几 MB，"
                "这个文件可能已损坏或是恶意构造的（压缩炸弹）。"
                "请用 Word/Excel 打开后另存，或删去其中的图片等大件内容再导入"
            )
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
        if "content.xml" in names:
            raise fail(
                "这是 OpenDocument（.odt/.ods）文件："
                "请用 WPS 或 LibreOffice 另存为 .docx 或 .xlsx 再导入"
            )
        raise fail(
            "这是一个 zip 压缩包，但不是 Word（.docx）或 Excel（.xlsx）文件："
            "请解压后导入其中的清单文件"
        )
    if raw.startswith(OLE2):
        if _ENCRYPTED in raw:
            raise fail(
                "文件有密码保护（已加密），无法读取：请在 Word/Excel/WPS 里打开，"
                "去掉密码（文件 → 信息 → 保护 → 用密码进行加密，清空密码）后另存，再导入"
            )
        if any(name in raw for name in _WORKBOOK):
            return XLS
        return DOC
    if raw.startswith(b"%PDF"):
        raise fail(
            "这是 PDF 文件：duty 读不了 PDF。请找 Word、Excel 或网页版的清单，或先转换为 .docx"
        )
    if _HTML.search(raw[:65536]) or _TABLE.search(raw):
        return HTML
    if b"\x00" in raw[:4096]:
        raise fail("无法识别的文件格式：不是 Word、Excel、网页，也不是制表符分隔的文本")
    return TSV
