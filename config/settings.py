"""Awda's one settings module: every difference between deployments comes from environment variables.

With nothing set, Awda runs for development: SQLite and a generated secret in a local data folder
(``AWDA_DATA_DIR``, default ``./var``). ``AWDA_ENV=production`` turns on every protection that
``awda check --deploy`` asks for and refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "awda"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


AWDA_ENV = env_str("AWDA_ENV", "development")
PRODUCTION = AWDA_ENV == "production"
# Off unless asked for: even a development run shows translated error pages, not tracebacks.
DEBUG = env_bool("DEBUG", default=False) and not PRODUCTION

DATA_DIR = Path(env_str("AWDA_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def _secret_key() -> str:
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when AWDA_ENV=production.")
    # Development: a random key kept in the data folder, so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when AWDA_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "awda.core",
    "awda.geo",
    "awda.accounts",
    "awda.registry",
    "awda.catalogue",
    "awda.referrals",
    "awda.monitoring",
    "awda.jobs",
    "awda.exchange",
    "awda.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "awda.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "awda.accounts.middleware.UserLanguageMiddleware",
    "awda.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "awda.portal.context_processors.shell",
            ],
            "string_if_invalid": "",
        },
    }
]

# Database: DATABASE_URL (postgres://user:pass@host:5432/name), or SQLite in the data folder.
_default_sqlite = f"sqlite:///{DATA_DIR / 'awda.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids lock upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the employer registration limit and the market view's counts. Each process keeps its
# own unless it is shared: "database" (the awda_cache table, created by the migrations) or a redis://
# address (Django's Redis backend; `pip install redis`). Several web processes need one of them, or the
# registration limit is per process (decision 0024).
AWDA_CACHE_URL = env_str("AWDA_CACHE_URL", "")
CACHE_TABLE = "awda_cache"
if AWDA_CACHE_URL == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}
elif AWDA_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": AWDA_CACHE_URL}
    }
elif AWDA_CACHE_URL:
    raise ImproperlyConfigured("AWDA_CACHE_URL must be empty, 'database' or a redis:// address.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle sessions expire: the cookie's age restarts with every request.
SESSION_COOKIE_AGE = env_int("AWDA_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lock-out after repeated failed logins (django-axes), per user name.
AXES_FAILURE_LIMIT = env_int("AWDA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AWDA_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "awda.accounts.views.auth.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

OTP_TOTP_ISSUER = "Awda"

# Languages: Arabic first, then Central Kurdish (Sorani), then English.
LANGUAGE_CODE = env_str("AWDA_DEFAULT_LANGUAGE", "ar")
LANGUAGES = [("ar", "العربية"), ("ckb", "کوردی"), ("en", "English")]
LANGUAGES_BIDI = ["ar", "ckb"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "awda_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Baghdad")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Pages keep working without running collectstatic in development.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("AWDA_MAX_BODY_BYTES", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Imports of other ministries' files: bigger files stream to disk and are refused past this size.
AWDA_IMPORT_MAX_BYTES = env_int("AWDA_IMPORT_MAX_BYTES", 1024 * 1024 * 1024)

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "awda@localhost")
# Links in emails point here; SMS goes through a pluggable gateway (none by default).
AWDA_BASE_URL = env_str("AWDA_BASE_URL", "http://127.0.0.1:8000")
AWDA_SMS_BACKEND = env_str("AWDA_SMS_BACKEND", "awda.core.notifications.NoSmsBackend")
# Working days for referral deadlines: Iraq's weekend is Friday and Saturday (Monday = 0).
AWDA_WEEKEND_DAYS = (4, 5)
# Days an accepted referral may stay open before supervisors hear it is overdue.
AWDA_REFERRAL_COMPLETION_DAYS = env_int("AWDA_REFERRAL_COMPLETION_DAYS", 30)
# A case closes as "reintegration achieved" when the latest composite score reaches this (IOM's RSS
# reads 0.66 and above as sustainable reintegration); below it, only with a supervisor's written reason.
# Follow-up surveys are due these many months after return (and at the plan's horizons).
AWDA_FOLLOW_UP_MONTHS = tuple(
    int(m) for m in os.environ.get("AWDA_FOLLOW_UP_MONTHS", "3,6,12,24").split(",") if m.strip()
)
AWDA_REINTEGRATION_THRESHOLD = float(os.environ.get("AWDA_REINTEGRATION_THRESHOLD", "0.66"))
# The employment offices (institution codes; their units too) that review companies' registrations, enter
# offers for companies and follow every placement and retention check.
AWDA_EMPLOYMENT_INSTITUTIONS = tuple(
    c.strip() for c in os.environ.get("AWDA_EMPLOYMENT_INSTITUTIONS", "molsa").split(",") if c.strip()
)
# Retention checks after a hire, in months; the best offers kept per person by the full re-match.
AWDA_RETENTION_MONTHS = tuple(
    int(m) for m in os.environ.get("AWDA_RETENTION_MONTHS", "3,6").split(",") if m.strip()
)
AWDA_MATCHES_KEPT = env_int("AWDA_MATCHES_KEPT", 5)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers; production adds HTTPS-only cookies and HSTS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "awda.portal.views.errors.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("AWDA_BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Client addresses: trust X-Forwarded-For only when a reverse proxy is declared.
AWDA_TRUSTED_PROXY_COUNT = env_int("AWDA_TRUSTED_PROXY_COUNT", 0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous call gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "awda.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "awda.core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Awda API",
    "DESCRIPTION": (
        "Awda's REST API, version 1. Errors are JSON objects "
        '`{"error": {"code", "message", "fields"}}`; lists are paginated with `page` and '
        "`page_size` and return `count`, `next`, `previous` and `results`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ScopeEnum": "awda.accounts.enums.ScopeLevel",
        "RoleEnum": "awda.accounts.enums.Role",
        "InstitutionTypeEnum": "awda.accounts.enums.InstitutionType",
        "SettlementEnum": "awda.geo.enums.Settlement",
        "CaseStatusEnum": "awda.registry.enums.CaseStatus",
        "DocumentTypeEnum": "awda.registry.enums.DocumentType",
        "DocumentStatusEnum": "awda.registry.enums.DocumentStatus",
    },
}

TASKS = {
    "default": {
        "BACKEND": env_str("AWDA_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "filters": {"request_id": {"()": "awda.core.context.RequestIdLogFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

AWDA_TWO_FACTOR_ROLES = ("administrator", "data_steward")

# axes.W006 asks to lock out by IP address as well. Ministry branches reach Awda through one
# shared address, so an IP lock-out would lock a whole office out; Awda locks the account instead
# (docs/decisions/0004-login-lockout.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
