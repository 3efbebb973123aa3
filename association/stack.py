"""Room on the interpreter's frame stack for a request, so that its calls never map and
unmap a piece of that stack.

Since Python 3.11, CPython keeps its frames on a stack of its own, in chunks of 16 KiB
that it maps from the system (``mmap``) when a call does not fit in the current chunk, and
gives back (``munmap``) when the call that opened the chunk returns. A loop whose calls
cross the end of a chunk therefore maps and unmaps it, and touches a fresh page, on every
call (CPython issue gh-142183: python/cpython#145789 keeps one chunk for reuse, in the 3.13
and 3.14 branches from March 2026; 3.11, which the Dockerfile runs, and 3.12 take only
security fixes). Which loops cross it depends on how deep the server happens to call the
application: in a gunicorn worker, the admin's list of social workers at province scale
made 2,580 such pairs a page, half of its 36 ms of CPU, and half as many pages a second
as it serves without them (docs/performance.md, sixteenth round). The same page called
from Django's test client, a few calls deeper, did not.

:func:`with_room` calls a function from a frame that reserves :data:`ROOM` slots of its
stack: the interpreter gives that frame a chunk of 1 MiB, and the calls made under it fit
in the rest of that chunk (about 500 KiB: thousands of calls deep), whatever depth the
server calls from. The chunk is mapped once a call and given back at its end; the pages
the frame reserves are never touched, so they cost nothing.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# Value-stack slots (8 bytes each) the calling frame reserves: with its own size, the
# interpreter rounds the chunk it maps up to 1 MiB, and what the frame leaves free is
# the rest, 62,000 slots or so: many times what the deepest of the portal's pages uses.
ROOM = 65_536


def _call(function, args, kwargs):
    return function(*args, **kwargs)


if sys.implementation.name == "cpython" and sys.version_info >= (3, 11):
    # A frame is sized from its code's stack size; a larger one than the code needs is never
    # used, only reserved.
    _call.__code__ = _call.__code__.replace(co_stacksize=_call.__code__.co_stacksize + ROOM)


def with_room(function: Callable[P, R]) -> Callable[P, R]:
    """``function``, called from a frame with :data:`ROOM` slots of stack of its own."""

    @functools.wraps(function)
    def called_with_room(*args: P.args, **kwargs: P.kwargs) -> R:
        return _call(function, args, kwargs)

    return called_with_room
