"""The benchmark's open load (bench/run.py ``arrivals`` and ``offer``): the same arrivals
every run, each request sent at its time, its latency counted from its arrival."""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _run_module():
    if "bench_run" in sys.modules:
        return sys.modules["bench_run"]
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@contextmanager
def _server(server_class, seconds: float, status: int = 200):
    """A local server answering every GET with ``status`` after ``seconds``; yields its
    port."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(seconds)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    class Server(server_class):
        request_queue_size = 256  # every arrival queued, none refused (the default is 5)

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_port
    finally:
        server.shutdown()


@pytest.fixture
def run():
    return _run_module()


def test_the_arrivals_are_the_same_every_run_and_at_the_rate(run):
    first = run.arrivals(10, 8, seed=10)
    assert first == run.arrivals(10, 8, seed=10)
    assert first != run.arrivals(10, 8, seed=11)
    assert first == sorted(first) and all(0 < at < 8 for at in first)
    assert 50 <= len(first) <= 110  # 80 expected
    assert len(run.arrivals(1000, 10, seed=1)) == 600  # bounded


def test_every_arrival_is_answered_and_timed(run):
    with _server(ThreadingHTTPServer, 0.02) as port:
        latencies, errors = run.offer(port, "/", "", rate=40, seconds=1, seed=3)
    assert errors == []
    assert len(latencies) == len(run.arrivals(40, 1, seed=3))
    assert min(latencies) >= 0.02


def test_a_queue_shows_in_the_latencies_not_in_fewer_requests(run):
    """A server that answers one request at a time, 20 a second, offered 50 a second: the
    requests wait their turn, and their wait counts."""
    with _server(HTTPServer, 0.05) as port:
        latencies, errors = run.offer(port, "/", "", rate=50, seconds=1, seed=5)
    assert errors == []
    assert len(latencies) == len(run.arrivals(50, 1, seed=5))
    assert run.percentile(latencies, 0.95) > 0.5


def test_an_error_is_counted_apart(run):
    with _server(ThreadingHTTPServer, 0, status=500) as port:
        latencies, errors = run.offer(port, "/", "", rate=20, seconds=0.5, seed=1)
    assert latencies == []
    assert errors and set(errors) == {500}
