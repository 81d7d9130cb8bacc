"""The query-understanding layer (``dutycli.text``) of some lists, kept beside the store.

Search and check read a query through the same layer: the thesaurus cut down
to the lists' words, the segmentation vocabulary, department spellings and,
for typos, words by their sound. Building it reads jieba's and 词林's data
(about half a second), so it is built the first time a query needs it and kept
in the cache directory, six parts a set of lists::

    dutycli/text/core-<key>     thesaurus, department spellings (every query)
    dutycli/text/words-<key>    the vocabulary (only to segment a word the lists lack)
    dutycli/text/sounds-<key>   pinyin -> words (only for a word nobody understands)
    dutycli/text/syllables-<key>, initials-<key>   derived from sounds (full pinyin, initials)
    dutycli/text/chars-<key>    every character of the lists' texts (a homophone's candidates)

The key is the content digests of the lists (as the store recorded them) and
the thesaurus table's key (its content and the layer's version), so a part can
only ever answer for the exact lists and table it was built from. Each part
carries a BLAKE2 digest of its payload and is written to a temporary name and
renamed: a damaged part fails its check and is rebuilt; an unwritable cache
directory only means the layer is built in memory.

A selection larger than ``MAX_ITEMS`` (a province's lists at once) gets no
layer: its words are searched as typed, which the search says nothing against.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutycli.lists.model import Department, Item
from dutycli.text.segment import Vocabulary

if TYPE_CHECKING:
    from dutycli.query.precedents import Index
    from dutycli.store.library import Library, ListRef
    from dutycli.text.layer import SoundIndex, TextLayer

MAX_ITEMS = 20_000  # about twenty subdistricts' three lists (Library.large: the same)
_TAG = 16  # bytes of digest before each payload


def _digest(data: bytes) -> bytes:
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other interpreters
        from hashlib import blake2b
    return blake2b(data, digest_size=_TAG).digest()


def _read(path: Path | None) -> Any:
    if path is None:
        raise ValueError("no cache")
    from dutycli.errors import DataError
    from dutycli.lists.source import read_bytes

    try:
        # Like a list file: a regular file only, of bounded size (a FIFO or a
        # link to /dev/zero is "no cache", and the part is built again).
        raw = read_bytes(path)
    except DataError:
        raise ValueError("not a cache file") from None
    if len(raw) < _TAG or _digest(raw[_TAG:]) != raw[:_TAG]:
        raise ValueError("damaged")
    return marshal.loads(raw[_TAG:])


def _write(path: Path | None, value: Any) -> None:
    if path is None:
        return
    payload = marshal.dumps(value)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(_digest(payload) + payload)
        os.replace(tmp, path)
    except OSError:  # a read-only cache: the answer is still right
        with contextlib.suppress(OSError):
            tmp.unlink()


def _part(
    directory: Path | None, name: str, build: Callable[[], Any], kind: type | None = None
) -> Any:
    """The part ``name``, read, or built and written; a part that is not of ``kind`` (another
    version's shape) is built and written again."""
    path = directory / name if directory is not None else None
    try:
        value = _read(path)
        if kind is None or isinstance(value, kind):
            return value
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = build()
    _write(path, value)
    return value


class LayerSource:
    """Builds and keeps the layer of one set of lists; what search and check ask for."""

    def __init__(
        self,
        lib: Library,
        refs: Sequence[ListRef],
        items: Callable[[], list[Item]],
        departments: Callable[[], Sequence[Department]],
    ) -> None:
        from dutycli.store import cache_root
        from dutycli.text.layer import table_key

        self.lib = lib
        self._items = items
        self._departments = departments
        ids = ",".join(str(ref.id) for ref in refs) or "0"
        digests = sorted(
            d for (d,) in lib.conn.execute(f"SELECT digest FROM lists WHERE id IN ({ids})")
        )
        self.key = _digest(("\n".join(digests) + "\n" + table_key()).encode()).hex()[:24]
        root = cache_root()
        self.dir = root / "text" if root is not None else None
        self._layer: TextLayer | None = None
        self._sounds: SoundIndex | None = None
        self._table: dict[str, list[str]] | None = None
        self._chars: frozenset[str] | None = None

    def _the_table(self) -> dict[str, list[str]]:
        if self._table is None:
            from dutycli.text.layer import table_path
            from dutycli.text.thesaurus import read_table

            path = table_path()
            self._table = read_table(path) if path else {}
        return self._table

    def layer(self) -> TextLayer:
        if self._layer is not None:
            return self._layer
        from dutycli.text.layer import TextLayer, build_core, build_words

        def core() -> dict[str, Any]:
            thesaurus, names, by_dept = build_core(
                self._items(), self._departments(), self._the_table()
            )
            return TextLayer(Vocabulary(), thesaurus, names, by_dept).to_data()

        def words() -> Any:
            layer = self.layer()
            vocab = build_words(
                self._items(), layer.departments, layer.thesaurus, self._the_table()
            )
            return vocab.to_data()

        def load_words() -> tuple[dict[str, float], int, float]:
            costs, longest, unknown = _part(self.dir, f"words-{self.key}", words)
            return dict(costs), int(longest), float(unknown)

        vocab = Vocabulary(loader=load_words)
        try:
            layer = TextLayer.from_data(_part(self.dir, f"core-{self.key}", core), vocab)
        except (ValueError, KeyError, TypeError):  # an older layer's shape: build it anew
            layer = TextLayer.from_data(core(), vocab)
        self._layer = layer
        return layer

    def by_char(self) -> Callable[[str], list[str]]:
        """A character's toneless syllables, from the store's readings table."""
        result: Callable[[str], list[str]] = self.lib.char_syllables
        return result

    def sounds(self) -> SoundIndex:
        """The sound index, its syllables and its initials: three parts, each read on need."""
        if self._sounds is None:
            from dutycli.text.layer import (
                SoundIndex,
                build_sounds,
                sound_initials,
                sound_syllables,
            )

            words: dict[str, list[str]] = _part(
                self.dir,
                f"sounds-{self.key}",
                lambda: build_sounds(self.layer(), self.by_char()),
                dict,
            )

            def syllables() -> frozenset[str]:
                part = f"syllables-{self.key}"
                return _part(self.dir, part, lambda: sound_syllables(words), frozenset)  # type: ignore[no-any-return]

            def initials() -> dict[str, list[str]]:
                part = f"initials-{self.key}"
                return _part(self.dir, part, lambda: sound_initials(words), dict)  # type: ignore[no-any-return]

            self._sounds = SoundIndex(words, syllables, initials)
        return self._sounds

    def chars(self) -> frozenset[str]:
        """Every character of the lists' lines: a homophone no line holds can match nothing."""
        if self._chars is None:
            text = _part(self.dir, f"chars-{self.key}", self.lib.text_chars, str)
            self._chars = frozenset(text)
        return self._chars

    def precedents(self, raw: bytes, build: Callable[[], Index | None]) -> Index | None:
        """The decided tasks (query.precedents) compiled for these lists, per file content."""
        from dutycli.query.check_terms import fingerprint
        from dutycli.query.precedents import Index

        # The decided tasks are compiled by how check reads a task (check_terms): a new
        # reading is a new part, never tasks compiled by the old one.
        content = _digest(raw + b"\0" + fingerprint()).hex()[:16]
        name = f"recall4-{self.key}-{content}"
        data = _part(self.dir, name, lambda: (built := build()) and built.to_data())
        try:
            return Index.from_data(data) if data else None
        except (TypeError, ValueError):  # a part of another shape: answer without it
            return None


def selection_layer(lib: Library) -> LayerSource | None:
    """The layer of the selected lists (None past MAX_ITEMS: words are then taken as typed)."""
    result: LayerSource | None = lib.memo("layer", lambda: _selection_layer(lib))
    return result


def selection_chars(lib: Library) -> frozenset[str] | None:
    """The selected lists' characters (None past MAX_ITEMS: no layer, nothing cut)."""
    source = selection_layer(lib)
    return None if source is None else source.chars()


def _selection_layer(lib: Library) -> LayerSource | None:
    if lib.selected_items() > MAX_ITEMS or lib.large():
        return None
    refs = list(lib.selected)

    def items() -> list[Item]:
        return [item for item, _ in lib.decode(lib.rows())]

    return LayerSource(lib, refs, items, lambda: lib.departments_of(r.id for r in refs))
