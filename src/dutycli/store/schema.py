"""The tables of the store, and how text becomes the tokens of its full-text index."""

from __future__ import annotations

import re

LAYOUT = 8  # bump when the tables below change shape (8: item_depts.nth, the lead department)

# What a row of ``lines`` holds (the searchable texts of an item).
NAME, UPPER, GUARANTEES, STREET, BASIS, METHOD, EXTRAS = 0, 1, 2, 3, 4, 5, 6
FIELD_KEYS = ("name", "upper", "guarantees", "street", "basis", "method", "extras")
FIELD_LABELS = (
    "事项名称",
    "上级部门职责",
    "履职保障",
    "街道配合职责",
    "实施依据",
    "工作方式",
    "其他字段",
)

# The columns of ``lists`` a query reads (``Library``), read by id or by subdistrict.
LIST_COLUMNS = (
    "id, path, title, subdistrict, kind, district, city, province, version, note, schema, count"
)
# A name's row in ``name_fts``: its UTF-8 length above the item's rowid, so that
# the index gives name hits shortest name first (the larger share of the name
# the word covers), then in store order, and a LIMIT stops reading there.
NAME_SHIFT = 32  # (build.py's _NAME_ROWS says the same in SQL)
ITEM_MASK = (1 << NAME_SHIFT) - 1

DDL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
-- Large records every query reads whole (a rowid table: a lookup by name
-- does not read them, as it would the rows of ``meta``).
CREATE TABLE records(name TEXT PRIMARY KEY, value BLOB);
-- The source files, with what stat said when they were read: the freshness key.
-- (``records`` 'tree' holds the same stats by directory, with the directories'
-- own, for the check every query makes.)
CREATE TABLE files(
    path TEXT PRIMARY KEY, size INT, mtime_ns INT, ctime_ns INT, ino INT,
    digest TEXT, list INT
) WITHOUT ROWID;
CREATE INDEX files_list ON files(list);
-- street_rank, list_rank: where a list comes in listings (subdistricts in the
-- order their first list's path sorts, then by path), kept by every build.
CREATE TABLE lists(
    id INTEGER PRIMARY KEY, path TEXT, digest TEXT, schema INT,
    title TEXT, subdistrict TEXT, kind TEXT, district TEXT, city TEXT, province TEXT,
    version TEXT, note TEXT, count INT, street_rank INT, list_rank INT
);
-- A list's tables (marshal), apart: every query reads ``lists`` whole, and small.
CREATE TABLE list_data(
    id INTEGER PRIMARY KEY, categories BLOB, departments BLOB,
    category_counts BLOB, department_counts BLOB
);
CREATE INDEX lists_subdistrict ON lists(subdistrict, path);
CREATE INDEX lists_path ON lists(path);
CREATE INDEX lists_rank ON lists(street_rank, list_rank);
-- One row an item: its record (marshal, zlib).
CREATE TABLE items(
    rowid INTEGER PRIMARY KEY, list INT, id INT, pos INT, name TEXT, category TEXT,
    syllables TEXT, data BLOB
);
CREATE INDEX items_list ON items(list, pos);
CREATE INDEX items_id ON items(id, list);
CREATE INDEX items_category ON items(list, category);
-- nth: the department's place in the item's 对应上级部门 (0: named first, the lead department).
CREATE TABLE item_depts(
    dept TEXT, list INT, pos INT, item INT, nth INT, PRIMARY KEY(dept, list, pos)
) WITHOUT ROWID;
-- How many items of each list a department has (by-dept counts without its rows).
CREATE TABLE dept_counts(dept TEXT, list INT, n INT, PRIMARY KEY(dept, list)) WITHOUT ROWID;
-- Every name and alias, in the order the list declares them (rowid).
CREATE TABLE dept_names(spelling TEXT, list INT, canonical TEXT);
CREATE INDEX dept_names_spelling ON dept_names(spelling, list);
CREATE INDEX dept_names_list ON dept_names(list);
CREATE TABLE dept_pinyin(spelling TEXT PRIMARY KEY, syllables TEXT) WITHOUT ROWID;
-- Every searchable text of every item, one a row; fts holds their character bigrams.
CREATE TABLE lines(
    rowid INTEGER PRIMARY KEY, item INT, list INT, field INT, grp INT, step INT, text TEXT
);
CREATE INDEX lines_item ON lines(item);
CREATE INDEX lines_list ON lines(list);
CREATE VIRTUAL TABLE fts USING fts5(grams, content='', detail='none', columnsize=0,
    tokenize='ascii');
-- Item names again, one row an item (rowid: see NAME_SHIFT): a large selection
-- ranks name hits from the index alone.
CREATE VIRTUAL TABLE name_fts USING fts5(grams, content='', detail='none', columnsize=0,
    tokenize='ascii');
-- Item names in pinyin (full and initials), for substring search by trigrams.
CREATE VIRTUAL TABLE pinyin_fts USING fts5(full, initials, content='', detail='full',
    tokenize='trigram');
-- Homophones: characters by toneless syllable, and each character's syllables.
CREATE TABLE syllables(syllable TEXT PRIMARY KEY, chars TEXT) WITHOUT ROWID;
CREATE TABLE readings(ch TEXT PRIMARY KEY, syllables TEXT) WITHOUT ROWID;
"""


def digest(raw: bytes) -> str:
    try:
        # The built-in BLAKE2: importing hashlib loads OpenSSL, ~2 ms a run.
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other interpreters
        from hashlib import blake2b
    return blake2b(raw, digest_size=20).hexdigest()


# A token ends at ASCII that is not a letter or digit (the ascii tokenizer's
# separators); everything else — Chinese, full-width punctuation — is kept.
_RUN = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")
# Pads the last character of a run, so that a prefix query finds one character anywhere.
END = "\ue000"


def grams(text: str) -> str:
    """The index tokens of a text: its character bigrams, ASCII folded by the tokenizer."""
    out: list[str] = []
    for run in _RUN.findall(text):
        out += map(str.__add__, run, run[1:] + END)
    return " ".join(out)


def match_all(word: str) -> str | None:
    """An FTS query for texts that may contain ``word``; None if nothing in it is indexed."""
    terms = []
    for run in _RUN.findall(word):
        if len(run) == 1:
            terms.append(f'"{run}"*')
        else:
            terms += (f'"{run[i : i + 2]}"' for i in range(len(run) - 1))
    return " AND ".join(dict.fromkeys(terms)) if terms else None


def match_any(bigrams: set[str] | list[str]) -> str | None:
    """An FTS query for texts holding any of ``bigrams`` (two indexed characters each)."""
    terms = [f'"{g}"' for g in bigrams if len(g) == 2 and _RUN.fullmatch(g)]
    return " OR ".join(sorted(set(terms))) if terms else None
