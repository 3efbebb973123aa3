"""A web worker freezes its long-lived objects as it warms up (association/startup.py), after
its 1st, 10th, 100th and 1,000th answer: the garbage collector's full passes then walk what
requests create, not Django."""

import subprocess
import sys

from django.conf import settings

from tests.test_settings import PRODUCTION_ENV

WORKER = """
import gc
from wsgiref.util import setup_testing_defaults

from django.core.signals import request_finished

from association.wsgi import application

def freezing():
    keys = [key for key, *_ in request_finished.receivers]
    return int(any(key[0] == "association.startup.freeze" for key in keys))

def answer():
    environ = {"HTTP_HOST": "portal.xcsw.org.cn", "PATH_INFO": "/accounts/login/"}
    setup_testing_defaults(environ)
    response = application(environ, lambda status, headers: None)
    b"".join(response)
    response.close()  # the server closes the response: request_finished
    return gc.get_freeze_count()

before = gc.get_freeze_count(), freezing()
first = answer(), freezing()
counts = [answer() for _ in range(2, 1001)]
print(*before, *first, counts[8] > counts[7], counts[-1] > counts[-2], freezing(),
      type(application.__wrapped__).__name__)
"""


def test_a_worker_freezes_its_long_lived_objects_as_it_warms_up():
    env = {**PRODUCTION_ENV, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    before, waiting, frozen, still_waiting, tenth, thousandth, done, handler = result.stdout.split()
    assert (before, waiting) == ("0", "1")
    assert int(frozen) > 100_000  # Django and the apps (215,000 in a worker that served the admin)
    assert still_waiting == "1"
    assert (tenth, thousandth) == ("True", "True")  # frozen again: what the 10th and 1,000th added
    assert done == "0"  # and no more after the 1,000th
    # Called from a frame with room on the interpreter's frame stack (association/stack.py).
    assert handler == "WSGIHandler"
