"""Jianguan settings: one module, every deployment difference comes from the environment.

The embedded default (SQLite under var/, debug off, keys generated into var/secrets.json on first run)
needs no configuration at all. Production sets JIANGUAN_DATABASE_URL, JIANGUAN_ALLOWED_HOSTS and
JIANGUAN_HTTPS=1 (see docs/operations.md).
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JIANGUAN_VAR_DIR", BASE_DIR / "var"))


class SettingError(ValueError):
    pass


def env_str(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    """Strict boolean: a typo must not silently switch debug on or security off."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name}={raw!r}: expected one of 1/0/true/false/yes/no/on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingError(f"{name}={raw!r}: expected an integer") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _load_or_create_secrets() -> dict[str, str]:
    """Keys live in var/secrets.json (mode 600), generated once, never committed.

    Each can be overridden from the environment, which is how production should supply them.
    """
    path = VAR_DIR / "secrets.json"
    wanted = {
        "secret_key": lambda: secrets.token_urlsafe(50),
        "pii_key": lambda: secrets.token_hex(16),  # SM4 key, 128 bit
        "lookup_key": lambda: secrets.token_hex(32),  # keyed SM3 for lookup hashes
        "audit_key": lambda: secrets.token_hex(32),  # keyed SM3 for the audit chain
    }
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
    missing = [k for k in wanted if k not in stored]
    if missing:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        for key in missing:
            stored[key] = wanted[key]()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored, indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    return {key: os.environ.get(f"JIANGUAN_{key.upper()}", stored[key]) for key in wanted}


_SECRETS = _load_or_create_secrets()
SECRET_KEY = _SECRETS["secret_key"]
JIANGUAN_PII_KEY = _SECRETS["pii_key"]
JIANGUAN_LOOKUP_KEY = _SECRETS["lookup_key"]
JIANGUAN_AUDIT_KEY = _SECRETS["audit_key"]

DEBUG = env_bool("JIANGUAN_DEBUG", False)
ALLOWED_HOSTS = env_list("JIANGUAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("JIANGUAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "jianguan.core",
    "jianguan.entities",
    "jianguan.records",
    "jianguan.catalog",
    "jianguan.duties",
    "jianguan.credit",
    "jianguan.inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jianguan.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jianguan.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jianguan.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jianguan.core.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "jianguan.urls"
WSGI_APPLICATION = "jianguan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jianguan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jianguan.core.context_processors.navigation_menu",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# SQLite (embedded default): WAL so readers never block the writer, a busy timeout instead of
# "database is locked", and IMMEDIATE transactions so a write transaction takes the lock up front.
# PostgreSQL: JIANGUAN_DATABASE_URL=postgres://user@host:5432/name (psycopg 3).
import dj_database_url  # noqa: E402

_DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'jianguan.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("JIANGUAN_DATABASE_URL", _DEFAULT_SQLITE), conn_max_age=env_int("JIANGUAN_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # journal_size_limit: after a big import the WAL file shrinks back to 64 MB once it is checkpointed and reused,
        # instead of keeping its largest size on disk.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                        "PRAGMA journal_size_limit=67108864;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # The test database must be UTF-8 with a non-C ctype for Chinese text handling.
    DATABASES["default"].setdefault("TEST", {})
    DATABASES["default"]["TEST"].update({"CHARSET": "UTF8", "TEMPLATE": "template0"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sessions (等保 2.0 三级) ----------------------------------------------------------
AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jianguan.core.passwords.CharacterClassValidator"},
]
AUTHENTICATION_BACKENDS = ["jianguan.core.auth.LockoutModelBackend"]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

SESSION_COOKIE_AGE = env_int("JIANGUAN_SESSION_IDLE_SECONDS", 30 * 60)  # idle timeout
SESSION_SAVE_EVERY_REQUEST = True  # so the timeout counts from the last request, not from login
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "jianguan.core.views.csrf_failure"

# --- Security headers -------------------------------------------------------------------------------
HTTPS = env_bool("JIANGUAN_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("JIANGUAN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("JIANGUAN_BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- Language and time ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "jianguan" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "jianguan" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from app folders too, so `make run` works before collectstatic
MEDIA_ROOT = VAR_DIR / "media"

# --- API ------------------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# --- Logging ------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "filters": {"request_id": {"()": "jianguan.core.middleware.RequestIdLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("JIANGUAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Jianguan ---------------------------------------------------------------------------------------------
# The county (or province) this installation serves: the root of the department tree.
JIANGUAN_REGION_CODE = env_str("JIANGUAN_REGION_CODE", "140430")
JIANGUAN_REGION_NAME = env_str("JIANGUAN_REGION_NAME", "沁县")

# Imports: forked validation workers for files above this size (0 = none, -1 = one per spare core). Measured on
# 2 cores it did not pay (docs/performance.md), so it is off by default.
JIANGUAN_IMPORT_WORKERS = env_int("JIANGUAN_IMPORT_WORKERS", 0)
JIANGUAN_IMPORT_WORKER_MIN_BYTES = env_int("JIANGUAN_IMPORT_WORKER_MIN_BYTES", 8 * 1024 * 1024)
