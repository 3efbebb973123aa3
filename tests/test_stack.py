"""A request's calls never map and unmap a chunk of the interpreter's frame stack
(association/stack.py): the web server calls the application from a frame with room.

Counted in minor page faults: a call that opens a chunk of its own maps fresh memory and
touches it, one fault or more a call; a call inside a chunk already mapped, none."""

import resource
import sys

import pytest

from association.stack import with_room

CALLS = 300
DEPTHS = 400


def leaf():
    # More locals than loop_at has: whichever depth the loop is at, some depth leaves less
    # room in the chunk than this frame needs, and more than loop_at's frame needs.
    a = b = c = d = e = f = g = h = i = j = k = m = n = o = p = q = r = s = t = u = 0
    return a + b + c + d + e + f + g + h + i + j + k + m + n + o + p + q + r + s + t + u


def loop_at(depth):
    """The page faults of CALLS calls of ``leaf`` made ``depth`` calls deeper."""
    if depth:
        return loop_at(depth - 1)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(CALLS):
        leaf()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def worst_depth():
    return max(loop_at(depth) for depth in range(DEPTHS))


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's frame stack")
def test_no_call_under_room_opens_a_chunk_of_its_own():
    assert with_room(worst_depth)() < CALLS // 10


@pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info >= (3, 13),
    reason="3.13 and later keep a chunk for reuse (python/cpython#145789)",
)
def test_without_room_some_depth_maps_a_chunk_on_every_call():
    """What the room is for: on this interpreter the loop at some depth faults at least
    once a call."""
    assert worst_depth() >= CALLS


def test_with_room_passes_arguments_results_and_errors():
    def divide(a, b=1):
        return a / b

    called = with_room(divide)
    assert called(6, b=3) == 2
    assert called.__name__ == "divide"
    with pytest.raises(ZeroDivisionError):
        called(1, b=0)
