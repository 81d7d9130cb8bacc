"""The library: the lists loaded from one ``--data`` target, as the query side reads them.

``Library`` is put together from its parts, each in its own module:

- ``selection``: which lists are loaded and selected (``--street``, ``--kind``),
  their departments;
- ``retrieval``: items by row, by id, by department, a whole list (``Compiled``);
- ``search_support``: candidates from the full-text indexes, lines and pinyin
  for search and check.

Opening it (which database, is it fresh) is ``store/__init__``'s work.
"""

from __future__ import annotations

from dutycli.store.retrieval import Compiled, Retrieval
from dutycli.store.rows import Line, ListRef
from dutycli.store.search_support import SearchSupport

__all__ = [
    "Compiled",
    "Library",
    "Line",
    "ListRef",
]


class Library(SearchSupport, Retrieval):
    """The loaded lists and the selection (--street, --kind) queries are restricted to.

    The lists are read from the store as a query needs them: by id for the rows
    shown, by subdistrict for ``--street``; all of them only for a listing.
    """
