"""What a web worker does as it warms up: its long-lived objects kept out of the garbage
collector's full passes.

Python's cyclic garbage collector walks every object it tracks when it makes a full
(generation 2) collection. A gunicorn worker that has served the admin holds about 215,000:
Django, the apps, the compiled templates, the URL resolver, the admin's registry, which live
as long as the worker. At province scale, in a worker past its warm-up, a full collection
took 170–215 ms and came about every 120 admin pages: 1.4–1.9 ms a page on average, and a
pause of its own for the page that met it (docs/performance.md, the tenth round).
``gc.freeze()`` moves the objects alive at that moment to a permanent generation that the
collector no longer walks (after it: 8 ms a full collection, 0.2 ms a page); what requests
create afterwards is collected as before ("ignore them in all the future collections", in
the ``gc`` module's documentation, which describes it for a process about to fork; a worker
that loads the app itself, as gunicorn's do without ``--preload``, freezes once it has).

A worker loads much of what it keeps lazily (a page's templates on its first view, the URL
resolver on the first request), so it freezes four times as it warms up: after its 1st,
10th, 100th and 1,000th answer, each time after a collection (the garbage of the requests
before is not frozen with the rest; once the first freeze is done these collections walk only
what came after it). Then the signal's receiver is disconnected.
"""

from __future__ import annotations

import gc
import itertools

from django.core.signals import request_finished

FREEZE_AFTER = (1, 10, 100, 1000)  # answers
UID = "association.startup.freeze"


def freeze_as_it_warms_up() -> None:
    """Connect the freezing to the end of each request, until the last of ``FREEZE_AFTER``."""
    answered = itertools.count(1)

    def freeze(**kwargs) -> None:
        count = next(answered)
        if count in FREEZE_AFTER:
            gc.collect()
            gc.freeze()
        if count >= FREEZE_AFTER[-1]:
            request_finished.disconnect(dispatch_uid=UID)

    request_finished.connect(freeze, dispatch_uid=UID, weak=False)
