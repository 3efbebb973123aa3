"""Real services: Redis as the broker and a Celery worker process on the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import require_services


def _redis_url_for_this_process(url: str) -> str:
    """Under pytest-xdist each worker process takes its own Redis database (the base number
    plus the worker's, modulo 16): two workers' Celery processes never take each other's
    tasks, and one worker's ``flushdb`` never empties the other's queue."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base, _, number = url.rpartition("/")
    start = int(number) if number.isdigit() else 0
    return f"{base}/{(start + int(worker[2:])) % 16}"


TEST_REDIS_URL = _redis_url_for_this_process(
    os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
)


def redis_available(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def redis_url():
    if not redis_available(TEST_REDIS_URL):
        message = f"no Redis at {TEST_REDIS_URL} (set TEST_REDIS_URL)"
        if require_services():
            pytest.fail(message)
        pytest.skip(message)
    import redis

    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    return TEST_REDIS_URL


def test_database_url() -> str:
    """The URL of the database this test run uses, for another process."""
    db = connection.settings_dict
    user = quote(db["USER"] or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{db['NAME']}?host={host}"
    return f"postgresql://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(redis_url, tmp_path, transactional_db):
    """A real `celery worker` process on Redis and the test database; e-mail goes to files."""
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "association",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.mail_dir = mail_dir
    try:
        yield process
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output)  # shown by pytest when the test fails


@pytest.fixture
def broker(redis_url):
    """Point this process's Celery app at ``url`` (Redis, or a dead port), not eager."""
    from association.celery import app

    def use(url):
        from kombu import pools

        pools.reset()  # drop connections and producers made for the previous URL
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.update(broker_url=url, task_always_eager=False)

    yield use
    use("memory://")
    app.conf.update(task_always_eager=True)


def wait_for(condition, timeout=60.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
