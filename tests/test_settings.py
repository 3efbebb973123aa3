"""Production settings: safe by construction, and refused when they are not."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-" + "x" * 20,
    "FIELD_ENCRYPTION_KEY": "cHJvZHVjdGlvbi1rZXktMzItYnl0ZXMtbG9uZyEhISE=",
    "ALLOWED_HOSTS": "portal.xcsw.org.cn",
    # Not connected to by `check`: any PostgreSQL URL will do.
    "DATABASE_URL": "postgresql://portal@db.invalid:5432/portal",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into production checks.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_passes_the_deploy_check_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "DEBUG=0 needs SECRET_KEY"),
        ("FIELD_ENCRYPTION_KEY", "DEBUG=0 needs FIELD_ENCRYPTION_KEY"),
    ],
)
def test_it_refuses_to_start_in_production_with_a_development_key(missing, message):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    env[missing] = ""
    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


# The development key (ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE=) written other ways.
DEV_KEY_SPELLINGS = [
    "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE",  # without padding
    " ZGV2LW9ubHktZmllbGQta2V5\nLW5vdC1mb3ItcHJvZCE= ",  # with whitespace
    "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE==",  # over-padded
]


@pytest.mark.parametrize("key", DEV_KEY_SPELLINGS)
def test_it_refuses_the_development_key_however_it_is_written(key):
    result = manage("check", env={**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEY": key})
    assert result.returncode != 0
    assert "DEBUG=0 needs FIELD_ENCRYPTION_KEY (32 random bytes" in result.stderr


def test_it_reads_a_key_in_either_base64_alphabet():
    # The development key has no + or /, so its URL-safe spelling is itself: the URL-safe
    # alphabet is checked on a key whose standard spelling has both.
    import base64

    from association.settings import base64_bytes

    raw = bytes(range(224, 256))
    assert base64_bytes(base64.urlsafe_b64encode(raw).decode().rstrip("=")) == raw
    assert base64_bytes(base64.b64encode(raw).decode()) == raw


@pytest.mark.parametrize(
    "key",
    [
        "c2hvcnQta2V5",  # base64 of 9 bytes
        "cHJvZHVjdGlvbi1rZXktMzItYnl0ZXMtbG9uZyEhISEhIQ==",  # 34 bytes
        "not base64 at all!",
    ],
)
def test_it_refuses_a_key_that_is_not_32_bytes(key):
    result = manage("check", env={**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEY": key})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY to be base64 of exactly 32 bytes" in result.stderr


def test_it_reads_a_url_safe_key_without_padding_as_the_same_key():
    import base64
    import runpy
    from unittest import mock

    raw = bytes(range(224, 256))
    written = base64.urlsafe_b64encode(raw).decode().rstrip("=")  # secrets.token_urlsafe(32)
    env = {**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEY": written}
    with mock.patch.dict(os.environ, env):
        values = runpy.run_path(str(settings.BASE_DIR / "association" / "settings.py"))
    assert base64.b64decode(values["FIELD_ENCRYPTION_KEY"], validate=True) == raw
    assert manage("check", env=env).returncode == 0


def test_it_refuses_to_start_in_production_with_a_per_process_cache(tmp_path):
    # A site's own settings module, importing ours and putting the cache back in memory.
    (tmp_path / "site_settings.py").write_text(
        "from association.settings import *  # noqa\n"
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n"
    )
    env = {
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "site_settings",
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{settings.BASE_DIR}",
    }
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DEBUG=0 needs a default cache shared by every process" in result.stderr
    # The same module in development starts: the refusal is for DEBUG=0 only.
    assert manage("check", env={**env, "DEBUG": "1"}).returncode == 0


def test_it_keeps_login_limits_in_the_database_in_production():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.django_db
def test_it_sends_a_strict_content_security_policy_on_portal_pages(client):
    header = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    page = client.get(reverse("account_login")).content.decode()
    assert "<script>" not in page and ' style="' not in page


def test_it_checks_connections_before_reuse():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_it_turns_off_jit_compilation_on_its_connections():
    # A page's query compiled by the JIT cost ten times its run (docs/performance.md).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_it_speaks_chinese_first_and_english_on_request(client):
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in page and "许昌市社会工作行业协会" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Xuchang Social Work Association" in page


@pytest.mark.django_db
def test_it_shows_chinese_error_pages(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
