"""What search reads of the store: candidate items from the full-text indexes, lines, pinyin.

The query side (which words, which score) lives in ``query/search.py``; these
methods read only the rows it asks for, restricted to the selection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dutycli.store.rows import Line, in_chunks
from dutycli.store.schema import ITEM_MASK, NAME, match_all
from dutycli.store.selection import Selection

LARGE = 20_000


class SearchSupport(Selection):
    """Candidates, lines and readings for ``query/search.py`` and ``query/check.py``."""

    def large(self) -> bool:
        """A selection of more than ``LARGE`` items (searched as typed, ranked by the index)."""
        return self.selected_items() > LARGE

    def exact_candidates(self, word: str, fields: set[int] | None, limit: int) -> list[int] | None:
        """Items that can be among the first ``limit`` exact hits of ``word``, ranked in SQL.

        For a word search.py scores by occurrences alone (no Latin letters to
        fold, no pinyin, no overlap of the word with itself, so that counting
        by ``replace`` equals counting every start), the score of ``_score`` is
        computed here by the same operations: a name hit 100, any other 10,
        plus one for each further occurrence up to nine, plus 20 × the share of
        the name's UTF-8 bytes the word covers. The first ``limit`` by score
        and rowid are returned, with any item whose score is within 1e-6 of
        the last one's (so a rounding difference can never drop one): search.py
        then scores these exactly as before. None: not such a word, or no hit.
        """
        match = match_all(word)
        if (
            limit <= 0
            or match is None
            or any(ch.isascii() and ch.isalpha() for ch in word)
            or any(word[:j] == word[-j:] for j in range(1, len(word)))
        ):
            return None
        where = self._in()
        if fields is not None:
            where += f" AND field IN ({','.join(str(f) for f in sorted(fields))})"
        sql = (
            "SELECT item, 0.0 + ((CASE WHEN max(field = 0) THEN 100.0 ELSE 10.0 END)"
            " + min(sum(length(text) - length(replace(text, :w, ''))) / :n - 1, 9))"
            " + coalesce(20.0 * :b / max(max(CASE WHEN field = 0"
            " THEN length(CAST(text AS BLOB)) END), 1), 0.0) AS score"
            " FROM lines WHERE rowid IN (SELECT rowid FROM fts WHERE fts MATCH :m)"
            f"{where} AND instr(text, :w) > 0 GROUP BY item ORDER BY score DESC, item"
        )
        args = {"w": word, "n": len(word), "b": len(word.encode("utf-8")), "m": match}
        out: list[int] = []
        last = 0.0
        for item, score in self.conn.execute(sql, args):
            if len(out) < limit:
                out.append(item)
                last = score
            elif score >= last - 1e-6:
                # Tied with the last or within rounding of it: search.py decides,
                # breaking ties by list path and item id, never by rowid.
                out.append(item)
            elif score < last - 1e-6:
                break
        return out or None

    def order_keys(self, rowids: Iterable[int]) -> dict[int, tuple[str, int, int]]:
        """(list path, item id, position) of these items: the order of equal scores.

        Not the rowid, which depends on which lists were rebuilt last."""
        out: dict[int, tuple[str, int, int]] = {}
        for marks, chunk in in_chunks(list(rowids)):
            sql = (
                "SELECT i.rowid, l.path, i.id, i.pos FROM items i JOIN lists l ON l.id = i.list"
                f" WHERE i.rowid IN ({marks})"
            )
            for rowid, path, item_id, pos in self.conn.execute(sql, chunk):
                out[rowid] = (path, item_id, pos)
        return out

    def index_candidates(self, word: str, fields: set[int] | None, limit: int) -> list[int] | None:
        """The first ``limit`` items holding ``word``, in the order the index gives them.

        For a large selection, where scoring every hit would read every line
        that holds the word (50,000 of 低保 in a province): items whose name
        holds the word come first, the shortest name first (the largest share
        of it covered), then the other items holding it, each in store order.
        search.py scores and orders these few as ever; an item outside them
        never outranks one inside by its name, only by how often the word
        recurs. None: nothing to look up this way (Latin letters, which also
        match pinyin), or no hit.
        """
        match = match_all(word)
        if limit <= 0 or match is None or any(ch.isascii() and ch.isalpha() for ch in word):
            return None
        out: list[int] = []
        if fields is None or NAME in fields:
            sql = (
                "SELECT i.rowid FROM name_fts n JOIN items i ON i.rowid = (n.rowid & ?)"
                f" WHERE name_fts MATCH ?{self._in('i.list')} AND instr(i.name, ?) > 0"
                " ORDER BY n.rowid LIMIT ?"
            )
            out += (r for (r,) in self.conn.execute(sql, (ITEM_MASK, match, word, limit)))
        others = None if fields is None else fields - {NAME}
        if len(out) < limit and (others is None or others):
            where = self._in()
            where += (
                " AND field != 0"
                if others is None
                else f" AND field IN ({','.join(str(f) for f in sorted(others))})"
            )
            have = set(out)
            sql = (
                "SELECT item FROM lines WHERE rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
                f"{where} AND instr(text, ?) > 0 ORDER BY rowid"
            )
            for (item,) in self.conn.execute(sql, (match, word)):
                if item not in have:
                    have.add(item)
                    out.append(item)
                    if len(out) >= limit:
                        break
        return out or None

    def lines(self, match: str | None, fields: set[int] | None, contains: str = "") -> list[Line]:
        """Selected lines whose bigrams satisfy the FTS query ``match`` (None: every line).

        With ``only_items`` set (the candidates of the exact stage), every line
        of those items instead: the caller finds the word in each.
        """
        where = self._in()
        if fields is not None:
            where += f" AND field IN ({','.join(str(f) for f in sorted(fields))})"
        if self.only_items is not None:  # search.py's exact or index candidates
            items = ",".join(str(i) for i in self.only_items)
            sql = f"SELECT rowid, item, field, grp, step, text FROM lines WHERE item IN ({items})"
            return [Line(*r) for r in self.conn.execute(sql + where)]
        if match is None:
            sql = f"SELECT rowid, item, field, grp, step, text FROM lines WHERE 1{where}"
            args: tuple[str, ...] = ()
            if contains:
                sql += " AND instr(lower(text), lower(?)) > 0"
                args = (contains,)
            return [Line(*r) for r in self.conn.execute(sql, args)]
        sql = (
            "SELECT rowid, item, field, grp, step, text FROM lines"
            f" WHERE rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?){where}"
        )
        return [Line(*r) for r in self.conn.execute(sql, (match,))]

    def name_lines(self, items: Iterable[int]) -> dict[int, Line]:
        out: dict[int, Line] = {}
        for marks, chunk in in_chunks(list(items)):
            for r in self.conn.execute(
                "SELECT rowid, item, field, grp, step, text FROM lines"
                f" WHERE field = 0 AND item IN ({marks})",
                chunk,
            ):
                out[r[1]] = Line(*r)
        return out

    def name_syllables(self, q: str) -> list[tuple[int, list[str]]]:
        """(item rowid, syllables of its name) of selected items whose pinyin may hold ``q``."""
        if len(q) >= 3:
            sql = (
                "SELECT rowid, syllables FROM items WHERE rowid IN"
                f" (SELECT rowid FROM pinyin_fts WHERE pinyin_fts MATCH ?){self._in()}"
            )
            rows = self.conn.execute(sql, (f'"{q}"',))
        else:  # too short for trigrams: read the (short) names' pinyin
            rows = self.conn.execute(f"SELECT rowid, syllables FROM items WHERE 1{self._in()}")
        return [(rowid, syllables.split("\t")) for rowid, syllables in rows]

    def spelling_owners(self, spellings: Sequence[str]) -> list[tuple[str, int, str]]:
        """(spelling, list id, canonical name) in the selected lists for these spellings."""
        out: list[tuple[str, int, str]] = []
        for start in range(0, len(spellings), 500):
            chunk = list(spellings[start : start + 500])
            marks = ",".join("?" * len(chunk))
            out += self.conn.execute(
                "SELECT spelling, list, canonical FROM dept_names"
                f" WHERE spelling IN ({marks}){self._in()}",
                chunk,
            ).fetchall()
        return out

    def items_of(self, pairs: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
        """(item rowid, department) for (list id, canonical department) pairs."""
        wanted = set(pairs)
        names = sorted({dept for _, dept in wanted})
        out: list[tuple[int, str]] = []
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            marks = ",".join("?" * len(chunk))
            out += (
                (item, dept)
                for item, list_id, dept in self.conn.execute(
                    f"SELECT item, list, dept FROM item_depts WHERE dept IN ({marks}){self._in()}",
                    chunk,
                )
                if (list_id, dept) in wanted
            )
        return out

    def char_syllables(self, ch: str) -> list[str]:
        """The toneless syllables ``ch`` may be read as (for typos read by their sound)."""
        row = self.conn.execute("SELECT syllables FROM readings WHERE ch = ?", (ch,)).fetchone()
        return row[0].split(" ") if row else []

    def readings(self) -> dict[str, str]:
        """Toneless syllable -> every character read so."""
        return dict(self.conn.execute("SELECT syllable, chars FROM syllables"))

    def text_chars(self) -> str:
        """Every character of the selected lines' texts, once each, sorted."""
        chars: set[str] = set()
        for (text,) in self.conn.execute(f"SELECT text FROM lines WHERE 1{self._in()}"):
            chars.update(text)
        return "".join(sorted(chars))

    def alike(self, ch: str) -> str:
        """Characters that share a toneless reading with ``ch`` (itself included)."""
        row = self.conn.execute("SELECT syllables FROM readings WHERE ch = ?", (ch,)).fetchone()
        if row is None:
            return ch
        syllables = row[0].split(" ")
        marks = ",".join("?" * len(syllables))
        chars = {ch}
        for (text,) in self.conn.execute(
            f"SELECT chars FROM syllables WHERE syllable IN ({marks})", syllables
        ):
            chars.update(text)
        return "".join(sorted(chars))
