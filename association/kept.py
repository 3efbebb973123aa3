"""Values computed once per key and kept in this process, the most recently used ones.

The menu's compiled query (association/navigation.py), the to-do's statement
(association/todo.py) and the figures kept until their tables change
(association/changes.py) each keep theirs in one of these.
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
