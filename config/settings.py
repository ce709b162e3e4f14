"""GovMatrix settings. Every deployment difference comes from the environment (.env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    env_time_zone,
    env_url,
)
from govmatrix.platforms.links.keys import credential_keys
from govmatrix.workdays.calendar import WorkingHours

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GOVMATRIX_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret(
    "SECRET_KEY", debug=DEBUG, dev_default="govmatrix-insecure-development-key-0123456789"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])  # ["https://govmatrix.example.gov.cn"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "huey.contrib.djhuey",
    "govmatrix.core",
    "govmatrix.audit",
    "govmatrix.org",
    "govmatrix.matrix",
    "govmatrix.platforms",
    "govmatrix.platforms.local",
    "govmatrix.platforms.links",
    "govmatrix.platforms.manual",
    "govmatrix.publishing",
    "govmatrix.inbox",
    "govmatrix.moderation",
    "govmatrix.emergency",
    "govmatrix.assessment",
    "govmatrix.training",
    "govmatrix.notifications",
    "govmatrix.workdays",
    "govmatrix.web",
    "govmatrix.api",
    "govmatrix.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "govmatrix.web.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "govmatrix.core.middleware.ContentSecurityPolicyMiddleware",
    "govmatrix.audit.context.RequestContextMiddleware",
    "govmatrix.web.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "govmatrix" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "govmatrix.web.context_processors.shell",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", schemes={"sqlite", "postgres", "postgresql"})
if DATABASE_URL and not DATABASE_URL.startswith("sqlite"):
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
else:
    sqlite_path = (
        dj_database_url.parse(DATABASE_URL)["NAME"]
        if DATABASE_URL
        else str(VAR_DIR / "govmatrix.sqlite3")
    )
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            # IMMEDIATE takes the write lock when a transaction starts, so two writers queue up
            # instead of failing half-way; WAL lets readers go on while one writes.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
            },
            # A file, not memory: the worker processes that tests start must see the same data.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, background work ----------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes={"redis", "rediss", "unix"})
HUEY_NAME = env_str("HUEY_NAME", "govmatrix")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": HUEY_NAME,
        "immediate": False,
        "connection": {"url": REDIS_URL},
        "consumer": {"workers": env_int("HUEY_WORKERS", 2, minimum=1), "worker_type": "thread"},
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": HUEY_NAME,
        "immediate": False,
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "consumer": {"workers": env_int("HUEY_WORKERS", 2, minimum=1), "worker_type": "thread"},
    }

# --- auth and security ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
LOGIN_THROTTLE_MAX_FAILURES = env_int("LOGIN_THROTTLE_MAX_FAILURES", 5, minimum=1)
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("LOGIN_THROTTLE_WINDOW_SECONDS", 900, minimum=1)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- language, time -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "govmatrix" / "locale"]
TIME_ZONE = env_time_zone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

# --- files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- the deployment ------------------------------------------------------------------------
DISTRICT_NAME = env_str("GOVMATRIX_DISTRICT_NAME", "示范区")
MAIN_ACCOUNT_NAME = env_str("GOVMATRIX_MAIN_ACCOUNT_NAME", "@示范区发布")
PAGE_SIZE = env_int("GOVMATRIX_PAGE_SIZE", 25, minimum=5)
# The built-in local platform's public site: limits per visitor, captcha, page cache.
LOCAL_PLATFORM_SUBMIT_LIMIT = env_int("LOCAL_PLATFORM_SUBMIT_LIMIT", 10, minimum=1)
LOCAL_PLATFORM_SUBMIT_WINDOW_SECONDS = env_int(
    "LOCAL_PLATFORM_SUBMIT_WINDOW_SECONDS", 600, minimum=1
)
LOCAL_PLATFORM_CAPTCHA_FAILURE_LIMIT = env_int(
    "LOCAL_PLATFORM_CAPTCHA_FAILURE_LIMIT", 20, minimum=1
)
LOCAL_PLATFORM_REACT_LIMIT = env_int("LOCAL_PLATFORM_REACT_LIMIT", 60, minimum=1)
LOCAL_PLATFORM_CAPTCHA_SECONDS = env_int("LOCAL_PLATFORM_CAPTCHA_SECONDS", 600, minimum=30)
LOCAL_PLATFORM_CACHE_SECONDS = env_int("LOCAL_PLATFORM_CACHE_SECONDS", 86400, minimum=1)
LOCAL_PLATFORM_PAGE_SIZE = env_int("LOCAL_PLATFORM_PAGE_SIZE", 20, minimum=5)
LOCAL_PLATFORM_COMMENTS_PAGE_SIZE = env_int("LOCAL_PLATFORM_COMMENTS_PAGE_SIZE", 30, minimum=5)
# Set only for benchmarks: `?nocache=<token>` then serves a public page without its cache.
LOCAL_PLATFORM_NOCACHE_TOKEN = env_str("LOCAL_PLATFORM_NOCACHE_TOKEN")

# Office hours for every working-time clock (SLA), as HH:MM-HH:MM periods.
WORK_HOURS = env_str("WORK_HOURS", "08:30-12:00,13:30-17:30")
try:
    WorkingHours.parse(WORK_HOURS)
except ValueError as exc:
    raise ImproperlyConfigured(f"WORK_HOURS={WORK_HOURS!r}: {exc}") from exc
# How long a worker holds a platform call before another may take it over (it may have died).
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300, minimum=1)

# --- platform connections (docs/platforms.md) ------------------------------------------------
# Fernet keys sealing each account's platform credentials, newest first (or ..._FILE). Unset:
# derived from SECRET_KEY with DEBUG on; otherwise no account can be linked until one is set.
PLATFORM_CREDENTIALS_KEYS = credential_keys(
    env_str("PLATFORM_CREDENTIALS_KEYS"),
    file_path=env_str("PLATFORM_CREDENTIALS_KEYS_FILE"),
    development_secret=SECRET_KEY if DEBUG else None,
)
# An account whose authorisation ends within this many days is flagged to its operators.
PLATFORM_TOKEN_WARN_DAYS = env_int("PLATFORM_TOKEN_WARN_DAYS", 14, minimum=1)
PLATFORM_TIMEOUT_SECONDS = env_int("PLATFORM_TIMEOUT_SECONDS", 15, minimum=1)
# Weibo Open API v2: base URL (the in-repo simulator in the demo), the app's key and secret, and
# the link under the app's safe domain (安全域名) that every post must carry.
WEIBO_API_BASE = env_url("WEIBO_API_BASE", schemes={"http", "https"}) or "https://api.weibo.com"
WEIBO_APP_KEY = env_str("WEIBO_APP_KEY")
WEIBO_APP_SECRET = env_str("WEIBO_APP_SECRET")
WEIBO_SAFE_LINK = env_url("WEIBO_SAFE_LINK", schemes={"http", "https"})
WEIBO_POSTS_PER_HOUR = env_int("WEIBO_POSTS_PER_HOUR", 30, minimum=1)
WEIBO_COMMENTS_PER_HOUR = env_int("WEIBO_COMMENTS_PER_HOUR", 60, minimum=1)
# Mastodon: the instance offered when an account is linked, and every instance an account may
# be linked on (GovMatrix calls only these; by default the one above).
MASTODON_API_BASE = env_url("MASTODON_API_BASE", schemes={"http", "https"})
MASTODON_INSTANCES = env_list(
    "MASTODON_INSTANCES", [MASTODON_API_BASE] if MASTODON_API_BASE else []
)

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "govmatrix.core.logging.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # httpx logs every platform call at INFO, every minute per account from the inbox sync;
    # the outbox and the sync health already record what each call did.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
