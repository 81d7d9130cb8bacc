"""The compiled cache: a validated list, keyed on its file's content, ready to query.

A query reads a few small files instead of parsing and validating YAML, and
never imports pypinyin. Layout, under the user's cache directory::

    dutycli/<BLAKE2 of the data file>-f<layout>-v<version>-<python tag>/
        meta          list info, categories, departments, counts
        items         one record an item, read by offset (items.idx)
        texts.bin     the search index (starts.bin, refs.bin: its arrays)
        pinyin        written the first time a pinyin query needs it
    dutycli/readings-<pypinyin version>-<python tag>   homophones, on first need

Records are in ``marshal`` format: the interpreter reads it without importing
anything (json costs ~1.3 ms a start) and faster than JSON. It is specific to
the Python version, hence the tag in the names.

Every file ends with a trailer line that holds its payload's length and
CRC-32 (at the end, so the payload can be read into one buffer and searched
in place: the 6,700-item index is 8 MB), and is written to a temporary name
and renamed into place. So a reader sees
a whole file or none; a truncated or corrupt file fails its check and that part
is rebuilt from the data file; a read-only or missing cache directory only
means the list is compiled in memory. The cache can be slow, never wrong.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from array import array
from pathlib import Path
from typing import Any

from dutycli import __version__
from dutycli.index import (
    Compiled,
    PinyinIndex,
    TextIndex,
    build_pinyin_index,
    build_readings,
    build_text_index,
    counts,
)
from dutycli.model import Department, DutyList, Item, ListInfo
from dutycli.serialize import item_from_dict, item_to_dict

LAYOUT = 1  # bump when the files below change shape
KEEP = 8  # compiled lists kept side by side (one per data file version)
_MAGIC = b"DUTY"


class Corrupt(Exception):
    """A cache file is missing, truncated or damaged."""


def cache_root() -> Path:
    explicit = os.environ.get("DUTY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    try:
        if sys.platform == "win32":
            base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Caches"
        else:
            base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except (RuntimeError, KeyError):  # no home directory (some service accounts)
        import tempfile

        base = (
            Path(tempfile.gettempdir()) / f"dutycli-{os.getuid() if hasattr(os, 'getuid') else 0}"
        )
    return base / "dutycli"


# -- files --------------------------------------------------------------------


def write_part(path: Path, payload: bytes | bytearray) -> None:
    """Write atomically; a failure leaves no partial file behind."""
    trailer = b"\n%s %08x %d\n" % (_MAGIC, zlib.crc32(payload), len(payload))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(payload)
            f.write(trailer)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def read_part(path: Path) -> bytearray:
    """A part's payload, checked; read into one buffer and never copied."""
    try:
        with open(path, "rb", buffering=0) as f:
            data = bytearray(os.fstat(f.fileno()).st_size)
            view, got = memoryview(data), 0
            while got < len(data):
                n = f.readinto(view[got:])
                if not n:
                    break
                got += n
            view.release()
    except OSError as e:
        raise Corrupt(str(e)) from None
    try:
        start = data.rindex(b"\n", 0, len(data) - 1)
        magic, crc, length = bytes(data[start + 1 : -1]).split(b" ")
        if magic != _MAGIC or got != len(data) or start != int(length):
            raise ValueError
        del data[start:]  # shrinking from the end moves nothing
        if zlib.crc32(data) != int(crc, 16):
            raise ValueError
    except ValueError:
        raise Corrupt(f"{path.name} is damaged") from None
    return data


_TAG = sys.implementation.cache_tag or "python"


def _load(payload: bytes | bytearray) -> Any:
    return marshal.loads(payload)


def _dump(value: Any) -> bytes:
    return marshal.dumps(value)


# -- the compiled list -------------------------------------------------------


class CachedList:
    """The parts of one compiled list: read from the cache, rebuilt when they fail."""

    def __init__(self, directory: Path, raw: bytes, file: str) -> None:
        self.dir = directory
        self.raw = raw
        self.file = file
        self._list: DutyList | None = None

    def dutylist(self) -> DutyList:
        """The list parsed and validated from the data file itself (the slow path)."""
        if self._list is None:
            from dutycli.load import decode, parse

            self._list = parse(decode(self.raw, self.file), self.file)
        return self._list

    def _save(self, name: str, payload: bytes | bytearray) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            write_part(self.dir / name, payload)
        except OSError:
            pass  # a read-only cache is not an error: the answer is still right

    def build(self) -> dict[str, Any]:
        """Compile the core parts from the data file, store them, return the meta part."""
        dl = self.dutylist()
        per_category, per_department = counts(dl)
        meta = {
            "info": [dl.info.title, dl.info.subdistrict, dl.info.kind, dl.info.note],
            "categories": list(dl.categories),
            "departments": [[d.name, list(d.aliases)] for d in dl.departments],
            "category_counts": per_category,
            "department_counts": per_department,
            "count": len(dl.items),
        }
        lines, index = [], array("q")
        offset = 0
        for item in dl.items:
            line = _dump(item_to_dict(item))
            index.extend((offset, len(line), zlib.crc32(line)))
            lines.append(line)
            offset += len(line)
        texts = build_text_index(dl.items)
        self._save("items", b"".join(lines))
        self._save("items.idx", index.tobytes())
        self._save("texts.bin", texts.blob)
        self._save("starts.bin", texts.starts.tobytes())
        self._save("refs.bin", texts.refs.tobytes())
        # meta last: its presence says the rest is there.
        self._save("meta", _dump(meta))
        _prune(self.dir.parent, keep=self.dir.name)
        return meta

    def meta(self) -> dict[str, Any]:
        try:
            meta = dict(_load(read_part(self.dir / "meta")))
            with contextlib.suppress(OSError):
                # Mark it used, so that pruning drops lists nobody reads any more.
                os.utime(self.dir)
            return meta
        except (Corrupt, ValueError, EOFError, TypeError):
            return self.build()

    def items(self, indices: list[int] | None) -> list[Item]:
        try:
            return self._read_items(indices)
        except (Corrupt, OSError, ValueError, EOFError, KeyError, IndexError, TypeError):
            self.build()
            items = self.dutylist().items
            return list(items) if indices is None else [items[i] for i in indices]

    def _read_items(self, indices: list[int] | None) -> list[Item]:
        index = array("q")
        index.frombytes(read_part(self.dir / "items.idx"))
        path = self.dir / "items"
        if indices is None:
            payload = read_part(path)
            return [
                item_from_dict(_load(payload[index[3 * i] : index[3 * i] + index[3 * i + 1]]))
                for i in range(len(index) // 3)
            ]
        out = []
        with open(path, "rb") as f:
            for i in indices:
                offset, length, crc = index[3 * i : 3 * i + 3]
                f.seek(offset)
                line = f.read(length)
                if len(line) != length or zlib.crc32(line) != crc:
                    raise Corrupt("items is damaged")
                out.append(item_from_dict(_load(line)))
        return out

    def texts(self) -> TextIndex:
        try:
            starts, refs = array("q"), array("i")
            starts.frombytes(read_part(self.dir / "starts.bin"))
            refs.frombytes(read_part(self.dir / "refs.bin"))
            blob = read_part(self.dir / "texts.bin")
            if len(refs) != 4 * (len(starts) - 1) or (len(starts) and starts[-1] != len(blob)):
                raise Corrupt("the text index does not fit together")
            return TextIndex(blob, starts, refs)  # blob stays the bytearray read
        except (Corrupt, ValueError):
            self.build()
            return build_text_index(self.dutylist().items)

    def pinyin(self, departments: tuple[Department, ...]) -> PinyinIndex:
        path = self.dir / "pinyin"
        try:
            data = _load(read_part(path))
            return PinyinIndex(data["names"], data["departments"], data["item_departments"])
        except (Corrupt, ValueError, EOFError, KeyError, TypeError):
            pass
        index = build_pinyin_index(self.items(None), departments)
        self._save(
            "pinyin",
            _dump(
                {
                    "names": index.names,
                    "departments": index.departments,
                    "item_departments": index.item_departments,
                }
            ),
        )
        return index


def readings() -> dict[str, str]:
    """Characters by toneless pinyin; shared by every list, keyed on pypinyin's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        key = version("pypinyin")
    except PackageNotFoundError:
        key = "unknown"
    path = cache_root() / f"readings-{key}-{_TAG}"
    try:
        return dict(_load(read_part(path)))
    except (Corrupt, ValueError, EOFError, TypeError):
        pass
    table = build_readings()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_part(path, _dump(table))
    except OSError:
        pass
    return table


def _prune(root: Path, keep: str) -> None:
    """Drop the oldest compiled lists beyond KEEP; another process may be racing us."""
    import shutil

    try:
        dirs = [p for p in root.iterdir() if p.is_dir() and p.name != keep]
        dirs.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in dirs[KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def _digest(raw: bytes) -> str:
    try:
        # The built-in BLAKE2: importing hashlib loads OpenSSL, ~2 ms a run.
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other interpreters
        from hashlib import blake2b
    return blake2b(raw, digest_size=20).hexdigest()


def open_compiled(raw: bytes, file: str) -> Compiled:
    """The compiled form of the list whose file holds ``raw``."""
    key = f"{_digest(raw)}-f{LAYOUT}-v{__version__}-{_TAG}"
    parts = CachedList(cache_root() / key, raw, file)
    meta = parts.meta()
    departments = tuple(Department(name, tuple(aliases)) for name, aliases in meta["departments"])
    return Compiled(
        info=ListInfo(*meta["info"]),
        categories=tuple(meta["categories"]),
        departments=departments,
        category_counts=meta["category_counts"],
        department_counts=meta["department_counts"],
        count=meta["count"],
        path=file,
        items=parts.items,
        texts=parts.texts,
        pinyin=lambda: parts.pinyin(departments),
        readings=readings,
    )
