"""Values computed once per key and kept in this process, the most recently used ones.

The menu's compiled query (association/navigation.py), the to-do's statement
(association/todo.py) and the figures kept until their tables change
(association/changes.py) each keep theirs in one of these. :class:`KeptRows` keeps what a
template made of kept rows beside them (``{% kept_include %}``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from threading import Lock
from typing import Any


class Kept:
    """At most ``size`` values, by key, the least recently used dropped first; safe across
    threads (a value may be computed twice by two threads at once, never kept twice)."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value kept for ``key``, or ``compute()``, kept."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __iter__(self) -> Iterator[Hashable]:
        """The keys, least recently used first."""
        with self._lock:
            return iter(list(self._values))


class KeptRows(list):
    """Rows of figures shared between requests (kept until their tables change, never
    changed by their readers), with the HTML a template made of them kept beside them, by
    template and language (association/templatetags/kept_tags.py). A new generation of the
    figures is a new object, so its HTML is made again."""

    def __init__(self, rows=()):
        super().__init__(rows)
        self.rendered: dict[tuple[str, str], str] = {}
