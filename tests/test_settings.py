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
def test_it_reports_health(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_it_reports_an_unreachable_redis_as_unhealthy(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "redis": "error"}


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
